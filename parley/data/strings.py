"""Whole columns of text as numpy bytes: a fingerprint per value and byte ranges compared at once.

The checks of :mod:`parley.data.rules` hash a million distinct ids to tell that none repeats, and
compare a million quotes with their sources; pyarrow's hash tables took ~0.5 s per million distinct
strings, Python slices ~1.5 s per million quotes. Here both are a few numpy passes over the bytes
that pyarrow already holds (no Python string per value).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is a bijection of 64-bit words
_BYTES_AT_ONCE = 1 << 20  # bytes hashed per pass: its index arrays (8 bytes per byte, three of them) stay small


def string_bytes(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string array without nulls (uint8) and its value offsets (int64, one more than values)."""
    validity, offsets, data = array.buffers()[:3]
    width = np.int64 if pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=width)[array.offset:array.offset + len(array) + 1].astype(np.int64)
    values = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return values, bounds


def fingerprints(column: pa.ChunkedArray) -> np.ndarray:
    """A 64-bit number per value, equal for equal values (different values may rarely share one).

    Two rows with different fingerprints hold different values: a column whose fingerprints are
    all distinct is proven free of repeats; a repeat found this way is then checked exactly.
    """
    parts = [_chunk_fingerprints(chunk) for chunk in column.chunks if len(chunk)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)


def _chunk_fingerprints(chunk: pa.Array) -> np.ndarray:
    values, bounds = string_bytes(chunk)
    lengths = np.diff(bounds)
    out = np.empty(len(lengths), dtype=np.uint64)
    first = 0
    while first < len(lengths):  # rows in groups of about _BYTES_AT_ONCE bytes
        last = int(np.searchsorted(bounds, bounds[first] + _BYTES_AT_ONCE, side="right")) - 1
        last = min(max(last, first + 1), len(lengths))
        out[first:last] = _hash_rows(values, bounds[first:last + 1])
        first = last
    return out


def _hash_rows(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The fingerprint of each value between consecutive ``bounds``: a function of the value alone
    (never of its neighbours or of its column), so fingerprints compare across columns and tables."""
    starts, lengths = bounds[:-1], np.diff(bounds)
    hashes = np.empty(len(lengths), dtype=np.uint64)
    short = lengths <= _SHORT
    hashes[short] = _hash_short(values, starts[short], lengths[short])
    hashes[~short] = _hash_long(values, starts[~short], lengths[~short])
    return hashes


def _ragged(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bytes of each value one after the other, where each value begins among them, and each byte's place in its value."""
    total = int(lengths.sum())
    begins = np.cumsum(lengths) - lengths
    within = np.arange(total, dtype=np.int64) - np.repeat(begins, lengths)
    return values[np.repeat(starts, lengths) + within], begins, within


def _hash_short(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Short values (ids): each padded with zeros into 64-bit words, its words mixed in one by one with its length."""
    hashes = lengths.astype(np.uint64) * _MULTIPLIER
    if not len(lengths):
        return hashes
    words = max((int(lengths.max()) + 7) // 8, 1)
    padded = np.zeros((len(lengths), words * 8), dtype=np.uint8)
    data, begins, within = _ragged(values, starts, lengths)
    padded.reshape(-1)[np.repeat(np.arange(len(lengths), dtype=np.int64) * (words * 8), lengths) + within] = data
    columns = padded.view(np.uint64)
    with np.errstate(over="ignore"):
        for k in range(words):  # only the words a value fills: the same value gives the same number in any column
            hashes = np.where(lengths > 8 * k, mix(hashes + columns[:, k]), hashes)
    return hashes


def _hash_long(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Longer values: a sum of their bytes, each weighted by its place, mixed with the length."""
    hashes = lengths.astype(np.uint64) * _MULTIPLIER
    if not len(lengths):
        return hashes
    data, begins, within = _ragged(values, starts, lengths)
    word = data.astype(np.uint64) + np.uint64(1)
    with np.errstate(over="ignore"):
        word *= (within.astype(np.uint64) * np.uint64(2) + np.uint64(1)) * _MULTIPLIER  # a byte's weight depends on its place
        word ^= word >> np.uint64(29)
        hashes += np.add.reduceat(word, begins)  # every value here is longer than _SHORT: no empty group
    return mix(hashes)


_SHORT = 32  # bytes: values up to this long are hashed as padded words


def mix(words: np.ndarray) -> np.ndarray:
    """Spread the bits of 64-bit words (the splitmix64 finaliser): a bijection, so equal in, equal out."""
    words = words.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        words ^= words >> np.uint64(30)
        words *= np.uint64(0xBF58476D1CE4E5B9)
        words ^= words >> np.uint64(27)
        words *= np.uint64(0x94D049BB133111EB)
        words ^= words >> np.uint64(31)
    return words


def equal_ranges(left: np.ndarray, left_starts: np.ndarray, right: np.ndarray, right_starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Per row: ``left[left_starts[i]:][:lengths[i]] == right[right_starts[i]:][:lengths[i]]`` (uint8 arrays)."""
    lengths = np.asarray(lengths, dtype=np.int64)
    equal = np.ones(len(lengths), dtype=bool)
    ends = np.cumsum(lengths)
    first = 0
    while first < len(lengths):  # rows in groups of about _GROUP bytes
        before = int(ends[first - 1]) if first else 0
        last = min(max(int(np.searchsorted(ends, before + _GROUP, side="right")), first + 1), len(lengths))
        sizes = lengths[first:last]
        total = int(ends[last - 1]) - before
        if total:
            offsets = ends[first:last] - sizes - before  # where each row starts among the group's bytes
            within = np.arange(total, dtype=np.int64) - np.repeat(offsets, sizes)
            differ = left[np.repeat(left_starts[first:last], sizes) + within] != right[np.repeat(right_starts[first:last], sizes) + within]
            filled = sizes > 0
            mismatched = np.add.reduceat(differ.view(np.uint8), offsets[filled], dtype=np.int64) > 0
            rows = np.flatnonzero(filled) + first
            equal[rows[mismatched]] = False
        first = last
    return equal


_GROUP = 1 << 18  # bytes compared per pass in equal_ranges (its index arrays: 8 bytes per byte compared, times four)


def code_point_starts(data: np.ndarray) -> np.ndarray:
    """Byte offset of every code point of UTF-8 bytes, then the length: ``starts[k]`` is where code point k begins."""
    return np.append(np.flatnonzero((data & 0xC0) != 0x80), len(data))
