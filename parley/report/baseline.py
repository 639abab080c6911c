"""Which published edition a page compares with: the catalogue of runs read, the baseline found.

A page's *baseline* is the edition before it: the last published run of the same page whose
as-of date is earlier than the page's own. A same-day re-run (after a data edit, or forced)
keeps that baseline, so it lists everything coded since the previous edition, and a re-run
never loses what changed. The rule is one, here, whether the page is made by ``parley run``
(:func:`parley.editions.catalogue.previous_run`) or opened in JupyterLab with an empty
``baseline`` (:func:`parley.report.view.open_briefing`).

The catalogue (``reports/catalogue.jsonl``, one JSON line per published or failed run) is read
here only; :mod:`parley.editions.catalogue` appends to it and draws its page.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from parley import paths


class Status(StrEnum):
    """What happened to one briefing of a batch: the ``status`` of its catalogue line, written by
    :mod:`parley.editions.records` and read here and by :mod:`parley.editions.catalogue`."""

    PUBLISHED = "published"
    UNCHANGED = "unchanged"  # the published run had the same inputs
    FAILED = "failed"
    CANCELLED = "cancelled"


def read_catalogue(reports: Path | None = None) -> list[dict]:
    """Every run in ``reports/catalogue.jsonl``, oldest first (a torn last line is skipped)."""
    path = paths.reports_layout(reports).catalogue
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a write cut short by SIGKILL; the run it described is reconciled from runs/
    return entries


def is_candidate(entry: dict, as_of: str) -> bool:
    """A published run that may be the baseline of a view at ``as_of``: an earlier edition."""
    return entry.get("status") == Status.PUBLISHED and str(entry.get("as_of", "")) < as_of


def edition_file(entry: dict | None, reports: Path | None = None) -> Path | None:
    """The edition file a catalogue entry kept (its ``positions.csv`` for a run recorded before editions)."""
    record_dir = (entry or {}).get("record_dir")
    if not record_dir:
        return None
    root = paths.reports_layout(reports).root
    for name in (paths.EDITION_FILE, paths.POSITIONS_FILE):
        candidate = root / record_dir / name
        if candidate.is_file():
            return candidate
    return None


def find_baseline(entries: list[dict], *, dossier_id: str, as_of: str, reports: Path | None = None, name: str | None = None,
                  notebook: str | None = None, subject: dict | None = None) -> dict | None:
    """The catalogue entry a view at ``as_of`` compares with: the latest published run of the
    same page (by ``name``, or by ``notebook`` and its ``subject`` parameters) of an earlier
    edition date whose edition file is still there; ``None`` for a first edition."""
    def same_page(entry: dict) -> bool:
        if entry.get("dossier_id") != dossier_id:
            return False
        if name is not None:
            return entry.get("name") == name
        parameters = entry.get("parameters") or {}
        return entry.get("notebook") == notebook and all(str(parameters.get(k) or "") == str(v or "") for k, v in (subject or {}).items())

    found = [entry for entry in entries if same_page(entry) and is_candidate(entry, as_of) and edition_file(entry, reports)]
    return max(found, key=lambda entry: (str(entry.get("as_of")), int(entry.get("seq") or 0))) if found else None


def baseline_label(entry: dict) -> str:
    """How a page names the edition it compares with."""
    return f"the edition of {entry.get('as_of')} (run {entry.get('seq')}, data version {entry.get('version')})"
