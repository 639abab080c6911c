"""render_briefing and `parley render`: real papermill kernels on the fixture notebooks in tests/notebooks/.

Every test here that executes a notebook starts a kernel (2-4 s each); the module renders the
tiny briefing twice once and shares the result.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from parley import cli
from parley.data.dossier import dataset_version
from parley.errors import ParameterError, RenderError
from parley.report.execute import check_kernel
from parley.report.parameters import Parameter, coerce_parameter, notebook_parameters
from parley.report.render import render_briefing
from parley.data.schema import read_schema

HERE = Path(__file__).resolve().parents[1]
NOTEBOOKS = HERE / "notebooks"
TINY_NB = NOTEBOOKS / "tiny_briefing.ipynb"
FIXTURE_DOSSIER = HERE / "fixtures" / "tiny"
GENERATED = re.compile(r'<time[^>]*id="parley-generated-at"[^>]*>[^<]*</time>')

pytestmark = pytest.mark.slow


def isolate(mp: pytest.MonkeyPatch, root: Path) -> None:
    """Point the data and reports folders, Jupyter's and Chromium's home-writing at ``root``."""
    data = root / "data"
    if not (data / "tiny").exists():
        shutil.copytree(FIXTURE_DOSSIER, data / "tiny")
    mp.setenv("PARLEY_DATA_DIR", str(data))
    mp.setenv("PARLEY_REPORTS_DIR", str(root / "reports"))
    mp.setenv("HOME", str(root / "home"))
    mp.setenv("JUPYTER_CONFIG_DIR", str(root / "jupyter-config"))
    mp.setenv("JUPYTER_DATA_DIR", str(root / "jupyter-data"))
    mp.setenv("IPYTHONDIR", str(root / "ipython"))
    mp.delenv("PLOTLY_RENDERER", raising=False)
    mp.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, root)
        yield root


@pytest.fixture(scope="module")
def twice(sandbox):
    """The tiny briefing rendered twice with the same inputs: (Rendered, html, ipynb) per run."""
    runs = []
    for _ in range(2):
        rendered = render_briefing(TINY_NB, progress=False)
        runs.append((rendered, rendered.html.read_text(encoding="utf-8"), rendered.ipynb.read_text(encoding="utf-8")))
    return runs


def test_render_publishes_page_and_run_record(sandbox, twice):
    rendered, page, _ = twice[0]
    folder = sandbox / "reports" / "tiny" / "2025-03-03"  # as_of from the dossier, not the notebook default
    assert rendered.html == folder / "tiny_briefing.html"
    assert rendered.ipynb == folder / "tiny_briefing.ipynb"
    assert (rendered.dossier, rendered.as_of, rendered.n_charts) == ("tiny", "2025-03-03", 1)
    assert rendered.version == dataset_version(read_schema(sandbox / "data" / "tiny"))
    assert rendered.seconds > 0
    assert sorted(p.name for p in folder.iterdir()) == ["tiny_briefing.html", "tiny_briefing.ipynb"]  # no temp files left
    assert f"<code>{rendered.version}</code>" in page
    assert page.count('class="parley-plot"') == 1


def test_run_record_has_no_timestamps_or_random_ids(twice):
    _, _, record = twice[0]
    nb = nbformat.reads(record, as_version=4)
    assert "start_time" not in nb.metadata.papermill and "end_time" not in nb.metadata.papermill
    assert nb.metadata.papermill.output_path.endswith("tiny_briefing.ipynb")
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and injected[0].id == "injected-parameters"
    assert 'as_of = "2025-03-03"' in injected[0].source
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        assert "start_time" not in cell.metadata.get("papermill", {})
    meta = nb.metadata.parley
    assert "generated_at" not in meta
    assert meta["parameters"] == {"dossier": "tiny", "as_of": "2025-03-03"}
    assert meta["title"] == "Tiny briefing (synthetic)"  # the first H1
    assert meta["min_charts"] == 1  # the notebook's own metadata is kept


def test_same_inputs_give_the_same_bytes(twice):
    (_, page_1, record_1), (_, page_2, record_2) = twice
    assert record_1 == record_2
    assert len(GENERATED.findall(page_1)) == 1
    assert GENERATED.sub("", page_1) == GENERATED.sub("", page_2)


def test_hostile_parameter_stays_inert(twice):
    _, page, _ = twice[0]
    body = re.sub(r"<script>/\*\*\n\* plotly\.js.*?</script>", "", page, flags=re.DOTALL)
    assert "<script>alert(1)</script>" not in body
    assert "</script><script>alert(2)" not in body
    assert "label: &lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_failed_cell_names_the_cell_and_keeps_the_published_page(sandbox):
    out = sandbox / "failing-out"
    out.mkdir()
    published = out / "failing.html"
    published.write_text("previous page", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render_briefing(NOTEBOOKS / "failing.ipynb", out_dir=out, progress=False)
    message = str(caught.value)
    assert "id boom" in message and "ValueError" in message and "synthetic failure for the render tests" in message
    assert str(out / "failing.failed.ipynb") in message
    assert published.read_text(encoding="utf-8") == "previous page"
    assert (out / "failing.failed.ipynb").is_file()
    assert not (out / "failing.ipynb").exists()
    assert not list(out.glob(".*"))  # no temp or running files left


def test_sys_exit_in_a_cell_is_not_a_success(sandbox):
    out = sandbox / "exit-out"
    with pytest.raises(RenderError) as caught:
        render_briefing(NOTEBOOKS / "early_exit.ipynb", out_dir=out, progress=False)
    message = str(caught.value)
    assert "id exit" in message and "SystemExit" in message
    assert not (out / "early_exit.html").exists()
    failed = nbformat.read(out / "early_exit.failed.ipynb", as_version=4)
    assert failed.cells[-1].get("execution_count") is None  # the cell after the exit never ran


def test_chartless_page_where_charts_are_expected_is_refused(sandbox):
    out = sandbox / "chartless-out"
    out.mkdir()
    (out / "tiny_briefing.html").write_text("previous page", encoding="utf-8")
    with pytest.raises(RenderError, match=r"drew 0 chart\(s\) where at least 1"):
        render_briefing(TINY_NB, {"n_bars": 0}, out_dir=out, progress=False)
    assert (out / "tiny_briefing.html").read_text(encoding="utf-8") == "previous page"


def test_cli_renders_with_typed_parameters_and_prints_the_path_last(sandbox, monkeypatch, capsys):
    out = sandbox / "cli-out"
    monkeypatch.setattr(sys, "argv", ["parley", "render", str(TINY_NB), "-p", "n_bars", "2", "--since", "2025-01-01", "-y", "label: plain words", "--out", str(out), "-q"])
    with pytest.raises(SystemExit) as exited:
        cli.run()
    stdout, stderr = capsys.readouterr()
    assert exited.value.code in (0, None), stderr
    assert stdout.strip().splitlines()[-1] == str(out / "tiny_briefing.html")
    nb = nbformat.read(out / "tiny_briefing.ipynb", as_version=4)
    assert nb.metadata.parley["parameters"] == {"dossier": "tiny", "as_of": "2025-03-03", "since": "2025-01-01", "n_bars": 2, "label": "plain words"}
    printed = "".join(o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream")
    assert "label: plain words; since: 2025-01-01" in printed
    figure = next(o.data["application/vnd.plotly.v1+json"] for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o and "application/vnd.plotly.v1+json" in o.data)
    assert figure["data"][0]["x"] == ["Alpha", "Beta"]


def test_cli_bad_parameter_is_a_clean_error(sandbox, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["parley", "render", str(TINY_NB), "-p", "n_bras", "2"])
    with pytest.raises(SystemExit) as exited:
        cli.run()
    _, stderr = capsys.readouterr()
    assert exited.value.code == 2
    assert "unknown parameter n_bras" in stderr and "n_bars (int, default 3)" in stderr
    assert "Traceback" not in stderr


# ---- no kernel below: checks that fail before execution -----------------------------------


def test_unknown_parameter_lists_the_valid_names(sandbox):
    with pytest.raises(ParameterError) as caught:
        render_briefing(TINY_NB, {"colour": "red"}, progress=False)
    message = str(caught.value)
    assert "unknown parameter(s) colour" in message
    for name in ("dossier", "as_of", "since", "n_bars", "label"):
        assert name in message


def test_bad_as_of_is_refused(sandbox):
    with pytest.raises(ParameterError, match="not an ISO date; expected YYYY-MM-DD"):
        render_briefing(TINY_NB, as_of="18/02/2025", progress=False)
    with pytest.raises(ParameterError, match="not an ISO date"):
        render_briefing(TINY_NB, as_of="2025-02-30", progress=False)


def test_contradicting_dossier_values_are_refused(sandbox):
    with pytest.raises(ParameterError, match="dossier given twice"):
        render_briefing(TINY_NB, {"dossier": "other"}, dossier="tiny", progress=False)


def test_unknown_notebook_lists_notebooks_by_name(sandbox):
    with pytest.raises(ParameterError, match="no notebook 'nonexistent'"):
        render_briefing("nonexistent", progress=False)


def test_kernel_of_another_python_is_refused(tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter-path"))  # searched before the venv's own
    spec_dir = tmp_path / "jupyter-path" / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {"argv": ["/opt/other-python/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Other", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(RenderError, match="runs /opt/other-python/bin/python, not this environment's"):
        check_kernel("python3")


def test_this_environments_kernel_is_accepted(tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    check_kernel("python3")  # raises when the venv's kernelspec is missing or foreign


def test_coerce_parameter_follows_the_declared_type():
    declared = {
        "label": Parameter("label", "str", "", ""),
        "n": Parameter("n", "int", 3, ""),
        "share": Parameter("share", "float", 0.5, ""),
        "flag": Parameter("flag", "bool", False, ""),
        "actors": Parameter("actors", "list[str]", [], ""),
    }
    assert coerce_parameter("label", "007", declared) == "007"
    assert coerce_parameter("n", "007", declared) == 7
    assert coerce_parameter("share", "0.25", declared) == 0.25
    assert coerce_parameter("flag", "yes", declared) is True
    assert coerce_parameter("actors", "[US, RU]", declared) == ["US", "RU"]
    with pytest.raises(ParameterError, match="'seven' is not a valid int"):
        coerce_parameter("n", "seven", declared)
    with pytest.raises(ParameterError, match="unknown parameter x; the notebook's parameters are: label"):
        coerce_parameter("x", "1", declared)


def test_parameters_papermill_cannot_parse_are_recovered(tmp_path):
    source = 'dossier: str = "tiny"  # dossier\nsince: str = ""  # empty = from the start\nn: int = 3  # a = b = c'
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    notebook = tmp_path / "odd.ipynb"
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, notebook)
    declared = notebook_parameters(notebook)
    assert list(declared) == ["dossier", "since", "n"]
    assert declared["since"] == Parameter("since", "str", "", "empty = from the start")
    assert declared["n"].type_name == "int" and declared["n"].default == 3


@pytest.mark.slow
def test_relative_dossier_path_is_resolved_before_the_kernel_starts(tmp_path, tiny_copy, monkeypatch):
    """The kernel runs in the notebook's folder: a dossier path relative to the caller must reach it absolute."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(tmp_path / "reports"))
    rendered = render_briefing("briefing", dossier=f"./{tiny_copy.name}", progress=False)
    nb = nbformat.read(str(rendered.ipynb), as_version=4)
    assert nb.metadata["parley"]["parameters"]["dossier"] == str(tiny_copy.resolve())
    assert rendered.dossier == "tiny" and rendered.n_charts > 0


@pytest.mark.slow
def test_each_subject_gets_its_own_page(tmp_path, monkeypatch):
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.delenv("PARLEY_DATA_DIR", raising=False)  # the seed dossier, whatever a module fixture set
    default = render_briefing("actor_profile", progress=False)
    other = render_briefing("actor_profile", {"actor": "lavrov"}, progress=False)
    assert default.html.name == "actor_profile-russia.html" and other.html.name == "actor_profile-lavrov.html"
    assert default.html.exists() and other.html.exists()
    assert "<title>Actor profile: Sergei Lavrov</title>" in other.html.read_text(encoding="utf-8")  # the display name, not the id
