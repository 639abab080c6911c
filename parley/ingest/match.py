"""Another outlet's report of an utterance already in the dossier: "another report of s_…".

One utterance is reported by many outlets, each in its own words: a verbatim quote with other
quote marks and punctuation, a partial quote, an excerpt cut off inside the quotation, a slightly
different translation. :func:`match_proposals` compares each new proposal with every report of
the dossier's statements and proposes the statement it most likely reports, with a score, so that
accepting the proposal adds a report (``reports.csv``) rather than a second statement.

A match needs all three:

- **the same speaker** (the proposal's speaker id is the statement's); a proposal whose speaker
  was not found, or another speaker of the same party, matches only near-identical words (the
  whole wording, :data:`OTHER_SPEAKER_SCORE`), never a fragment;
- **close dates**: the new source's date within :data:`DATE_WINDOW_DAYS` of the statement's
  (its ``date_said``, else its earliest report); an unknown date on either side does not exclude;
- **similar words**, scored by rapidfuzz on folded text (case, accents, quote marks, dashes and
  punctuation removed): ``fuzz.ratio`` for the whole wording ("near-identical"), and
  ``fuzz.partial_ratio`` — the best alignment of the shorter text inside the longer — for a
  partial quote or a truncated excerpt ("overlapping"), only when the shorter holds at least
  :data:`MIN_OVERLAP_WORDS` words (so that three common words never make a match), and scaled
  down below twelve words (a short fragment found in a long quote says less than a sentence).

Pure: reads the dossier's tables (:func:`known_reports`) and nothing else; writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from parley.data.schema import read_schema
from parley.data.tables import read_raw_table

#: A proposal whose speaker is the statement's matches from this score (0..100) on.
SAME_SPEAKER_SCORE = 80.0
#: Without the same speaker (unknown, or another official of the same party) the words must be near-identical.
OTHER_SPEAKER_SCORE = 92.0
#: The shorter text needs this many words before a partial alignment counts.
MIN_OVERLAP_WORDS = 5
#: How far apart (days) the new source and the statement may be dated.
DATE_WINDOW_DAYS = 10

_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'",
                        "–": "-", "—": "-", "‐": "-", "…": " ", "\u00a0": " "})
_NOT_WORD = re.compile(r"[^\w']+|(?<!\w)'|'(?!\w)")


def fold(text: str) -> str:
    """Text as the matcher compares it: one kind of quote mark and dash, no accents, no
    punctuation, lower case, single spaces (``“Not an inch,” he said`` → ``not an inch he said``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_MARKS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", plain.casefold()).split())


@dataclass(frozen=True)
class KnownReport:
    """One report of a statement already in the dossier, as the matcher needs it."""

    statement_id: str
    speaker_id: str
    party_id: str
    date: str  # the statement's date said, else its earliest report's date (ISO; empty: unknown)
    text: str
    source_id: str


@dataclass(frozen=True)
class ReportMatch:
    """The statement a proposal is likely another report of."""

    statement_id: str
    score: float  # 0..100, rapidfuzz's scale
    basis: str  # "near-identical" (the whole wording) or "overlapping" (a partial quote, a truncated excerpt)
    source_id: str  # the source of the report it resembles most

    def describe(self) -> str:
        """``another report of s_… (overlapping words, score 96)``."""
        return f"another report of {self.statement_id} ({self.basis} words, score {self.score:.0f})"


def similarity(first: str, second: str) -> tuple[float, str]:
    """(score 0..100, basis) of two wordings of one utterance, see the module docstring."""
    a, b = fold(first), fold(second)
    if not a or not b:
        return 0.0, "near-identical"
    whole = fuzz.ratio(a, b)
    short, long = sorted((a, b), key=len)
    words = len(short.split())
    overlap = fuzz.partial_ratio(short, long) if words >= MIN_OVERLAP_WORDS else 0.0
    overlap *= min(1.0, 0.85 + 0.15 * words / 12)  # a few words found inside a long quote say less than a sentence
    # A partial alignment says less than a whole one: it counts when it beats the whole clearly.
    if overlap > whole + 2:
        return round(overlap, 1), "overlapping"
    return round(whole, 1), "near-identical"


def _days_apart(first: str, second: str) -> int | None:
    try:
        return abs((dt.date.fromisoformat(first) - dt.date.fromisoformat(second)).days)
    except ValueError:
        return None


def match_report(text: str, speaker_id: str, party_id: str, date: str, known: Iterable[KnownReport],
                 *, date_window: int = DATE_WINDOW_DAYS) -> ReportMatch | None:
    """The statement whose report ``text`` most resembles, under the rules of the module docstring, or ``None``.

    Parameters
    ----------
    text
        The proposal's words.
    speaker_id, party_id
        The proposal's speaker (dossier actor id, empty when unknown) and the party it speaks for.
    date
        The new source's date (ISO; empty when unknown).
    known
        Every report of the dossier's statements (:func:`known_reports`).
    """
    best: tuple[tuple, ReportMatch] | None = None
    for report in known:
        same = bool(speaker_id) and report.speaker_id == speaker_id
        kin = not same and (not speaker_id or (bool(party_id) and party_id == report.party_id))
        if not (same or kin):
            continue
        apart = _days_apart(date, report.date) if date and report.date else None
        if apart is not None and apart > date_window:
            continue
        score, basis = similarity(text, report.text)
        if score < (SAME_SPEAKER_SCORE if same else OTHER_SPEAKER_SCORE) or (not same and basis != "near-identical"):
            continue
        rank = (-score, not same, report.statement_id, report.source_id)  # deterministic: best score, the same speaker, then ids
        if best is None or rank < best[0]:
            best = (rank, ReportMatch(report.statement_id, score, basis, report.source_id))
    return best[1] if best else None


def match_proposals(proposals: Sequence, known: Sequence[KnownReport], date: str, party_of=None) -> list[ReportMatch | None]:
    """One :class:`ReportMatch` (or ``None``) per proposal (anything with ``text`` and ``speaker_id``).

    ``party_of(actor_id)`` gives a speaker's party (:meth:`parley.ingest.lexicon.Lexicon.party_of`).
    """
    by_speaker: dict[str, list[KnownReport]] = {}
    for report in known:
        by_speaker.setdefault(report.speaker_id, []).append(report)
    found = []
    for proposal in proposals:
        speaker = proposal.speaker_id
        party = party_of(speaker) if party_of and speaker else ""
        pool = known if not speaker or party else by_speaker.get(speaker, [])
        found.append(match_report(proposal.text, speaker, party, date, pool))
    return found


def known_reports(folder: Path, party_of=None) -> list[KnownReport]:
    """Every report of a statement of the dossier in ``folder`` (statements without a report are skipped)."""
    schema = read_schema(folder)
    frames = {name: read_raw_table(schema, schema.tables[name])[0] for name in ("statements", "reports")}
    statements, reports = frames["statements"], frames["reports"]
    if statements is None or reports is None or statements.empty or reports.empty:
        return []
    earliest = reports.groupby("statement_id")["date_reported"].min().to_dict()
    speakers = {row.statement_id: (row.speaker_id, row.on_behalf_of_id, row.date_said) for row in statements.itertuples(index=False)}
    found = []
    for row in reports.itertuples(index=False):
        if row.statement_id not in speakers:
            continue
        speaker, on_behalf, said = speakers[row.statement_id]
        party = on_behalf or (party_of(speaker) if party_of and speaker else "")
        found.append(KnownReport(row.statement_id, speaker, party, said or earliest.get(row.statement_id, ""), row.text, row.source_id))
    return sorted(found, key=lambda r: (r.statement_id, r.source_id))
