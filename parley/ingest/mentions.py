"""Mentions of possible speakers: names, roles, descriptions and pronouns outside quotation marks.

:func:`find_mentions` reads the quote-masked text in independent passes, each a pure function
that returns what it found; the passes share nothing mutable and their results are merged at the
end, so what is found never depends on the order of sentences:

1. dossier names and aliases (:attr:`Lexicon.name_pattern`);
2. capitalised sequences the article introduces, titles and sentence openers removed
   (``Russian political scientist Kirill Shamiev``): people, organisations, lone words;
3. roles the article gives its people (a title before the name, an appositive after it,
   ``Ms.``), which also make a lone name a person;
4. the dossier's role phrases (``the Russian foreign minister``);
5. descriptions ending in a role noun (``the researcher``, ``a Kremlin spokesman``);
6. personal pronouns.

Names are tied to entities (a dossier actor, or a person the article introduces, so "Kirill
Shamiev" and later "Shamiev" are one entity). Entities and mentions are frozen.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from parley.ingest import cues
from parley.ingest.lexicon import ActorEntry, Lexicon
from parley.ingest.text import Sentence

_CAP_TOKEN = r"(?:(?:[A-Z]\.){2,}|[A-Z]\.|[A-Z][\w'’-]*)"
_PARTICLES = r"(?:bin|ibn|al|el|de|da|di|du|van|von|der|den|la|le|del|dos|das)"
_CAP_SEQUENCE = re.compile(rf"(?<![\w'’-]){_CAP_TOKEN}(?:[ \t\u00a0]+(?:{_PARTICLES}[ \t\u00a0]+)*{_CAP_TOKEN})*")
#: The same where lines are hard-wrapped: a name may run over a line break ("John\nTower").
_CAP_SEQUENCE_WRAPPED = re.compile(
    rf"(?<![\w'’-]){_CAP_TOKEN}(?:[ \t\u00a0]*(?:\r\n|\n|\r)?[ \t\u00a0]*(?<=\s)(?:{_PARTICLES}\s+)*{_CAP_TOKEN})*"
)
_POSSESSIVE = re.compile(r"['’]s?$")
POSSESSIVE_AFTER = re.compile(r"['’]s?(?![\w])")
_ROLE_STOP = frozenset(
    "the a an his her their its our my your this that these those and or but of to for with by from in on at as said says told met".split()
)
_APPOSITIVE = re.compile(r",\s+(?:a|an|the)\s+((?:[\w'’-]+\s+){0,4}?)([\w'’-]+)(?=\s+(?:at|of|for|in|with|from|and|who|based)\b|\s*,)")
_HONORIFIC_BEFORE = re.compile(r"(?<![\w])(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.?\s+$")
_OPENER_WORDS = frozenset(w.lower() for w in cues.STOP_CAPS if w not in cues.TITLE_WORDS)
_NAME_PARTICLES = frozenset("bin ibn al el de da di du van von der den la le del dos das".split())
_SENTENCE_STOP = re.compile(r"[.!?]\s+|[\r\n]")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}")
_NATIONALITY_WORDS = frozenset(("US", "UK", "EU", "UN", "American", "British", "French", "Dutch", "Swiss", "Greek", "Thai"))
_RANK = {"name": 4, "role": 3, "np": 2, "pronoun": 1}


@dataclass(frozen=True)
class Entity:
    """Someone or something that can speak: a dossier actor or a name the article introduces."""

    key: str
    name: str
    actor_id: str | None = None
    person: bool = False
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Mention:
    """A stretch of the article naming or describing a possible speaker."""

    start: int
    end: int
    text: str
    kind: str  # name | role | np | pronoun | group
    key: str | None = None
    definite: bool = True
    head: str = ""
    possessive: bool = False  # a description owned by a name: "Hungary's foreign minister"


@dataclass(frozen=True)
class Mentions:
    """What :func:`find_mentions` found: mentions in text order and the entities they name."""

    mentions: tuple[Mention, ...]
    entities: Mapping[str, Entity]
    by_end: Mapping[int, Mention] = field(default_factory=dict)
    by_start: Mapping[int, Mention] = field(default_factory=dict)


def actor_entity(actor: ActorEntry) -> Entity:
    """The entity of a dossier actor: its roles, and the last word of each (``minister``)."""
    roles = {" ".join(r.lower().split()) for r in actor.roles}
    roles |= {r.split()[-1] for r in roles}
    return Entity(f"a:{actor.actor_id}", actor.name, actor.actor_id, actor.is_person, frozenset(roles))


@dataclass(frozen=True)
class _Reading:
    """The inputs every pass reads (never changes)."""

    masked: str
    lexicon: Lexicon
    sentences: tuple[Sentence, ...]
    readable: Callable[[int], bool]
    hard_wrapped: bool


def find_mentions(masked: str, lexicon: Lexicon, sentences: list[Sentence], readable_spans: list[tuple[int, int]], hard_wrapped: bool) -> Mentions:
    """Every mention of a possible speaker in the readable parts of the masked text.

    Parameters
    ----------
    masked
        The article text with quotations masked (:func:`parley.ingest.quotes.mask`).
    lexicon
        The dossier's actors and issues.
    sentences
        The sentences of the text (sentence openers are no names).
    readable_spans
        ``(start, end)`` of the paragraphs to read, in order (site furniture left out).
    hard_wrapped
        Whether lines were broken inside sentences (a name may run over a line break).
    """

    def readable(start: int) -> bool:
        k = bisect.bisect_right(readable_spans, (start, float("inf"))) - 1
        return k >= 0 and readable_spans[k][0] <= start < readable_spans[k][1]

    reading = _Reading(masked, lexicon, tuple(sentences), readable, hard_wrapped)
    dossier = _dossier_names(reading)
    taken = sorted((m.start, m.end) for m in dossier)
    dossier_keys = list(dict.fromkeys(m.key for m in dossier if m.key))
    introduced = _introduced_names(reading, taken, dossier_keys)
    names = sorted((*dossier, *introduced.mentions), key=lambda m: (m.start, -m.end))
    entities = {**{k: actor_entity(lexicon.actors[k[2:]]) for k in dossier_keys}, **introduced.entities}
    entities = _learned_roles(reading, names, entities)
    heads = frozenset(h for h in {*cues.ROLE_NOUNS, *lexicon.role_heads, *(r.split()[-1] for e in entities.values() for r in e.roles if r)} if h)
    mentions = sorted((*names, *_dossier_roles(reading, taken), *_descriptions(reading, heads), *_pronouns(reading)), key=lambda m: (m.start, -m.end))
    by_end: dict[int, Mention] = {}
    by_start: dict[int, Mention] = {}
    for mention in mentions:
        if mention.end not in by_end or rank(mention) > rank(by_end[mention.end]):
            by_end[mention.end] = mention
        if mention.start not in by_start or rank(mention) > rank(by_start[mention.start]):
            by_start[mention.start] = mention
    return Mentions(tuple(mentions), entities, by_end, by_start)


def _dossier_names(reading: _Reading) -> list[Mention]:
    """Pass 1: the dossier's names and aliases."""
    lexicon = reading.lexicon
    if lexicon.name_pattern is None:
        return []
    out = []
    for match in lexicon.name_pattern.finditer(reading.masked):
        if not reading.readable(match.start()):
            continue
        surface = " ".join(match.group().split())
        actor_id = lexicon.name_index.get(surface) or lexicon.name_index.get(surface[0].lower() + surface[1:])
        if actor_id is not None:
            out.append(Mention(match.start(), match.end(), match.group(), "name", f"a:{actor_id}"))
    return out


