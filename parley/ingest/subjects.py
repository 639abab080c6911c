"""Subjects of reporting verbs, and what a mention refers to.

For each sentence the reporting verbs are paired with their subject (``X said``, ``said X``,
``X, a researcher at Y, explains``, ``according to X``): a :class:`Pair`. A mention resolves to an
entity: a name to its own, a role or description to the most recent entity described that way
(in the article or in the dossier's roles), a pronoun to the subject of this sentence or the last,
else the last speaker, which :class:`State` remembers while the article is read in order.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from parley.ingest import cues
from parley.ingest.mentions import POSSESSIVE_AFTER, Mention
from parley.ingest.text import Sentence

if TYPE_CHECKING:
    from parley.ingest.article import Article

_WORDS = re.compile(r"[\w'’-]+")
_PP_TAIL = re.compile(r"\s+(?i:in|from|at|of|with|for|on|to|by|near|inside|outside|across)\s+[^,;:\"“”.]{1,40}$")
_ACCORDING_PHRASE = re.compile(r"((?:[\w'’.-]+\s+){0,7}?[\w'’-]+)(?=\s*(?:[,;:]|\.(?:\s|$)|$))")
_PREPOSITION_BEFORE = re.compile(r"(?<![\w'’-])(?i:in|from|at|of|with|for|on|to|by|near|inside|outside|across)\s+(?:(?i:the)\s+)?(?:[A-Z][\w'’.-]*\s+){0,4}$")
_BARE_ROLE = re.compile(r"((?:(?!(?:the|a|an|and|or|but|of|to|in|on|at|for|with|by|from|that|who|which)\s)[\w'’-]+\s+){0,2})([A-Za-z-]+)\s*$", re.IGNORECASE)
#: What separates two reporting clauses of one sentence (else the second sits inside the first).
_CLAUSE_SEPARATION = re.compile(r"[;:\"“”«»]|,\s+(?:and|but|while|whereas|although)\b|\s[–—]\s")
_APPOSITIVE_OPENING = re.compile(r"\s*(?:a|an|the|who|which|whose|one|[a-z0-9])", re.IGNORECASE)
_COORDINATION_BEFORE = re.compile(r"(?<![\w-])(?:and|but|then|before|after|while)(?:\s+(?:also|later|then|has|had|have))*\s*$", re.IGNORECASE)
_LAST_WORD = re.compile(r"(?<![A-Za-z-])([A-Za-z-]+)\s*$")
_RELATIVE = re.compile(r"\s*(?:who|which|whose)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    """A reporting verb and its subject within one sentence."""

    cue_start: int
    cue_end: int
    subject: Mention | None
    key: str | None
    method: str  # cue | inverted | inherited
    attribution_start: int
    weak: bool = False  # a stance verb ("rejected") or a verb inside another's clause ("said Moscow would reject")


class State:
    """What the reader remembers while going through the article: the last speaker.

    The one mutable thing of attribution, changed only through :meth:`said`.
    """

    def __init__(self) -> None:
        self.speaker: str | None = None
        self.speaker_paragraph = -10
        self.speaker_mention = ""

    def said(self, key: str | None, paragraph: int, mention: str) -> None:
        """Remember the last speaker; ``key`` is ``None`` for one the article does not name."""
        self.speaker, self.speaker_paragraph, self.speaker_mention = key, paragraph, mention

    def new_section(self) -> None:
        """A sub-heading: no carry-over across it."""
        self.speaker_paragraph = -10


def speaking_names(article: Article) -> frozenset[str]:
    """Keys of lone capitalised names that are the subject of a reporting verb ("Peskov said").

    Such a name is a person's wherever the article uses it. Computed for the whole article
    before any quotation is attributed, so the answer never depends on the order of sentences.
    """
    out: set[str] = set()
    for sentence in article.sentences:
        for match in article.hits("speech", sentence.start, sentence.end):
            if is_noun(article, sentence, match.start()):
                continue
            found, _, _ = subject(article, sentence, match.start(), match.end())
            key = found.key if found is not None and found.kind == "name" else None
            if key and key.startswith("n:") and " " not in key and key[2:3].isupper() and not key[2:].isupper() and key[2:] not in cues.ORG_WORDS:
                out.add(key)
    return frozenset(out)


def pairs(article: Article, sentence: Sentence, state: State) -> list[Pair]:
    """Reporting verbs of a sentence with their subjects, resolved to entities."""
    found: list[Pair] = []
    for match in article.hits("speech", sentence.start, sentence.end):
        if is_noun(article, sentence, match.start()):
            continue
        mention, attribution_start, method = subject(article, sentence, match.start(), match.end())
        key = resolve(article, mention, match.start(), state) if mention else None
        found.append(Pair(match.start(), match.end(), mention, key, method, attribution_start if mention else match.start()))
    for match in article.hits("according", sentence.start, sentence.end):
        mention = according_subject(article, sentence, match.end())
        if mention is not None:
            key = resolve(article, mention, match.start(), state)
            # the source of a whole report: a verb of the sentence with its own subject comes first
            found.append(Pair(match.start(), mention.end, mention, key, "inverted", match.start(), weak=True))
    found.sort(key=lambda p: p.cue_start)
    return _participles_take_the_main_subject(article.masked, _chain(article.masked, found))


def _chain(masked: str, found: list[Pair]) -> list[Pair]:
    """Weak verbs, and verbs without a subject that go on from the last one ("…, and added")."""
    out: list[Pair] = []
    last: Pair | None = None
    for pair in found:
        weak = pair.weak or masked[pair.cue_start : pair.cue_end].lower() in cues.WEAK_FORMS or (
            last is not None and pair.subject is not None and not _CLAUSE_SEPARATION.search(masked, last.cue_end, pair.attribution_start)
        )
        pair = replace(pair, weak=weak)
        if pair.subject is None and last is not None and last.subject is not None:
            between = masked[last.cue_end : pair.cue_start]
            if masked[pair.cue_start : pair.cue_end].lower().endswith("ing") or _COORDINATION_BEFORE.search(between):
                pair = replace(pair, subject=last.subject, key=last.key, method="inherited", attribution_start=last.attribution_start)
        if pair.subject is not None and not pair.weak:
            last = pair
        out.append(pair)
    return out


def _participles_take_the_main_subject(masked: str, found: list[Pair]) -> list[Pair]:
    """"Saying that ..., Dmitriev said": a participle opening the sentence takes the main subject."""
    following = [p for p in found if p.subject is not None and not p.weak]
    out = []
    for pair in found:
        if pair.subject is None and masked[pair.cue_start : pair.cue_end].lower().endswith("ing"):
            after = [p for p in following if p.cue_start > pair.cue_start]
            if after:
                pair = replace(pair, subject=after[0].subject, key=after[0].key, method="inherited", attribution_start=after[0].attribution_start)
        out.append(pair)
    return out


def according_subject(article: Article, sentence: Sentence, position: int) -> Mention | None:
    """Who "according to" names: a known mention, or the words up to the next comma or full stop."""
    masked = article.masked
    start = skip_space(masked, position)
    known = article.mention_starting_at(start)
    phrase = _ACCORDING_PHRASE.match(masked, start, min(sentence.end, start + 90))
    if phrase is None:
        return known
    end = start + len(phrase.group(1))
    if known is not None and (known.end == end or masked[known.end : known.end + 1] == ","):
        return known
    text = masked[start:end]
    inner = article.mention_ending_at(end)
    if inner is not None and inner.kind == "np":  # "Ukrainian officials" has no determiner: keep the whole phrase
        return Mention(start, end, text, "np", None, inner.definite, inner.head)
    return Mention(start, end, text, "np", None, False, text.lower())


def is_noun(article: Article, sentence: Sentence, position: int) -> bool:
    """A reporting word right after a determiner is a noun: "the demands", "Russia's claims"."""
    before = article.word_before(position)
    if before is None or before[0] < sentence.start or article.masked[before[1] : position].strip():
        return False
    return before[2] in cues.DETERMINERS or before[2].endswith(("'s", "’s"))


def skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def subject(article: Article, sentence: Sentence, cue_start: int, cue_end: int) -> tuple[Mention | None, int, str]:
    """The subject of a reporting verb: before it (``X has said``) or right after it (``said X``).

    Returns the mention (``None`` when there is none), where the attribution starts, and how it
    was found (``cue`` or ``inverted``).
    """
    masked = article.masked
    lo = max(sentence.start, cue_start - 200)
    if masked[cue_start:cue_end].lower().endswith("ing") and re.search(r",\s*$", masked[lo:cue_start]):
        return None, cue_start, "cue"  # "..., calling it": the subject is the main clause's
    end, gap = article.aux_tail(lo, cue_start)
    found = _before_relative(article, sentence, end, gap) or _shared_subject(article, sentence, end)
    found = found or _named_person(article, sentence, end) or _before_appositive(article, sentence, end, gap)
    if found is None:
        found, end = _mention_before(article, sentence, end)
    found = found or _description_before(article, sentence, end)
    if found is not None:
        return found, found.start, "cue"
    return _inverted(article, sentence, cue_start, cue_end)


_RELATIVE_OPENS = re.compile(r",\s*(?:who|which|whose)\b", re.IGNORECASE)
_AND_BEFORE = re.compile(r"\s(?:and|but|then|before)\s*$", re.IGNORECASE)


def _before_relative(article: Article, sentence: Sentence, end: int, gap: str) -> Mention | None:
    """"Lavrov, who spoke after Rubio, said": the subject precedes the relative clause, never a name inside it."""
    if "," not in gap:
        return None
    lo = max(sentence.start, end - 160)
    opened = [m for m in _RELATIVE_OPENS.finditer(article.masked, lo, end)]
    if not opened or "," in article.masked[opened[-1].end() : end]:
        return None
    candidate = article.mention_ending_at(opened[-1].start())
    if candidate is not None and candidate.start >= sentence.start and candidate.kind in ("name", "role", "np"):
        return candidate
    return None


def _shared_subject(article: Article, sentence: Sentence, end: int) -> Mention | None:
    """"Rubio met Lavrov in Riyadh and said": a second verb of the clause shares its subject (the
    first of two named people), not the name nearest the verb: the sentence's first person, when a verb follows it."""
    if not _AND_BEFORE.search(article.masked, max(sentence.start, end - 12), end):
        return None
    masked = article.masked
    first = next((m for m in article.mentions_between(sentence.start, end)
                  if (m.kind == "role" or (m.kind == "name" and article.is_person(m.key)))
                  and masked.count("(", sentence.start, m.start) <= masked.count(")", sentence.start, m.start)), None)  # not a dateline's "(Wire)"
    if first is None:
        return None
    verb = article.word_after(first.end)
    if verb is None or verb[1] > end or not article.masked[first.end : verb[0]].isspace() or not verb[2].islower() or verb[2] in ("and", "or", "of"):
        return None  # "Rubio and Lavrov said", "Rubio, the envoy, ...": no verb of its own right after the first name
    return first


