"""Whole columns of text as numpy bytes: a fingerprint per value and byte ranges compared at once.

The checks of :mod:`parley.data.rules` hash a million distinct ids to tell that none repeats, and
compare a million quotes with their sources; pyarrow's hash tables took ~0.5 s per million distinct
strings, Python slices ~1.5 s per million quotes. Here both are a few numpy passes over the bytes
that pyarrow already holds (no Python string per value). Short values and compared ranges are read
8 bytes at a time (:func:`word_at`): an array of one index per byte cost more than the comparing.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is a bijection of 64-bit words
_BYTES_AT_ONCE = 1 << 20  # bytes of long values hashed per pass: its index arrays (8 bytes per byte, three of them) stay small


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
    starts, lengths = bounds[:-1], np.diff(bounds)
    out = np.empty(len(lengths), dtype=np.uint64)
    short = lengths <= _SHORT
    if short.any():
        out[short] = _hash_short(padded_words(values[bounds[0]:bounds[-1]]), starts[short] - bounds[0], lengths[short])
    long = np.flatnonzero(~short)
    ends = np.cumsum(lengths[long])
    first = 0
    while first < len(long):  # long values in groups of about _BYTES_AT_ONCE bytes
        before = int(ends[first - 1]) if first else 0
        last = min(max(int(np.searchsorted(ends, before + _BYTES_AT_ONCE, side="right")), first + 1), len(long))
        rows = long[first:last]
        out[rows] = _hash_long(values, starts[rows], lengths[rows])
        first = last
    return out


def _ragged(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bytes of each value one after the other, where each value begins among them, and each byte's place in its value."""
    total = int(lengths.sum())
    begins = np.cumsum(lengths) - lengths
    within = np.arange(total, dtype=np.int64) - np.repeat(begins, lengths)
    return values[np.repeat(starts, lengths) + within], begins, within


def _hash_short(words: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Short values (ids): each as 64-bit words (zeros past its end), its words mixed in one by one with
    its length. ``words`` holds the values' bytes (:func:`padded_words`), ``starts`` are byte positions in it."""
    hashes = lengths.astype(np.uint64) * _MULTIPLIER
    if not len(lengths):
        return hashes
    with np.errstate(over="ignore"):
        for k in range(max((int(lengths.max()) + 7) // 8, 1)):  # only the words a value fills: the same value gives the same number in any column
            left = lengths - 8 * k
            word = word_at(words, starts + 8 * k) & _LOW_BYTES[np.clip(left, 0, 8)]
            hashes = np.where(left > 0, mix(hashes + word), hashes)
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
    return equal_word_ranges(padded_words(left), left_starts, padded_words(right), right_starts, lengths)


def equal_word_ranges(left: np.ndarray, left_starts: np.ndarray, right: np.ndarray, right_starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """:func:`equal_ranges` of bytes given as :func:`padded_words` (each side made once for many calls):
    8 bytes of every row compared at a time, longest rows last, so each pass reads a tail of the rows."""
    lengths = np.asarray(lengths, dtype=np.int64)
    if not len(lengths):
        return np.ones(0, dtype=bool)
    count = (lengths + 7) // 8  # words per row
    order = np.argsort(count, kind="stable")
    count, lengths = count[order], lengths[order]
    left_starts, right_starts = np.asarray(left_starts, dtype=np.int64)[order], np.asarray(right_starts, dtype=np.int64)[order]
    differ = np.zeros(len(lengths), dtype=bool)
    for k in range(int(count[-1])):
        first = int(np.searchsorted(count, k, side="right"))  # the rows from here on have a word k
        at = 8 * k
        mask = _LOW_BYTES[np.minimum(lengths[first:] - at, 8)]
        differ[first:] |= ((word_at(left, left_starts[first:] + at) ^ word_at(right, right_starts[first:] + at)) & mask) != 0
    equal = np.empty(len(lengths), dtype=bool)
    equal[order] = ~differ
    return equal


def padded_words(values: np.ndarray) -> np.ndarray:
    """Bytes (uint8) as little-endian 64-bit words, followed by at least 8 zero bytes (a copy)."""
    words = np.zeros(len(values) // 8 + 2, dtype=np.uint64)
    words.view(np.uint8)[:len(values)] = values
    return words


def word_at(words: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The 8 bytes from each byte position of :func:`padded_words` as a little-endian word (a position
    past the end reads the last bytes: callers mask what lies beyond a value). Read through a view of
    the bytes with a word at every byte (unaligned): ~10x faster than shifting aligned words."""
    data = words.view(np.uint8)
    every = np.ndarray(shape=(len(data) - 7,), dtype=np.uint64, buffer=data, strides=(1,))
    return every[np.minimum(positions, len(data) - 8)]


_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64)  # [n]: a word's low n bytes


#: Values up to this many bytes get :func:`sort_keys` (longer ones: fingerprints).
KEY_BYTES = 32


def key_words(array: pa.Array) -> int | None:
    """The 64-bit words a :func:`sort_keys` key of this string array needs (1 at least); ``None`` when a
    value is longer than :data:`KEY_BYTES`."""
    longest = int(pc.max(pc.binary_length(array)).as_py() or 0) if len(array) else 0
    return None if longest > KEY_BYTES else max((longest + 7) // 8, 1)


def sort_keys(array: pa.Array, words: int) -> np.ndarray:
    """Per value of a string array without nulls, each at most ``8 * words`` bytes: its bytes padded with
    zeros, as a key that sorts as the bytes do and is equal for equal values (two values share a key only
    when they differ in trailing NUL bytes: compare lengths too). A big-endian uint64 for one word, else
    numpy bytes (``S16``, ``S24``, ``S32``)."""
    values, bounds = string_bytes(array)
    lengths = np.diff(bounds)
    data = padded_words(values[bounds[0]:bounds[-1]])
    starts = bounds[:-1] - bounds[0]
    if words == 1:
        return (word_at(data, starts) & _LOW_BYTES[np.minimum(lengths, 8)]).byteswap()
    out = np.empty((len(lengths), words), dtype=np.uint64)
    for k in range(words):  # little-endian words laid side by side: the value's bytes in order
        out[:, k] = word_at(data, starts + 8 * k) & _LOW_BYTES[np.clip(lengths - 8 * k, 0, 8)]
    return out.view(f"S{8 * words}").reshape(-1)


def byte_offsets(data: np.ndarray, points: np.ndarray, continuation: np.ndarray | None = None) -> np.ndarray:
    """Byte offset in UTF-8 ``data`` (uint8) of each code point index in ``points`` (from 0 to the number of
    code points, which gives ``len(data)``). Only continuation bytes are placed (few in most texts): code
    point k begins at byte k plus the continuation bytes of the code points before it. ``continuation``:
    where they are, ``np.flatnonzero((data & 0xC0) == 0x80)``, when the caller has it."""
    points = np.asarray(points, dtype=np.int64)
    if continuation is None:
        continuation = np.flatnonzero((data & 0xC0) == 0x80)
    if not len(continuation):
        return points.copy()
    begun = continuation - np.arange(len(continuation))  # per continuation byte: the code points begun before it
    return points + np.searchsorted(begun, points, side="right")


def code_point_starts(data: np.ndarray) -> np.ndarray:
    """Byte offset of every code point of UTF-8 bytes, then the length: ``starts[k]`` is where code point k begins."""
    return np.append(np.flatnonzero((data & 0xC0) != 0x80), len(data))
