"""Reported statements: the clauses of reporting verbs, without quote marks.

Each kind of clause has its finder, registered in :data:`CLAUSE_FINDERS` with
:func:`clause_finder` (register, don't branch): ``warned that …``, ``said Russia would …``,
``has ruled out …``, ``according to X, …`` / ``…, according to X``, ``…, Lavrov told reporters``,
``X's objective was …``. A finder returns :class:`Clause` objects: where the clause starts, who
said it, and an end rule saying where it stops:

- :class:`SentenceEnd`: at the end of the sentence, or earlier at a clause break, the next subject,
  the next reporting verb or a quotation that interrupts it;
- :class:`AtComma`: at the comma before the attribution (``Moscow will not accept troops, Lavrov
  told reporters``);
- :class:`BeforeAccording`: at the comma before ``according to`` (``…, according to X``).

:func:`reported` runs every finder on a sentence and turns the clauses into statements.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parley.ingest import cues
from parley.ingest.subjects import Pair, State, according_subject, cue_words, is_noun, resolve, skip_space, subject
from parley.ingest.text import Sentence

if TYPE_CHECKING:
    from parley.ingest.article import Article

_CLAUSE_BREAK = re.compile(r"[;:]|\s[–—]\s|\s-\s")
_TRAILING = re.compile(r"(?:[\s,;:.–—-]+|\s+(?:and|but|or|while|whereas|although|as|so|because|which|who)\b)+$", re.IGNORECASE)
_LEADING = re.compile(r"^[\s,;:–—-]+")
_WORDS = re.compile(r"[\w'’-]+")
_COORDINATED_VERB = re.compile(r"(?<![\w-])(?:and|but)(?:\s+(?:also|then|later|has|have|had))*$", re.IGNORECASE)
#: A quotation of up to this many words inside a reported clause is part of the clause.
SHORT_QUOTE_WORDS = 4
#: A sentence opening with a phrase like these has its clause after the attribution, not before.
_INTRODUCTORY = re.compile(r"\s*(?i:in|at|on|during|after|before|speaking|asked|for|from|with|as|when|while|by|via|addressing|writing)\b")
_QUOTE_MARK = re.compile(r"[\"“”«»]|x{6}")
#: A wire dateline opening a paragraph: "MOSCOW, Feb 20 (Reuters) - ", "KYIV, Ukraine (AP) — ".
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{2,}(?:,[^.\n]{0,40}?)?(?:\([^)\n]{1,30}\))?\s*[-–—]+\s*")
_THAT_AFTER = re.compile(r"((?:\s+[\w'’-]+){0,6}?)\s+that\s+")
_THAT_NEXT = re.compile(r"\s+that\b")
_ASSESSING = ("know", "knew", "fear", "believ", "think", "thought", "feel", "felt", "hope", "expect", "consider", "understand")
_POSITION = re.compile(
    rf"(?i:(?:one|some|all|none|two|several)\s+of\s+)?(?P<owner>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['’]s?\s+(?i:(?:(?:main|key|chief|stated|top|central|primary|first|only|real)\s+)?"
    rf"(?:{cues.POSITION_NOUNS})\s+{cues.COPULA}\s+(?:(?:to|for|that)\s+)?)"
)
METHOD_CONFIDENCE = {"cue": 0.9, "inverted": 0.9, "inherited": 0.7, "nearest": 0.45, "none": 0.5}


# ---------------------------------------------------------------------- end rules


@dataclass(frozen=True)
class SentenceEnd:
    """The clause runs on to the end of the sentence, unless something ends it before."""


@dataclass(frozen=True)
class AtComma:
    """The clause ends at the comma at ``offset`` (the attribution follows it)."""

    offset: int


@dataclass(frozen=True)
class BeforeAccording:
    """The clause ends at the comma before "according to"."""


EndRule = SentenceEnd | AtComma | BeforeAccording


@dataclass(frozen=True)
class Speaker:
    """Who a clause is attributed to, the words that say so start at ``attribution_start``."""

    key: str | None
    mention: str
    attribution_start: int
    method: str


@dataclass(frozen=True)
class Clause:
    """A reported clause found by a finder, before its end is worked out."""

    start: int
    end: EndRule
    kind: str  # reported_speech | assessment
    speaker: Speaker
    cue: str


@dataclass(frozen=True)
class Context:
    """What a clause finder reads: the article, one sentence, its reporting pairs, the reader's state."""

    article: Article
    sentence: Sentence
    pairs: tuple[Pair, ...]
    state: State


