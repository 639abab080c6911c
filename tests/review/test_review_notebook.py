"""notebooks/review.ipynb: thin, parameterised, committed with stable outputs nbval can check.

A live widget's output holds a random model id beside its plain-text summary: the stored notebook
keeps only the summary (which nbval compares), not the widget view nor the saved widget state, so a
refresh writes the same bytes every time. A mutation proves the check can fail: one proposal added
to a copy of the dossier fails the cell.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from parley import paths

NOTEBOOK = paths.notebook_path("review")
WIDGET = "application/vnd.jupyter.widget-view+json"


def code_cells():
    return [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]


def test_thin_and_parameterised():
    params, *rest = code_cells()
    assert "parameters" in params.metadata.get("tags", [])
    tree = ast.parse(params.source)
    assert all(isinstance(node, ast.AnnAssign) for node in tree.body), "every parameter is type-annotated"
    assert all("  # " in line for line in params.source.splitlines() if line.strip()), "every parameter has a comment"
    assert {node.target.id for node in tree.body} == {"dossier", "source", "coder", "high_confidence"}
    for cell in rest:
        body = ast.parse(cell.source).body
        assert len(body) == 1 and not isinstance(body[0], (ast.FunctionDef, ast.ClassDef)), cell.source


def test_committed_with_stable_outputs():
    raw = NOTEBOOK.read_text(encoding="utf-8")
    nb = nbformat.reads(raw, as_version=4)
    assert "widgets" not in nb.metadata, "saved widget state holds random model ids: stripped by parley.report.notebooks.normalise"
    widget_cell = next(c for c in code_cells() if c.source == "review")
    (output,) = widget_cell.outputs
    assert WIDGET not in output.data, "the widget view's random model id is stripped by parley.report.notebooks.normalise"
    assert "model_id" not in raw
    assert output.data["text/plain"] == ("Review of ara_2025_02_18 (ARA, 2025-02-18): 0 proposal(s), 0 left, 0 accepted, 0 rejected; "
                                         "0 at confidence >= 0.80")
    check = next(c for c in code_cells() if "check_dossier" in c.source)
    assert check.outputs[0].data["text/plain"] == "riyadh_2025: valid (schema, keys, provenance and meaning checked)"
    assert len(raw) < 20_000


def test_normalise_keeps_a_widgets_summary_and_drops_its_random_view():
    from parley.report.notebooks import normalise
    from parley.review.widgets import open_review

    widget = open_review(paths.DEFAULT_DOSSIER)
    bundle = widget._repr_mimebundle_()
    view_only = nbformat.v4.new_output("display_data", data={WIDGET: bundle[WIDGET]})
    cell = nbformat.v4.new_code_cell("review", outputs=[nbformat.v4.new_output("execute_result", data=bundle, execution_count=1), view_only])
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}})
    normalise(nb)
    assert "widgets" not in nb.metadata
    (kept,) = nb.cells[0].outputs
    assert dict(kept.data) == {"text/plain": widget.session.summary()}
    assert widget.model_id not in nbformat.writes(nb)


@pytest.mark.slow
def test_nbval_fails_when_the_queue_changes(tmp_path):
    """Mutation: a copy of the seed dossier with one proposal queued fails the widget cell's summary."""
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir() / paths.DEFAULT_DOSSIER, data / paths.DEFAULT_DOSSIER)
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    shutil.copy(NOTEBOOK, tmp_path / "review.ipynb")
    env = {**os.environ, "PARLEY_DATA_DIR": str(data)}
    command = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q", "review.ipynb",
               "-o", "addopts=", "--rootdir", str(tmp_path)]

    unchanged = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert unchanged.returncode == 0, unchanged.stdout[-3000:]

    from parley.review.intake import add_candidate

    text = (tmp_path / "seeds" / "000_85affc11210ea103.txt").read_text(encoding="utf-8")
    start = text.index("Lavrov")
    add_candidate(data / paths.DEFAULT_DOSSIER, "ara_2025_02_18", start, start + len("Lavrov"))
    changed = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert changed.returncode != 0
    assert "1 proposal(s), 1 left" in changed.stdout, changed.stdout[-3000:]
