"""The catalogue of runs: ``reports/catalogue.jsonl`` (one line per published or failed run) and
the page that lists them, ``reports/index.html``: first the editions of each dossier (newest
first, each with its what-changed headline and pages; older ones folded), then every run.

The catalogue is read by :func:`parley.report.baseline.read_catalogue` (a page opened in
JupyterLab finds its baseline edition there too); lines are appended under the catalogue lock (:func:`parley.editions.locks.catalogue_lock`) and
fsynced; a line torn by SIGKILL is skipped on reading, and the run it described is reconciled
from its kept history record (:func:`reconcile`).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from parley import paths
from parley.editions.locks import catalogue_lock
from parley.fileio import read_json, write_atomic
from parley.report.baseline import Status, find_baseline, read_catalogue

__all__ = ["append_catalogue", "group_editions", "previous_run", "read_catalogue", "reconcile", "render_catalogue", "write_catalogue"]


def append_catalogue(layout: paths.ReportsLayout, entry: dict) -> None:
    """Append one run's line (the caller holds the catalogue lock)."""
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    descriptor = os.open(layout.catalogue, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def previous_run(catalogue: list[dict], dossier_id: str, name: str, as_of: str, reports: Path | None = None) -> dict | None:
    """The run ``since: previous`` compares with: the latest published run of the briefing
    ``(dossier_id, name)`` of an earlier edition date whose edition is kept (the rule of
    :func:`parley.report.baseline.find_baseline`, the one a notebook uses itself). A same-day
    re-run keeps the baseline of the first run of that day, so it never loses what changed."""
    return find_baseline(catalogue, dossier_id=dossier_id, as_of=as_of, reports=reports, name=name)


def write_catalogue(reports: Path | None = None) -> Path:
    """Write ``reports/index.html``: every published and failed run, newest first (atomic).

    The page is self-contained (house stylesheet inlined, no script) and links each page, its
    run-record notebook, failed notebooks and logs by relative paths.
    """
    layout = paths.reports_layout(reports)
    with catalogue_lock(layout):
        page = render_catalogue(read_catalogue(layout.root), layout.root)
        write_atomic(layout.index, page)
    return layout.index


def render_catalogue(entries: list[dict], reports: Path) -> str:
    """The catalogue page as HTML text (see :func:`write_catalogue`)."""
    import jinja2

    from parley import __version__

    layout = paths.reports_layout(reports)
    rows = sorted((_row(entry, layout) for entry in entries),
                  key=lambda r: (str(r.get("finished", "")), int(r.get("seq") or 0)), reverse=True)
    latest: dict[tuple, dict] = {}
    for row in rows:
        latest.setdefault((row.get("dossier_id"), row.get("as_of"), row.get("name")), row)
    counts = {
        "briefings": len(latest),
        "current": sum(1 for r in latest.values() if r["state"] == "current"),
        "failing": sum(1 for r in latest.values() if r["state"] == Status.FAILED),
        "runs": len(rows),
    }
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR)), autoescape=True,
                                     keep_trailing_newline=True)
    from parley.words import plural

    environment.filters["plural"] = plural
    css_path = paths.TEMPLATES_DIR / "parley" / "static" / "parley.css"
    css = css_path.read_text(encoding="utf-8") if css_path.is_file() else ""
    return environment.get_template("catalogue.html.j2").render(rows=rows, counts=counts, css=css, parley_version=__version__,
                                                                 failing=[r for r in latest.values() if r["state"] == Status.FAILED],
                                                                 editions=group_editions(rows))


def _row(entry: dict, layout: paths.ReportsLayout) -> dict:
    """One catalogue entry as the page shows it: its state and the links that still resolve."""
    reports = layout.root
    row = dict(entry)
    if entry.get("status") == Status.PUBLISHED:
        current = read_json(reports / entry.get("run_json", "-")) or {}
        is_current = current.get("seq") == entry.get("seq") and (reports / entry.get("html", "-")).is_file()
        row["state"] = "current" if is_current else "replaced"
        row["html_link"] = entry.get("html") if is_current else None
        row["pdf_link"] = entry.get("pdf") if is_current and entry.get("pdf") and (reports / entry["pdf"]).is_file() else None
        row["ipynb_link"] = f"{entry['record_dir']}/{entry['name']}.ipynb" if entry.get("record_dir") else None
    else:
        row["state"] = entry.get("status", Status.FAILED)
        row["html_link"] = None
        row["ipynb_link"] = entry.get("failed_ipynb") if entry.get("failed_ipynb") and (reports / entry["failed_ipynb"]).is_file() else None
    row["log_link"] = entry.get("log") if entry.get("log") and (reports / entry["log"]).is_file() else None
    row["parameter_items"] = [(k, _baseline_text(entry, v, layout) if k == "baseline" else v)
                              for k, v in (entry.get("parameters") or {}).items() if k not in ("dossier", "as_of") and v != ""]
    return row


