"""Scoring the issue and stance suggestions against a gold file's ``issue`` and ``stance`` columns.

Each gold row is paired with the proposal that found it (direct quotations by overlap, reported
statements as in :func:`parley.ingest.gold.reported_match`); a row no proposal found counts as
given no suggestion. With ``leave_one_out`` every row is suggested by a suggester fitted on the
dossier *without* that statement (any coded utterance with a report on the same characters of
the same text, or with the same words, is left out with all its reports), so the seed dossier,
whose statements are its gold rows, is scored honestly: each statement suggested from the others.

Scores
------
- ``issue_top1_accuracy``: rows whose first suggested issue is the gold issue, over the rows whose
  gold issue is one of the dossier's issues (``other`` and unknown issues left out);
- ``issue_coverage``, ``issue_wrong_rate``: rows given an issue; wrong issues over those given;
- ``stance_direction_accuracy``: rows whose suggested stance has the gold sign (support and
  conditional +, oppose −, neutral 0), over the rows whose gold stance is not ``unclear``; a row
  given no stance counts as not right;
- ``stance_coverage``: share of those rows given a stance;
- ``wrong_suggestion_rate``: stances of the wrong sign over the stances given.
"""

from __future__ import annotations

from dataclasses import replace

from parley.ingest.gold import GoldRow, direct_quotes, pair_direct, reported_match
from parley.ingest.lexicon import Lexicon
from parley.ingest.propose import Proposal
from parley.ingest.coded import Coded, context_of
from parley.ingest.suggest import Suggester, Suggestion

#: Sign of a gold stance label; ``unclear`` rows are left out of the stance scores.
GOLD_SIGN = {"support": 1, "conditional": 1, "oppose": -1, "neutral": 0}


def pair_rows(gold: list[GoldRow], proposals: list[Proposal]) -> dict[int, Proposal]:
    """Gold row index -> the proposal that found it (direct by overlap, reported by coverage)."""
    direct_rows = [k for k, g in enumerate(gold) if g.kind == "direct"]
    direct = direct_quotes(proposals)
    pairs = {direct_rows[gi]: direct[pi] for gi, pi in pair_direct([gold[k] for k in direct_rows], direct).items()}
    reported = [p for p in proposals if p.kind in ("reported_speech", "assessment")]
    for k, g in enumerate(gold):
        if g.kind == "reported":
            match = reported_match(g, reported)
            if match is not None:
                pairs[k] = match
    return pairs


def _left_out(coded: Coded, row: GoldRow, proposal: Proposal, text: str) -> bool:
    """Whether a coded example is the statement being suggested (its characters, or its words)."""
    same_text = text[coded.char_start : coded.char_end] == coded.text if coded.char_start >= 0 else False
    spans = ((row.start, row.end), (proposal.char_start, proposal.char_end))
    on_it = same_text and any(coded.char_start < end and start < coded.char_end for start, end in spans)
    return on_it or " ".join(coded.text.split()) in (" ".join(row.text.split()), " ".join(proposal.text.split()))


def suggest_rows(gold: list[GoldRow], proposals: list[Proposal], lexicon: Lexicon, text: str, *, leave_one_out: bool = True, coded: tuple[Coded, ...] | None = None) -> dict[int, Suggestion]:
    """The suggestion each paired gold row gets (by row index); ``coded`` overrides the dossier's."""
    examples = lexicon.coded if coded is None else coded
    shared = Suggester(lexicon.issues, examples) if not leave_one_out else None
    out: dict[int, Suggestion] = {}
    for k, proposal in sorted(pair_rows(gold, proposals).items()):
        left_out = {c.key for c in examples if _left_out(c, gold[k], proposal, text)}  # every report of that utterance
        suggester = shared or Suggester(lexicon.issues, [c for c in examples if c.key not in left_out])
        ask = (proposal.text, context_of(text, proposal.char_start, proposal.char_end), lexicon.party_of(proposal.speaker_id), proposal.attribution_cue)
        out[k] = suggester.suggest(*ask)
    return out


def score_suggestions(gold: list[GoldRow], proposals: list[Proposal], lexicon: Lexicon, text: str, *, leave_one_out: bool = True, coded: tuple[Coded, ...] | None = None) -> dict:
    """The scores of the module docstring, with the disagreements under ``suggestion_errors``."""
    suggestions = suggest_rows(gold, proposals, lexicon, text, leave_one_out=leave_one_out, coded=coded)
    issue_rows = [k for k, g in enumerate(gold) if g.issue in lexicon.issues]
    stance_rows = [k for k, g in enumerate(gold) if g.stance in GOLD_SIGN]
    given_issue = [k for k in issue_rows if k in suggestions and suggestions[k].issues]
    right_issue = [k for k in given_issue if suggestions[k].issues[0] == gold[k].issue]
    given_stance = [k for k in stance_rows if k in suggestions and suggestions[k].stance is not None]
    right_stance = [k for k in given_stance if _sign(suggestions[k].stance) == GOLD_SIGN[gold[k].stance]]
    errors = []
    for k in sorted(set(given_issue) - set(right_issue) | set(given_stance) - set(right_stance)):
        s = suggestions[k]
        errors.append({"row": gold[k].row, "text": gold[k].text[:70], "gold_issue": gold[k].issue, "issue": s.issues[0] if s.issues else "", "gold_stance": gold[k].stance, "stance": s.stance})
    return {
        "issue_top1_accuracy": _share(len(right_issue), len(issue_rows)),
        "issue_coverage": _share(len(given_issue), len(issue_rows)),
        "issue_wrong_rate": _share(len(given_issue) - len(right_issue), len(given_issue)),
        "stance_direction_accuracy": _share(len(right_stance), len(stance_rows)),
        "stance_coverage": _share(len(given_stance), len(stance_rows)),
        "wrong_suggestion_rate": _share(len(given_stance) - len(right_stance), len(given_stance)),
        "issue_rows": len(issue_rows),
        "stance_rows": len(stance_rows),
        "leave_one_out": leave_one_out,
        "suggestion_errors": errors,
    }


def learning_curve(gold: list[GoldRow], proposals: list[Proposal], lexicon: Lexicon, text: str, sizes: list[int]) -> list[dict]:
    """Scores when only the first ``n`` coded statements (in the dossier's order) are known, for
    each ``n`` of ``sizes``; every row still suggested without itself."""
    keys = list(dict.fromkeys(c.key for c in lexicon.coded))
    out = []
    for n in sizes:
        known = set(keys[:n])
        subset = tuple(c for c in lexicon.coded if c.key in known)
        scores = score_suggestions(gold, proposals, replace(lexicon, coded=subset), text, coded=subset)
        out.append({"coded_statements": min(n, len(keys)), **{k: v for k, v in scores.items() if k != "suggestion_errors"}})
    return out


def _sign(value: int | None) -> int:
    return 0 if not value else (1 if value > 0 else -1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
