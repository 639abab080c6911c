"""Who said it: mentions of people and bodies, attribution cues, speakers of quotes and reports.

The article is read once, in order. Every name, role, pronoun and descriptive noun phrase
outside quotation marks becomes a :class:`Mention`; names are tied to entities (a dossier actor,
or a person the article introduces, so "Kirill Shamiev" and later "Shamiev" are one entity).
For each sentence the reporting verbs are paired with their subject (``X said``, ``said X``,
``X, a researcher at Y, explains``); each quotation takes the subject of the nearest pair in its
sentence, or the holder of a viewpoint (``For X, "…"``), or the subject of a clause that opens
it with a colon (``X was optimistic: "…"``). A quotation that forms a sentence of its own takes
the nearest attributed speaker before it (carry-over); a quoted phrase inside a sentence with no
speaker stays unattributed. Pronouns take the last speaker; ``the researcher`` takes the most
recent entity described that way, in the article or in the dossier's roles.

Reported statements are the clauses of reporting verbs (``warned that …``, ``has ruled out …``,
``according to X, …``, ``X's objective was …``) without quote marks.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace

from parley.ingest import cues
from parley.ingest.lexicon import Lexicon
from parley.ingest.quotes import Quote, find_quotes, mask
from parley.ingest.text import Block, Sentence, is_hard_wrapped, paragraphs, sentences

_CAP_TOKEN = r"(?:(?:[A-Z]\.){2,}|[A-Z]\.|[A-Z][\w'’-]*)"
_CAP_SEQUENCE = re.compile(
    rf"(?<![\w'’-]){_CAP_TOKEN}(?:[ \t\u00a0]+(?:(?:bin|ibn|al|el|de|da|di|du|van|von|der|den|la|le|del|dos|das)[ \t\u00a0]+)*{_CAP_TOKEN})*"
)
#: The same where lines are hard-wrapped: a name may run over a line break ("John\nTower").
_CAP_SEQUENCE_WRAPPED = re.compile(
    rf"(?<![\w'’-]){_CAP_TOKEN}(?:[ \t\u00a0]*(?:\r\n|\n|\r)?[ \t\u00a0]*(?<=\s)(?:(?:bin|ibn|al|el|de|da|di|du|van|von|der|den|la|le|del|dos|das)\s+)*{_CAP_TOKEN})*"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_ROLE_STOP = frozenset(
    "the a an his her their its our my your this that these those and or but of to for with by from in on at as said says told met".split()
)
_APPOSITIVE = re.compile(r",\s+(?:a|an|the)\s+((?:[\w'’-]+\s+){0,4}?)([\w'’-]+)(?=\s+(?:at|of|for|in|with|from|and|who|based)\b|\s*,)")


@functools.lru_cache(maxsize=64)
def _role_np(heads: frozenset[str]) -> re.Pattern[str]:
    """Descriptions ending in one of ``heads``: "the researcher", "a senior European diplomat"."""
    alternatives = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(heads, key=lambda h: (-len(h), h)))
    return re.compile(
        r"(?<![\w'’-])((?i:the|a|an|one|another|two|three|several|some|its|his|her|their)|(?-i:[A-Z][\w-]*)['’]s)\s+"
        rf"((?:(?!(?i:the|a|an|and|or|but|of|to|in|on|at|for|with|by|from|that|who|which|said|says|has|have|had|is|was|were|are)\s)[\w'’-]+\s+){{0,3}})((?i:{alternatives}))s?(?![\w'’-])"
    )
_CLAUSE_BREAK = re.compile(r"[;:]|\s[–—]\s|\s-\s")
_TRAILING = re.compile(r"(?:[\s,;:.–—-]+|\s+(?:and|but|or|while|whereas|although|as|so|because|which|who)\b)+$", re.IGNORECASE)
_LEADING = re.compile(r"^[\s,;:–—-]+")
_WORDS = re.compile(r"[\w'’-]+")
_VIEWPOINT = re.compile(r"^\s*(?:for|according\s+to|in\s+the\s+(?:view|words|opinion)\s+of|as)\s+", re.IGNORECASE)
_HEADING_MAX_WORDS = 12
_COORDINATED_VERB = re.compile(r"(?<![\w-])(?:and|but)(?:\s+(?:also|then|later|has|have|had))*$", re.IGNORECASE)
#: A quotation of up to this many words inside a reported clause is part of the clause.
_SHORT_QUOTE_WORDS = 4
#: A sentence opening with a phrase like these has its clause after the attribution, not before.
_INTRODUCTORY = re.compile(r"\s*(?i:in|at|on|during|after|before|speaking|asked|for|from|with|as|when|while|by|via|addressing|writing)\b")
_LIST_OPENER = re.compile(
    r"\s*(?:read\s+more|related(?:\s+\w+)?|more\s+(?:from|on|about)\b.*|most\s+(?:read|popular)|recommended|see\s+also|trending|you\s+may\s+also\s+like)\s*:?\s*$",
    re.IGNORECASE,
)
_HONORIFIC_BEFORE = re.compile(r"(?<![\w])(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.?\s+$")
_OPENER_WORDS = frozenset(w.lower() for w in cues.STOP_CAPS if w not in cues.TITLE_WORDS)
_WORD_TOKEN = re.compile(r"[^\W_][\w'’-]*")
_GAP_CHARS = " \t\r\n,\u00a0"
_QUOTE_MARK = re.compile(r"[\"“”«»]|x{6}")
#: A wire dateline opening a paragraph: "MOSCOW, Feb 20 (Reuters) - ", "KYIV, Ukraine (AP) — ".
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{2,}(?:,[^.\n]{0,40}?)?(?:\([^)\n]{1,30}\))?\s*[-–—]+\s*")
_PP_TAIL = re.compile(r"\s+(?i:in|from|at|of|with|for|on|to|by|near|inside|outside|across)\s+[^,;:\"“”.]{1,40}$")
_ACCORDING_PHRASE = re.compile(r"((?:[\w'’.-]+\s+){0,7}?[\w'’-]+)(?=\s*(?:[,;:]|\.(?:\s|$)|$))")
_WORD_CHAR = re.compile(r"[^\W_]")
_STRONG_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although)\b", re.IGNORECASE)
_NAME_PARTICLES = frozenset("bin ibn al el de da di du van von der den la le del dos das".split())
_POSSESSIVE_AFTER = re.compile(r"['’]s?(?![\w])")
_PREPOSITION_BEFORE = re.compile(r"(?<![\w'’-])(?i:in|from|at|of|with|for|on|to|by|near|inside|outside|across)\s+(?:(?i:the)\s+)?(?:[A-Z][\w'’.-]*\s+){0,4}$")
_BARE_ROLE = re.compile(r"((?:(?!(?:the|a|an|and|or|but|of|to|in|on|at|for|with|by|from|that|who|which)\s)[\w'’-]+\s+){0,2})([A-Za-z-]+)\s*$", re.IGNORECASE)
#: What separates two reporting clauses of one sentence (else the second sits inside the first).
_CLAUSE_SEPARATION = re.compile(r"[;:\"“”«»]|,\s+(?:and|but|while|whereas|although)\b|\s[–—]\s")
#: A label opening a paragraph before a quotation ("Quote:", "Details:"): not a speaker.
_LABEL = re.compile(r"^\s*(?i:quote|quotes|details|background|context|update)\s*:\s*[\"“«„]?$")
_APPOSITIVE_OPENING = re.compile(r"\s*(?:a|an|the|who|which|whose|one|[a-z0-9])", re.IGNORECASE)


@dataclass
class Entity:
    """Someone or something that can speak: a dossier actor or a name the article introduces."""

    key: str
    name: str
    actor_id: str | None = None
    person: bool = False
    roles: set[str] = field(default_factory=set)


@dataclass
class Mention:
    """A stretch of the article naming or describing a possible speaker."""

    start: int
    end: int
    text: str
    kind: str  # name | role | pronoun | np
    key: str | None = None
    definite: bool = True
    head: str = ""
    possessive: bool = False  # a description owned by a name: "Hungary's foreign minister"


@dataclass
class Pair:
    """A reporting verb and its subject within one sentence."""

    cue_start: int
    cue_end: int
    subject: Mention | None
    key: str | None
    method: str  # cue | inverted | inherited
    attribution_start: int
    weak: bool = False  # a stance verb ("rejected") or a verb inside another's clause ("said Moscow would reject")


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


class _Hit:
    """A cue found in the word index; quacks like the part of ``re.Match`` the code uses."""

    __slots__ = ("s", "e", "text")

    def __init__(self, s: int, e: int, text: str):
        self.s, self.e, self.text = s, e, text

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self) -> str:
        return self.text


class Article:
    """One article analysed: paragraphs, quotations, sentences, mentions and entities.

    Parameters
    ----------
    text
        The article text exactly as stored.
    lexicon
        The dossier's actors and issues (:class:`parley.ingest.lexicon.Lexicon`); may be empty.
    """

    def __init__(self, text: str, lexicon: Lexicon | None = None):
        self.text = text
        self.lexicon = lexicon or Lexicon.empty()
        self.blocks: list[Block] = paragraphs(text)
        self.quotes, self.mark_problems = find_quotes(text, self.blocks)
        self.masked = mask(text, self.quotes)
        self.sentences: list[Sentence] = sentences(self.masked, self.blocks)
        self.words = [(m.start(), m.end(), m.group().lower()) for m in _WORD_TOKEN.finditer(self.masked)]
        self.word_starts = [w[0] for w in self.words]
        self._hits = {
            "speech": self._index_hits(cues.SPEECH_INDEX),
            "that": self._index_hits(cues.THAT_INDEX),
            "object": self._index_hits(cues.OBJECT_INDEX),
            "according": self._index_hits(cues.ACCORDING_INDEX),
            "bare": self._bare_hits(),
        }
        self._hit_starts = {name: [h.s for h in hits] for name, hits in self._hits.items()}
        self.skip_paragraphs = _furniture(text, self.blocks)
        self.headings = {i for i, b in enumerate(self.blocks) if _is_heading(self.masked[b.start : b.end])}
        self.headlines = _headlines(text, self.blocks, self.skip_paragraphs)
        self.entities: dict[str, Entity] = {}
        self.mentions: list[Mention] = []
        self._find_mentions()
        self._by_end: dict[int, Mention] = {}
        self._by_start: dict[int, Mention] = {}
        for mention in self.mentions:
            if mention.end not in self._by_end or _rank(mention) > _rank(self._by_end[mention.end]):
                self._by_end[mention.end] = mention
            if mention.start not in self._by_start or _rank(mention) > _rank(self._by_start[mention.start]):
                self._by_start[mention.start] = mention
        self._named = sorted((m.start, m.key) for m in self.mentions if m.key and m.kind == "name")
        self._named_starts = [s for s, _ in self._named]
        self._mention_starts = [m.start for m in self.mentions]
        self.quote_opens = [q.open_at for q in self.quotes]
        self._sentence_starts = [s.start for s in self.sentences]

    # ------------------------------------------------------------------ words and cues

    def _index_hits(self, index: dict[str, tuple[tuple[str, ...], ...]]) -> list[_Hit]:
        """Every occurrence of the index's forms (words compared in lower case)."""
        words, masked = self.words, self.masked
        out: list[_Hit] = []
        n = len(words)
        for i, (start, end, word) in enumerate(words):
            rests = index.get(word)
            if rests is None:
                continue
            for rest in rests:
                j = i + 1
                for part in rest:
                    if j >= n or words[j][2] != part:
                        break
                    j += 1
                else:
                    stop = words[j - 1][1]
                    out.append(_Hit(start, stop, masked[start:stop]))
                    break
        return out

    def _bare_hits(self) -> list[_Hit]:
        """Say-like verbs followed by a clause without "that": the hit ends where the clause starts."""
        words, masked = self.words, self.masked
        out: list[_Hit] = []
        for i, (start, end, word) in enumerate(words):
            if word in cues.BARE_FORMS:
                j = i + 1
            elif word in cues.BARE_OBJECT_FORMS:  # "told reporters", "told the BBC"
                j = i + 3 if i + 1 < len(words) and words[i + 1][2] in cues.DETERMINERS else i + 2
            else:
                continue
            if j >= len(words) or masked[words[j - 1][1] : words[j][0]].strip():
                continue
            following = words[j]
            if following[2] == "that":
                continue  # the that-clause is found as such
            text = masked[following[0] : following[1]]
            soon = words[j + 1 : j + 4]
            if following[2] in cues.BARE_OPENERS or text[:1].isupper() or any(w[2] in cues.FINITE_WORDS for w in soon):
                out.append(_Hit(start, following[0], masked[start : following[0]]))
        return out

    def hits(self, name: str, start: int, end: int) -> list[_Hit]:
        """Cue hits of one kind (speech, that, object, according, bare) starting in ``[start, end)``."""
        starts = self._hit_starts[name]
        return self._hits[name][bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    def word_before(self, position: int) -> tuple[int, int, str] | None:
        k = bisect.bisect_left(self.word_starts, position) - 1
        return self.words[k] if k >= 0 else None

    def aux_tail(self, low: int, position: int) -> tuple[int, str]:
        """Where the auxiliaries and adverbs before ``position`` begin ("Rubio| himself has admitted")."""
        masked, words = self.masked, self.words
        k = bisect.bisect_left(self.word_starts, position) - 1
        end = position
        while k >= 0 and words[k][0] >= low:
            start, stop, word = words[k]
            if masked[stop:end].strip(_GAP_CHARS):
                break
            if word in cues.AUX_WORDS or (word.endswith("ly") and masked[start].islower()):
                end = start
                k -= 1
                continue
            break
        start = end
        while start > low and masked[start - 1] in _GAP_CHARS:
            start -= 1
        return start, masked[start:position]

    def past_within(self, start: int, count: int) -> bool:
        """Whether one of the ``count`` words from ``start`` is a past tense ("the plan remained")."""
        k = bisect.bisect_left(self.word_starts, start)
        return any(word.endswith("ed") and self.masked[s].islower() for s, _, word in self.words[k + 1 : k + count])

    def finite_within(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.word_starts, start)
        for s, _, word in self.words[k:]:
            if s >= end:
                return False
            if word in cues.FINITE_WORDS:
                return True
        return False

    # ------------------------------------------------------------------ mentions

    def _entity_for_actor(self, actor_id: str) -> Entity:
        key = f"a:{actor_id}"
        if key not in self.entities:
            actor = self.lexicon.actors[actor_id]
            roles = {" ".join(r.lower().split()) for r in actor.roles}
            roles |= {r.split()[-1] for r in roles}
            self.entities[key] = Entity(key, actor.name, actor_id, actor.is_person, roles)
        return self.entities[key]

    def _find_mentions(self) -> None:
        masked = self.masked
        taken: list[tuple[int, int]] = []
        spans_ok = [(b.start, b.end) for i, b in enumerate(self.blocks) if i not in self.skip_paragraphs]

        def readable(start: int) -> bool:
            k = bisect.bisect_right(spans_ok, (start, float("inf"))) - 1
            return k >= 0 and spans_ok[k][0] <= start < spans_ok[k][1]

        lexicon = self.lexicon
        if lexicon.name_pattern is not None:
            for match in lexicon.name_pattern.finditer(masked):
                if not readable(match.start()):
                    continue
                surface = " ".join(match.group().split())
                actor_id = lexicon.name_index.get(surface) or lexicon.name_index.get(surface[0].lower() + surface[1:])
                if actor_id is None:
                    continue
                entity = self._entity_for_actor(actor_id)
                self.mentions.append(Mention(match.start(), match.end(), match.group(), "name", entity.key))
                taken.append((match.start(), match.end()))
        taken.sort()

        def overlaps(start: int, end: int) -> bool:
            k = bisect.bisect_left(taken, (start, start))
            for j in (k - 1, k):
                if 0 <= j < len(taken) and taken[j][0] < end and start < taken[j][1]:
                    return True
            return False

        # Names the article introduces: capitalised sequences, titles and sentence openers removed.
        # A capitalised word opening a sentence is a common word when the text also has it in lower case.
        lower_words = set(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]*", masked))
        sentence_openings = {_skip_openers(masked, s.start) for s in self.sentences}
        singles: list[tuple[int, int, str]] = []
        locals_: list[tuple[int, int, str, str]] = []  # start, end, name, premodifier role
        for match in (_CAP_SEQUENCE_WRAPPED if is_hard_wrapped(self.text) else _CAP_SEQUENCE).finditer(masked):
            if not readable(match.start()):
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
            while tokens and (
                tokens[0] in cues.STOP_CAPS
                or tokens[0] in cues.TITLE_WORDS
                or (len(tokens) > 1 and _nationality(tokens[0]) and (tokens[1] in cues.TITLE_WORDS or _nationality(tokens[1])))
                or re.fullmatch(r"(?:[A-Z]\.){2,}", tokens[0]) is not None
                or (len(tokens) > 1 and tokens[0].isupper() and len(tokens[0]) > 1 and tokens[1] in cues.TITLE_WORDS)  # "NATO Secretary General"
            ):
                if tokens[0] not in cues.STOP_CAPS:
                    role_words.append(tokens[0])
                tokens.pop(0)
                offsets.pop(0)
            if not tokens or not tokens[-1]:
                continue
            start = offsets[0]
            if overlaps(start, end):
                # part of a dossier name ("Marco Rubio" inside a longer match): keep only what is free
                continue
            name = " ".join(tokens)
            if len(tokens) == 1:
                word = tokens[0]
                opening = start in sentence_openings
                if _looks_like_name_token(word) and not (opening and (word.lower() in lower_words or word.lower().rstrip("s") in cues.ROLE_NOUNS or word.lower() in cues.ROLE_NOUNS)):
                    singles.append((start, end, word))
                continue
            if any(t in cues.ORG_WORDS for t in tokens) or not all(_looks_like_name_token(t) or t in _NAME_PARTICLES for t in tokens):
                entity = self.entities.setdefault(f"n:{name}", Entity(f"n:{name}", name, None, False))
                self.mentions.append(Mention(start, end, masked[start:end], "name", entity.key))
                continue
            locals_.append((start, end, name, " ".join(role_words)))
        surnames: dict[str, str] = {}
        for start, end, name, role in locals_:
            entity = self.entities.setdefault(f"n:{name}", Entity(f"n:{name}", name, None, True))
            if role:
                entity.roles |= {role.lower(), role.split()[-1].lower()}
            surnames.setdefault(name.split()[-1], entity.key)
            surnames.setdefault(name.split()[0], entity.key)
            self.mentions.append(Mention(start, end, masked[start:end], "name", entity.key))
        for actor_key, entity in list(self.entities.items()):
            if entity.actor_id and entity.person:
                surnames.setdefault(entity.name.split()[-1], actor_key)
        for start, end, token in singles:
            key = surnames.get(token)
            if key is None:
                key = f"n:{token}"
                # a lone unknown word may be a place as well as a surname: a person only once it speaks
                self.entities.setdefault(key, Entity(key, token, None, False))
            self.mentions.append(Mention(start, end, token, "name", key))
        self.mentions.sort(key=lambda m: (m.start, -m.end))

        # Roles learned from the article: "Russian political scientist Kirill Shamiev", "Lesia Ogryzko, a researcher at".
        heads = set(cues.ROLE_NOUNS) | set(self.lexicon.role_heads)
        for mention in [m for m in self.mentions if m.kind == "name" and m.key]:
            entity = self.entities[mention.key]
            if entity.actor_id and not entity.person:
                continue
            if not entity.person and (" " in entity.name or any(t in cues.ORG_WORDS or t.isupper() for t in entity.name.split())):
                continue  # a multi-word name that is not a person's (an organisation, a place)
            if _HONORIFIC_BEFORE.search(masked, max(0, mention.start - 6), mention.start):
                entity.person = True  # "Ms. Kallas"
            before = re.findall(r"[\w'’-]+", masked[max(0, mention.start - 60) : mention.start])
            words: list[str] = []
            for word in reversed(before):
                if word.lower() in _ROLE_STOP or word.lower() in _OPENER_WORDS:
                    break
                words.insert(0, word)
                if len(words) == 4:
                    break
            if words and (words[-1].lower() in heads or words[-1] in cues.TITLE_WORDS) and not _POSSESSIVE_AFTER.match(masked, mention.end):
                phrase = " ".join(words).lower()
                entity.roles |= {phrase, words[-1].lower()}
                entity.person = True
            appositive = _APPOSITIVE.match(masked, mention.end, min(len(masked), mention.end + 120))
            if appositive and appositive.group(2).lower() in heads:
                phrase = f"{appositive.group(1)}{appositive.group(2)}".lower()
                entity.roles |= {" ".join(phrase.split()), appositive.group(2).lower()}
                entity.person = True
        for entity in self.entities.values():
            heads |= {r.split()[-1] for r in entity.roles if r}

        # Roles from the dossier ("the Russian foreign minister").
        if lexicon.role_pattern is not None:
            for match in lexicon.role_pattern.finditer(masked):
                if not readable(match.start()) or overlaps(match.start(), match.end()):
                    continue
                after = masked[match.end() : match.end() + 3]
                if re.match(r"\s[A-Z]", after):
                    continue  # a title before a name: the name is the mention
                role = " ".join(match.group().lower().split())
                start = match.start()
                if masked[max(0, start - 4) : start].lower() == "the ":
                    start -= 4
                self.mentions.append(Mention(start, match.end(), masked[start : match.end()], "role", None, True, role))
        # Descriptions: "the researcher", "a Kremlin spokesman".
        for match in _role_np(frozenset(h for h in heads if h)).finditer(masked):
            head = " ".join(match.group(3).lower().split())
            if not readable(match.start()):
                continue
            if re.match(r"\s[A-Z][a-z]", masked[match.end() : match.end() + 3]):
                continue  # "the researcher Lesia Ogryzko": the name follows
            determiner = match.group(1).lower()
            possessive = determiner.endswith(("'s", "’s"))
            definite = determiner in ("the", "his", "her", "their", "its") or possessive
            modifiers = " ".join(match.group(2).lower().split())
            role = f"{modifiers} {head}".strip()
            self.mentions.append(Mention(match.start(), match.end(), match.group(), "np", None, definite, role, possessive))
        for match in cues.PRONOUN.finditer(masked):
            if readable(match.start()):
                self.mentions.append(Mention(match.start(), match.end(), match.group(), "pronoun", None, True, match.group().lower()))
        self.mentions.sort(key=lambda m: (m.start, -m.end))

    def resolve_role(self, mention: Mention, position: int) -> str | None:
        """The entity a role or description refers to: the most recent one holding that role."""
        if not mention.definite:
            return None
        role = mention.head
        head = role.split()[-1] if role else ""
        candidates = [e for e in self.entities.values() if role in e.roles]
        if not candidates and not mention.possessive:  # "Hungary's foreign minister" is not any minister
            candidates = [e for e in self.entities.values() if head and head in e.roles]
        if mention.kind == "role":
            for actor_id in self.lexicon.role_index.get(role, ()):
                candidates.append(self._entity_for_actor(actor_id))
        if not candidates:
            return None
        keys = {c.key for c in candidates}
        if len(keys) == 1:
            return next(iter(keys))
        k = bisect.bisect_left(self._named_starts, position)
        for start, key in reversed(self._named[:k]):
            if key in keys:
                return key
        for start, key in self._named[k:]:
            if key in keys:
                return key
        return sorted(keys)[0]

    def sentence_at(self, position: int) -> int:
        """Index of the sentence holding ``position``."""
        return max(0, bisect.bisect_right(self._sentence_starts, position) - 1)

    def quotes_between(self, start: int, end: int) -> list[Quote]:
        """Quotations opening within ``[start, end)``."""
        return self.quotes[bisect.bisect_left(self.quote_opens, start) : bisect.bisect_left(self.quote_opens, end)]

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """Mentions lying wholly within ``[start, end)``, in order."""
        k = bisect.bisect_left(self._mention_starts, start)
        out = []
        for mention in self.mentions[k:]:
            if mention.start >= end:
                break
            if mention.end <= end:
                out.append(mention)
        return out

    def people_between(self, start: int, end: int) -> list[Mention]:
        """Name mentions of people within ``[start, end)``, in order."""
        k = bisect.bisect_left(self._mention_starts, start)
        out = []
        for mention in self.mentions[k:]:
            if mention.start >= end:
                break
            if mention.kind == "name" and mention.key and mention.end <= end and self.entities[mention.key].person and not _POSSESSIVE_AFTER.match(self.masked, mention.end):
                out.append(mention)
        return out

    def last_person_before(self, position: int) -> str | None:
        k = bisect.bisect_left(self._named_starts, position)
        for _, key in reversed(self._named[max(0, k - 40) : k]):
            if self.entities[key].person:
                return key
        return None

    def name_of(self, key: str | None) -> str:
        return self.entities[key].name if key else ""


def _skip_openers(text: str, position: int) -> int:
    while position < len(text) and (text[position].isspace() or text[position] in "\"'“‘«(["):
        position += 1
    return position


def _rank(mention: Mention) -> int:
    return {"name": 4, "role": 3, "np": 2, "pronoun": 1}.get(mention.kind, 0) * 1000 + (mention.end - mention.start)


def _nationality(token: str) -> bool:
    if re.fullmatch(r"(?:[A-Z]\.){2,}", token):
        return True  # U.S., U.K.
    return bool(token[:1].isupper() and token[1:].islower() and cues.NATIONALITY_END.search(token)) or token in ("US", "UK", "EU", "UN", "American", "British", "French", "Dutch", "Swiss", "Greek", "Thai")


def _looks_like_name_token(token: str) -> bool:
    if not token or token in cues.STOP_CAPS or any(ch.isdigit() for ch in token):
        return False
    if token.isupper() and len(token) > 1:
        return True  # acronym: an organisation (NATO, ECFR)
    return token[0].isupper() and not token[1:].isupper()


def _is_boilerplate(paragraph: str) -> bool:
    return bool(cues.BOILERPLATE.match(paragraph) and len(paragraph) < 300) or bool(cues.BOILERPLATE_ANYWHERE.search(paragraph))


def _furniture(text: str, blocks: list[Block]) -> set[int]:
    """Paragraphs that are site furniture, with the headline lists that follow "Read more:"."""
    skip: set[int] = set()
    in_list = False
    for index, block in enumerate(blocks):
        paragraph = text[block.start : block.end]
        if _is_boilerplate(paragraph):
            skip.add(index)
            in_list = bool(_LIST_OPENER.match(paragraph))
        elif in_list and len(_WORDS.findall(paragraph)) <= 16 and not paragraph.rstrip().rstrip("\"'”’»").endswith("."):
            skip.add(index)  # a related headline
        else:
            in_list = False
    return skip


#: The first paragraph of an article is its headline when it is this short.
_HEADLINE_MAX_WORDS = 16


def _headlines(text: str, blocks: list[Block], skip: set[int]) -> set[int]:
    """Headline paragraphs: short lines (words counted in the text itself, quotations included)
    that end without a full stop, closing marks aside; and the first paragraph when it is short."""
    out: set[int] = set()
    first = next((i for i in range(len(blocks)) if i not in skip), None)
    for index, block in enumerate(blocks):
        if index in skip or len(_WORDS.findall(text, block.start, block.end)) > _HEADLINE_MAX_WORDS:
            continue
        ending = text[block.start : block.end].rstrip().rstrip("\"'”’»")
        if (index == first and index + 1 < len(blocks)) or not ending.endswith((".", "!", "?", ":", ";", ",", "…")):
            out.add(index)
    return out


def _is_heading(paragraph: str) -> bool:
    stripped = paragraph.rstrip()
    return len(_WORDS.findall(stripped)) <= _HEADING_MAX_WORDS and not stripped.endswith((".", "!", "?", '"', "”", ":", "'", "’"))


# ---------------------------------------------------------------------- attribution


class _State:
    """What the reader remembers while going through the article."""

    def __init__(self) -> None:
        self.speaker: str | None = None
        self.speaker_paragraph = -10
        self.speaker_mention = ""

    def said(self, key: str | None, paragraph: int, mention: str) -> None:
        """Remember the last speaker; ``key`` is ``None`` for one the article does not name."""
        self.speaker, self.speaker_paragraph, self.speaker_mention = key, paragraph, mention


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
    state = _State()
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
            state.speaker_paragraph = -10  # a sub-heading starts a new section: no carry-over across it
        previous_paragraph = paragraph
        headline = paragraph in article.headlines
        if headline and not headlines:
            continue
        pairs = _pairs(article, sentence, state)
        for quote in quotes_by_sentence.get(index, []):
            key, mention, cue, method = _quote_speaker(article, sentence, quote, pairs, state)
            confidence = _METHOD_CONFIDENCE[method] if key or method == "none" else 0.4
            item = _direct(article, quote, key, mention, cue, method, confidence)
            if quote.part > 0 and quote.group in groups:
                groups[quote.group] = _join_parts(article, groups[quote.group], item)
            else:
                groups[quote.group] = item
            if method != "none":
                state.said(key, paragraph, mention)
        if not headline:
            out.extend(_reported(article, sentence, pairs, quotes_by_sentence.get(index, []), state))
        for pair in pairs:
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
        if item.kind == "direct_quote" and not item.truncated and item.paragraphs == 1 and len(_WORDS.findall(item.text)) <= _SHORT_QUOTE_WORDS:
            host = next((r for r in reported if r.start <= item.start and item.end <= r.end), None)
            if host is not None and _same_speaker(host, item):
                absorbed.setdefault(id(host), []).append((item.start, item.end))
                continue
        kept.append(item)
    return [replace(e, quoted=tuple(absorbed[id(e)])) if id(e) in absorbed else e for e in kept]


def _direct(article: Article, quote: Quote, key: str | None, mention: str, cue: str, method: str, confidence: float) -> Extracted:
    return Extracted("direct_quote", quote.start, quote.end, article.text[quote.start : quote.end], key, mention, cue, method, confidence, quote.group, truncated=quote.truncated)


def _pairs(article: Article, sentence: Sentence, state: _State) -> list[Pair]:
    """Reporting verbs of a sentence with their subjects, resolved to entities."""
    masked = article.masked
    out: list[Pair] = []
    for match in article.hits("speech", sentence.start, sentence.end):
        if _is_noun(article, sentence, match.start()):
            continue
        subject, attribution_start, method = _subject(article, sentence, match.start(), match.end())
        key = _resolve(article, subject, match.start(), state) if subject else None
        if key and key.startswith("n:") and " " not in key and key[2:3].isupper() and not key[2:].isupper() and key[2:] not in cues.ORG_WORDS:
            article.entities[key].person = True  # "Peskov said": a surname
        out.append(Pair(match.start(), match.end(), subject, key, method, attribution_start if subject else match.start()))
    for match in article.hits("according", sentence.start, sentence.end):
        subject = _according_subject(article, sentence, match.end())
        if subject is not None:
            key = _resolve(article, subject, match.start(), state)
            # the source of a whole report: a verb of the sentence with its own subject comes first
            out.append(Pair(match.start(), subject.end, subject, key, "inverted", match.start(), weak=True))
    out.sort(key=lambda p: p.cue_start)
    last: Pair | None = None
    for pair in out:
        pair.weak = pair.weak or masked[pair.cue_start : pair.cue_end].lower() in cues.WEAK_FORMS or (
            last is not None and pair.subject is not None and not _CLAUSE_SEPARATION.search(masked, last.cue_end, pair.attribution_start)
        )
        if pair.subject is None and last is not None and last.subject is not None:
            between = masked[last.cue_end : pair.cue_start]
            if masked[pair.cue_start : pair.cue_end].lower().endswith("ing") or re.search(r"(?<![\w-])(?:and|but|then|before|after|while)(?:\s+(?:also|later|then|has|had|have))*\s*$", between, re.IGNORECASE):
                pair.subject, pair.key, pair.method = last.subject, last.key, "inherited"
                pair.attribution_start = last.attribution_start
        if pair.subject is not None and not pair.weak:
            last = pair
    # "Saying that ..., Dmitriev said": a participle opening the sentence takes the main subject.
    following = [p for p in out if p.subject is not None and not p.weak]
    for pair in out:
        if pair.subject is None and masked[pair.cue_start : pair.cue_end].lower().endswith("ing"):
            after = [p for p in following if p.cue_start > pair.cue_start]
            if after:
                pair.subject, pair.key, pair.method, pair.attribution_start = after[0].subject, after[0].key, "inherited", after[0].attribution_start
    return out


def _according_subject(article: Article, sentence: Sentence, position: int) -> Mention | None:
    """Who "according to" names: a known mention, or the words up to the next comma or full stop."""
    masked = article.masked
    start = _skip_space(masked, position)
    known = _mention_at(article, start)
    phrase = _ACCORDING_PHRASE.match(masked, start, min(sentence.end, start + 90))
    if phrase is None:
        return known
    end = start + len(phrase.group(1))
    if known is not None and (known.end == end or masked[known.end : known.end + 1] == ","):
        return known
    text = masked[start:end]
    inner = article._by_end.get(end)
    if inner is not None and inner.kind == "np":  # "Ukrainian officials" has no determiner: keep the whole phrase
        return Mention(start, end, text, "np", None, inner.definite, inner.head)
    return Mention(start, end, text, "np", None, False, text.lower())


def _is_noun(article: Article, sentence: Sentence, position: int) -> bool:
    """A reporting word right after a determiner is a noun: "the demands", "Russia's claims"."""
    before = article.word_before(position)
    if before is None or before[0] < sentence.start or article.masked[before[1] : position].strip():
        return False
    return before[2] in cues.DETERMINERS or before[2].endswith(("'s", "’s"))


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _mention_at(article: Article, position: int) -> Mention | None:
    return article._by_start.get(position)


def _subject(article: Article, sentence: Sentence, cue_start: int, cue_end: int) -> tuple[Mention | None, int, str]:
    """The subject of a reporting verb: before it (``X has said``) or right after it (``said X``)."""
    masked = article.masked
    lo = max(sentence.start, cue_start - 200)
    if masked[cue_start:cue_end].lower().endswith("ing") and re.search(r",\s*$", masked[lo:cue_start]):
        return None, cue_start, "cue"  # "..., calling it": the subject is the main clause's
    end, gap = article.aux_tail(lo, cue_start)
    direct = article._by_end.get(end)
    if direct is not None and direct.start >= sentence.start and direct.kind == "name" and direct.key and article.entities[direct.key].person:
        return direct, direct.start, "cue"  # "Poland's prime minister, Donald Tusk, said"
    if "," in gap:
        # "Lesia Ogryzko, a Ukrainian researcher at ..., explains": the subject precedes the appositive.
        comma = masked.rfind(",", max(sentence.start, end - 160), end)
        while comma > sentence.start:
            inner = masked[comma + 1 : end]
            relative = re.match(r"\s*(?:who|which|whose)\b", inner, re.IGNORECASE)
            if len(_WORDS.findall(inner)) > 20 or (article.hits("speech", comma, end) and not relative):
                break
            candidate = article._by_end.get(comma)
            if candidate is not None and candidate.kind in ("name", "role", "np") and _APPOSITIVE_OPENING.match(inner):
                return candidate, candidate.start, "cue"
            comma = masked.rfind(",", max(sentence.start, end - 160), comma)
    mention = article._by_end.get(end)
    if mention is not None and mention.start >= sentence.start:
        preposition = _PREPOSITION_BEFORE.search(masked, max(sentence.start, mention.start - 60), mention.start)
        if preposition is None:
            mention = _coordinated(article, mention, sentence)
            return mention, mention.start, "cue"
        # "Diplomats in Doha said", "the spokesman for the Kremlin said": the subject heads the phrase.
        end = preposition.start()
        mention = article._by_end.get(end)
        if mention is not None and mention.start >= sentence.start:
            return mention, mention.start, "cue"
    bare = _bare_description(article, sentence, end)
    if bare is not None:
        return bare, bare.start, "cue"
    # "Critics in Kyiv's parliament have accused": the head before the last preposition.
    phrase = _PP_TAIL.search(masked, max(sentence.start, end - 50), end)
    if phrase is not None:
        head_end = phrase.start()
        mention = article._by_end.get(head_end)
        if mention is not None and mention.start >= sentence.start and mention.kind != "pronoun":
            return mention, mention.start, "cue"
        bare = _bare_description(article, sentence, head_end)
        if bare is not None:
            return bare, bare.start, "cue"
    # Inversion: '"...," said Lavrov' or ', said the minister,'.
    before = masked[sentence.start : cue_start].rstrip()
    if not before or before[-1] in ",\"”’'»":
        subject = _mention_at(article, _skip_space(masked, cue_end))
        if subject is not None and subject.end <= sentence.end:
            if subject.kind == "name" and _modifies_role(article, subject):
                # "says EU diplomat": an unnamed diplomat, not the EU
                k = bisect.bisect_left(article.word_starts, subject.end)
                end = article.words[k][1]
                return Mention(subject.start, end, masked[subject.start : end], "np", None, False, article.words[k][2]), cue_start, "inverted"
            return subject, cue_start, "inverted"
    return None, cue_start, "cue"


def _bare_description(article: Article, sentence: Sentence, end: int) -> Mention | None:
    """A description without determiner right before ``end``: "Officials said", "Western diplomats say"."""
    match = _BARE_ROLE.search(article.masked, max(sentence.start, end - 60), end)
    if match is None or match.group(2).lower().rstrip("s") not in cues.ROLE_NOUNS and match.group(2).lower() not in cues.ROLE_NOUNS:
        return None
    return Mention(match.start(), end, article.masked[match.start() : end], "np", None, False, match.group(2).lower())


def _coordinated(article: Article, mention: Mention, sentence: Sentence) -> Mention:
    """``The United States and Russia have agreed``: a subject of two names, tied to no one entity."""
    before = article.masked[max(sentence.start, mention.start - 8) : mention.start]
    match = re.search(r"(?:\s+and\s+|\s*&\s*)$", before)
    if match and mention.kind == "name":
        other = article._by_end.get(mention.start - len(match.group()))
        if other is not None and other.kind == "name" and other.start >= sentence.start:
            start = other.start
            if article.masked[max(sentence.start, start - 4) : start].lower().endswith("the "):
                start -= 4
            return Mention(start, mention.end, article.text[start : mention.end], "group", None)
    return mention


def _resolve(article: Article, mention: Mention, position: int, state: _State) -> str | None:
    if mention.kind == "name":
        return mention.key
    if mention.kind in ("role", "np"):
        return article.resolve_role(mention, position)
    if mention.kind == "pronoun":
        if mention.head in ("he", "she"):
            return _person_referent(article, mention, state)
        # "In Kiev they know": a plural pronoun after a body named earlier in the same sentence
        sentence_start = article.masked.rfind(".", 0, mention.start) + 1
        bodies = [m for m in article.mentions_between(sentence_start, mention.start) if m.kind == "name" and m.key and not article.entities[m.key].person]
        return bodies[-1].key if bodies and mention.start - bodies[-1].end <= 3 else None
    return None


def _cue_words(article: Article, pair: Pair) -> str:
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


def _colon_speaker(article: Article, start: int, colon: int, state: _State) -> tuple[str | None, str, str, str] | None:
    """Who introduces a quotation with a colon: a named person first, else a description."""
    candidates = [
        m for m in article.mentions_between(start, colon)
        if m.kind in ("name", "role", "np", "pronoun") and not _POSSESSIVE_AFTER.match(article.masked, m.end)
        and not (m.kind == "name" and _modifies_role(article, m))
    ]
    if not candidates:
        return None
    rank = {"name": 0, "role": 1, "np": 2, "pronoun": 3}
    people = [m for m in candidates if m.kind != "name" or (m.key and article.entities[m.key].person)]
    chosen = min(people or candidates, key=lambda m: (rank[m.kind], m.start))
    key = _resolve(article, chosen, chosen.start, state)
    return key, chosen.text, " ".join(article.text[chosen.start : colon + 1].split()), "colon"


def _person_referent(article: Article, mention: Mention, state: _State) -> str | None:
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
    if state.speaker and article.entities[state.speaker].person:
        return state.speaker
    return article.last_person_before(mention.start)


def _quote_speaker(article: Article, sentence: Sentence, quote: Quote, pairs: list[Pair], state: _State) -> tuple[str | None, str, str, str]:
    """Speaker key, mention, cue words and method for one quotation."""
    text, masked = article.text, article.masked
    close = quote.close_at if quote.close_at is not None else quote.end
    def distance(pair: Pair) -> int:
        if pair.cue_start >= close:
            # after the quotation only a directly following attribution counts ('"…," he said')
            gap = masked[close + 1 : pair.attribution_start]
            return pair.attribution_start - close + (1000 if _WORD_CHAR.search(gap) else 0)
        gap = masked[pair.cue_end : quote.open_at]
        return quote.open_at - pair.cue_end + (500 if _STRONG_BREAK.search(gap) else 0)

    with_subject = [p for p in pairs if p.subject is not None]
    if with_subject:
        best = min(with_subject, key=lambda p: (abs(distance(p)) >= 500, p.weak, p.cue_end - p.cue_start > 20 or masked[p.cue_start : p.cue_start + 9].lower() == "according", abs(distance(p)), p.cue_start))
        unknown = [p for p in pairs if p.subject is None and abs(distance(p)) < abs(distance(best)) and not best.weak]
        if unknown:
            # the nearest reporting verb has a subject we cannot name ("Critics ... have accused")
            return None, "", " ".join(article.text[unknown[0].cue_start : unknown[0].cue_end].split()), "unknown"
        return best.key, best.subject.text, _cue_words(article, best), best.method
    head = masked[sentence.start : quote.open_at]
    viewpoint = _VIEWPOINT.match(head)
    if viewpoint:
        mention = _mention_at(article, sentence.start + viewpoint.end())
        if mention is not None and masked[mention.end : mention.end + 1] == ",":
            key = _resolve(article, mention, mention.start, state)
            return key, mention.text, " ".join(text[sentence.start : mention.end + 1].split()), "viewpoint"
    stripped = head.rstrip()
    if stripped.endswith(":"):
        found = _colon_speaker(article, sentence.start, sentence.start + len(stripped) - 1, state)
        if found is not None:
            return found
    opening = not head.strip(" \t\"'“‘«") or _LABEL.match(head) is not None
    index = article.sentence_at(sentence.start)
    if opening and index > 0:
        # a paragraph that ends with a colon introduces the quotation that opens the next one
        previous = article.sentences[index - 1]
        if previous.paragraph == sentence.paragraph - 1 and masked[previous.start : previous.end].rstrip().endswith(":"):
            found = _colon_speaker(article, previous.start, masked.rindex(":", previous.start, previous.end), state)
            if found is not None:
                return found
    if opening and (state.speaker or state.speaker_mention) and sentence.paragraph - state.speaker_paragraph <= 1:
        return state.speaker, state.speaker_mention, "", "carry-over"
    if _LABEL.match(head) and index > 0:
        # "Quote:" after a paragraph that names the speaker without a reporting verb
        previous = article.sentences[index - 1]
        if previous.paragraph == sentence.paragraph - 1:
            found = _colon_speaker(article, previous.start, previous.end, state)
            if found is not None:
                return found[0], found[1], "", "label"
    return None, "", "", "none"


# ---------------------------------------------------------------------- reported statements


def _reported(article: Article, sentence: Sentence, pairs: list[Pair], quotes: list[Quote], state: _State) -> list[Extracted]:
    masked = article.masked
    found: list[tuple[int, int, str, str | None, str, str, str]] = []  # start, end, kind, key, mention, cue, method
    subjects = sorted(p.subject.start for p in pairs if p.subject is not None)
    pair_at = {p.cue_start: p for p in pairs}

    def speaker_for(cue_start: int, cue_end: int) -> tuple[str | None, str, int, str]:
        pair = pair_at.get(cue_start)
        if pair is None or pair.subject is None:
            subject, attribution_start, method = _subject(article, sentence, cue_start, cue_end)
            if subject is not None and method == "cue":
                return _resolve(article, subject, cue_start, state), subject.text, attribution_start, "cue"
            previous = [p for p in pairs if p.subject is not None and p.cue_end <= cue_start]
            if previous:
                p = previous[-1]
                return p.key, p.subject.text, p.attribution_start, "inherited"
            people = [m for m in article.mentions_between(sentence.start, cue_start) if m.kind == "name" and m.key and article.entities[m.key].person]
            if people:
                m = people[-1]
                return m.key, m.text, cue_start, "nearest"
            return None, "", cue_start, "none"
        return pair.key, pair.subject.text, pair.attribution_start, pair.method

    for match in article.hits("that", sentence.start, sentence.end):
        if _is_noun(article, sentence, match.start()):
            continue
        that = re.match(r"((?:\s+[\w'’-]+){0,6}?)\s+that\s+", masked[match.end() : min(sentence.end, match.end() + 70)])
        if not that:
            continue
        start = match.end() + that.end()
        key, mention, attribution_start, method = speaker_for(match.start(), match.end())
        kind = "assessment" if match.group().lower().startswith(("know", "knew", "fear", "believ", "think", "thought", "feel", "felt", "hope", "expect", "consider", "understand")) else "reported_speech"
        found.append((start, match.end(), kind, key, mention, article.text[attribution_start : start].strip(), method))
    for match in article.hits("bare", sentence.start, sentence.end):
        if _is_noun(article, sentence, match.start()):
            continue
        start = match.end()
        if any(f[0] == start for f in found):
            continue
        following = article.word_before(start + 1)
        if not (following and following[2] in cues.PERSONAL_PRONOUNS) and not article.finite_within(start, min(sentence.end, start + 80)) and not article.past_within(start, 5):
            continue
        key, mention, attribution_start, method = speaker_for(match.start(), match.end())
        found.append((start, match.start(), "reported_speech", key, mention, article.text[attribution_start:start].strip(), method))
    for match in article.hits("object", sentence.start, sentence.end):
        if _is_noun(article, sentence, match.start()):
            continue
        if re.match(r"\s+that\b", masked[match.end() : match.end() + 6]):
            continue  # "demand that ...": the that-clause is the statement
        key, mention, attribution_start, method = speaker_for(match.start(), match.end())
        lo = max(sentence.start, match.start() - 60)
        start, _ = article.aux_tail(lo, match.start())
        start = _skip_space(masked, start)
        while masked[start : start + 1] in (",",):
            start = _skip_space(masked, start + 1)
        found.append((start, -1, "reported_speech", key, mention, article.text[attribution_start : match.end()].strip(), method))
    for match in article.hits("according", sentence.start, sentence.end):
        subject = _according_subject(article, sentence, match.end())
        if subject is None:
            continue
        key = _resolve(article, subject, match.start(), state)
        after = masked[subject.end : subject.end + 2]
        head = masked[sentence.start : match.start()].rstrip()
        if head.endswith(",") and len(_WORDS.findall(head)) >= 3:
            found.append((sentence.start, -2, "reported_speech", key, subject.text, article.text[match.start() : subject.end], "inverted"))
            continue
        if after.startswith(","):
            found.append((subject.end + 1, match.start(), "reported_speech", key, subject.text, article.text[match.start() : subject.end + 1], "inverted"))
    # "Moscow will not accept troops, Lavrov told reporters." : the clause before the attribution.
    for pair in pairs:
        if pair.subject is None or pair.method == "inherited":
            continue
        boundary = pair.attribution_start if pair.method == "cue" else pair.cue_start
        head = masked[sentence.start : boundary].rstrip()
        tail = masked[max(pair.cue_end, pair.subject.end) : sentence.end]
        if not head.endswith(",") or len(_WORDS.findall(tail)) > 6 or _QUOTE_MARK.search(tail) or _INTRODUCTORY.match(masked, sentence.start):
            continue
        start = sentence.start
        dateline = _DATELINE.match(masked, start, boundary)
        if dateline:
            start = dateline.end()
        comma = sentence.start + len(head) - 1
        found.append((start, -3 - comma, "reported_speech", pair.key, pair.subject.text, _cue_words(article, pair), pair.method))
    position_re = _position_pattern()
    for match in position_re.finditer(masked, sentence.start, sentence.end):
        owner = article._by_end.get(match.start("owner") + len(match.group("owner")))
        if owner is None:
            continue
        key = _resolve(article, owner, match.start(), state)
        found.append((match.end(), match.start(), "assessment", key, owner.text, article.text[match.start() : match.end()].strip(), "cue"))

    out: list[Extracted] = []
    for start, marker, kind, key, mention, cue, method in found:
        end = _clause_end(article, sentence, start, subjects, marker)
        if end is None:
            continue
        start = _skip_space(masked, start)
        lead = _LEADING.match(masked, start)
        if lead:
            start = lead.end()
        if end - start < 8 or len(_WORDS.findall(masked, start, end)) < 3:
            continue
        if any(len(_WORDS.findall(article.text, q.start, q.end)) > _SHORT_QUOTE_WORDS for q in article.quotes_between(start, end)):
            continue  # a quotation inside: the quotation is the statement
        confidence = _METHOD_CONFIDENCE.get(method, 0.5) * (0.8 if kind == "assessment" else 0.85)
        out.append(Extracted(kind, start, end, article.text[start:end], key, mention, " ".join(cue.split()), method, round(confidence, 2)))
    return out


_POSITION_PATTERN: re.Pattern[str] | None = None


def _position_pattern() -> re.Pattern[str]:
    global _POSITION_PATTERN
    if _POSITION_PATTERN is None:
        _POSITION_PATTERN = re.compile(
            rf"(?i:(?:one|some|all|none|two|several)\s+of\s+)?(?P<owner>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['’]s?\s+(?i:(?:(?:main|key|chief|stated|top|central|primary|first|only|real)\s+)?"
            rf"(?:{cues.POSITION_NOUNS})\s+{cues.COPULA}\s+(?:(?:to|for|that)\s+)?)"
        )
    return _POSITION_PATTERN


def _clause_end(article: Article, sentence: Sentence, start: int, subjects: list[int], marker: int) -> int | None:
    """Where a reported clause starting at ``start`` ends, or ``None`` when a quotation carries it."""
    masked = article.masked
    if marker == -2:  # "…, according to X": the clause is before the cue
        end = masked.rfind(",", sentence.start, masked.find("ccording", sentence.start, sentence.end))
        return _trim(masked, start, end)
    if marker <= -3:  # "…, Lavrov said.": the clause ends at the comma before the attribution
        return _trim(masked, start, -3 - marker)
    end = sentence.end
    breaker = _CLAUSE_BREAK.search(masked, start, end)
    if breaker:
        end = breaker.start()
    k = bisect.bisect_right(subjects, start)
    if k < len(subjects) and subjects[k] < end:
        end = subjects[k]
    reporting = {h.start() for h in article.hits("that", start + 1, end)} | {h.start() for h in article.hits("object", start + 1, end)}
    for hit in article.hits("speech", start + 1, end):
        before = masked[max(start, hit.start() - 12) : hit.start()].rstrip()
        participle = hit.group().lower().endswith("ing") and before.endswith((",", ',"', ",”"))
        if participle or (hit.start() in reporting and _COORDINATED_VERB.search(before)):
            end = hit.start()  # '... "very soon," adding that ...', '... and hinted that ...': the next verb ends it
            break
    first = bisect.bisect_left(article.quote_opens, start)
    for quote in article.quotes[first:]:
        if start <= quote.open_at < end:
            after = quote.close_at + 1 if quote.close_at is not None else quote.end
            short = len(_WORDS.findall(article.text, quote.start, quote.end)) <= _SHORT_QUOTE_WORDS
            if short and (len(_WORDS.findall(masked, after, end)) >= 3 or len(_WORDS.findall(masked, start, quote.open_at)) >= 3):
                continue  # a quoted word inside the clause ("would 'never' accept a deal"): part of it
            # A quotation interrupts the clause: keep what stands before it up to a clause break.
            comma = _last_break(article, start, quote.open_at)
            if comma is None:
                return None
            end = comma
            break
        if quote.open_at >= end:
            break
    return _trim(masked, start, end)


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


def analyse(text: str, lexicon: Lexicon | None = None) -> tuple[Article, list[Extracted]]:
    """Read an article and extract its statements (see :func:`extract`)."""
    article = Article(text, lexicon)
    return article, extract(article)
