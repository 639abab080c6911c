"""Scoring the extractor against a gold annotation of an article.

The gold file and the pairing of its rows with proposals are :mod:`parley.ingest.gold`.

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
  covers it (:func:`parley.ingest.gold.reported_match`: at least half of it, while at least a
  quarter of that proposal lies inside it, so one sentence-long proposal cannot claim everything
  around it).
"""

from __future__ import annotations

from pathlib import Path

from parley.ingest.evaluate_suggestions import score_suggestions
from parley.ingest.gold import GoldRow, direct_quotes, load_gold, pair_direct, reported_match
from parley.ingest.lexicon import Lexicon, fold_name
from parley.ingest.propose import Proposal

UNATTRIBUTED = "UNATTRIBUTED"
_PRONOUNS = frozenset("he she they it we i you one".split())
_GENERIC_NAME_WORDS = frozenset("the and of for both delegations delegation president minister foreign former leader government".split())


def _prf(hits: int, proposed: int, gold: int) -> tuple[float, float, float]:
    precision = hits / proposed if proposed else (1.0 if not gold else 0.0)
    recall = hits / gold if gold else (1.0 if not proposed else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


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


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def evaluate_article(gold_path: str | Path, article_path: str | Path, lexicon: Lexicon | None = None, *, headlines: bool = False, leave_one_out: bool = True) -> dict:
    """Read an article and its gold file, extract, and score (see :func:`score`).

    With a lexicon that has issues, the issue and stance suggestions are scored too
    (:func:`parley.ingest.evaluate_suggestions.score_suggestions`), each statement suggested from
    the others when ``leave_one_out``.
    """
    from parley.ingest.propose import propose_statements
    from parley.ingest.text import read_article

    _, text = read_article(article_path)
    gold = load_gold(gold_path, text)
    proposals = propose_statements(text, lexicon, headlines=headlines)
    result = score(gold, proposals, lexicon)
    if lexicon is not None and lexicon.issues:
        result.update(score_suggestions(gold, proposals, lexicon, text, leave_one_out=leave_one_out))
    return result