@dataclass(frozen=True)
class Reported:
    """One reported statement: ``article.text[start:end]``."""

    kind: str
    start: int
    end: int
    speaker: Speaker
    cue: str
    confidence: float


ClauseFinder = Callable[[Context], Iterable[Clause]]
#: The registered clause finders; two finding one span keep the speaker of the first registered.
CLAUSE_FINDERS: list[tuple[str, ClauseFinder]] = []


def clause_finder(name: str) -> Callable[[ClauseFinder], ClauseFinder]:
    """Register a clause finder under ``name``."""

    def register(finder: ClauseFinder) -> ClauseFinder:
        CLAUSE_FINDERS.append((name, finder))
        return finder

    return register


def reported(article: Article, sentence: Sentence, pairs: list[Pair], state: State) -> list[Reported]:
    """Every reported statement of one sentence (clauses carried by a quotation left to it)."""
    context = Context(article, sentence, tuple(pairs), state)
    subjects = sorted(p.subject.start for p in pairs if p.subject is not None)
    out = []
    for clause in (clause for _, finder in CLAUSE_FINDERS for clause in finder(context)):
        statement = _statement(context, clause, subjects)
        if statement is not None:
            out.append(statement)
    return out


def _statement(context: Context, clause: Clause, subjects: list[int]) -> Reported | None:
    article = context.article
    masked = article.masked
    end = clause_end(article, context.sentence, clause.start, subjects, clause.end)
    if end is None:
        return None
    start = skip_space(masked, clause.start)
    lead = _LEADING.match(masked, start)
    if lead:
        start = lead.end()
    if end - start < 8 or len(_WORDS.findall(masked, start, end)) < 3:
        return None
    if any(len(_WORDS.findall(article.text, q.start, q.end)) > SHORT_QUOTE_WORDS for q in article.quotes_between(start, end)):
        return None  # a quotation inside: the quotation is the statement
    confidence = METHOD_CONFIDENCE.get(clause.speaker.method, 0.5) * (0.8 if clause.kind == "assessment" else 0.85)
    return Reported(clause.kind, start, end, clause.speaker, " ".join(clause.cue.split()), round(confidence, 2))


def _speaker_for(context: Context, cue_start: int, cue_end: int) -> Speaker:
    """Who a clause introduced by the cue at ``cue_start`` belongs to."""
    article, sentence = context.article, context.sentence
    pair = next((p for p in context.pairs if p.cue_start == cue_start), None)
    if pair is not None and pair.subject is not None:
        return Speaker(pair.key, pair.subject.text, pair.attribution_start, pair.method)
    mention, attribution_start, method = subject(article, sentence, cue_start, cue_end)
    if mention is not None and method == "cue":
        return Speaker(resolve(article, mention, cue_start, context.state), mention.text, attribution_start, "cue")
    previous = [p for p in context.pairs if p.subject is not None and p.cue_end <= cue_start]
    if previous:
        p = previous[-1]
        return Speaker(p.key, p.subject.text, p.attribution_start, "inherited")
    people = [m for m in article.mentions_between(sentence.start, cue_start) if m.kind == "name" and article.is_person(m.key)]
    if people:
        return Speaker(people[-1].key, people[-1].text, cue_start, "nearest")
    return Speaker(None, "", cue_start, "none")


# ---------------------------------------------------------------------- the finders


