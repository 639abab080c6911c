"""Scoring the extractor against a gold annotation of an article.

The gold format is the one of ``tests/fixtures/gold/seed-quotes-gold.csv``: one row per direct
quotation (``kind`` = ``direct``, exactly the text between the quote marks) or reported statement
(``kind`` = ``reported``), with ``quote_text``, ``speaker`` (``UNATTRIBUTED`` when the article names
no one) and ``char_start`` (0-based code points).

Scores
------
- direct quotations, exact: a proposal matches a gold quote when both span the same characters;
  precision, recall and F1 over direct quotations. A short quotation that a reported proposal
  holds (``Proposal.quoted``: one proposal, not two) counts as proposed, with that proposal's
  speaker; a quotation over several paragraphs is one span from its first to its last mark.
- direct quotations, overlap: one-to-one pairs of gold and proposed quotes sharing at least one
  character (largest overlaps paired first).
- speaker accuracy: over gold quotes paired by overlap, the share whose proposed speaker is the
  gold speaker. With a lexicon both names are resolved to dossier actors (names, aliases,
  surnames); otherwise names match when they share a word (case and accents folded), so "Lavrov"
  matches "Sergei Lavrov". ``UNATTRIBUTED`` matches only a proposal with no speaker.
- reported recall: a gold reported statement is recalled when one reported or assessment proposal
  covers at least half of it (:data:`REPORTED_MIN_GOLD_COVERED`) while at least a quarter of that
  proposal lies inside it (:data:`REPORTED_MIN_PROPOSAL_INSIDE`), so one sentence-long proposal
  cannot claim everything around it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from parley.errors import IngestError
from parley.ingest.lexicon import Lexicon, fold_name
from parley.ingest.propose import Proposal

GOLD_COLUMNS = ("quote_text", "kind", "speaker", "char_start")
GOLD_KINDS = ("direct", "reported")
UNATTRIBUTED = "UNATTRIBUTED"
REPORTED_MIN_GOLD_COVERED = 0.5
REPORTED_MIN_PROPOSAL_INSIDE = 0.25
_PRONOUNS = frozenset("he she they it we i you one".split())
_GENERIC_NAME_WORDS = frozenset("the and of for both delegations delegation president minister foreign former leader government".split())


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


def _prf(hits: int, proposed: int, gold: int) -> tuple[float, float, float]:
    precision = hits / proposed if proposed else (1.0 if not gold else 0.0)
    recall = hits / gold if gold else (1.0 if not proposed else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def speaker_matches(gold_speaker: str, proposal: Proposal, lexicon: Lexicon | None = None) -> bool:
    """Whether a proposal's speaker is the gold speaker (see the module docstring)."""
    proposed = proposal.speaker_name or proposal.new_actor or _described(proposal)
    if gold_speaker.upper() == UNATTRIBUTED or not gold_speaker:
        return not proposed
    if not proposed:
        return False
    if lexicon is not None and lexicon.actors:
        gold_id = lexicon.resolve_name(gold_speaker)
        if gold_id and proposal.speaker_id:
            return gold_id == proposal.speaker_id
    gold_words = {w for w in fold_name(gold_speaker).split() if len(w) > 2 and w not in _GENERIC_NAME_WORDS}
    proposed_words = {w for w in fold_name(proposed).split() if len(w) > 2 and w not in _GENERIC_NAME_WORDS}
    return bool(gold_words & proposed_words)


def _described(proposal: Proposal) -> str:
    """An unnamed speaker the article describes ("a senior European diplomat"), never a pronoun."""
    mention = proposal.speaker_mention.strip()
    if not mention or mention.lower() in _PRONOUNS:
        return ""
    return mention


