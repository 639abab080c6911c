"""What the analyst has coded so far in a dossier, as examples the suggester learns from.

Read from the dossier's CSVs by :func:`coded_examples` (filled into ``Lexicon.coded`` by
:func:`parley.ingest.lexicon.load_lexicon`) and used by :mod:`parley.ingest.suggest` and its
evaluation; :func:`context_of` gives the paragraph around a span, the same way for a coded
statement and for a proposal.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from parley.data.schema import read_schema
from parley.ingest.text import paragraphs


@dataclass(frozen=True)
class Coded:
    """One coded position: the interface between the dossier's tables and the suggester.

    ``key`` identifies the statement (or utterance) it came from, so an evaluation can leave it
    out; ``context`` is the sentence around the text in its source.
    """

    key: str
    text: str
    context: str
    issue_id: str
    stance: int
    actor_id: str = ""
    cue: str = ""
    source_id: str = ""
    char_start: int = -1
    char_end: int = -1

    def overlaps(self, source_id: str, start: int, end: int) -> bool:
        """Whether this example covers characters of that span (to leave it out of an evaluation)."""
        return self.source_id == source_id and self.char_start < end and start < self.char_end



def coded_examples(folder: Path) -> list[Coded]:
    """Every accepted statement with a position in a dossier folder, once per report of it, with
    the paragraph around each report in its source.

    Reads the CSVs as they are (no validation: suggestions must never stop an ingest); a row that
    cannot be read is skipped. Works on the utterance model (``statements.csv`` the utterances,
    ``reports.csv`` their spans) and on a dossier whose statements still carry their own span.
    """
    statements = {r.get("statement_id", ""): r for r in _rows(folder / "statements.csv") if r.get("review_status", "accepted") == "accepted"}
    reports: dict[str, list[dict[str, str]]] = {}
    for report in _rows(folder / "reports.csv"):
        reports.setdefault(report.get("statement_id", ""), []).append(report)
    sources = {r.get("source_id", ""): r for r in _rows(folder / "sources.csv")}
    texts: dict[str, str] = {}
    out = []
    for position in _rows(folder / "positions.csv"):
        statement = statements.get(position.get("statement_id", ""))
        try:
            stance = int(position.get("stance", ""))
        except ValueError:
            continue
        if statement is None or not position.get("issue_id"):
            continue
        for span in reports.get(statement["statement_id"], [statement]):
            source_id = span.get("source_id", "")
            if source_id not in texts:
                texts[source_id] = _source_text(folder, sources.get(source_id, {}))
            start, end = _offsets(span)
            out.append(Coded(statement["statement_id"], span.get("text", ""), context_of(texts[source_id], start, end), position["issue_id"], stance,
                             position.get("actor_id", ""), span.get("attribution_cue", ""), source_id, start, end))
    return [c for c in out if c.text]


def _offsets(statement: dict[str, str]) -> tuple[int, int]:
    try:
        return int(statement.get("char_start", "")), int(statement.get("char_end", ""))
    except ValueError:
        return -1, -1


def context_of(text: str, start: int, end: int) -> str:
    """The paragraph holding ``text[start:end]`` (to its end, or further when the span runs on)."""
    if start < 0:
        return ""
    for block in paragraphs(text):
        if block.start <= start < block.end:
            return text[block.start : max(block.end, end)]
    return ""


def _source_text(folder: Path, source: dict[str, str]) -> str:
    try:
        path = read_schema(folder).seeds_dir / source.get("seed_file", "")
        return path.read_bytes().decode("utf-8") if path.is_file() else ""
    except Exception:  # noqa: BLE001 - a missing or odd seed only costs context
        return ""


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    try:
        return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return []