def _named_person(article: Article, sentence: Sentence, end: int) -> Mention | None:
    """"Poland's prime minister, Donald Tusk, said": a person's name right before the verb."""
    direct = article.mention_ending_at(end)
    if direct is not None and direct.start >= sentence.start and direct.kind == "name" and article.is_person(direct.key):
        return direct
    return None


def _before_appositive(article: Article, sentence: Sentence, end: int, gap: str) -> Mention | None:
    """"Lesia Ogryzko, a Ukrainian researcher at ..., explains": the subject precedes the appositive."""
    if "," not in gap:
        return None
    masked = article.masked
    comma = masked.rfind(",", max(sentence.start, end - 160), end)
    while comma > sentence.start:
        inner = masked[comma + 1 : end]
        if len(_WORDS.findall(inner)) > 20 or (article.hits("speech", comma, end) and not _RELATIVE.match(inner)):
            return None
        candidate = article.mention_ending_at(comma)
        if candidate is not None and candidate.kind in ("name", "role", "np") and _APPOSITIVE_OPENING.match(inner):
            return candidate
        comma = masked.rfind(",", max(sentence.start, end - 160), comma)
    return None


def _mention_before(article: Article, sentence: Sentence, end: int) -> tuple[Mention | None, int]:
    """The mention right before the verb; "Diplomats in Doha said": the head before the preposition.

    Also returns where a description should then be looked for (before the preposition).
    """
    mention = article.mention_ending_at(end)
    if mention is None or mention.start < sentence.start:
        return None, end
    preposition = _PREPOSITION_BEFORE.search(article.masked, max(sentence.start, mention.start - 60), mention.start)
    if preposition is None:
        return _coordinated(article, mention, sentence), end
    head = article.mention_ending_at(preposition.start())
    if head is not None and head.start >= sentence.start:
        return head, preposition.start()
    return None, preposition.start()