@dataclass(frozen=True)
class _Introduced:
    mentions: tuple[Mention, ...]
    entities: Mapping[str, Entity]


@dataclass(frozen=True)
class _Candidate:
    """A capitalised sequence once titles and openers are stripped."""

    start: int
    end: int
    tokens: tuple[str, ...]
    role: str  # the title words before the name ("Russian political scientist")


def _introduced_names(reading: _Reading, taken: list[tuple[int, int]], dossier_keys: list[str]) -> _Introduced:
    """Pass 2: names the article introduces: people (several name words), organisations, lone words.

    A lone word is a person's surname when a full name of the article or a dossier person ends
    (or starts) with it; otherwise it stays a body or place until it speaks (see
    :func:`parley.ingest.subjects.speaking_names`).
    """
    candidates = [c for c in _capitalised(reading) if not _overlaps(taken, c.start, c.end)]
    lower_words = set(_LOWER_WORD.findall(reading.masked))
    openings = {_skip_openers(reading.masked, s.start) for s in reading.sentences}
    mentions: list[Mention] = []
    entities: dict[str, Entity] = {}
    people = [c for c in candidates if len(c.tokens) > 1 and _is_person_name(c.tokens)]
    for c in candidates:
        if len(c.tokens) > 1 and not _is_person_name(c.tokens):
            name = " ".join(c.tokens)
            entities.setdefault(f"n:{name}", Entity(f"n:{name}", name))
            mentions.append(Mention(c.start, c.end, reading.masked[c.start : c.end], "name", f"n:{name}"))
    surnames: dict[str, str] = {}
    for c in people:
        name = " ".join(c.tokens)
        key = f"n:{name}"
        roles = frozenset({c.role.lower(), c.role.split()[-1].lower()}) if c.role else frozenset()
        old = entities.get(key)
        entities[key] = Entity(key, name, None, True, roles | (old.roles if old else frozenset()))
        surnames.setdefault(c.tokens[-1], key)
        surnames.setdefault(c.tokens[0], key)
        mentions.append(Mention(c.start, c.end, reading.masked[c.start : c.end], "name", key))
    for key in dossier_keys:  # in the order the article first names them
        actor = reading.lexicon.actors[key[2:]]
        if actor.is_person:
            surnames.setdefault(actor.name.split()[-1], key)
    for c in candidates:
        if len(c.tokens) != 1 or not _lone_name(c, c.start in openings, lower_words):
            continue
        key = surnames.get(c.tokens[0])
        if key is None:
            key = f"n:{c.tokens[0]}"
            entities.setdefault(key, Entity(key, c.tokens[0]))
        mentions.append(Mention(c.start, c.end, c.tokens[0], "name", key))
    return _Introduced(tuple(mentions), entities)