def score(gold: list[GoldRow], proposals: list[Proposal], lexicon: Lexicon | None = None) -> dict:
    """Score proposals against gold rows; returns the numbers and the disagreements.

    Keys: ``quote_exact_precision``, ``quote_exact_recall``, ``quote_exact_f1``,
    ``quote_overlap_precision``, ``quote_overlap_recall``, ``quote_overlap_f1``,
    ``speaker_accuracy``, ``reported_recall``, counts, and ``errors`` (lists of what was missed,
    spurious or attributed to the wrong speaker).
    """
    gold_direct = [g for g in gold if g.kind == "direct"]
    gold_reported = [g for g in gold if g.kind == "reported"]
    direct = direct_quotes(proposals)
    reported = [p for p in proposals if p.kind in ("reported_speech", "assessment")]

    exact_spans = {(p.char_start, p.char_end) for p in direct}
    exact_hits = sum(1 for g in gold_direct if (g.start, g.end) in exact_spans)
    ep, er, ef = _prf(exact_hits, len(direct), len(gold_direct))

    paired_gold = pair_direct(gold_direct, direct)
    op, orc, of = _prf(len(paired_gold), len(direct), len(gold_direct))

    wrong_speakers = []
    right = 0
    for gi, pi in sorted(paired_gold.items()):
        g, p = gold_direct[gi], direct[pi]
        if speaker_matches(g.speaker, p, lexicon):
            right += 1
        else:
            wrong_speakers.append({"row": g.row, "char_start": g.start, "text": _short(g.text), "gold": g.speaker, "proposed": p.speaker_name or p.new_actor or ""})
    accuracy = right / len(paired_gold) if paired_gold else (1.0 if not gold_direct else 0.0)

    recalled = 0
    missed_reported = []
    for g in gold_reported:
        if reported_match(g, reported) is not None:
            recalled += 1
        else:
            missed_reported.append({"row": g.row, "char_start": g.start, "text": _short(g.text)})
    reported_recall = recalled / len(gold_reported) if gold_reported else 1.0

    return {
        "quote_exact_precision": round(ep, 4),
        "quote_exact_recall": round(er, 4),
        "quote_exact_f1": round(ef, 4),
        "quote_overlap_precision": round(op, 4),
        "quote_overlap_recall": round(orc, 4),
        "quote_overlap_f1": round(of, 4),
        "speaker_accuracy": round(accuracy, 4),
        "reported_recall": round(reported_recall, 4),
        "gold_direct": len(gold_direct),
        "gold_reported": len(gold_reported),
        "proposed_direct": len(direct),
        "proposed_reported": len(reported),
        "speaker_pairs": len(paired_gold),
        "errors": {
            "missed_quotes": [{"row": g.row, "char_start": g.start, "text": _short(g.text)} for gi, g in enumerate(gold_direct) if (g.start, g.end) not in exact_spans],
            "spurious_quotes": [
                {"char_start": p.char_start, "text": _short(p.text)} for p in direct if not any(g.start == p.char_start and g.end == p.char_end for g in gold_direct)
            ],
            "wrong_speakers": wrong_speakers,
            "missed_reported": missed_reported,
        },
    }


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


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def evaluate_article(gold_path: str | Path, article_path: str | Path, lexicon: Lexicon | None = None, *, headlines: bool = False, leave_one_out: bool = True) -> dict:
    """Read an article and its gold file, extract, and score (see :func:`score`).

    With a lexicon that has issues, the issue and stance suggestions are scored too
    (:func:`parley.ingest.evaluate_suggestions.score_suggestions`), each statement suggested from
    the others when ``leave_one_out``.
    """
    from parley.ingest.evaluate_suggestions import score_suggestions
    from parley.ingest.propose import propose_statements
    from parley.ingest.text import read_article

    _, text = read_article(article_path)
    gold = load_gold(gold_path, text)
    proposals = propose_statements(text, lexicon, headlines=headlines)
    result = score(gold, proposals, lexicon)
    if lexicon is not None and lexicon.issues:
        result.update(score_suggestions(gold, proposals, lexicon, text, leave_one_out=leave_one_out))
    return result
