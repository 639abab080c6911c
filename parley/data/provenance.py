"""Provenance checks: every source file is there with its recorded SHA-256, and every quote is the
source text at its offsets. Registered in order by :mod:`parley.data.rules` (``_sources``, ``_spans``).

Sources are read once each (a loop over files is the honest shape); their bytes stay as bytes. The
quotes are compared with their sources as UTF-8 bytes with numpy (:func:`parley.data.strings.equal_word_ranges`):
offsets are code points, turned into byte offsets per source, so a quote equals its source text at
its offsets exactly when the bytes are equal (UTF-8 encodes each text one way only).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from parley import paths
from parley.data.scan import CheckRun, arrow_isin, arrow_strings
from parley.data.strings import byte_offsets, equal_word_ranges, padded_words, string_bytes

if TYPE_CHECKING:
    from parley.data.rules import Span

_SOURCE_BATCH = 1 << 20  # bytes of source text compared at a time (at a million statements 1 MB took half the CPU of 4 or 16 MB)
_SPAN_CHUNK = 65_536  # quotes compared at a time by the Python fallback
_TEXTS_AT_ONCE = 512  # source texts checked for UTF-8 by one pyarrow call
_EARLY = ("sources read early",)  # key of the sources frame's cache holding the thread's result


def read_sources_early(run: CheckRun) -> None:
    """Begin reading and hashing the source files in a thread, while the checks before
    :func:`check_sources` run (file reads and SHA-256 release the GIL: at 20,000 sources about 1 s
    of wall time overlaps the cell and key checks). Only plain files are read early; anything else,
    or a file that cannot be opened, is left to :func:`check_sources` to read and report as before."""
    f = run.frames.get("sources")
    if f is None or not f.has("source_id", "seed_file", "sha256"):
        return
    pool = ThreadPoolExecutor(max_workers=1)
    f.cache[_EARLY] = pool.submit(_read_seeds, os.fspath(run.schema.seeds_dir), f.frame["seed_file"].tolist())
    pool.shutdown(wait=False)  # the thread ends when the files are read


def _read_seeds(folder: str, seed_files: list[str]) -> dict[str, tuple[bytes, str]]:
    """seed file -> its bytes and their SHA-256, for each plain file that could be read."""
    found: dict[str, tuple[bytes, str]] = {}
    for seed_file in dict.fromkeys(seed_files):
        path = os.path.join(folder, seed_file)
        if _seed_kind(path, seed_file) != "file":
            continue
        try:
            data = _read_whole(path)
        except OSError:
            continue
        found[seed_file] = (data, hashlib.sha256(data).hexdigest())
    return found


def _read_whole(path: str) -> bytes:
    """The bytes of a file, read to its end with plain os calls (``open()``'s buffered file object and its
    isatty and seek calls cost ~25% more CPU over 20,000 small sources)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, os.fstat(fd).st_size + 1)
        more = os.read(fd, 1 << 20) if data else b""
        if not more:
            return data
        parts = [data, more]
        while more:
            more = os.read(fd, 1 << 20)
            parts.append(more)
        return b"".join(parts)
    finally:
        os.close(fd)


def check_sources(run: CheckRun) -> None:
    """Each source file exists in the seeds folder, is UTF-8 and has the recorded SHA-256."""
    f = run.frames.get("sources")
    if f is None or not f.has("source_id", "seed_file", "sha256"):
        return
    early = f.cache.pop(_EARLY, None)
    read_early: dict[str, tuple[bytes, str]] = early.result() if early is not None else {}
    seeds_dir = run.schema.seeds_dir
    folder = os.fspath(seeds_dir)
    shown_dir = _shown(seeds_dir)
    frame = f.frame
    usable = f.valid["source_id"] & f.valid["seed_file"]
    # Plain lists and os calls: pandas indexing or pathlib per row cost more than reading the file.
    source_ids, seed_files, hashes = frame["source_id"].tolist(), frame["seed_file"].tolist(), frame["sha256"].tolist()
    hash_valid = f.valid["sha256"].tolist()
    read: list[tuple[int, bytes]] = []
    for index in np.flatnonzero(usable.to_numpy()):  # one file per source: a loop is the honest shape
        seed_file, recorded = seed_files[index], hashes[index]
        path = os.path.join(folder, seed_file)
        if seed_file in read_early:
            data, actual = read_early[seed_file]
            if hash_valid[index] and actual != recorded:
                run.report(f, int(index), "sha256", recorded, _edited(seed_file, actual), "seed-hash")
            read.append((int(index), data))
            continue
        kind = _seed_kind(path, seed_file)
        if kind == "symlink" and os.path.isfile(path) and run.schema.seed_path(seed_file) is None:
            run.report(f, int(index), "seed_file", seed_file, f"{seed_file} is a symlink that leaves {shown_dir}; Parley never reads it; copy the text into the seeds folder", "seed-outside")
            continue
        if kind is None or not (kind == "file" or os.path.isfile(path)):
            run.report(f, int(index), "seed_file", seed_file, f"no file {seed_file} in {shown_dir} (the seeds folder set by datapackage.json parley.seeds_dir)", "seed-missing")
            continue
        data = _read_whole(path)
        actual = hashlib.sha256(data).hexdigest()
        if hash_valid[index] and actual != recorded:
            run.report(f, int(index), "sha256", recorded, _edited(seed_file, actual), "seed-hash")
        read.append((int(index), data))
    for (index, data), length in zip(read, _code_points([data for _, data in read])):
        if length is None:
            start = _first_bad_byte(data)
            run.report(f, index, "seed_file", seed_files[index], f"{seed_files[index]} is not UTF-8 (byte {start}); source texts are UTF-8 plain text", "seed-encoding")
            continue
        if source_ids[index] not in run.seeds:  # the first source of an id is the one quotes are checked against
            run.seeds[source_ids[index]] = data
            run.seed_lengths[source_ids[index]] = length


