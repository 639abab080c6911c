"""Where each record of a CSV file starts and how many fields it has, read from its bytes.

:func:`record_layout` gives the header, the field count of every data record (0 for a blank
line) and the file line each starts on, exactly as Python's :mod:`csv` module reads the file. A
well-formed file (balanced quotes that open at a field start and close at a field end, no
carriage return, no NUL) is read with numpy in one pass over its bytes: a byte is inside a quoted
field exactly when an odd number of quote characters precede it. Any other file is read by the
:mod:`csv` module record by record (about 4x slower at a million rows), so the answer is the same.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

_QUOTE, _COMMA, _LF = ord('"'), ord(","), ord("\n")
_CHUNK = 1 << 23  # bytes compared at a time: the temporary masks stay small on a 200 MB file


@dataclass(frozen=True)
class Layout:
    """Header and per-record width and first line of a CSV, as Python's csv module reads it."""

    header: list[str]
    widths: np.ndarray  # fields per data record (0 = blank line)
    lines: np.ndarray  # file line on which each data record starts

    @property
    def regular(self) -> bool:
        """Every data record has as many fields as the header (no blank or ragged rows)."""
        return bool((self.widths == len(self.header)).all())


def record_layout(data: bytes) -> Layout | None:
    """The layout of a CSV given as UTF-8 bytes (no BOM); ``None`` when it has no header or is unreadable."""
    try:
        return _vectorised(data) or _record_by_record(data)
    except (UnicodeDecodeError, csv.Error):
        return None


@dataclass(frozen=True)
class Marks:
    """Where the quote characters and the newlines of a CSV's bytes are, its quotes well formed."""

    size: int
    quotes: np.ndarray
    newlines: np.ndarray

    @property
    def quoted_newlines(self) -> bool:
        """A newline inside a quoted field (a value over several lines)."""
        return bool(len(self.quotes)) and bool((np.searchsorted(self.quotes, self.newlines) % 2).any())


def marks(data: bytes) -> Marks | None:
    """The quotes and newlines of ``data``; ``None`` unless quotes are well formed (no CR, no NUL)."""
    if not data or b"\r" in data or b"\0" in data:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = _positions(buf, _QUOTE)
    if not _quotes_well_formed(buf, quotes):
        return None
    return Marks(len(buf), quotes, _positions(buf, _LF))


def regular_layout(data: bytes, header: list[str], rows: int, found: Marks | None = None) -> Layout | None:
    """The layout of a file a strict parser read as ``rows`` records of ``len(header)`` fields each.

    Only quotes and newlines are looked at (the field counts are known): ``None`` unless quotes are
    well formed and the file has exactly ``rows`` data records, none of them blank. ``found`` is
    :func:`marks` of ``data`` when the caller has them already.
    """
    found = found or marks(data)
    if found is None:
        return None
    quotes, newlines = found.quotes, found.newlines
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if len(quotes) else newlines
    if len(ends) == 0 or ends[-1] != found.size - 1:
        ends = np.append(ends, found.size)
    starts = np.concatenate(([0], ends[:-1] + 1))
    if len(ends) != rows + 1 or bool((starts == ends).any()):
        return None
    lines = np.searchsorted(newlines, starts[1:]) + 1
    return Layout(header=list(header), widths=np.full(rows, len(header), dtype=np.int64), lines=lines)


def first_record(data: bytes) -> list[str] | None:
    """The header as the csv module reads it, when it sits whole on the first line; else ``None``."""
    end = data.find(b"\n")
    line = data[: end if end >= 0 else len(data)]
    if not line or b"\r" in line or line.count(b'"') % 2:
        return None
    try:
        return next(csv.reader(io.StringIO(line.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None


def _quotes_well_formed(buf: np.ndarray, quotes: np.ndarray) -> bool:
    """Balanced, each opening quote at a field start (or doubling a quote), each closing one at a field end."""
    if len(quotes) % 2:
        return False
    if not len(quotes):
        return True
    size = len(buf)
    opening, closing = quotes[0::2], quotes[1::2]
    before, after = buf[np.maximum(opening - 1, 0)], buf[np.minimum(closing + 1, size - 1)]
    opens_field = (opening == 0) | (before == _COMMA) | (before == _LF) | (before == _QUOTE)
    closes_field = (closing == size - 1) | (after == _COMMA) | (after == _LF) | (after == _QUOTE)
    return bool(opens_field.all() and closes_field.all())


def _positions(buf: np.ndarray, byte: int) -> np.ndarray:
    parts = [np.flatnonzero(buf[at:at + _CHUNK] == byte) + at for at in range(0, len(buf), _CHUNK)]
    return np.concatenate(parts)


def _vectorised(data: bytes) -> Layout | None:
    if not data or b"\r" in data or b"\0" in data:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    size = len(buf)
    quotes = _positions(buf, _QUOTE)
    if not _quotes_well_formed(buf, quotes):
        return None
    newlines = _positions(buf, _LF)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if len(quotes) else newlines
    if len(ends) == 0 or ends[-1] != size - 1:
        ends = np.append(ends, size)
    starts = np.concatenate(([0], ends[:-1] + 1))
    commas = np.zeros(len(ends), dtype=np.int64)
    for at in range(0, size, _CHUNK):
        found = np.flatnonzero(buf[at:at + _CHUNK] == _COMMA) + at
        if len(quotes):
            found = found[np.searchsorted(quotes, found) % 2 == 0]
        commas += np.bincount(np.searchsorted(ends, found), minlength=len(ends))
    if starts[0] == ends[0]:
        return None  # a blank first line: let the csv module say what the header is
    widths = np.where(starts == ends, 0, commas + 1)
    lines = np.searchsorted(newlines, starts) + 1  # newlines before the start, plus one
    header = next(csv.reader(io.StringIO(data[: ends[0]].decode("utf-8"), newline="")))
    return Layout(header=header, widths=widths[1:], lines=lines[1:])


def _record_by_record(data: bytes) -> Layout | None:
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader, None)
    if header is None:
        return None
    header_end = reader.line_num
    records = [(len(record), reader.line_num) for record in reader]
    widths = np.fromiter((w for w, _ in records), dtype=np.int64, count=len(records))
    ends = np.fromiter((e for _, e in records), dtype=np.int64, count=len(records))
    starts = np.concatenate(([header_end], ends[:-1])) + 1 if len(records) else ends
    return Layout(header=header, widths=widths, lines=starts)