def _baseline_text(entry: dict, value: str, layout: paths.ReportsLayout) -> str:
    """How the page shows a run's baseline: ``edition of 2025-02-18 (run 2)``, not a long path."""
    if value in ("", "none"):
        return value
    if entry.get("previous_seq") is not None and entry.get("since"):
        return f"edition of {entry['since']} (run {entry['previous_seq']})"
    return layout.relative(Path(value))


def reconcile(layout: paths.ReportsLayout) -> None:
    """Catalogue the history records a killed run renamed into place but never catalogued.

    A record whose page was published (the published ``run.json`` carries its ``seq``) is
    appended to the catalogue; one whose publishing never got that far is removed.
    """
    def orphans() -> list[Path]:
        known = {entry.get("seq") for entry in read_catalogue(layout.root) if entry.get("seq") is not None}
        return [run for run in layout.history_records() if run.parent.name.isdigit() and int(run.parent.name) not in known]

    if not orphans():
        return
    with catalogue_lock(layout):
        for run in orphans():  # again under the lock: a run publishing meanwhile is not an orphan
            record = read_json(run)
            published = read_json(layout.root / record.get("run_json", "-")) if record else None
            if record and published and published.get("seq") == record.get("seq"):
                append_catalogue(layout, record)
            else:
                shutil.rmtree(run.parent, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# the catalogue page grouped as editions: dossier, then edition date (newest first), then pages


@dataclass
class ShelfPage:
    """One page of an edition: its latest attempt and the good run still served, if any."""

    name: str
    notebook: str
    latest: dict
    served: dict | None = None
    earlier: list[dict] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        return self.latest.get("state") == Status.FAILED


@dataclass
class ShelfEdition:
    """The pages published for one dossier and one as-of date (an edition as the catalogue page shows it)."""

    dossier_id: str
    as_of: str
    pages: list[ShelfPage]

    @property
    def headline(self) -> str:
        """The main briefing's what-changed headline, else the first page's that has one."""
        ranked = sorted(self.pages, key=lambda p: (p.notebook != "briefing", p.name))
        for page in ranked:
            run = page.served or {}
            if run.get("changes"):
                return str(run["changes"])
        return ""

    @property
    def n_failing(self) -> int:
        return sum(1 for p in self.pages if p.failing)


def group_editions(rows: list[dict]) -> dict[str, list[ShelfEdition]]:
    """Rows (newest first, as :func:`render_catalogue` prepares them) grouped by dossier, then
    edition date, newest edition first: each page with the run it serves (its what-changed
    headline and links), how many earlier runs it replaced, and, when its latest attempt
    failed, why and which good page is still served."""
    by_page: dict[tuple, list[dict]] = {}
    for row in rows:
        by_page.setdefault((row.get("dossier_id"), row.get("as_of"), row.get("name")), []).append(row)
    editions: dict[tuple, list[ShelfPage]] = {}
    for (dossier_id, as_of, name), runs in by_page.items():
        served = next((r for r in runs if r.get("state") == "current"), None)
        earlier = [r for r in runs if r is not runs[0] and r is not served and r.get("state") != Status.FAILED]
        page = ShelfPage(str(name), str(runs[0].get("notebook") or ""), runs[0], served, earlier)
        editions.setdefault((dossier_id, as_of), []).append(page)
    out: dict[str, list[ShelfEdition]] = {}
    for (dossier_id, as_of) in sorted(editions, key=lambda key: (str(key[0]), str(key[1])), reverse=True):
        pages = sorted(editions[(dossier_id, as_of)], key=lambda p: (p.notebook != "briefing", p.name))
        out.setdefault(str(dossier_id), []).append(ShelfEdition(str(dossier_id), str(as_of), pages))
    return dict(sorted(out.items()))