def _edited(seed_file: str, actual: str) -> str:
    return f"source edited after coding: {seed_file} now has sha256 {actual}; restore the original bytes (seeds are never edited) or re-code its statements and record the new hash"


def _code_points(texts: list[bytes]) -> list[int | None]:
    """Characters in each UTF-8 text (``None`` for bytes that are not UTF-8), checked by pyarrow at once."""
    if len(texts) > _TEXTS_AT_ONCE:  # a copy of a few hundred texts at a time, not of every seed
        return [n for at in range(0, len(texts), _TEXTS_AT_ONCE) for n in _code_points(texts[at:at + _TEXTS_AT_ONCE])]
    if not texts:
        return []
    try:
        return pc.utf8_length(pa.array(texts, type=pa.large_binary()).cast(pa.large_string())).to_pylist()
    except pa.ArrowInvalid:  # some text is not UTF-8: find which, one by one
        return [_code_points([text])[0] if _first_bad_byte(text) is None else None for text in texts] if len(texts) > 1 else [None]


def _first_bad_byte(data: bytes) -> int | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _seed_kind(path: str, seed_file: str) -> str | None:
    """``"file"``, ``"symlink"`` (to be resolved: it may leave the seeds folder) or ``None`` (not a
    plain file name, or nothing there). One ``lstat``: resolving every path cost 3 s for 20,000 sources."""
    if os.path.basename(seed_file) != seed_file or seed_file in (".", ".."):
        return None
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        return "symlink"
    return "file" if stat.S_ISREG(mode) else None


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(path)


def check_span(run: CheckRun, span: Span) -> None:
    """Offsets lie inside their source, start before end, and quoted text equals the source there."""
    f = run.frames.get(span.table)
    if f is None or not f.has(span.source, span.start, span.end):
        return
    sources = f.frame[span.source].astype(str)
    distinct = run.distinct(f, span.source)
    if distinct is None:
        codes, source_ids = pd.factorize(sources)
    else:
        codes, source_ids = distinct.codes, distinct.values
    read_ids = arrow_isin(pd.Series(source_ids, dtype=str), list(run.seeds))
    read = np.where(codes >= 0, read_ids[np.maximum(codes, 0)], False) if len(read_ids) else np.zeros(len(codes), dtype=bool)
    known = read & f.valid[span.start].to_numpy() & f.valid[span.end].to_numpy()
    if not known.any():
        return
    starts = f.parsed[span.start].fillna(0).astype(np.int64).to_numpy()
    ends = f.parsed[span.end].fillna(0).astype(np.int64).to_numpy()
    lengths = np.array([run.seed_lengths.get(s, 0) for s in source_ids], dtype=np.int64)[codes]
    reversed_ = known & (starts >= ends)
    run.report_rows(f, reversed_, span.start, lambda i: f"{span.start} {starts[i]} is not before {span.end} {ends[i]}; a span needs {span.start} < {span.end}", "span-order")
    beyond = known & ~reversed_ & (ends > lengths)
    run.report_rows(f, beyond, span.end, lambda i: f"beyond the end of source {sources.iloc[i]!r}, which has {lengths[i]} characters; offsets are 0-based code points, {span.end} exclusive", "span-range")
    if span.text is None or span.text not in f.frame.columns:
        return
    text_column = f.frame[span.text].astype(str)
    inside = np.flatnonzero(known & ~reversed_ & ~beyond & text_column.ne("").to_numpy())  # an empty text is reported as required
    seeds = [run.seeds.get(source_id, b"") for source_id in source_ids]
    differs = _differs(inside, codes, seeds, starts, ends, text_column)
    texts: dict[int, str] = {}

    def hint(i: int) -> str:
        code = int(codes[i])
        if code not in texts:
            texts[code] = seeds[code].decode("utf-8")
        return _span_hint(text_column.iloc[i], texts[code], int(starts[i]), int(ends[i]), span)

    run.report_rows(f, differs, span.text, hint, "span-text")


