"""Reading an article and cutting it into paragraphs and sentences.

Offsets everywhere in :mod:`parley.ingest` are code points into the exact stored text: the file's
bytes decoded as UTF-8, nothing normalised (no newline translation, no BOM stripping), which is how
:mod:`parley.data.validate` reads a seed when it checks provenance.

Sentence splitting runs on a *masked* copy of the text in which the content of every quotation is
blanked out (same length), so a full stop inside a quotation never ends the sentence that carries
it, and cue words inside a quotation are never read as attribution.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from parley.errors import IngestError

#: Largest article accepted, in bytes. News articles are tens of kilobytes; megabytes mean a dump.
MAX_ARTICLE_BYTES = 1_000_000
#: Below this share of English function words (in a text of at least MIN_WORDS_FOR_LANGUAGE
#: words) an article is taken to be in another language.
MIN_ENGLISH_SHARE = 0.12
MIN_WORDS_FOR_LANGUAGE = 25

_ENGLISH_FUNCTION_WORDS = frozenset(
    """the of and to in a is that for on with as was it by at from he be have has are said not this
    will but they his her their who which would been were an or had its also after than more
    she we i you our them there about when what into could should can over up out all one
    no if only just because while against between under before such these those other some""".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: A line break inside a sentence (the next line goes on in lower case): the text is hard-wrapped.
_SOFT_WRAP = re.compile(r"(?<=\S)[ \t]*(?:\r\n|\r(?!\n)|\n)[ \t]*(?=[a-z])")
_INNER_BREAK = re.compile(r"(?<=\S)[ \t]*(?:\r\n|\r(?!\n)|\n)(?=[ \t]*\S)")
#: In hard-wrapped text a paragraph ends at a blank line or where the next line is indented.
_WRAPPED_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[ \t]*(?:\r\n|\r(?!\n)|\n)\s*|(?=[ \t]{2,}\S))")
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)\s*")

# A sentence ends at . ! or ? (optionally followed by closing quote marks or brackets), then space,
# then something that can open a sentence. Abbreviations are checked separately.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’»)\]]*\s+(?=[\"“‘«(\[]|'\w|[A-Z0-9\u00C0-\u00DE])")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr co corp inc ltd
    jan feb mar apr aug sep sept oct nov dec no vs etc approx dept est fig u.s u.k u.n e.u
    a.m p.m""".split()
)
_LAST_TOKEN = re.compile(r"([\w.]+)[.!?]*[\"'”’»)\]]*\s*$")


