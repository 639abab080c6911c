"""Who said it: the speaker of each quotation, and the statements of an article in order.

The article is read once, in order (:func:`extract`). For each sentence the reporting verbs are
paired with their subjects (:mod:`~parley.ingest.subjects`); each quotation takes the subject of
the nearest pair in its sentence, or the holder of a viewpoint (``For X, "…"``), or the subject of
a clause that opens it with a colon (``X was optimistic: "…"``). A quotation that forms a sentence
of its own takes the nearest attributed speaker before it (carry-over); a quoted phrase inside a
sentence with no speaker stays unattributed. Reported statements without quote marks come from
:mod:`~parley.ingest.reported`; mentions and entities from :mod:`~parley.ingest.mentions`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from parley.ingest.article import Article
from parley.ingest.lexicon import Lexicon
from parley.ingest.quotes import Quote
from parley.ingest.reported import SHORT_QUOTE_WORDS, Reported, reported
from parley.ingest.subjects import Pair, State, colon_speaker, cue_words, pairs, resolve
from parley.ingest.text import Sentence

_WORDS = re.compile(r"[\w'’-]+")
_VIEWPOINT = re.compile(r"^\s*(?:for|according\s+to|in\s+the\s+(?:view|words|opinion)\s+of|as)\s+", re.IGNORECASE)
_WORD_CHAR = re.compile(r"[^\W_]")
_STRONG_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although)\b", re.IGNORECASE)
#: A label opening a paragraph before a quotation ("Quote:", "Details:"): not a speaker.
_LABEL = re.compile(r"^\s*(?i:quote|quotes|details|background|context|update)\s*:\s*[\"“«„]?$")

__all__ = ["Article", "Extracted", "analyse", "extract"]


@dataclass(frozen=True)
class Extracted:
    """One statement found in the article, before issue and stance suggestions.

    ``truncated``: a quotation the text leaves open (an excerpt cut off inside it);
    ``paragraphs``: how many paragraphs a quotation runs over; ``quoted``: the spans of short
    quotations inside a reported statement; ``headline``: found in a headline.
    """

    kind: str  # direct_quote | reported_speech | assessment
    start: int
    end: int
    text: str
    speaker_key: str | None
    speaker_mention: str
    cue: str
    method: str
    confidence: float
    group: int | None = None
    truncated: bool = False
    paragraphs: int = 1
    quoted: tuple[tuple[int, int], ...] = ()
    headline: bool = False


_METHOD_CONFIDENCE = {
    "cue": 0.9,
    "inverted": 0.9,
    "viewpoint": 0.85,
    "colon": 0.75,
    "continuation": 0.85,
    "carry-over": 0.65,
    "headline": 0.6,
    "label": 0.6,
    "inherited": 0.7,
    "nearest": 0.45,
    "unknown": 0.4,
    "none": 0.5,
}


def extract(article: Article, headlines: bool = False) -> list[Extracted]:
    """Every direct quotation and reported statement of the article, with its speaker.

    Parameters
    ----------
    article
        The analysed article.
    headlines
        Also propose what headlines quote or report (by default a headline is no statement: it
        repeats, shortens or paraphrases the body).

    Returns
    -------
    list of Extracted
        In text order; direct quotations first for equal offsets. A quotation over several
        paragraphs is one item spanning all of them (the paragraph breaks kept verbatim); a short
        quotation inside a reported statement is part of that statement (its span in ``quoted``).
    """
    out: list[Extracted] = []
    state = State()
    quotes_by_sentence: dict[int, list[Quote]] = {}
    starts = [s.start for s in article.sentences]
    for quote in article.quotes:
        index = bisect.bisect_right(starts, quote.open_at) - 1
        quotes_by_sentence.setdefault(max(index, 0), []).append(quote)
    groups: dict[int, Extracted] = {}
    previous_paragraph = -1
    for index, sentence in enumerate(article.sentences):
        paragraph = sentence.paragraph
        if paragraph in article.skip_paragraphs:
            continue
        if paragraph in article.headings and paragraph != 0 and paragraph != previous_paragraph:
            state.new_section()  # a sub-heading starts a new section: no carry-over across it
        previous_paragraph = paragraph
        headline = paragraph in article.headlines
        if headline and not headlines:
            continue
        found = pairs(article, sentence, state)
        for quote in quotes_by_sentence.get(index, []):
            key, mention, cue, method = _quote_speaker(article, sentence, quote, found, state)
            confidence = _METHOD_CONFIDENCE[method] if key or method == "none" else 0.4
            item = _direct(article, quote, key, mention, cue, method, confidence)
            if quote.part > 0 and quote.group in groups:
                groups[quote.group] = _join_parts(article, groups[quote.group], item)
            else:
                groups[quote.group] = item
            if method != "none":
                state.said(key, paragraph, mention)
        if not headline:
            out.extend(_from_reported(article, r) for r in reported(article, sentence, found, state))
        for pair in found:
            if pair.subject is not None and not pair.weak:
                state.said(pair.key, paragraph, pair.subject.text)
    in_headline = {g: article.sentences[article.sentence_at(item.start)].paragraph in article.headlines for g, item in groups.items()}
    body = [item for g, item in groups.items() if not in_headline[g]]
    out.extend(_headline_speaker(item, body) if in_headline[g] else item for g, item in groups.items())
    out.sort(key=lambda e: (e.start, 0 if e.kind == "direct_quote" else 1, -e.end))
    return _absorb_short_quotes(_drop_nested_reports(out))


#: How a speaker was found, weakest first: a later part of a quotation with a stronger method
#: gives the whole quotation its speaker ('"…\n"…," she told reporters').
_WEAK_METHODS = ("none", "unknown", "nearest", "carry-over", "continuation")


def _join_parts(article: Article, first: Extracted, part: Extracted) -> Extracted:
    """One quotation over several paragraphs: from its first part to this one, breaks kept."""
    speaker = first
    if first.method in _WEAK_METHODS and part.method not in _WEAK_METHODS:
        speaker = part
    return replace(
        speaker,
        start=first.start,
        end=part.end,
        text=article.text[first.start : part.end],
        truncated=part.truncated,
        paragraphs=first.paragraphs + 1,
    )


def _headline_speaker(item: Extracted, body: list[Extracted]) -> Extracted:
    """A headline quotation: its own attribution, else the body quotation that repeats its words."""
    item = replace(item, headline=True)
    if item.speaker_key is not None:
        return item
    words = set(_WORDS.findall(item.text.lower()))
    best, best_share = None, 0.0
    for other in body:
        if other.speaker_key is None or other.kind != "direct_quote":
            continue
        share = len(words & set(_WORDS.findall(other.text.lower()))) / max(1, len(words))
        if share > best_share:
            best, best_share = other, share
    if best is None or best_share < 0.6:
        return item
    return replace(item, speaker_key=best.speaker_key, speaker_mention=best.speaker_mention, cue="", method="headline", confidence=_METHOD_CONFIDENCE["headline"])


def _same_speaker(a: Extracted, b: Extracted) -> bool:
    """Whether two statements name one speaker (or the quotation names none)."""
    if b.speaker_key is None and not b.speaker_mention:
        return True
    return a.speaker_key == b.speaker_key and (a.speaker_key is not None or a.speaker_mention == b.speaker_mention)


def _absorb_short_quotes(items: list[Extracted]) -> list[Extracted]:
    """A quotation of a few words inside a reported statement is part of it: one proposal, not two."""
    reported = [e for e in items if e.kind != "direct_quote"]
    absorbed: dict[int, list[tuple[int, int]]] = {}
    kept: list[Extracted] = []
    for item in items:
        if item.kind == "direct_quote" and not item.truncated and item.paragraphs == 1 and len(_WORDS.findall(item.text)) <= SHORT_QUOTE_WORDS:
            host = next((r for r in reported if r.start <= item.start and item.end <= r.end), None)
            if host is not None and _same_speaker(host, item):
                absorbed.setdefault(id(host), []).append((item.start, item.end))
                continue
        kept.append(item)
    return [replace(e, quoted=tuple(absorbed[id(e)])) if id(e) in absorbed else e for e in kept]


def _direct(article: Article, quote: Quote, key: str | None, mention: str, cue: str, method: str, confidence: float) -> Extracted:
    return Extracted("direct_quote", quote.start, quote.end, article.text[quote.start : quote.end], key, mention, cue, method, confidence, quote.group, truncated=quote.truncated)


def _quote_speaker(article: Article, sentence: Sentence, quote: Quote, found: list[Pair], state: State) -> tuple[str | None, str, str, str]:
    """Speaker key, mention, cue words and method for one quotation: a reporting verb of its
    sentence, else a viewpoint or a colon before it, else the speaker it carries over."""
    if any(p.subject is not None for p in found):
        return _nearest_pair(article, quote, found)
    masked = article.masked
    head = masked[sentence.start : quote.open_at]
    viewpoint = _VIEWPOINT.match(head)
    if viewpoint:
        mention = article.mention_starting_at(sentence.start + viewpoint.end())
        if mention is not None and masked[mention.end : mention.end + 1] == ",":
            key = resolve(article, mention, mention.start, state)
            return key, mention.text, " ".join(article.text[sentence.start : mention.end + 1].split()), "viewpoint"
    stripped = head.rstrip()
    if stripped.endswith(":"):
        colon = colon_speaker(article, sentence.start, sentence.start + len(stripped) - 1, state)
        if colon is not None:
            return colon
    return _opening_speaker(article, sentence, head, state)


def _nearest_pair(article: Article, quote: Quote, found: list[Pair]) -> tuple[str | None, str, str, str]:
    """The reporting verb nearest the quotation (after it only a directly following one counts)."""
    masked = article.masked
    close = quote.close_at if quote.close_at is not None else quote.end

    def distance(pair: Pair) -> int:
        if pair.cue_start >= close:  # '"…," he said'
            gap = masked[close + 1 : pair.attribution_start]
            return pair.attribution_start - close + (1000 if _WORD_CHAR.search(gap) else 0)
        gap = masked[pair.cue_end : quote.open_at]
        return quote.open_at - pair.cue_end + (500 if _STRONG_BREAK.search(gap) else 0)

    def preference(p: Pair) -> tuple:
        long_cue = p.cue_end - p.cue_start > 20 or masked[p.cue_start : p.cue_start + 9].lower() == "according"
        return (abs(distance(p)) >= 500, p.weak, long_cue, abs(distance(p)), p.cue_start)

    best = min((p for p in found if p.subject is not None), key=preference)
    unknown = [p for p in found if p.subject is None and abs(distance(p)) < abs(distance(best)) and not best.weak]
    if unknown:  # the nearest reporting verb has a subject we cannot name ("Critics ... have accused")
        return None, "", " ".join(article.text[unknown[0].cue_start : unknown[0].cue_end].split()), "unknown"
    return best.key, best.subject.text, cue_words(article, best), best.method


def _opening_speaker(article: Article, sentence: Sentence, head: str, state: State) -> tuple[str | None, str, str, str]:
    """A quotation opening its sentence: introduced by the paragraph before (a colon, a label), or
    carried over from the last speaker."""
    masked = article.masked
    label = _LABEL.match(head) is not None
    opening = not head.strip(" \t\"'“‘«") or label
    index = article.sentence_at(sentence.start)
    previous = article.sentences[index - 1] if index > 0 else None
    follows = previous is not None and previous.paragraph == sentence.paragraph - 1
    if opening and follows and masked[previous.start : previous.end].rstrip().endswith(":"):
        # a paragraph that ends with a colon introduces the quotation that opens the next one
        found = colon_speaker(article, previous.start, masked.rindex(":", previous.start, previous.end), state)
        if found is not None:
            return found
    if opening and (state.speaker or state.speaker_mention) and sentence.paragraph - state.speaker_paragraph <= 1:
        return state.speaker, state.speaker_mention, "", "carry-over"
    if label and follows:
        # "Quote:" after a paragraph that names the speaker without a reporting verb
        found = colon_speaker(article, previous.start, previous.end, state)
        if found is not None:
            return found[0], found[1], "", "label"
    return None, "", "", "none"


def _drop_nested_reports(items: list[Extracted]) -> list[Extracted]:
    """Drop a reported statement lying inside another one (or repeating its span)."""
    reported = [e for e in items if e.kind != "direct_quote"]
    reported.sort(key=lambda e: (e.start, -e.end))
    keep: set[int] = set()
    outer_end = -1
    for item in reported:
        if item.end <= outer_end:
            continue
        keep.add(id(item))
        outer_end = max(outer_end, item.end)
    return [e for e in items if e.kind == "direct_quote" or id(e) in keep]


def _from_reported(article: Article, item: Reported) -> Extracted:
    speaker = item.speaker
    return Extracted(item.kind, item.start, item.end, article.text[item.start : item.end], speaker.key, speaker.mention, item.cue, speaker.method, item.confidence)


def analyse(text: str, lexicon: Lexicon | None = None, headlines: bool = False) -> tuple[Article, list[Extracted]]:
    """Read an article and extract its statements (see :func:`extract`)."""
    article = Article(text, lexicon)
    return article, extract(article, headlines)