def _description_before(article: Article, sentence: Sentence, end: int) -> Mention | None:
    """"Officials said"; "Critics in Kyiv's parliament have accused": the head before the last preposition."""
    bare = _bare_description(article, sentence, end)
    if bare is not None:
        return bare
    phrase = _PP_TAIL.search(article.masked, max(sentence.start, end - 50), end)
    if phrase is None:
        return None
    mention = article.mention_ending_at(phrase.start())
    if mention is not None and mention.start >= sentence.start and mention.kind != "pronoun":
        return mention
    return _bare_description(article, sentence, phrase.start())


def _inverted(article: Article, sentence: Sentence, cue_start: int, cue_end: int) -> tuple[Mention | None, int, str]:
    """Inversion: '"...," said Lavrov' or ', said the minister,'; "says EU diplomat" is no EU."""
    masked = article.masked
    before = masked[sentence.start : cue_start].rstrip()
    if before and before[-1] not in ",\"”’'»":
        return None, cue_start, "cue"
    found = article.mention_starting_at(skip_space(masked, cue_end))
    if found is None or found.end > sentence.end:
        return None, cue_start, "cue"
    if found.kind == "name" and _modifies_role(article, found):
        k = bisect.bisect_left(article.word_starts, found.end)
        end = article.words[k][1]
        return Mention(found.start, end, masked[found.start : end], "np", None, False, article.words[k][2]), cue_start, "inverted"
    return found, cue_start, "inverted"


