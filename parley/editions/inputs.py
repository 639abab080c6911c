"""What decides whether a page of a batch renders again: its inputs, and why they differ.

A page's inputs are the notebook, its resolved parameters, the data it can show (the slice of
:mod:`parley.editions.slices`, or the whole dataset version), the baseline edition it compares
with (its content, not only its path), the package code a render runs and the PDF paper. The run
record keeps each part (``inputs``) and their hash (``inputs_key``), so the next run tells which
part changed: the summary says why a page rendered again, or why it is unchanged.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from parley import paths
from parley.editions.slices import WHOLE, Scope

#: Parts of the package a render never runs: editing them does not re-render anything.
_NOT_RENDER_CODE = {"ingest", "review", "commands", "cli.py", "__main__.py"}

#: Why a page renders again, by the part of its inputs that differs from its published run's.
_WHY = {"notebook": "the notebook changed", "parameters": "its parameters changed", "code": "the code changed",
        "baseline": "the edition it compares with changed", "pdf": "its PDF edition changed", "scope": "what it shows was redefined"}


def inputs_of(briefing, parameters: dict, scope: Scope) -> dict:
    """The parts of a page's inputs, each a short hash or value (kept in its run record)."""
    return {
        "notebook": _digest(str(briefing.notebook).encode() + b"\0" + briefing.notebook.read_bytes()),  # the page names its path
        "dossier": briefing.dossier,
        "as_of": briefing.as_of,
        "parameters": _digest(json.dumps(parameters, sort_keys=True, default=str).encode()),
        "data": scope.key,
        "scope": scope.covers,
        "baseline": _baseline_hash(parameters.get("baseline")),
        "code": code_hash(),
        "pdf": briefing.pdf,
    }


def inputs_key(inputs: dict) -> str:
    """The hash of every part: equal keys mean the page would render the same."""
    return _digest(json.dumps(inputs, sort_keys=True, default=str).encode(), 16)


def why_render(inputs: dict, record: dict | None) -> str:
    """Why a page renders again: the parts of its inputs that differ from its published run's
    (``record``; ``None`` when it was never published), ``""`` when none does."""
    if not record:
        return "not published before"
    before = record.get("inputs")
    if not isinstance(before, dict):
        return "its run record keeps no inputs (a run of an older Parley)"
    reasons = []
    for part, value in inputs.items():
        if before.get(part) == value:
            continue
        if part == "data":
            reasons.append("the dataset changed" if inputs.get("scope") == WHOLE else "its records changed")
        else:
            reasons.append(_WHY.get(part, f"its {part} changed"))
    return "; ".join(dict.fromkeys(reasons))


def why_unchanged(inputs: dict) -> str:
    """Why a page is republished as it is."""
    return "the dataset did not change" if inputs.get("scope") == WHOLE else "its records did not change"


def _baseline_hash(baseline) -> str:
    """The content of the baseline edition and of the run record beside it (the page names the
    edition by its record's date, run and version), or the parameter as given."""
    text = str(baseline or "")
    if not text or text.lower() == "none":
        return text
    file = Path(text)
    digest = hashlib.sha256(text.encode())
    record = file.with_name(paths.RUN_FILE)
    if file.name.endswith("." + paths.EDITION_FILE):
        record = file.with_name(file.name[: -len(paths.EDITION_FILE)] + paths.RUN_FILE)
    for part in (file, record):
        digest.update(b"\0" + (part.read_bytes() if part.is_file() else b"<missing>"))
    return digest.hexdigest()[:12]


def _digest(data: bytes, n: int = 12) -> str:
    return hashlib.sha256(data).hexdigest()[:n]


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the package code a render runs and of the page templates.

    A change there re-renders every briefing on the next run; ``ingest/``, ``review/``,
    ``commands/`` and the CLI are left out. Taken once per process, like the code the process
    itself runs.
    """
    digest = hashlib.sha256()
    package = paths.PROJECT_ROOT / "parley"
    for root in (package, paths.TEMPLATES_DIR):
        for file in sorted(root.rglob("*")):
            if root == package and file.relative_to(package).parts[0] in _NOT_RENDER_CODE:
                continue
            if file.is_file() and "__pycache__" not in file.parts and file.suffix not in (".pyc",):
                digest.update(file.relative_to(paths.PROJECT_ROOT).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
