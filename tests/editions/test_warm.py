"""Warm kernels (parley.report.warm, parley.editions.warm): one kernel per worker, reset before
each page, publishes exactly what a fresh kernel per page does.

- the reset leaves nothing of the previous page (namespace, Parley's modules, a page's own
  modules, working directory, environment, sys.path, warning filters, Plotly's template);
- the whole shipped spec (briefings.yml on the seed dossier) rendered by a warm batch and by a
  cold one: the same published files, byte for byte but for the generation time in each page and
  the times of each run record (and the catalogue's sequence numbers, which follow the order
  pages finish in);
- the fault tests of test_publish.py (a page that raises, kills its kernel, is silent; SIGTERM;
  the kernel-start retry) run under warm workers by parametrising PARLEY_KERNELS there.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]

POLLUTE = r'''
import os, sys, warnings
import plotly.io as pio
leaked = "from the previous page"
os.environ["PARLEY_TEST_LEAK"] = "1"
os.chdir("/")
sys.path.append("/nonexistent-leak")
warnings.simplefilter("ignore")
pio.templates.default = "plotly_dark"
with open(os.path.join(folder, "leaky_helper.py"), "w") as handle:
    handle.write("VALUE = 1\n")
sys.path.insert(0, folder)
import leaky_helper
import parley.paths
parley.paths.LEAKED = True
'''

LOOK = r'''
import os, sys, warnings
import plotly.io as pio
import parley.paths
print("namespace", "leaked" in globals())
print("environ", os.environ.get("PARLEY_TEST_LEAK"))
print("cwd", os.getcwd() == folder)
print("sys.path", "/nonexistent-leak" in sys.path, folder in sys.path)
print("modules", "leaky_helper" in sys.modules)
print("warnings", warnings.filters[:1] == [("ignore", None, Warning, None, 0)])
print("plotly", pio.templates.default)
print("parley", hasattr(parley.paths, "LEAKED"))
print("count", get_ipython().execution_count)
'''


def _notebook(path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('folder = ""  # the folder of the page (synthetic test notebook)')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)
    return path


def _outputs(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_the_reset_leaves_nothing_of_the_previous_page(tmp_path):
    import papermill

    from parley.report.warm import WarmKernel

    folder = str(tmp_path)
    pollute, look = _notebook(tmp_path / "pollute.ipynb", POLLUTE), _notebook(tmp_path / "look.ipynb", LOOK)
    run = {"parameters": {"folder": folder}, "kernel_name": "python3", "cwd": folder, "progress_bar": False}
    papermill.execute_notebook(str(look), str(tmp_path / "fresh.ipynb"), **run)
    with WarmKernel() as warm:
        for name, source in (("polluted", pollute), ("warm", look)):
            warm.prepare(folder)
            papermill.execute_notebook(str(source), str(tmp_path / f"{name}.ipynb"), km=warm.manager, **run)
        assert warm.starts == 1 and warm.pages == 2  # the same kernel served both pages
    fresh, reused = _outputs(tmp_path / "fresh.ipynb"), _outputs(tmp_path / "warm.ipynb")
    assert "namespace False" in fresh and "parley False" in fresh and "plotly plotly\n" in fresh  # the check can see a leak
    assert reused == fresh


GENERATED = re.compile(rb'<time datetime="[^"]*" id="parley-generated-at">[^<]*</time>')
RUN_TIMES = ("started", "finished", "seconds")
SEQ_FOLDER = re.compile(r"/runs/([^/]+)/\d{5}/")


def _published(reports: Path) -> dict[str, bytes]:
    """Every published file of a reports folder, times and sequence numbers taken out."""
    files = {}
    for path in sorted(reports.rglob("*")):
        rel = path.relative_to(reports).as_posix()
        if not path.is_file() or rel.startswith(("logs/", ".")) or rel in ("index.html", "catalogue.jsonl"):
            continue  # logs hold timings; the catalogue is compared below
        data = path.read_bytes()
        if rel.endswith(".html"):
            data = GENERATED.sub(b"<time/>", data)
        elif rel.endswith("run.json"):
            data = json.dumps(_untimed(json.loads(data)), sort_keys=True).encode()
        files[SEQ_FOLDER.sub(r"/runs/\1/N/", "/" + rel)] = data
    return files


def _untimed(record: dict) -> dict:
    record = {k: v for k, v in record.items() if k not in RUN_TIMES and k != "seq"}
    if isinstance(record.get("files"), dict):
        # the page's hash covers its generation time; the page itself is compared without it above
        record["files"] = {kind: ("<page hash>" if kind == "html" else digest) for kind, digest in record["files"].items()}
    if "record_dir" in record:
        record["record_dir"] = SEQ_FOLDER.sub(r"/runs/\1/N/", "/" + record["record_dir"] + "/")
    return record


@pytest.mark.slow
def test_a_warm_batch_publishes_what_a_cold_batch_does_on_the_whole_spec(tmp_path, monkeypatch):
    from parley import paths
    from parley.data.schema import read_schema
    from parley.editions.batch import run_briefings
    from parley.editions.catalogue import read_catalogue
    from parley.editions.spec import expand_spec

    as_of = read_schema(paths.dossier_dir(paths.DEFAULT_DOSSIER)).options.get("as_of")
    briefings = expand_spec(ROOT / "briefings.yml", as_of=as_of)
    assert len(briefings) >= 20  # the briefing, every state and bloc, every issue, the QA page
    published, catalogues = {}, {}
    for kernels in ("cold", "warm"):
        reports = tmp_path / kernels
        monkeypatch.setenv("PARLEY_REPORTS_DIR", str(reports))
        monkeypatch.setenv("PARLEY_KERNELS", kernels)
        result = run_briefings(briefings, workers=2, progress=False, echo=lambda _message: None)
        assert [o.status for o in result.outcomes] == ["published"] * len(briefings), \
            [(o.briefing.name, o.status, o.message) for o in result.outcomes if o.status != "published"]
        published[kernels] = _published(reports)
        catalogues[kernels] = sorted((_untimed(entry) for entry in read_catalogue(reports)), key=lambda e: e["name"])
    assert sorted(published["warm"]) == sorted(published["cold"])
    assert sum(name.endswith(".ipynb") for name in published["cold"]) == 2 * len(briefings)  # the page and its history copy
    different = [name for name in published["cold"] if published["warm"][name] != published["cold"][name]]
    assert not different, f"a warm kernel published other bytes than a fresh one: {different[:5]}"
    assert catalogues["warm"] == catalogues["cold"]


def test_warm_kernels_are_the_default_and_an_unknown_mode_is_refused(monkeypatch):
    from parley.editions import warm
    from parley.editions.batch import run_briefings
    from parley.errors import ParameterError

    monkeypatch.delenv("PARLEY_KERNELS", raising=False)
    assert warm.enabled()
    monkeypatch.setenv("PARLEY_KERNELS", " Cold ")
    assert not warm.enabled()
    monkeypatch.setenv("PARLEY_KERNELS", "hot")
    with pytest.raises(ParameterError, match=r"PARLEY_KERNELS='hot' is not a kernel mode; allowed: warm .* or cold"):
        run_briefings([], progress=False)
