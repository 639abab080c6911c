"""Evidence by exact words: find where a phrase of a source text is, so no one types offsets.

>>> locate(text, "talks in Jeddah on Tuesday")            # doctest: +SKIP
Span(start=812, end=838, text='talks in Jeddah on Tuesday')

A phrase that is not in the text, or is there more than once without ``occurrence``, raises
:class:`EvidenceError` with what was found: each occurrence with its context (choose one with
``occurrence=N``), or the nearest passages of the text (a typo, other quote marks, a line break).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from parley.errors import IngestError

#: Characters of context shown around each occurrence or near match.
CONTEXT = 30
#: Near matches listed when the phrase is missing.
NEAREST = 3


class EvidenceError(IngestError):
    """The evidence words are not in the source, or are there more than once (exit status 2)."""


@dataclass(frozen=True)
class Span:
    """Where the evidence is: 0-based code-point offsets, end exclusive, and the words there."""

    start: int
    end: int
    text: str


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT):start].replace("\n", " ")
    after = text[end:end + CONTEXT].replace("\n", " ")
    return f"…{before}[{text[start:end]}]{after}…".replace("\n", " ")


def occurrences(text: str, words: str) -> list[int]:
    """Start offsets of every occurrence of ``words`` in ``text`` (overlapping ones too)."""
    return [m.start() for m in re.finditer(f"(?={re.escape(words)})", text)] if words else []


def nearest(text: str, words: str, limit: int = NEAREST) -> list[Span]:
    """The passages of ``text`` most like ``words``: windows of about its length starting at word
    starts, best first, not overlapping (difflib ratio, case-insensitive)."""
    target = words.casefold()
    width = len(words)
    scored: list[tuple[float, int, int]] = []
    for match in re.finditer(r"\S+", text):
        start = match.start()
        end = min(len(text), start + width)
        following = re.search(r"\s", text[end:end + 20])  # end on a word boundary, as a person would quote
        end = end + following.start() if following else end
        window = text[start:end].casefold()
        matcher = difflib.SequenceMatcher(None, target, window, autojunk=False)
        if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
            continue
        scored.append((matcher.ratio(), start, end))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[Span] = []
    for ratio, start, end in scored:
        if ratio < 0.5 or len(chosen) >= limit:
            break
        if any(start < span.end and span.start < end for span in chosen):
            continue
        chosen.append(Span(start, end, text[start:end]))
    return chosen


def locate(text: str, words: str, occurrence: int | None = None, *, source_id: str = "the source") -> Span:
    """The span of ``words`` in ``text``.

    Parameters
    ----------
    text
        The full source text.
    words
        The exact words of the source that say what is recorded (quote marks, case and spacing
        as printed).
    occurrence
        Which occurrence (1 = first) when the words are in the text more than once.
    source_id
        Named in error messages.

    Raises
    ------
    EvidenceError
        Empty words; words not in the text (the nearest passages are listed); several occurrences
        and no ``occurrence`` (each is listed with its context); an ``occurrence`` out of range.
    """
    if not words or not words.strip():
        raise EvidenceError(f"evidence is empty; give the exact words of {source_id} that say it")
    found = occurrences(text, words)
    if not found:
        raise EvidenceError(_missing_message(text, words, source_id))
    if occurrence is None:
        if len(found) > 1:
            listing = "\n".join(f"  {n}. characters {s}–{s + len(words)}: {_context(text, s, s + len(words))}" for n, s in enumerate(found, 1))
            raise EvidenceError(f"evidence {_shown(words)} occurs {len(found)} times in {source_id}; choose one with --occurrence N "
                                f"(occurrence=N in Python) or give more words:\n{listing}")
        occurrence = 1
    if not 1 <= occurrence <= len(found):
        raise EvidenceError(f"occurrence {occurrence} is out of range: evidence {_shown(words)} occurs {len(found)} time(s) in {source_id}")
    start = found[occurrence - 1]
    return Span(start, start + len(words), text[start:start + len(words)])


def _shown(words: str, limit: int = 80) -> str:
    return repr(words if len(words) <= limit else words[: limit - 1] + "…")


def _missing_message(text: str, words: str, source_id: str) -> str:
    message = f"evidence {_shown(words)} is not in {source_id}; give the words exactly as printed"
    folded = occurrences(text.casefold(), words.casefold())
    if folded:
        start = folded[0]
        return message + f"; with other capitals it is at characters {start}–{start + len(words)}: {_context(text, start, start + len(words))}"
    close = nearest(text, words)
    if not close:
        return message + "; nothing in the text is close to it"
    listing = "\n".join(f"  characters {s.start}–{s.end}: {_context(text, s.start, s.end)}" for s in close)
    return message + f". The nearest passages:\n{listing}"
