"""Proposals: extracted statements with a dossier speaker, suggested issues and a stance.

:func:`propose_statements` is the extractor's one entry point; it reads nothing from disk and
writes nothing, so ``parley ingest``, ``parley eval-extract`` and the speed benchmark all run
the very same code.

Issues and stances are suggested by :class:`parley.ingest.suggest.Suggester`, which learns from
the issues' own words and from what the analyst already coded in the dossier; each suggestion
has a calibrated confidence and is left blank below a threshold: a person decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from parley.ingest.article import Article
from parley.ingest.attribution import Extracted, extract
from parley.ingest.lexicon import Lexicon
from parley.ingest.coded import context_of
from parley.ingest.suggest import Suggestion, suggester_for


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
    issue_confidence: float = 0.0
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
    items = extract(article, headlines)
    speakers = [_speaker(article, item) for item in items]
    asks = [(item.text, context_of(text, item.start, item.end), lexicon.party_of(speaker[0]), item.cue) for item, speaker in zip(items, speakers, strict=True)]
    suggestions = suggester_for(lexicon).suggest_many(asks) if lexicon.issues else [None] * len(items)
    return article, [_proposal(item, speaker, suggestion) for item, speaker, suggestion in zip(items, speakers, suggestions, strict=True)]


def _speaker(article: Article, item: Extracted) -> tuple[str, str, str]:
    """(dossier actor id, name as the article gives it, name of a new actor)."""
    if not item.speaker_key:
        return "", "", ""
    entity = article.entity(item.speaker_key)
    return (entity.actor_id, entity.name, "") if entity.actor_id else ("", entity.name, entity.name)


def _proposal(item: Extracted, speaker: tuple[str, str, str], suggestion: Suggestion | None) -> Proposal:
    speaker_id, name, new_actor = speaker
    issues = suggestion.issues if suggestion else ()
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
        issues=issues,
        stance=suggestion.stance if suggestion else None,
        stance_label=suggestion.stance_label if suggestion else "unclear",
        red_line=bool(suggestion and suggestion.red_line),
        confidence=confidence if item.speaker_key or item.method == "none" else round(confidence * 0.8, 2),
        stance_confidence=suggestion.stance_confidence if suggestion else 0.0,
        issue_confidence=suggestion.issue_confidence if suggestion else 0.0,
        group=item.group,
        truncated=item.truncated,
        quoted=item.quoted,
        headline=item.headline,
    )
