"""Direct quotations: the spans between quote marks, with exact offsets.

Handled: straight and curly double marks (``"…"``, ``“…”``, ``«…»``, ``„…“``), single marks
(``'…'``, ``‘…’``) told apart from apostrophes by their context, quotations nested inside another
(dropped: a quote within a quote is part of the outer one), and quotations running over several
paragraphs (a paragraph that leaves a quotation open and a next paragraph that opens with a quote
mark): each paragraph's part becomes one span and the parts share a ``group``.

A quotation left open mid-sentence at the end of its paragraph closes in the next paragraph when
that one's first mark can only close (a line break inside a quotation); otherwise it runs to the end of its
paragraph and is flagged ``truncated`` (an excerpt cut off inside a quotation). A double mark that
cannot be paired is noted as a :class:`MarkProblem` (line, column, context) for the reviewer;
single marks are never noted, since an unpaired one is usually an apostrophe.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from parley.ingest.text import Block

DOUBLE_MARKS = "\"“”„‟«»"
SINGLE_MARKS = "'‘’‹›"
_DOUBLE = re.compile(f"[{DOUBLE_MARKS}]")
_SINGLE = re.compile(f"[{SINGLE_MARKS}]")
_OPEN_ONLY = "“„‟«"
_REOPENS = "\"“«„‟"
_CLOSE_ONLY = "”»"
_OPENS_AFTER = "([{—–-/\u00a0"
_CLOSES_BEFORE = ".,;:!?)]}—–-…"
_HAS_WORD = re.compile(r"\w")
#: Characters of a masked quotation's content (see :func:`mask`).
MASK_CHAR = "x"
_KEEP_LAST = ".!?,;:…"


@dataclass(frozen=True)
class Quote:
    """The content of one quotation, ``text[start:end]`` (the marks themselves excluded).

    ``close_at`` is the offset of the closing mark, ``None`` for a part of a multi-paragraph
    quotation that runs to the end of its paragraph. Parts of one quotation share ``group`` (the
    index of the first part in the list); ``part`` counts them from 0.
    """

    start: int
    end: int
    open_at: int
    close_at: int | None
    paragraph: int
    group: int
    part: int = 0
    marks: str = "double"
    truncated: bool = False


@dataclass(frozen=True)
class MarkProblem:
    """An unpaired double quote mark."""

    offset: int
    line: int
    column: int
    mark: str
    context: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message} {self.mark!r} near {self.context!r}"


def _opens(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    return (prev == "" or prev.isspace() or prev in _OPENS_AFTER or prev in DOUBLE_MARKS or prev in SINGLE_MARKS) and nxt != "" and not nxt.isspace()


def _closes(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    return (nxt == "" or nxt.isspace() or nxt in _CLOSES_BEFORE or nxt in DOUBLE_MARKS or nxt in SINGLE_MARKS) and prev != "" and not prev.isspace()


def _problem(text: str, offset: int, message: str) -> MarkProblem:
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    context = text[max(line_start, offset - 30) : offset + 30].replace("\n", " ")
    return MarkProblem(offset, line, offset - line_start + 1, text[offset], context, message)


def find_quotes(text: str, blocks: list[Block]) -> tuple[list[Quote], list[MarkProblem]]:
    """Find every quotation of the text.

    Parameters
    ----------
    text
        The article text.
    blocks
        Its paragraphs (:func:`parley.ingest.text.paragraphs`).

    Returns
    -------
    quotes, problems
        The quotations in text order (outermost only), and the double marks that could not be
        paired. Problems are notes for the reviewer, never a reason to refuse the article: a
        quotation left open runs to the end of its paragraph and is flagged ``truncated``.
    """
    raw, problems = _double_quotes(text, blocks)
    doubles = sorted((r.start, r.end) for r in raw)
    raw.extend(_single_quotes(text, blocks, doubles))
    raw.sort(key=lambda r: (r.open_at, -r.end))
    return _outermost(text, raw), problems


@dataclass(frozen=True)
class _Raw:
    start: int
    end: int
    open_at: int
    close_at: int | None
    paragraph: int
    continues: bool = False
    marks: str = "double"
    truncated: bool = False


def _double_quotes(text: str, blocks: list[Block]) -> tuple[list[_Raw], list[MarkProblem]]:
    """Pairs of double marks, paragraph by paragraph (see :func:`_paragraph_doubles`)."""
    raw: list[_Raw] = []
    problems: list[MarkProblem] = []
    continued = False
    resume = 0
    for index, block in enumerate(blocks):
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        found, left_open, resume = _paragraph_doubles(text, block, index, continued, max(resume, block.start), problems)
        raw.extend(found)
        continued = False
        if left_open is None:
            continue
        start, was_continued = left_open
        if nxt is not None and text[nxt.start] in _REOPENS and _opens(text, nxt.start, nxt.start, nxt.end):
            # the wire convention: the paragraph ends open and the next one opens again
            raw.append(_Raw(start + 1, block.end, start, None, index, was_continued))
            continued = True
        elif nxt is not None and text[block.end - 1] not in ".!?…" and (close := _first_close(text, nxt)) is not None:
            # a quotation broken by a line break: it closes in the next paragraph
            raw.append(_Raw(start + 1, close, start, close, index, was_continued))
            resume = close + 1
        else:
            problems.append(_problem(text, start, "opening quote mark never closed (proposed as a truncated quotation)"))
            raw.append(_Raw(start + 1, block.end, start, None, index, was_continued, truncated=True))
    return raw, problems


def _paragraph_doubles(text: str, block: Block, index: int, continues: bool, resume: int, problems: list[MarkProblem]):
    """Paired double marks of one paragraph from ``resume``; also the mark left open, if any."""
    lo, hi = block.start, block.end
    found: list[_Raw] = []
    open_at: int | None = None
    for match in _DOUBLE.finditer(text, resume, hi):
        i = match.start()
        mark = text[i]
        opens, closes = _opens(text, i, lo, hi), _closes(text, i, lo, hi)
        if open_at is None:
            if (mark in _CLOSE_ONLY and not opens) or (mark not in _OPEN_ONLY and closes and not opens):
                problems.append(_problem(text, i, "closing quote mark without an opening one (ignored)"))
                continue
            open_at = i
        elif mark in _OPEN_ONLY and opens and not closes:
            problems.append(_problem(text, open_at, "opening quote mark never closed (ignored)"))
            open_at = i
        else:
            found.append(_Raw(open_at + 1, i, open_at, i, index, continues))
            continues = False
            open_at = None
    return found, (None if open_at is None else (open_at, continues)), resume


def _first_close(text: str, block: Block) -> int | None:
    """The first double mark of a paragraph when it can only close a quotation."""
    match = _DOUBLE.search(text, block.start, block.end)
    if match is None:
        return None
    i = match.start()
    mark = text[i]
    opens, closes = _opens(text, i, block.start, block.end), _closes(text, i, block.start, block.end)
    if closes and not opens and mark not in _OPEN_ONLY:
        return i
    return None


def _outermost(text: str, raw: list[_Raw]) -> list[Quote]:
    """Drop nested and empty spans, trim spaces inside the marks, number the parts of a group."""
    quotes: list[Quote] = []
    outer_end = -1
    group = -1
    part = 0
    for r in raw:
        start, end = r.start, r.end
        if end <= outer_end or not _HAS_WORD.search(text, start, end):
            continue  # nested inside the previous quotation, or no words (an inch mark, an empty pair)
        while text[start].isspace():  # « non »: the spaces inside the marks are not quoted words
            start += 1
        while text[end - 1].isspace():
            end -= 1
        if r.continues and quotes and quotes[-1].close_at is None and not quotes[-1].truncated:
            part += 1
        else:
            group, part = len(quotes), 0
        quotes.append(Quote(start, end, r.open_at, r.close_at, r.paragraph, group, part, r.marks, r.truncated))
        outer_end = max(outer_end, (r.close_at if r.close_at is not None else end))
    return quotes


def _single_quotes(text: str, blocks: list[Block], doubles: list[tuple[int, int]]):
    starts = [s for s, _ in doubles]
    for index, block in enumerate(blocks):
        lo, hi = block.start, block.end
        open_at: int | None = None
        for match in _SINGLE.finditer(text, lo, hi):
            i = match.start()
            k = bisect.bisect_right(starts, i) - 1
            if k >= 0 and doubles[k][0] <= i < doubles[k][1]:
                continue  # inside a double-quoted span: nested, handled with it
            mark = text[i]
            prev = text[i - 1] if i > lo else ""
            nxt = text[i + 1] if i + 1 < hi else ""
            if prev.isalnum() and nxt.isalnum():
                continue  # apostrophe inside a word: Ukraine's, don't
            if open_at is None:
                if mark in "'‘‹" and _opens(text, i, lo, hi) and (nxt.isalnum() or nxt in "“\"…"):
                    open_at = i
            elif mark in "'’›" and _closes(text, i, lo, hi):
                if i > open_at + 1:
                    yield _Raw(open_at + 1, i, open_at, i, index, False, "single")
                open_at = None
            elif mark in "'‘‹" and _opens(text, i, lo, hi) and nxt.isalnum():
                open_at = i


def mask(text: str, quotes: list[Quote]) -> str:
    """The text with every quotation's content replaced by ``x`` (same length).

    The last character of the content is kept when it is punctuation, so that ``"….” Then``
    still ends a sentence and ``"…,” he said`` does not.
    """
    pieces: list[str] = []
    position = 0
    for quote in quotes:
        if quote.start < position:
            continue
        pieces.append(text[position : quote.start])
        length = quote.end - quote.start
        last = text[quote.end - 1] if length else ""
        if last in _KEEP_LAST and length > 1:
            pieces.append(MASK_CHAR * (length - 1) + last)
        else:
            pieces.append(MASK_CHAR * length)
        position = quote.end
    pieces.append(text[position:])
    return "".join(pieces)
