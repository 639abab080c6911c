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


FIRST = r'''
import parley.briefing as pb
import sys, warnings
import plotly.io as pio
print("plotly", pio.templates.default, sorted(pio.templates))
print("parley", sorted(m for m in sys.modules if m == "parley" or m.startswith("parley.")))
print("warnings", len(warnings.filters))
print("namespace", sorted(n for n in globals() if not n.startswith("_") and n not in ("In", "Out", "exit", "quit", "get_ipython", "open")))
print("leaked", hasattr(pb, "LEAKED"))
pb.LEAKED = True
'''


def _first_page_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('folder: str = ""  # the folder of the page (synthetic test notebook)')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(FIRST)]
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_a_first_page_that_imports_parley_briefing_first_sees_what_a_fresh_kernel_does(tmp_path):
    """The kernel's first page keeps the snapshot's Parley modules (not imported twice); that page and
    the next ones print what a fresh kernel prints."""
    import papermill

    from parley import paths
    from parley.report.warm import WarmKernel

    folder = str(paths.NOTEBOOKS_DIR)
    source = _first_page_notebook(tmp_path / "first.ipynb")
    run = {"parameters": {"folder": folder}, "kernel_name": "python3", "cwd": folder, "progress_bar": False}
    papermill.execute_notebook(str(source), str(tmp_path / "fresh.ipynb"), **run)
    fresh = _outputs(tmp_path / "fresh.ipynb")
    assert "leaked False" in fresh and "parley.figures" in fresh
    with WarmKernel() as warm:
        for page in range(3):
            warm.prepare(folder, notebook=source)
            papermill.execute_notebook(str(source), str(tmp_path / f"warm{page}.ipynb"), km=warm.manager, **run)
            assert _outputs(tmp_path / f"warm{page}.ipynb") == fresh, f"page {page}"
        assert warm.starts == 1 and warm.pages == 3


def test_which_notebooks_start_by_importing_what_the_snapshot_imports(tmp_path):
    from parley import paths
    from parley.report.warm import imports_preload_first

    shipped = {path.stem: imports_preload_first(path) for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))}
    assert shipped == {"actor_profile": True, "briefing": True, "dataset_qa": True, "issue_brief": True, "review": False}
    cases = {
        'x = 1\nimport parley.briefing as pb': True,
        'x: str = "a"  # doc\ny = [1, {"a": None}]\nimport parley.briefing': True,
        'import plotly.io as pio\nimport parley.briefing as pb': False,
        'x = len("a")\nimport parley.briefing as pb': False,
        'x: list = []\nimport parley.briefing as pb': False,
        '%time x = 1\nimport parley.briefing as pb': False,
        'import parley.briefing as briefing': False,
        'x = 1': False,
    }
    for number, (code, expected) in enumerate(cases.items()):
        path = tmp_path / f"case{number}.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(line) for line in code.split("\n")]), path)
        assert imports_preload_first(path) is expected, code
    assert imports_preload_first(tmp_path / "missing.ipynb") is False


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
