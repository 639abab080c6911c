"""One article read for attribution: paragraphs, quotations, sentences, words, cue words, mentions.

:class:`Article` is built once per article and never changes afterwards: every later step
(:mod:`~parley.ingest.subjects`, :mod:`~parley.ingest.attribution`,
:mod:`~parley.ingest.reported`) asks it questions through public methods (the mention ending or
starting at an offset, the cue words in a span, the people between two offsets) and never reads
its internals.
"""

from __future__ import annotations

import bisect
import re
from types import MappingProxyType

from parley.ingest import cues
from parley.ingest.lexicon import Lexicon
from parley.ingest.mentions import POSSESSIVE_AFTER, Entity, Mention, actor_entity, find_mentions
from parley.ingest.quotes import Quote, find_quotes, mask
from parley.ingest.text import Block, Sentence, is_hard_wrapped, paragraphs, sentences

_WORD_TOKEN = re.compile(r"[^\W_][\w'’-]*")
_WORDS = re.compile(r"[\w'’-]+")
_GAP_CHARS = " \t\r\n,\u00a0"
_HEADING_MAX_WORDS = 12
#: The first paragraph of an article is its headline when it is this short.
_HEADLINE_MAX_WORDS = 16
_LIST_OPENER = re.compile(
    r"\s*(?:read\s+more|related(?:\s+\w+)?|more\s+(?:from|on|about)\b.*|most\s+(?:read|popular)|recommended|see\s+also|trending|you\s+may\s+also\s+like)\s*:?\s*$",
    re.IGNORECASE,
)


class Hit:
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
        from parley.ingest.subjects import speaking_names

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
        readable = [(b.start, b.end) for i, b in enumerate(self.blocks) if i not in self.skip_paragraphs]
        found = find_mentions(self.masked, self.lexicon, self.sentences, readable, is_hard_wrapped(text))
        self.mentions: tuple[Mention, ...] = found.mentions
        self._by_end, self._by_start = found.by_end, found.by_start
        self._actor_entities = {f"a:{a}": actor_entity(actor) for a, actor in self.lexicon.actors.items()}
        self.entities = MappingProxyType(dict(found.entities))
        self._named = sorted((m.start, m.key) for m in self.mentions if m.key and m.kind == "name")
        self._named_starts = [s for s, _ in self._named]
        self._mention_starts = [m.start for m in self.mentions]
        self.quote_opens = [q.open_at for q in self.quotes]
        self._sentence_starts = [s.start for s in self.sentences]
        # a lone surname that speaks ("Peskov said") is a person wherever the article names it
        speaking = speaking_names(self)
        self.entities = MappingProxyType({k: (Entity(e.key, e.name, e.actor_id, True, e.roles) if k in speaking else e) for k, e in found.entities.items()})

    # ------------------------------------------------------------------ words and cues

    def _index_hits(self, index: dict[str, tuple[tuple[str, ...], ...]]) -> list[Hit]:
        """Every occurrence of the index's forms (words compared in lower case)."""
        words, masked = self.words, self.masked
        out: list[Hit] = []
        n = len(words)
        for i, (start, _end, word) in enumerate(words):
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
                    out.append(Hit(start, stop, masked[start:stop]))
                    break
        return out

    def _bare_hits(self) -> list[Hit]:
        """Say-like verbs followed by a clause without "that": the hit ends where the clause starts."""
        words, masked = self.words, self.masked
        out: list[Hit] = []
        for i, (start, _end, word) in enumerate(words):
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
                out.append(Hit(start, following[0], masked[start : following[0]]))
        return out

    def hits(self, name: str, start: int, end: int) -> list[Hit]:
        """Cue hits of one kind (speech, that, object, according, bare) starting in ``[start, end)``."""
        starts = self._hit_starts[name]
        return self._hits[name][bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    def word_before(self, position: int) -> tuple[int, int, str] | None:
        k = bisect.bisect_left(self.word_starts, position) - 1
        return self.words[k] if k >= 0 else None

    def word_after(self, position: int) -> tuple[int, int, str] | None:
        """The first word starting at or after ``position``."""
        k = bisect.bisect_left(self.word_starts, position)
        return self.words[k] if k < len(self.words) else None

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

    # ------------------------------------------------------------------ mentions and entities

    def mention_ending_at(self, position: int) -> Mention | None:
        """The best mention ending exactly at ``position`` (a name before a role, the longer first)."""
        return self._by_end.get(position)

    def mention_starting_at(self, position: int) -> Mention | None:
        """The best mention starting exactly at ``position``."""
        return self._by_start.get(position)

    def entity(self, key: str) -> Entity:
        """The entity of a key: one the article names, or a dossier actor."""
        found = self.entities.get(key)
        return found if found is not None else self._actor_entities[key]

    def is_person(self, key: str | None) -> bool:
        return bool(key) and self.entity(key).person

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
            candidates.extend(self._actor_entities[f"a:{actor_id}"] for actor_id in self.lexicon.role_index.get(role, ()))
        if not candidates:
            return None
        keys = {c.key for c in candidates}
        if len(keys) == 1:
            return next(iter(keys))
        k = bisect.bisect_left(self._named_starts, position)
        for _, key in reversed(self._named[:k]):
            if key in keys:
                return key
        for _, key in self._named[k:]:
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
        return [
            m for m in self.mentions_between(start, end)
            if m.kind == "name" and m.key and self.entity(m.key).person and not POSSESSIVE_AFTER.match(self.masked, m.end)
        ]

    def last_person_before(self, position: int) -> str | None:
        k = bisect.bisect_left(self._named_starts, position)
        for _, key in reversed(self._named[max(0, k - 40) : k]):
            if self.entity(key).person:
                return key
        return None

    def name_of(self, key: str | None) -> str:
        return self.entity(key).name if key else ""


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