def _bare_description(article: Article, sentence: Sentence, end: int) -> Mention | None:
    """A description without determiner right before ``end``: "Officials said", "Western diplomats say"."""
    last = _LAST_WORD.search(article.masked, max(sentence.start, end - 40), end)
    if last is None or (last.group(1).lower().rstrip("s") not in cues.ROLE_NOUNS and last.group(1).lower() not in cues.ROLE_NOUNS):
        return None  # the cheap test first: the word before is no role noun
    match = _BARE_ROLE.search(article.masked, max(sentence.start, end - 60), end)
    if match is None or match.group(2).lower().rstrip("s") not in cues.ROLE_NOUNS and match.group(2).lower() not in cues.ROLE_NOUNS:
        return None
    return Mention(match.start(), end, article.masked[match.start() : end], "np", None, False, match.group(2).lower())


def _coordinated(article: Article, mention: Mention, sentence: Sentence) -> Mention:
    """``The United States and Russia have agreed``: a subject of two names, tied to no one entity."""
    before = article.masked[max(sentence.start, mention.start - 8) : mention.start]
    match = re.search(r"(?:\s+and\s+|\s*&\s*)$", before)
    if match and mention.kind == "name":
        other = article.mention_ending_at(mention.start - len(match.group()))
        if other is not None and other.kind == "name" and other.start >= sentence.start:
            start = other.start
            if article.masked[max(sentence.start, start - 4) : start].lower().endswith("the "):
                start -= 4
            return Mention(start, mention.end, article.text[start : mention.end], "group", None)
    return mention