@clause_finder("that")
def _that_clauses(context: Context) -> Iterable[Clause]:
    """``warned that …``, ``they fear that …`` (an assessment for verbs of belief)."""
    article, sentence = context.article, context.sentence
    for match in article.hits("that", sentence.start, sentence.end):
        if is_noun(article, sentence, match.start()):
            continue
        that = _THAT_AFTER.match(article.masked[match.end() : min(sentence.end, match.end() + 70)])
        if not that:
            continue
        start = match.end() + that.end()
        speaker = _speaker_for(context, match.start(), match.end())
        kind = "assessment" if match.group().lower().startswith(_ASSESSING) else "reported_speech"
        yield Clause(start, SentenceEnd(), kind, speaker, article.text[speaker.attribution_start : start].strip())


@clause_finder("bare")
def _bare_clauses(context: Context) -> Iterable[Clause]:
    """``Lavrov said Russia would …``: a say-like verb and a clause without "that"."""
    article, sentence = context.article, context.sentence
    for match in article.hits("bare", sentence.start, sentence.end):
        if is_noun(article, sentence, match.start()):
            continue
        start = match.end()
        following = article.word_after(start)
        pronoun = following is not None and following[0] == start and following[2] in cues.PERSONAL_PRONOUNS
        if not pronoun and not article.finite_within(start, min(sentence.end, start + 80)) and not article.past_within(start, 5):
            continue
        speaker = _speaker_for(context, match.start(), match.end())
        yield Clause(start, SentenceEnd(), "reported_speech", speaker, article.text[speaker.attribution_start : start].strip())


@clause_finder("object")
def _object_clauses(context: Context) -> Iterable[Clause]:
    """``has ruled out …``, ``have agreed to …``: the statement starts at the verb, which carries the stance."""
    article, sentence = context.article, context.sentence
    masked = article.masked
    for match in article.hits("object", sentence.start, sentence.end):
        if is_noun(article, sentence, match.start()) or _THAT_NEXT.match(masked, match.end()):
            continue  # a noun; or "demand that ...": the that-clause is the statement
        speaker = _speaker_for(context, match.start(), match.end())
        start, _ = article.aux_tail(max(sentence.start, match.start() - 60), match.start())
        start = skip_space(masked, start)
        while masked[start : start + 1] == ",":
            start = skip_space(masked, start + 1)
        yield Clause(start, SentenceEnd(), "reported_speech", speaker, article.text[speaker.attribution_start : match.end()].strip())


@clause_finder("according")
def _according_clauses(context: Context) -> Iterable[Clause]:
    """``According to X, …`` (the clause follows) and ``…, according to X`` (it comes first)."""
    article, sentence = context.article, context.sentence
    masked = article.masked
    for match in article.hits("according", sentence.start, sentence.end):
        mention = according_subject(article, sentence, match.end())
        if mention is None:
            continue
        speaker = Speaker(resolve(article, mention, match.start(), context.state), mention.text, match.start(), "inverted")
        head = masked[sentence.start : match.start()].rstrip()
        if head.endswith(",") and len(_WORDS.findall(head)) >= 3:
            yield Clause(sentence.start, BeforeAccording(), "reported_speech", speaker, article.text[match.start() : mention.end])
        elif masked[mention.end : mention.end + 1] == ",":
            yield Clause(mention.end + 1, SentenceEnd(), "reported_speech", speaker, article.text[match.start() : mention.end + 1])


@clause_finder("before-attribution")
def _clauses_before_attribution(context: Context) -> Iterable[Clause]:
    """``Moscow will not accept troops, Lavrov told reporters.``: the clause before the attribution."""
    article, sentence = context.article, context.sentence
    masked = article.masked
    for pair in context.pairs:
        if pair.subject is None or pair.method == "inherited":
            continue
        boundary = pair.attribution_start if pair.method == "cue" else pair.cue_start
        head = masked[sentence.start : boundary].rstrip()
        tail = masked[max(pair.cue_end, pair.subject.end) : sentence.end]
        if not head.endswith(",") or len(_WORDS.findall(tail)) > 6 or _QUOTE_MARK.search(tail) or _INTRODUCTORY.match(masked, sentence.start):
            continue
        dateline = _DATELINE.match(masked, sentence.start, boundary)
        start = dateline.end() if dateline else sentence.start
        speaker = Speaker(pair.key, pair.subject.text, pair.attribution_start, pair.method)
        yield Clause(start, AtComma(sentence.start + len(head) - 1), "reported_speech", speaker, cue_words(article, pair))