def _capitalised(reading: _Reading) -> list[_Candidate]:
    """Capitalised sequences with leading stop words, titles and nationalities removed."""
    pattern = _CAP_SEQUENCE_WRAPPED if reading.hard_wrapped else _CAP_SEQUENCE
    out = []
    for match in pattern.finditer(reading.masked):
        if not reading.readable(match.start()):
            continue
        start, end = match.start(), match.end()
        words = list(re.finditer(r"\S+", match.group()))
        tokens = [w.group() for w in words]
        last = _POSSESSIVE.sub("", tokens[-1]).rstrip(".")
        if last != tokens[-1]:
            end = start + words[-1].start() + len(last)
            tokens[-1] = last
        offsets = [start + w.start() for w in words]
        role_words: list[str] = []
        while tokens and _strippable(tokens):
            if tokens[0] not in cues.STOP_CAPS:
                role_words.append(tokens[0])
            tokens.pop(0)
            offsets.pop(0)
        if tokens and tokens[-1]:
            out.append(_Candidate(offsets[0], end, tuple(tokens), " ".join(role_words)))
    return out


def _strippable(tokens: list[str]) -> bool:
    """Whether the first token is a stop word, a title or a nationality before a title or name."""
    first = tokens[0]
    two = len(tokens) > 1
    return (
        first in cues.STOP_CAPS
        or first in cues.TITLE_WORDS
        or (two and _nationality(first) and (tokens[1] in cues.TITLE_WORDS or _nationality(tokens[1])))
        or _ACRONYM.fullmatch(first) is not None
        or (two and first.isupper() and len(first) > 1 and tokens[1] in cues.TITLE_WORDS)  # "NATO Secretary General"
    )