def _differs(inside: np.ndarray, codes: np.ndarray, seeds: list[bytes], starts: np.ndarray, ends: np.ndarray, text_column: pd.Series) -> np.ndarray:
    """Per row: the text differs from its source's text at its offsets (rows ``inside`` only)."""
    differs = np.zeros(len(text_column), dtype=bool)
    arrow = arrow_strings(text_column)
    if arrow is None or (len(inside) and bool((starts[inside] < 0).any())):
        _differs_by_slicing(inside, codes, seeds, starts, ends, text_column, differs)
        return differs
    text = arrow.combine_chunks() if arrow.num_chunks != 1 else arrow.chunk(0)
    text_bytes, text_bounds = string_bytes(text)
    text_words = padded_words(text_bytes)  # once: every batch reads its rows' texts from here
    sizes = np.array([len(seed) for seed in seeds], dtype=np.int64)
    batch_of = (np.cumsum(sizes) - sizes) // _SOURCE_BATCH  # sources in code order, about _SOURCE_BATCH bytes a batch
    row_batch = batch_of[codes[inside]]
    order = np.argsort(row_batch, kind="stable")
    bounds = np.searchsorted(row_batch[order], np.arange(int(batch_of.max()) + 2 if len(batch_of) else 1))
    for batch in range(len(bounds) - 1):
        rows = inside[order[bounds[batch]:bounds[batch + 1]]]
        if not len(rows):
            continue
        members = np.flatnonzero(batch_of == batch)
        blob = np.frombuffer(b"".join(seeds[c] for c in members), dtype=np.uint8)
        base = np.zeros(len(seeds), dtype=np.int64)
        base[members] = np.cumsum(sizes[members]) - sizes[members]
        row_codes = codes[rows]
        # Code points of the batch's texts, counted from the blob's start: a source's first code point
        # is its first byte less the continuation bytes before it.
        continuation = np.flatnonzero((blob & 0xC0) == 0x80)
        point_base = base - np.searchsorted(continuation, base)
        points = np.concatenate([point_base[row_codes] + starts[rows], point_base[row_codes] + ends[rows]])
        first, last = np.split(byte_offsets(blob, points, continuation), 2)
        text_start = text_bounds[rows]
        text_length = text_bounds[rows + 1] - text_start
        same_length = (last - first) == text_length
        differs[rows] = True
        candidates = rows[same_length]
        equal = equal_word_ranges(padded_words(blob), first[same_length], text_words, text_start[same_length], text_length[same_length])
        differs[candidates[equal]] = False
    return differs


def _differs_by_slicing(inside: np.ndarray, codes: np.ndarray, seeds: list[bytes], starts: np.ndarray, ends: np.ndarray, text_column: pd.Series, differs: np.ndarray) -> None:
    """:func:`_differs` with Python strings: a column with missing values, or negative offsets."""
    texts = [seed.decode("utf-8") for seed in seeds]
    for at in range(0, len(inside), _SPAN_CHUNK):  # in chunks: a million quotes as Python strings at once cost ~0.5 GB
        rows = inside[at:at + _SPAN_CHUNK]
        found = np.array([texts[codes[i]][starts[i]:ends[i]] for i in rows], dtype=object)
        differs[rows] = found != text_column.iloc[rows].to_numpy(dtype=object)


def _span_hint(text: str, source: str, start: int, end: int, span: Span) -> str:
    """Say where the text and the source at its offsets part, and where the text really is."""
    expected = source[start:end]
    at = len(os.path.commonprefix([expected, text]))
    context = 25
    message = (
        f"text is not the source text at {span.start}={start}, {span.end}={end}: from character {at} "
        f"the source has {expected[at:at + context]!r}, the text has {text[at:at + context]!r}"
    )
    occurrences = [m.start() for m in re.finditer(re.escape(text), source)] if text else []
    if occurrences:
        nearest = min(occurrences, key=lambda p: abs(p - start))
        message += f"; the text occurs at {span.start}={nearest}, {span.end}={nearest + len(text)}"
    else:
        message += "; quote the source verbatim (never paraphrase), with offsets of that exact text"
    return message