@clause_finder("position")
def _position_clauses(context: Context) -> Iterable[Clause]:
    """``One of Russia's objectives was …``: a position the text gives its owner."""
    article, sentence = context.article, context.sentence
    for match in _POSITION.finditer(article.masked, sentence.start, sentence.end):
        owner = article.mention_ending_at(match.start("owner") + len(match.group("owner")))
        if owner is None:
            continue
        speaker = Speaker(resolve(article, owner, match.start(), context.state), owner.text, match.start(), "cue")
        yield Clause(match.end(), SentenceEnd(), "assessment", speaker, article.text[match.start() : match.end()].strip())


# ---------------------------------------------------------------------- where a clause ends


def clause_end(article: Article, sentence: Sentence, start: int, subjects: list[int], rule: EndRule) -> int | None:
    """Where a reported clause starting at ``start`` ends, or ``None`` when a quotation carries it."""
    masked = article.masked
    if isinstance(rule, BeforeAccording):
        return _trim(masked, start, masked.rfind(",", sentence.start, masked.find("ccording", sentence.start, sentence.end)))
    if isinstance(rule, AtComma):
        return _trim(masked, start, rule.offset)
    end = sentence.end
    breaker = _CLAUSE_BREAK.search(masked, start, end)
    if breaker:
        end = breaker.start()
    k = bisect.bisect_right(subjects, start)
    if k < len(subjects) and subjects[k] < end:
        end = subjects[k]
    end = _next_verb(article, start, end)
    end = _interrupting_quote(article, start, end)
    return None if end is None else _trim(masked, start, end)


def _next_verb(article: Article, start: int, end: int) -> int:
    """'… "very soon," adding that …', '… and hinted that …': the next reporting verb ends the clause."""
    masked = article.masked
    reporting = {h.start() for h in article.hits("that", start + 1, end)} | {h.start() for h in article.hits("object", start + 1, end)}
    for hit in article.hits("speech", start + 1, end):
        before = masked[max(start, hit.start() - 12) : hit.start()].rstrip()
        participle = hit.group().lower().endswith("ing") and before.endswith((",", ',"', ",”"))
        if participle or (hit.start() in reporting and _COORDINATED_VERB.search(before)):
            return hit.start()
    return end


def _interrupting_quote(article: Article, start: int, end: int) -> int | None:
    """A quotation inside the clause: a quoted word is part of it ("would 'never' accept a deal");
    a longer quotation interrupts it, so the clause keeps what stands before it up to a break."""
    masked = article.masked
    first = bisect.bisect_left(article.quote_opens, start)
    for quote in article.quotes[first:]:
        if quote.open_at >= end:
            break
        if quote.open_at < start:
            continue
        after = quote.close_at + 1 if quote.close_at is not None else quote.end
        short = len(_WORDS.findall(article.text, quote.start, quote.end)) <= SHORT_QUOTE_WORDS
        if short and (len(_WORDS.findall(masked, after, end)) >= 3 or len(_WORDS.findall(masked, start, quote.open_at)) >= 3):
            continue
        return _last_break(article, start, quote.open_at)
    return end


def _last_break(article: Article, start: int, stop: int) -> int | None:
    """The last comma, semicolon or colon in ``[start, stop)`` outside quotation marks."""
    masked = article.masked
    position = stop
    while True:
        position = max(masked.rfind(",", start, position), masked.rfind(";", start, position), masked.rfind(":", start, position))
        if position <= start:
            return None
        inside = article.quotes_between(max(0, position - 2000), position + 1)
        if not any(q.start <= position < q.end for q in inside):
            return position


def _trim(masked: str, start: int, end: int) -> int | None:
    if end <= start:
        return None
    match = _TRAILING.search(masked, start, end)
    if match and match.end() == end:
        end = match.start()
    return end if end > start else None
