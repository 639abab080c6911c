"""Proposals: extracted statements with a dossier speaker, suggested issues and a stance.

:func:`propose_statements` is the extractor's one entry point; it reads nothing from disk and
writes nothing, so ``parley ingest``, ``parley eval-extract`` and the speed benchmark all run
the very same code.

Issues are suggested from each issue's ``keywords`` in the dossier; the stance suggestion is a
plain polarity reading (negation and refusal words point down, demands and support words up,
conditions make it conditional) with a deliberately modest confidence: a person decides.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from parley.ingest.article import Article
from parley.ingest.attribution import Extracted, extract
from parley.ingest.lexicon import Lexicon

KINDS = ("direct_quote", "reported_speech", "assessment")

_NEGATIVE = re.compile(
    r"(?<![\w-])(?:not|never|no|nor|cannot|can't|won't|wouldn't|don't|doesn't|isn't|aren't|reject\w*|rul\w+\s+out|oppos\w+|against|refus\w+|"
    r"unacceptable|threat\w*|condemn\w*|deny|denied|denies|impossible|kept\s+out|exclud\w+|veto\w*|block\w*)(?![\w-])",
    re.IGNORECASE,
)
_STRONG = re.compile(
    r"(?<![\w-])(?:never|under\s+no\s+circumstances|under\s+any\s+circumstances|red\s+lines?|non-negotiable|not\s+acceptable|unacceptable|will\s+not\s+allow|"
    r"won't\s+allow|must|essential|direct\s+threat|at\s+all\s+costs|demand\w*|insist\w*)(?![\w-])",
    re.IGNORECASE,
)
_RED_LINE = re.compile(
    r"(?<![\w-])(?:never|under\s+no\s+circumstances|under\s+any\s+circumstances|red\s+lines?|non-negotiable|not\s+acceptable|unacceptable|will\s+not\s+allow|won't\s+allow)(?![\w-])",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"(?<![\w-])(?:want\w*|agree\w*|welcome\w*|support\w*|back\w*|need\w*|should|must|hope\w*|expect\w*|positive|constructive|essential|"
    r"opportunit\w+|ready|willing|favour\w*|favor\w*|call\w*\s+for|urg\w+|demand\w*|seek\w*|increase\w*|launch\w*)(?![\w-])",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"(?<![\w-])(?:if|unless|provided|on\s+condition|only\s+(?:if|when|after)|as\s+long\s+as|in\s+exchange\s+for|in\s+return\s+for|once)(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Proposal:
    """One proposed statement, ready for the review queue.

    ``speaker_id`` is a dossier actor id; when the article names someone the dossier does not
    know, ``speaker_id`` is empty and ``new_actor`` holds the name to propose as a new actor.
    ``speaker_mention`` is how the article refers to the speaker there ("he", "the researcher").
    ``stance`` is on the issue's -2..+2 scale, ``None`` when no guess is worth making.
    ``truncated``: a quotation the text leaves open; ``quoted``: spans of short quotations inside
    a reported statement; ``headline``: proposed from a headline (only when asked).
    """

    kind: str
    char_start: int
    char_end: int
    text: str
    speaker_id: str
    speaker_name: str
    new_actor: str
    speaker_mention: str
    attribution_cue: str
    method: str
    issues: tuple[str, ...]
    stance: int | None
    stance_label: str
    red_line: bool
    confidence: float
    stance_confidence: float = 0.0
    group: int | None = None
    truncated: bool = False
    quoted: tuple[tuple[int, int], ...] = ()
    headline: bool = False


def propose_statements(text: str, lexicon: Lexicon | None = None, *, headlines: bool = False) -> list[Proposal]:
    """Extract every direct quotation and reported statement of an article as proposals.

    Parameters
    ----------
    text
        The article text exactly as stored (offsets are code points into it).
    lexicon
        The dossier's actors and issues; ``None`` extracts from the article alone.
    headlines
        Also propose what headlines quote or report.

    Returns
    -------
    list of Proposal
        In text order.
    """
    lexicon = lexicon or Lexicon.empty()
    return analyse_article(text, lexicon, headlines=headlines)[1]


def analyse_article(text: str, lexicon: Lexicon | None = None, *, headlines: bool = False) -> tuple[Article, list[Proposal]]:
    """Like :func:`propose_statements`, also returning the analysed :class:`Article`."""
    lexicon = lexicon or Lexicon.empty()
    article = Article(text, lexicon)
    keywords = _keyword_hits(text, article.lexicon)
    starts = [hit[0] for hit in keywords]
    return article, [_proposal(article, item, keywords, starts) for item in extract(article, headlines)]


def _keyword_hits(text: str, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    pattern = lexicon.keyword_pattern
    if pattern is None:
        return []
    return [(m.start(), m.end(), " ".join(m.group().lower().split())) for m in pattern.finditer(text)]


def _proposal(article: Article, item: Extracted, keywords: list[tuple[int, int, str]], starts: list[int]) -> Proposal:
    speaker_id = new_actor = name = ""
    if item.speaker_key:
        entity = article.entity(item.speaker_key)
        name = entity.name
        if entity.actor_id:
            speaker_id = entity.actor_id
        else:
            new_actor = entity.name
    lo, hi = _sentence_around(article, item.start, item.end)
    inside = [k for s, e, k in keywords[bisect.bisect_left(starts, item.start) : bisect.bisect_left(starts, item.end)] if e <= item.end]
    around = [k for _, _, k in keywords[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]]
    issues = _rank_issues(inside, around, article.lexicon, context_weight=_context_weight(item.text))
    stance, label, red_line, stance_confidence = suggest_stance(item.text)
    confidence = round(min(item.confidence, 0.95) * (1.0 if issues else 0.9), 2)
    return Proposal(
        kind=item.kind,
        char_start=item.start,
        char_end=item.end,
        text=item.text,
        speaker_id=speaker_id,
        speaker_name=name,
        new_actor=new_actor,
        speaker_mention=item.speaker_mention,
        attribution_cue=item.cue,
        method=item.method,
        issues=tuple(issues),
        stance=stance if issues else None,
        stance_label=label if issues else "unclear",
        red_line=red_line and bool(issues),
        confidence=confidence if item.speaker_key or item.method == "none" else round(confidence * 0.8, 2),
        stance_confidence=stance_confidence if issues else 0.0,
        group=item.group,
        truncated=item.truncated,
        quoted=item.quoted,
        headline=item.headline,
    )


def _sentence_around(article: Article, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) holding a statement."""
    first = article.sentences[article.sentence_at(start)] if article.sentences else None
    if first is None:
        return start, end
    return min(first.start, start), max(first.end, end)


