"""The shipped notebooks: thin, parameterised, committed with outputs, runnable by papermill
anywhere, and guarded by an nbval check that really fails when the data changes."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pandas as pd
import pytest

from parley import paths
from parley.report.notebooks import NOTEBOOKS
from parley.report.whole import ALLOW_EMPTY_TAG

ROOT = paths.PROJECT_ROOT
PLOTLY = "application/vnd.plotly.v1+json"
BIN = Path(sys.executable).parent


def _read(name: str):
    return nbformat.read(str(paths.notebook_path(name)), as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_notebook_is_thin_and_parameterised(name):
    nb = _read(name)
    code = _code_cells(nb)
    params = code[0]
    assert "parameters" in params.metadata.get("tags", []), "first code cell must be tagged 'parameters'"
    tree = ast.parse(params.source)
    lines = [line for line in params.source.splitlines() if line.strip()]
    assert all(isinstance(node, ast.AnnAssign) for node in tree.body), "every parameter is type-annotated"
    assert all("  # " in line for line in lines), "every parameter has a comment"
    names = {node.target.id for node in tree.body}
    assert {"dossier", "as_of", "since"} <= names
    for cell in code[1:]:
        body = ast.parse(cell.source).body
        assert len(body) == 1, f"one library call per cell, got {cell.source!r}"
        assert not isinstance(body[0], (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
    headings = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert len(headings) >= 4


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_notebook_is_committed_with_outputs_and_no_plotlyjs(name):
    nb = _read(name)
    code = _code_cells(nb)
    # A cell tagged parley-allow-empty may show nothing (the analyst's note: the seed has none).
    assert all(c.outputs for c in code[4:] if ALLOW_EMPTY_TAG not in c.metadata.get("tags", [])), \
        "every section cell stores its output (nbval compares them)"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    outputs = [o for c in code for o in c.outputs]
    assert any(PLOTLY in o.get("data", {}) for o in outputs), "charts are stored as their Plotly JSON mimetype"
    raw = paths.notebook_path(name).read_text(encoding="utf-8")
    assert "plotly.min.js" not in raw and "Plotly.newPlot" not in raw, "no plotly.js embedded in the notebook"
    assert len(raw) < 1_000_000
    assert all("papermill" not in c.metadata and "execution" not in c.metadata for c in nb.cells), "run timestamps stripped"


def test_papermill_describes_every_parameter():
    result = subprocess.run([str(BIN / "papermill"), "--help-notebook", str(paths.notebook_path("actor_profile"))],
                            capture_output=True, text=True, timeout=120, check=True)
    for name, hint in [("dossier", "dossier name"), ("as_of", "ISO date"), ("since", "compare"), ("actor", "actor id"), ("top_n", "how many")]:
        assert name in result.stdout
        assert hint in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, args, expected",
    [
        ("briefing", ["-p", "as_of", "2025-02-18", "-p", "since", "2025-02-17", "-p", "top_n", "5"], "Since the dossier as known on 2025-02-17"),
        ("actor_profile", ["-p", "actor", "lavrov"], "Sergei Lavrov"),
        ("issue_brief", ["-y", "issue: sanctions_relief\nsince: '2025-02-01'"], "Sanctions relief for Russia"),
        ("dataset_qa", ["-p", "since", "2025-02-17"], "Statements new or revised since the dossier as known on 2025-02-17"),
    ],
)
def test_papermill_cli_runs_with_other_parameters_from_another_folder(tmp_path, name, args, expected):
    out = tmp_path / f"{name}.ipynb"
    subprocess.run([str(BIN / "papermill"), str(paths.notebook_path(name)), str(out), "-k", "python3", "--cwd", str(tmp_path), *args],
                   capture_output=True, text=True, timeout=300, check=True, cwd=tmp_path)
    nb = nbformat.read(str(out), as_version=4)
    text = json.dumps([o for c in _code_cells(nb) for o in c.outputs])
    assert expected in text
    assert not any(o.output_type == "error" for c in _code_cells(nb) for o in c.outputs)


@pytest.mark.slow
def test_unknown_actor_stops_at_once_listing_valid_ids(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        papermill.execute_notebook(str(paths.notebook_path("actor_profile")), str(tmp_path / "out.ipynb"),
                                   parameters={"actor": "nobody"}, kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    message = str(caught.value)
    assert "actor='nobody' is not a actor of this dossier" in message or "actor='nobody'" in message
    assert "lavrov" in message and "zelensky" in message
    nb = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    errors = [c for c in _code_cells(nb) if any(o.output_type == "error" for o in c.outputs)]
    assert len(errors) == 1 and "open_briefing" in errors[0].source, "stops at the first cell that checks parameters"
    assert "Traceback" not in "".join(errors[0].outputs[0].traceback), "a clean message, not a traceback"


def _nbval(notebook_dir: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(notebook_dir), "-c", os.devnull,
         "--nbval", "--nbval-current-env", f"--nbval-sanitize-with={ROOT / 'tests' / 'nbval_sanitize.cfg'}", "-q", "-rf", str(notebook_dir)],
        capture_output=True, text=True, timeout=600, env=env, cwd=notebook_dir,
    )


@pytest.mark.slow
def test_nbval_fails_on_a_changed_stance_in_chart_and_table_cells(tmp_path):
    """Mutation test: one stance changed in a copy of the dossier fails the heatmap cell and the table cell."""
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir() / paths.DEFAULT_DOSSIER, data / paths.DEFAULT_DOSSIER)
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")  # the dossier finds its seeds at ../../seeds
    shutil.copy(paths.notebook_path("briefing"), tmp_path / "briefing.ipynb")
    env = {**os.environ, "PARLEY_DATA_DIR": str(data)}

    unchanged = _nbval(tmp_path, env)
    assert unchanged.returncode == 0, unchanged.stdout[-3000:]

    positions_csv = data / paths.DEFAULT_DOSSIER / "positions.csv"
    positions = pd.read_csv(positions_csv, dtype=str, keep_default_na=False)
    target = (positions["actor_id"] == "russia") & (positions["issue_id"] == "sanctions_relief")
    assert target.any() and (positions.loc[target, "stance"].astype(int) > 0).all(), "the mutation expects Russia for sanctions relief"
    positions.loc[target, "stance"] = "-1"
    positions.to_csv(positions_csv, index=False, lineterminator="\n")

    changed = _nbval(tmp_path, env)
    assert changed.returncode != 0
    failed = {" ".join(line.split("::")[1].split()[:2]) for line in changed.stdout.splitlines() if line.startswith("FAILED") and "::" in line}
    nb = nbformat.read(str(tmp_path / "briefing.ipynb"), as_version=4)
    index_of = {c.source: i for i, c in enumerate(_code_cells(nb))}  # nbval numbers code cells
    assert f"Cell {index_of['pb.stance_heatmap(briefing)']}" in failed, changed.stdout[-3000:]
    assert f"Cell {index_of['pb.stance_table(briefing)']}" in failed, changed.stdout[-3000:]
