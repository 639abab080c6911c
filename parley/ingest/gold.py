"""The gold annotation of an article, and which proposal found each of its rows.

The gold format is the one of ``tests/fixtures/gold/seed-quotes-gold.csv``: one row per direct
quotation (``kind`` = ``direct``, exactly the text between the quote marks) or reported statement
(``kind`` = ``reported``), with ``quote_text``, ``speaker`` (``UNATTRIBUTED`` when the article names
no one) and ``char_start`` (0-based code points); optional ``issue`` and ``stance``.

Pairing, shared by the extraction scores (:mod:`parley.ingest.evaluate`) and the suggestion scores
(:mod:`parley.ingest.evaluate_suggestions`): direct quotations one-to-one by overlap, largest
first (:func:`pair_direct`); a reported statement by the one reported proposal that covers at least
half of it (:data:`REPORTED_MIN_GOLD_COVERED`) while at least a quarter of that proposal lies
inside it (:data:`REPORTED_MIN_PROPOSAL_INSIDE`), so one sentence-long proposal cannot claim
everything around it (:func:`reported_match`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from parley.errors import IngestError
from parley.ingest.propose import Proposal

GOLD_COLUMNS = ("quote_text", "kind", "speaker", "char_start")
GOLD_KINDS = ("direct", "reported")
REPORTED_MIN_GOLD_COVERED = 0.5
REPORTED_MIN_PROPOSAL_INSIDE = 0.25


@dataclass(frozen=True)
class GoldRow:
    """One gold annotation; ``row`` is its line in the CSV (header = 1)."""

    row: int
    kind: str
    text: str
    speaker: str
    start: int
    issue: str = ""
    stance: str = ""

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def load_gold(path: str | Path, text: str) -> list[GoldRow]:
    """Read a gold file and check every row against the article text.

    Raises
    ------
    IngestError
        Missing file or columns, a bad ``kind`` or ``char_start``, or a ``quote_text`` that is not
        at its ``char_start`` in the article (then the gold file is probably for another article).
    """
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}: no such gold file")
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 (byte {exc.start}); save the gold file as UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(content))
    missing = [c for c in GOLD_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise IngestError(f"{path}: missing column(s) {', '.join(missing)}; a gold file has columns {', '.join(GOLD_COLUMNS)} (and more)")
    rows: list[GoldRow] = []
    for line, record in enumerate(reader, start=2):
        kind = (record["kind"] or "").strip()
        if kind not in GOLD_KINDS:
            raise IngestError(f"{path}, row {line}, field kind: {kind!r} is not allowed; use one of {', '.join(GOLD_KINDS)}")
        try:
            start = int(record["char_start"])
        except (TypeError, ValueError):
            raise IngestError(f"{path}, row {line}, field char_start: {record['char_start']!r} is not a whole number (0-based code-point offset)") from None
        quote = record["quote_text"] or ""
        if text[start : start + len(quote)] != quote:
            found = text.find(quote)
            hint = f"; that text is at {found}" if found >= 0 else "; that text is nowhere in the article"
            raise IngestError(
                f"{path}, row {line}, field quote_text: not found at char_start {start} of the article{hint} "
                "(is this the gold file of this article?)"
            )
        rows.append(GoldRow(line, kind, quote, (record["speaker"] or "").strip(), start, (record.get("issue") or "").strip(), (record.get("stance") or "").strip()))
    return rows


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def pair_direct(gold_direct: list[GoldRow], direct: list[Proposal]) -> dict[int, int]:
    """One-to-one pairs (gold index -> proposal index) sharing characters, largest overlaps first."""
    candidates = sorted(
        ((_overlap(g.start, g.end, p.char_start, p.char_end), gi, pi) for gi, g in enumerate(gold_direct) for pi, p in enumerate(direct)),
        reverse=True,
    )
    paired_gold: dict[int, int] = {}
    paired_proposal: set[int] = set()
    for size, gi, pi in candidates:
        if size <= 0:
            break
        if gi in paired_gold or pi in paired_proposal:
            continue
        paired_gold[gi] = pi
        paired_proposal.add(pi)
    return paired_gold


def reported_match(g: GoldRow, reported: list[Proposal]) -> Proposal | None:
    """The reported proposal that recalls a gold reported statement (see the module docstring)."""
    length = g.end - g.start
    for p in reported:
        inside = _overlap(g.start, g.end, p.char_start, p.char_end)
        if inside >= REPORTED_MIN_GOLD_COVERED * length and inside >= REPORTED_MIN_PROPOSAL_INSIDE * (p.char_end - p.char_start):
            return p
    return None


def direct_quotes(proposals: list[Proposal]) -> list[Proposal]:
    """The direct quotations proposed: direct proposals, and the short quotations a reported
    proposal holds (``quoted``), each with the speaker of the proposal that holds it."""
    out = [p for p in proposals if p.kind == "direct_quote"]
    for p in proposals:
        for start, end in p.quoted:
            offset = start - p.char_start
            out.append(replace(p, kind="direct_quote", char_start=start, char_end=end, text=p.text[offset : offset + end - start], quoted=()))
    return sorted(out, key=lambda p: (p.char_start, p.char_end))