def _is_person_name(tokens: tuple[str, ...]) -> bool:
    return not any(t in cues.ORG_WORDS for t in tokens) and all(_looks_like_name_token(t) or t in _NAME_PARTICLES for t in tokens)


def _lone_name(candidate: _Candidate, opening: bool, lower_words: set[str]) -> bool:
    """A single capitalised word that reads as a name (a sentence opener must not be a common word)."""
    word = candidate.tokens[0]
    if not _looks_like_name_token(word):
        return False
    lower = word.lower()
    return not (opening and (lower in lower_words or lower.rstrip("s") in cues.ROLE_NOUNS or lower in cues.ROLE_NOUNS))


def _learned_roles(reading: _Reading, names: list[Mention], entities: dict[str, Entity]) -> dict[str, Entity]:
    """Pass 3: roles the article gives people ("the researcher Lesia Ogryzko", "Ogryzko, a researcher at").

    Each name mention is read on its own; what they teach is merged per entity (a union, so the
    order of mentions does not matter).
    """
    heads = set(cues.ROLE_NOUNS) | set(reading.lexicon.role_heads)
    learned: dict[str, tuple[bool, frozenset[str]]] = {}
    for mention in names:
        entity = entities.get(mention.key or "")
        if entity is None or (entity.actor_id and not entity.person):
            continue
        if not entity.person and (" " in entity.name or any(t in cues.ORG_WORDS or t.isupper() for t in entity.name.split())):
            continue  # a multi-word name that is not a person's (an organisation, a place)
        person, roles = _roles_around(reading.masked, mention, heads)
        if person or roles:
            was_person, was_roles = learned.get(entity.key, (False, frozenset()))
            learned[entity.key] = (was_person or person, was_roles | roles)
    out = dict(entities)
    for key, (person, roles) in learned.items():
        out[key] = replace(out[key], person=out[key].person or person, roles=out[key].roles | roles)
    return out


def _roles_around(masked: str, mention: Mention, heads: set[str]) -> tuple[bool, frozenset[str]]:
    """What the words around one name mention say: (is a person, roles)."""
    person = bool(_HONORIFIC_BEFORE.search(masked, max(0, mention.start - 6), mention.start))  # "Ms. Kallas"
    roles: set[str] = set()
    window = masked[max(0, mention.start - 60) : mention.start]
    window = _SENTENCE_STOP.split(window)[-1]  # the words of this sentence only
    before = re.findall(r"[\w'’-]+", window)
    words: list[str] = []
    for word in reversed(before):
        if word.lower() in _ROLE_STOP or word.lower() in _OPENER_WORDS:
            break
        words.insert(0, word)
        if len(words) == 4:
            break
    if words and (words[-1].lower() in heads or words[-1] in cues.TITLE_WORDS) and not POSSESSIVE_AFTER.match(masked, mention.end):
        roles |= {" ".join(words).lower(), words[-1].lower()}
        person = True
    appositive = _APPOSITIVE.match(masked, mention.end, min(len(masked), mention.end + 120))
    if appositive and appositive.group(2).lower() in heads:
        phrase = f"{appositive.group(1)}{appositive.group(2)}".lower()
        roles |= {" ".join(phrase.split()), appositive.group(2).lower()}
        person = True
    return person, frozenset(roles)