def resolve(article: Article, mention: Mention, position: int, state: State) -> str | None:
    if mention.kind == "name":
        return mention.key
    if mention.kind in ("role", "np"):
        return article.resolve_role(mention, position)
    if mention.kind == "pronoun":
        if mention.head in ("he", "she"):
            return _person_referent(article, mention, state)
        # "In Kiev they know": a plural pronoun after a body named earlier in the same sentence
        sentence_start = article.masked.rfind(".", 0, mention.start) + 1
        bodies = [m for m in article.mentions_between(sentence_start, mention.start) if m.kind == "name" and m.key and not article.is_person(m.key)]
        return bodies[-1].key if bodies and mention.start - bodies[-1].end <= 3 else None
    return None


def cue_words(article: Article, pair: Pair) -> str:
    """The words that attribute: "Lavrov has described", "said Peskov", "Lavrov said … calling"."""
    text = article.text
    if pair.method == "inherited" and pair.subject is not None:
        return f"{' '.join(pair.subject.text.split())} … {text[pair.cue_start:pair.cue_end]}"
    start = min(pair.attribution_start, pair.cue_start)
    end = max(pair.cue_end, pair.subject.end if pair.method == "inverted" and pair.subject else pair.cue_end)
    words = " ".join(text[start:end].split())
    return words if len(words) <= 100 else words[:99] + "…"


def _modifies_role(article: Article, mention: Mention) -> bool:
    """``Trump envoy``, ``Kremlin spokesman``: the name qualifies the person who speaks."""
    k = bisect.bisect_left(article.word_starts, mention.end)
    if k >= len(article.words) or article.masked[mention.end : article.words[k][0]].strip():
        return False
    word = article.words[k][2]
    return word in cues.ROLE_NOUNS or word.rstrip("s") in cues.ROLE_NOUNS


def colon_speaker(article: Article, start: int, colon: int, state: State) -> tuple[str | None, str, str, str] | None:
    """Who introduces a quotation with a colon: a named person first, else a description."""
    candidates = [
        m for m in article.mentions_between(start, colon)
        if m.kind in ("name", "role", "np", "pronoun") and not POSSESSIVE_AFTER.match(article.masked, m.end)
        and not (m.kind == "name" and _modifies_role(article, m))
    ]
    if not candidates:
        return None
    rank = {"name": 0, "role": 1, "np": 2, "pronoun": 3}
    people = [m for m in candidates if m.kind != "name" or article.is_person(m.key)]
    chosen = min(people or candidates, key=lambda m: (rank[m.kind], m.start))
    key = resolve(article, chosen, chosen.start, state)
    return key, chosen.text, " ".join(article.text[chosen.start : colon + 1].split()), "colon"


def _person_referent(article: Article, mention: Mention, state: State) -> str | None:
    """He or she: the subject of this sentence or the last, else the last speaker."""
    index = article.sentence_at(mention.start)
    sentence = article.sentences[index]
    here = article.people_between(sentence.start, mention.start)
    if here:
        return here[0].key
    if index > 0:
        previous = article.sentences[index - 1]
        if previous.paragraph >= sentence.paragraph - 1 and previous.paragraph not in article.headings:
            before = article.people_between(previous.start, previous.end)
            if before:
                return before[0].key
    if state.speaker is None and state.speaker_mention and state.speaker_paragraph >= sentence.paragraph - 1:
        return None  # the last speaker is someone the article does not name
    if state.speaker and article.is_person(state.speaker):
        return state.speaker
    return article.last_person_before(mention.start)