def _context_weight(text: str) -> float:
    """A short statement ("constructive") leans on its sentence for its issue."""
    return 0.6 if len(text.split()) < 6 else 0.3


def suggest_issues(text: str, context: str, lexicon: Lexicon, limit: int = 2) -> list[str]:
    """Issues whose keywords occur in the statement (or, more weakly, in its sentence).

    A keyword of several words counts more than a single word; the best issues are kept, up to
    ``limit``, when they score at least half of the best one.
    """
    pattern = lexicon.keyword_pattern
    if pattern is None:
        return []
    inside = [" ".join(m.group().lower().split()) for m in pattern.finditer(text)]
    around = [" ".join(m.group().lower().split()) for m in pattern.finditer(context)]
    return _rank_issues(inside, around, lexicon, _context_weight(text), limit)


def _rank_issues(inside: list[str], around: list[str], lexicon: Lexicon, context_weight: float, limit: int = 2) -> list[str]:
    scores: dict[str, float] = {}
    for weight, keywords in ((1.0, inside), (context_weight, around)):
        for keyword in keywords:
            for issue_id in lexicon.keyword_index.get(keyword, ()):
                scores[issue_id] = scores.get(issue_id, 0.0) + weight * (1 + 0.5 * keyword.count(" "))
    if not scores:
        return []
    best = max(scores.values())
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [issue for issue, score in ranked[:limit] if score >= best / 2 and score >= 0.6]


def suggest_stance(text: str) -> tuple[int | None, str, bool, float]:
    """A polarity reading of a statement: (stance -2..+2 or None, label, red line, confidence).

    Labels follow the gold file's vocabulary: support, oppose, conditional, unclear.
    """
    negative = len(_NEGATIVE.findall(text))
    positive = len(_POSITIVE.findall(text))
    strong = bool(_STRONG.search(text))
    red_line = bool(_RED_LINE.search(text))
    if _CONDITION.search(text) and positive >= negative:
        return 1, "conditional", False, 0.35
    if negative > positive:
        return (-2 if strong else -1), "oppose", red_line, 0.4
    if positive > negative or (positive and positive == negative and not strong):
        return (2 if strong else 1), "support", red_line, 0.4
    return None, "unclear", red_line, 0.2