def _dossier_roles(reading: _Reading, taken: list[tuple[int, int]]) -> list[Mention]:
    """Pass 4: the dossier's role phrases ("the Russian foreign minister"), not a title before a name."""
    pattern = reading.lexicon.role_pattern
    if pattern is None:
        return []
    masked = reading.masked
    out = []
    for match in pattern.finditer(masked):
        if not reading.readable(match.start()) or _overlaps(taken, match.start(), match.end()):
            continue
        if re.match(r"\s[A-Z]", masked[match.end() : match.end() + 3]):
            continue  # a title before a name: the name is the mention
        role = " ".join(match.group().lower().split())
        start = match.start()
        if masked[max(0, start - 4) : start].lower() == "the ":
            start -= 4
        out.append(Mention(start, match.end(), masked[start : match.end()], "role", None, True, role))
    return out


def _descriptions(reading: _Reading, heads: frozenset[str]) -> list[Mention]:
    """Pass 5: descriptions ending in a role noun: "the researcher", "a Kremlin spokesman"."""
    masked = reading.masked
    out = []
    for match in _role_np(heads).finditer(masked):
        if not reading.readable(match.start()) or re.match(r"\s[A-Z][a-z]", masked[match.end() : match.end() + 3]):
            continue  # unreadable, or "the researcher Lesia Ogryzko": the name follows
        head = " ".join(match.group(3).lower().split())
        determiner = match.group(1).lower()
        possessive = determiner.endswith(("'s", "’s"))
        definite = determiner in ("the", "his", "her", "their", "its") or possessive
        role = f"{' '.join(match.group(2).lower().split())} {head}".strip()
        out.append(Mention(match.start(), match.end(), match.group(), "np", None, definite, role, possessive))
    return out


def _pronouns(reading: _Reading) -> list[Mention]:
    """Pass 6: personal pronouns."""
    return [
        Mention(m.start(), m.end(), m.group(), "pronoun", None, True, m.group().lower())
        for m in cues.PRONOUN.finditer(reading.masked)
        if reading.readable(m.start())
    ]


@functools.lru_cache(maxsize=64)
def _role_np(heads: frozenset[str]) -> re.Pattern[str]:
    """Descriptions ending in one of ``heads``: "the researcher", "a senior European diplomat"."""
    alternatives = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(heads, key=lambda h: (-len(h), h)))
    return re.compile(
        r"(?<![\w'’-])((?i:the|a|an|one|another|two|three|several|some|its|his|her|their)|(?-i:[A-Z][\w-]*)['’]s)\s+"
        rf"((?:(?!(?i:the|a|an|and|or|but|of|to|in|on|at|for|with|by|from|that|who|which|said|says|has|have|had|is|was|were|are)\s)[\w'’-]+\s+){{0,3}})((?i:{alternatives}))s?(?![\w'’-])"
    )


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect.bisect_left(taken, (start, start))
    return any(0 <= j < len(taken) and taken[j][0] < end and start < taken[j][1] for j in (k - 1, k))


def _skip_openers(text: str, position: int) -> int:
    while position < len(text) and (text[position].isspace() or text[position] in "\"'“‘«(["):
        position += 1
    return position


def rank(mention: Mention) -> int:
    """Which of two mentions ending (or starting) at one place to prefer: a name, then the longer."""
    return _RANK.get(mention.kind, 0) * 1000 + (mention.end - mention.start)


def _nationality(token: str) -> bool:
    if _ACRONYM.fullmatch(token):
        return True  # U.S., U.K.
    return bool(token[:1].isupper() and token[1:].islower() and cues.NATIONALITY_END.search(token)) or token in _NATIONALITY_WORDS


def _looks_like_name_token(token: str) -> bool:
    if not token or token in cues.STOP_CAPS or any(ch.isdigit() for ch in token):
        return False
    if token.isupper() and len(token) > 1:
        return True  # acronym: an organisation (NATO, ECFR)
    return token[0].isupper() and not token[1:].isupper()
