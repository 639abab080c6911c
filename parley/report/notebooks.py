"""The shipped notebooks: their registry, and ``refresh`` to store fresh outputs on purpose.

``parley notebooks refresh [NAME ...]`` (``make refresh-notebooks``) executes each
notebook with its default parameters and writes it back with its outputs, normalised so the only
changes in the diff are real changes of output. nbval then checks every run against them.
"""

from __future__ import annotations

from pathlib import Path

from parley import paths
from parley.report.whole import INJECTED_CELL_ID

#: Notebook name → what it is for (the notebooks shipped in notebooks/).
NOTEBOOKS: dict[str, str] = {
    "briefing": "Situation briefing: table, stances, red lines, alignment, timeline, quotes, changes, sources.",
    "actor_profile": "One actor: positions against everyone else, red lines, allies and opponents, events, quotes.",
    "issue_brief": "One issue: scale, bargaining space, positions, red lines, judgments, quotes.",
    "dataset_qa": "The dossier itself: counts, coverage, provenance verification, review status, gaps.",
}

#: Notebooks an analyst works in rather than briefings (not rendered to HTML; refreshed and checked by nbval all the same).
WORKBENCHES: dict[str, str] = {
    "review": "Code an article: its proposals highlighted in the text, one card each, decided by keyboard.",
}

#: Cell metadata that records when, how long or how the editor showed it, not what: always dropped.
VOLATILE_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")
#: Papermill's timings, in the notebook's and each cell's ``papermill`` metadata.
TIMING_KEYS = ("start_time", "end_time", "duration")
#: An output's view of a live widget: a random model id whose state lives only in the kernel that ran it.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def normalise(nb, *, run_record: bool = False) -> None:
    """Make a notebook a function of its inputs, in place: no timestamps, durations or random ids.

    One rule for both kinds of stored notebook: volatile cell metadata, papermill's timings,
    saved widget state and the widget views that point into it (random model ids) always go,
    and the injected parameters cell gets a fixed id. A widget's output keeps its other
    representations (its ``text/plain`` summary, which nbval compares, and which JupyterLab
    shows until the cell runs again). A notebook stored in ``notebooks/`` for nbval
    (``run_record=False``) also drops papermill's bookkeeping entirely; a run record keeps it
    (the parameters and status of the run), minus the timings.
    """
    nb.metadata.pop("widgets", None)
    _strip_papermill(nb.metadata, run_record)
    for cell in nb.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
        _strip_papermill(cell.metadata, run_record)
        if INJECTED_CELL_ID in cell.metadata.get("tags", []):
            cell.id = INJECTED_CELL_ID
        if "outputs" in cell:
            cell.outputs = [output for output in cell.outputs if _without_widget_view(output)]


def _without_widget_view(output) -> bool:
    """Drop the widget view from one output, in place; False when nothing else was left in it."""
    data = output.get("data")
    if data is None or WIDGET_VIEW not in data:
        return True
    data.pop(WIDGET_VIEW)
    return bool(data)


def _strip_papermill(metadata, run_record: bool) -> None:
    """Papermill's timings go from a notebook's or a cell's metadata; outside a run record, all of it."""
    papermill_meta = metadata.get("papermill")
    if papermill_meta is None:
        return
    for key in TIMING_KEYS:
        papermill_meta.pop(key, None)
    if not run_record:
        metadata.pop("papermill", None)


def refresh(names: list[str] | None = None, kernel_name: str = "python3") -> list[Path]:
    """Execute notebooks with their defaults and store their outputs in place.

    Raises
    ------
    papermill.PapermillExecutionError
        When a notebook fails; the stored notebook is left as it was.
    """
    import os
    import tempfile

    import nbformat
    import papermill

    # Stored outputs show a page with no edition published before it: an empty reports folder,
    # whatever this checkout has published (the notebooks look there for their baseline edition).
    os.environ["PARLEY_REPORTS_DIR"] = tempfile.mkdtemp(prefix="parley-refresh-reports-")
    done = []
    for name in names or [*NOTEBOOKS, *WORKBENCHES]:
        path = paths.notebook_path(name)
        executed = papermill.execute_notebook(str(path), None, kernel_name=kernel_name, cwd=str(path.parent), progress_bar=True)
        normalise(executed)
        tmp = path.with_suffix(".ipynb.tmp")
        nbformat.write(executed, str(tmp))
        tmp.replace(path)
        done.append(path)
        print(f"refreshed {path.relative_to(paths.PROJECT_ROOT)}")
    return done