@dataclass(frozen=True)
class Block:
    """A paragraph (or a heading line): ``text[start:end]``, trailing space excluded."""

    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text[start:end]``, inside paragraph number ``paragraph``."""

    start: int
    end: int
    paragraph: int


def decode_article(data: bytes, name: str = "article") -> str:
    """Check an article's bytes and return its text, exactly as stored.

    Parameters
    ----------
    data
        The raw bytes of the article file.
    name
        How to name the article in error messages (usually its path).

    Raises
    ------
    IngestError
        Empty or blank, larger than :data:`MAX_ARTICLE_BYTES`, binary (NUL bytes or control
        characters) or not UTF-8.
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise IngestError(
            f"{name}: {len(data):,} bytes is too large for one article (the limit is {MAX_ARTICLE_BYTES:,} bytes); "
            "split it into one file per article"
        )
    if not data.strip():
        raise IngestError(f"{name}: the file is empty; expected the plain text of one news article (UTF-8)")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise IngestError(f"{name}: binary file (it contains NUL bytes, the first at offset {offset}); expected UTF-8 plain text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{name}: not UTF-8 text (byte {exc.start} is {data[exc.start:exc.start + 1]!r}); save the article as UTF-8 plain text"
        ) from None
    controls = sum(1 for ch in set(text) if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls:
        bad = next(i for i, ch in enumerate(text) if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
        raise IngestError(f"{name}: binary or corrupt text (control character {text[bad]!r} at offset {bad}); expected plain text")
    if not _WORD.search(text):
        raise IngestError(f"{name}: no words in the file; expected the plain text of one news article")
    check_not_markup(text, name)
    return text


#: Markup that opens a document (HTML, XML, RTF), or tags where prose should be.
_DOCUMENT_MARKUP = re.compile(r"\A\ufeff?\s*(?:<!doctype\b|<html\b|<\?xml\b|<rss\b|<feed\b|<svg\b|\{\\rtf)", re.IGNORECASE)
_TAG = re.compile(r"</?(?:html|head|body|div|span|p|a|br|script|style|meta|link|img|ul|ol|li|table|tr|td|h[1-6]|article|section|figure|iframe)\b[^<>]{0,400}>", re.IGNORECASE)
#: An article with at least this many HTML tags (and one per 40 words) is markup, not text.
MIN_TAGS_FOR_MARKUP = 5


def check_not_markup(text: str, name: str = "article") -> None:
    """Refuse HTML, XML or RTF: the offsets of quotations must point into the article's own text.

    A word in angle brackets or one stray tag is fine; a page of tags is not.
    """
    opening = _DOCUMENT_MARKUP.match(text)
    tags = _TAG.findall(text) if opening is None else []
    if opening is None and (len(tags) < MIN_TAGS_FOR_MARKUP or len(tags) * 40 < len(_WORD.findall(text))):
        return
    found = opening.group().strip() if opening is not None else tags[0]
    where = text.count("\n", 0, text.find(found)) + 1
    raise IngestError(
        f"{name}: this is markup (HTML, XML or RTF: {found[:40]!r} on line {where}), not the plain text of an article; "
        "save the article's text as a UTF-8 .txt file (copy the text from the page, or use the outlet's text or print view)"
    )


def read_article(path: str | Path) -> tuple[bytes, str]:
    """Read an article file: its bytes and its checked text (see :func:`decode_article`)."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}: no such file; give the path of a plain-text article")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise IngestError(
            f"{path}: {size:,} bytes is too large for one article (the limit is {MAX_ARTICLE_BYTES:,} bytes); "
            "split it into one file per article"
        )
    data = path.read_bytes()
    return data, decode_article(data, str(path))


def english_share(text: str) -> tuple[float, int]:
    """Share of words that are common English function words, and the number of words."""
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0, 0
    hits = sum(1 for w in words if w in _ENGLISH_FUNCTION_WORDS)
    return hits / len(words), len(words)


def check_english(text: str, name: str = "article") -> None:
    """Raise :class:`IngestError` when the text does not read as English.

    The lexicon, the attribution patterns and the cue words are English; a text in another
    language would yield nonsense proposals, so it is refused instead.
    """
    share, words = english_share(text)
    if words >= MIN_WORDS_FOR_LANGUAGE and share < MIN_ENGLISH_SHARE:
        raise IngestError(
            f"{name}: the text does not look like English (only {share:.0%} of its {words} words are common English words; "
            f"English prose has over {MIN_ENGLISH_SHARE:.0%}); the extractor handles English articles only, "
            "so ingest an English version or translation"
        )


def paragraphs(text: str) -> list[Block]:
    """Cut the text into paragraphs.

    One line is one paragraph (the usual shape of scraped news text), unless the text is
    hard-wrapped (at least a fifth of its line breaks go on in lower case): then a paragraph ends
    at a blank line or before an indented line.
    """
    if is_hard_wrapped(text):
        return _split(text, _WRAPPED_PARAGRAPH_BREAK)
    return _split(text, _LINE_BREAK)


def is_hard_wrapped(text: str) -> bool:
    """Whether lines were broken inside sentences: a fifth of the breaks between two non-blank
    lines go on in lower case."""
    breaks = len(_INNER_BREAK.findall(text))
    soft_wraps = len(_SOFT_WRAP.findall(text))
    return bool(soft_wraps) and soft_wraps * 5 >= breaks


def _split(text: str, separator: re.Pattern[str]) -> list[Block]:
    out: list[Block] = []
    position = 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        start = position
        while start < end and text[start] in " \t\f\ufeff":
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            out.append(Block(start, stop))
        if match:
            position = match.end()
    return out


def sentences(masked: str, blocks: list[Block]) -> list[Sentence]:
    """Split each paragraph of the masked text into sentences (quotations never split)."""
    out: list[Sentence] = []
    for index, block in enumerate(blocks):
        start = block.start
        for match in _SENTENCE_END.finditer(masked, block.start, block.end):
            token = _LAST_TOKEN.search(masked, max(start, match.start() - 20), match.end())
            word = token.group(1).lower().rstrip(".") if token else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            end = match.end()
            while end > start and masked[end - 1].isspace():
                end -= 1
            out.append(Sentence(start, end, index))
            start = match.end()
        if start < block.end:
            out.append(Sentence(start, block.end, index))
    return out
