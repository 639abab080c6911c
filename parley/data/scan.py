"""Where each record of a dossier CSV sits in its file, and the run every check works on.

:class:`CheckRun` holds the frames of one validation (their spreadsheet rows and file lines, the
parsed values) and collects the problems the checks of :mod:`parley.data.rules` report.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from parley.data.layout import Layout, record_layout
from parley.data.schema import PackageSchema, Table
from parley.data.strings import KEY_BYTES, fingerprints, key_words, sort_keys, string_bytes
from parley.data.tables import BOM
from parley.errors import Problem


_SMALL = 4096  # rows below which a column is checked value by value as it is (encoding costs more)
_PAIRS = 1 << 18  # pairs of values compared at a time by _equal_at (a copy of their bytes each)
_SAMPLE = 1 << 16  # rows sampled to tell an id column (about one value per row) from a coded one

# ---------------------------------------------------------------------------------------------
# Where each record sits in its file


#: Header and per-record width and first line of a CSV (:class:`parley.data.layout.Layout`).
Scan = Layout


def scan_table(schema: PackageSchema, table: Table) -> Scan | None:
    """The layout of one table's file; ``None`` when it cannot be read or has no header."""
    try:
        data = (schema.path.parent / table.path).read_bytes()
    except OSError:
        return None
    return record_layout(data[len(BOM):] if data.startswith(BOM) else data)


def structure_problems(table: Table, scan: Scan | None) -> list[Problem]:
    """Blank rows and rows whose field count differs from the header's."""
    if scan is None:
        return []
    expected = len(scan.header)
    problems = []
    for index in np.flatnonzero(scan.widths != expected):
        width, row, line = int(scan.widths[index]), int(index) + 2, int(scan.lines[index])
        where = line_note(row, line)
        if width == 0:
            problems.append(Problem(table.path, row, None, None, f"blank row; delete it{where}", "blank-row"))
            continue
        message = f"row has {width} fields, the header has {expected}"
        if width > expected:
            message += "; a value holding a comma must be wrapped in double quotes"
        problems.append(Problem(table.path, row, None, None, message + where, "field-count"))
    return problems


def line_note(row: int, line: int) -> str:
    return "" if row == line else f" (row {row} starts on line {line} of the file)"


# ---------------------------------------------------------------------------------------------
# The run: frames, their row numbers, parsed values, and the problems found


@dataclass(frozen=True)
class Distinct:
    """A column's distinct values (in order of first appearance) and, per row, the position of its value
    among them: a check of a value's form runs once per value and is spread back over the rows."""

    values: pd.Series  # str, RangeIndex
    codes: np.ndarray  # per row: position in values (int32)

    def spread(self, per_value: np.ndarray | pd.Series) -> np.ndarray:
        """A per-value array as a per-row one (a mask true for no value, or for every one, without reading the codes)."""
        per_value = np.asarray(per_value)
        if per_value.dtype == bool and len(per_value) and len(self.codes):
            if not per_value.any():
                return np.zeros(len(self.codes), dtype=bool)
            if per_value.all():
                return np.ones(len(self.codes), dtype=bool)
        return per_value[self.codes]

    def spread_series(self, per_value: pd.Series, index: pd.Index) -> pd.Series:
        """A per-value Series (any dtype) as a per-row Series on ``index``."""
        return pd.Series(per_value.array.take(self.codes), index=index)

    def isin(self, reference: pd.Series | list) -> np.ndarray:
        """Per row: the value is in ``reference`` (pyarrow's hash lookup on the distinct values only)."""
        return self.spread(arrow_isin(self.values, reference)) if len(self.codes) else np.zeros(0, dtype=bool)


def arrow_strings(column: pd.Series) -> pa.ChunkedArray | None:
    """The pyarrow strings under a column of text without missing values, without a copy; ``None`` otherwise."""
    array = column.array
    if not hasattr(array, "__arrow_array__"):
        return None
    arrow = array.__arrow_array__()
    if isinstance(arrow, pa.Array):
        arrow = pa.chunked_array([arrow])
    if not (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)) or arrow.null_count:
        return None
    return arrow


def arrow_isin(values: pd.Series, reference: pd.Series | list) -> np.ndarray:
    """``values.isin(reference)`` as a numpy mask, by pyarrow's hash lookup: pandas' own ``isin`` on
    pyarrow-backed strings took 8.5 s for a million keys against a million (pyarrow: 0.4 s)."""
    left = pa.array(values.astype(str).array)
    right = pa.array(reference if isinstance(reference, list) else reference.astype(str).array, type=left.type)
    return pc.is_in(left, value_set=right).to_numpy(zero_copy_only=False).astype(bool)


def arrow_index_in(values: pd.Series, among) -> np.ndarray:
    """For each of ``values``, its position in ``among`` (distinct values), ``-1`` where it is absent
    or missing: ``pd.Index(among).get_indexer(values)`` by pyarrow's hash lookup (pandas' on a
    million pyarrow-backed strings held ~0.15 GB of Python strings while it ran)."""
    left = pa.array(pd.Series(values).astype(str).array)
    right = pa.array(pd.Series(among).astype(str).array, type=left.type)
    return pc.index_in(left, value_set=right, skip_nulls=True).fill_null(-1).to_numpy().astype(np.int64)


def _mostly_distinct(arrow: pa.ChunkedArray) -> bool:
    """More than half of a sample of the rows hold distinct values (a large column only)."""
    if len(arrow) <= 2 * _SAMPLE:
        return False
    return pc.count_distinct(arrow.slice(0, _SAMPLE)).as_py() > _SAMPLE // 2


def _first_match(target: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Per query fingerprint: the first row of ``target`` whose fingerprint agrees in its high bits (-1: none).

    One sort of both sides (hash tables of a million random keys spend their time on cache misses): each
    fingerprint keeps its high bits and carries its row in the low ones, so a sort puts equal prefixes
    together, target rows first and in row order. Agreeing is not equality: the caller compares the values.
    """
    rows = len(target) + len(queries)
    bits = max(int(rows - 1).bit_length(), 1)
    low = np.uint64((1 << bits) - 1)
    packed = np.concatenate([target, queries]) & ~low
    packed |= np.arange(rows, dtype=np.uint64)
    packed.sort()
    prefix, row = packed & ~low, (packed & low).astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], prefix[1:] != prefix[:-1])))
    leader = np.repeat(row[starts], np.diff(np.append(starts, rows)))  # the first row of each prefix's group
    found = np.full(len(queries), -1, dtype=np.int64)
    asked = row >= len(target)
    matched = asked & (leader < len(target))
    found[row[matched] - len(target)] = leader[matched]
    return found


def _equal_at(left: pa.Array, rows: np.ndarray, right: pa.Array, other_rows: np.ndarray) -> np.ndarray:
    """Per pair: ``left[rows[i]] == right[other_rows[i]]`` (exact bytes), by pyarrow's take and equal,
    _PAIRS pairs at a time (numpy's byte-by-byte comparison cost ~1 s at a million statements; this a third)."""
    same = np.zeros(len(rows), dtype=bool)
    for at in range(0, len(rows), _PAIRS):
        pick, other = pa.array(rows[at:at + _PAIRS]), pa.array(other_rows[at:at + _PAIRS])
        same[at:at + _PAIRS] = pc.equal(left.take(pick), right.take(other)).to_numpy(zero_copy_only=False)
    return same


def _whole(arrow: pa.ChunkedArray) -> pa.Array:
    return arrow.chunk(0) if arrow.num_chunks == 1 else arrow.combine_chunks()


def _encode(arrow: pa.ChunkedArray) -> Distinct:
    encoded = pc.dictionary_encode(arrow)  # one dictionary shared by every chunk
    chunks = [c for c in encoded.chunks if len(c)]
    dictionary = chunks[0].dictionary if chunks else pa.array([], type=arrow.type)
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks]) if chunks else np.zeros(0, dtype=np.int32)
    values = pd.Series(dictionary.to_pandas(), dtype=str) if len(dictionary) else pd.Series([], dtype=str)
    return Distinct(values.reset_index(drop=True), codes.astype(np.int32, copy=False))  # 4 bytes a row: a million rows, a dozen columns


@dataclass
class Frame:
    table: Table
    frame: pd.DataFrame
    header: list[str]
    rows: np.ndarray  # spreadsheet row of each frame row
    lines: np.ndarray  # file line on which each frame row starts
    structure: list[Problem]
    usable: bool = True  # columns line up with the schema, so cells can be checked
    valid: dict[str, pd.Series] = field(default_factory=dict)  # field -> mask of well-typed, filled cells
    parsed: dict[str, pd.Series] = field(default_factory=dict)  # field -> typed values
    distinct: dict[str, Distinct | None] = field(default_factory=dict)  # field -> its distinct values (see CheckRun.distinct)
    cache: dict[tuple, object] = field(default_factory=dict)  # fingerprints and lookups, computed once per run

    def has(self, *names: str) -> bool:
        return self.usable and all(n in self.frame.columns and n in self.table.by_name for n in names)


class CheckRun:
    def __init__(self, schema: PackageSchema, raw: dict[str, pd.DataFrame], layouts: dict[str, Layout | None] | None = None):
        self.schema = schema
        self.problems: list[Problem] = []
        self.seeds: dict[str, bytes] = {}  # source_id -> UTF-8 text of the sources that could be read
        self.seed_lengths: dict[str, int] = {}  # source_id -> its length in characters (code points)
        layouts = layouts or {}
        self.frames = {name: self._prepare(schema.tables[name], frame, layouts[name] if name in layouts else scan_table(schema, schema.tables[name]))
                       for name, frame in raw.items() if name in schema.tables}

    def fork(self) -> CheckRun:
        """This run's frames, caches and source texts, with a list of problems of its own (for checks
        run in a thread: each keeps its problems apart, the caller joins them in order)."""
        part = copy.copy(self)
        part.problems = []
        return part

    def _prepare(self, table: Table, frame: pd.DataFrame, scan: Layout | None) -> Frame:
        n = len(frame)
        filled = scan.widths > 0 if scan is not None else None
        if scan is not None and int(filled.sum()) == n and len(scan.header) == len(frame.columns):
            positions = np.flatnonzero(filled)
            rows, lines = positions + 2, scan.lines[positions]
            structure = structure_problems(table, scan)
            header = scan.header
        else:  # the file is not the one these frames came from: fall back to pandas' order
            rows = lines = np.arange(n) + 2
            structure, header = [], [str(c) for c in frame.columns]
        # Rows wider than the header make pandas shift or drop columns: their cells are not checked.
        usable = scan is None or not bool((scan.widths > len(scan.header)).any())
        return Frame(table, frame, header, rows, lines, structure, usable)

    def distinct(self, f: Frame, name: str) -> Distinct | None:
        """Column ``name`` of ``f`` as its distinct values and a code per row, computed once per run
        (one hash pass in pyarrow); ``None`` for a column holding missing values, a short column, or one
        with about as many values as rows (ids: hashing a million distinct strings costs more than checking them)."""
        if name not in f.distinct:
            arrow = arrow_strings(f.frame[name].astype(str))
            f.distinct[name] = None if arrow is None or len(arrow) < _SMALL or _mostly_distinct(arrow) else _encode(arrow)
        return f.distinct[name]

    def fingerprints(self, f: Frame, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Per row of column ``name``: a 64-bit number equal for equal values, and whether the cell is
        filled; ``None`` for a column holding missing values."""
        distinct = self.distinct(f, name)
        if distinct is not None:
            return distinct.codes.astype(np.uint64), distinct.spread(distinct.values.ne("").to_numpy())
        arrow = arrow_strings(f.frame[name].astype(str))
        if arrow is None:
            return None
        return fingerprints(arrow), pc.not_equal(arrow, "").to_numpy(zero_copy_only=False).astype(bool)

    def string_prints(self, f: Frame, name: str) -> np.ndarray | None:
        """Per row of column ``name``: the fingerprint of its text (comparable across tables), computed once."""
        key = ("prints", name)
        if key not in f.cache:
            distinct = self.distinct(f, name)
            if distinct is not None:
                arrow = pa.chunked_array([pa.array(distinct.values.array)]) if len(distinct.values) else None
                f.cache[key] = fingerprints(arrow)[distinct.codes] if arrow is not None else np.zeros(len(f.frame), dtype=np.uint64)
            else:
                arrow = arrow_strings(f.frame[name].astype(str))
                f.cache[key] = None if arrow is None else fingerprints(arrow)
        return f.cache[key]

    def _whole(self, f: Frame, name: str) -> pa.Array | None:
        """Column ``name`` as one pyarrow string array (its chunks joined once per run)."""
        key = ("whole", name)
        if key not in f.cache:
            arrow = arrow_strings(f.frame[name].astype(str))
            f.cache[key] = None if arrow is None else _whole(arrow)
        return f.cache[key]

    def contains(self, distinct: Distinct, target: Frame, target_name: str) -> np.ndarray:
        """Per row of a column given as its distinct values: the value is in ``target``'s column
        ``target_name`` (exact; one hash lookup per distinct value, the smaller side hashed)."""
        if not len(distinct.codes):
            return np.zeros(0, dtype=bool)
        values = pa.array(distinct.values.astype(str).array)
        reference = target.frame[target_name].astype(str)
        if len(reference) <= 4 * len(values):
            return distinct.spread(arrow_isin(distinct.values, reference))
        arrow = arrow_strings(reference)
        reference_values = arrow if arrow is not None else pa.array(reference.array, type=values.type)
        at = pc.index_in(reference_values, value_set=values.cast(reference_values.type))  # the few values hashed, the many rows probed
        present = np.zeros(len(values), dtype=bool)
        present[pc.drop_null(at).to_numpy(zero_copy_only=False)] = True
        return distinct.spread(present)

    def locate(self, f: Frame, name: str, target: Frame, target_name: str) -> np.ndarray | None:
        """Per row of ``f``: the first row of ``target`` whose ``target_name`` equals its ``name`` (-1: none).

        Exact: fingerprints find the candidate row, the bytes of both cells are then compared; ``None``
        for a column holding missing values."""
        key = ("locate", name, target.table.name, target_name)
        if key in f.cache:
            return f.cache[key]
        left, right = self._whole(f, name), self._whole(target, target_name)
        if left is None or right is None:
            return None
        words = max(key_words(left) or 0, key_words(right) or 0) if len(left) and len(right) else 0
        if 0 < words <= KEY_BYTES // 8:
            f.cache[key] = found = self._locate_by_keys(f, name, target, target_name, words)
            return found
        prints, target_prints = self.string_prints(f, name), self.string_prints(target, target_name)
        if prints is None or target_prints is None:
            return None
        found = np.full(len(prints), -1, dtype=np.int64)
        if len(target_prints):
            at = _first_match(target_prints, prints)
            hit = np.flatnonzero(at >= 0)
            candidates = at[hit]
            same = _equal_at(left, hit, right, candidates)
            found[hit[same]] = candidates[same]
            doubtful = hit[~same]  # a fingerprint shared by different values: look these rows up by value
            if len(doubtful):
                values = pa.array(f.frame[name].astype(str).iloc[doubtful].array)
                found[doubtful] = pc.index_in(values, value_set=right).fill_null(-1).to_numpy(zero_copy_only=False)
        f.cache[key] = found
        return found

    def increasing(self, f: Frame, name: str) -> bool:
        """Column ``name`` holds values in strictly increasing byte order (so no value repeats): told from
        its :meth:`_keyed` keys (values of up to 32 bytes; ``False`` for longer ones or missing values)."""
        whole = self._whole(f, name)
        words = key_words(whole) if whole is not None else None
        if words is None:
            return False
        keys, lengths, order = self._keyed(f, name, words)
        if order is not None:
            return False
        return not bool((keys[1:] == keys[:-1]).any())  # keys in order, none twice: no two values alike

    def _keyed(self, f: Frame, name: str, words: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Column ``name``'s :func:`~parley.data.strings.sort_keys`, its byte lengths, and the stable order
        that sorts the keys (``None``: they are in order already, as ids usually are), once per run."""
        key = ("keys", name, words)
        if key not in f.cache:
            whole = self._whole(f, name)
            keys = sort_keys(whole, words)
            lengths = np.diff(string_bytes(whole)[1])
            order = None if len(keys) < 2 or bool((keys[1:] >= keys[:-1]).all()) else np.argsort(keys, kind="stable")
            f.cache[key] = (keys, lengths, order)
        return f.cache[key]

    def _locate_by_keys(self, f: Frame, name: str, target: Frame, target_name: str, words: int) -> np.ndarray:
        """:meth:`locate` for values of at most ``8 * words`` bytes: a binary search of the target's sorted
        keys; equal keys and lengths are equal bytes, and a key shared by values that differ (in trailing
        NUL bytes only) is looked up by value."""
        keys, lengths, _ = self._keyed(f, name, words)
        target_keys, target_lengths, order = self._keyed(target, target_name, words)
        ordered = target_keys if order is None else target_keys[order]
        at = np.minimum(np.searchsorted(ordered, keys, side="left"), len(ordered) - 1)  # the first of equal keys: the first row
        rows = at if order is None else order[at]
        hit = ordered[at] == keys
        same = hit & (target_lengths[rows] == lengths)
        found = np.where(same, rows, -1).astype(np.int64)
        doubtful = np.flatnonzero(hit & ~same)
        if len(doubtful):
            values = pa.array(f.frame[name].astype(str).iloc[doubtful].array)
            found[doubtful] = pc.index_in(values, value_set=self._whole(target, target_name)).fill_null(-1).to_numpy(zero_copy_only=False)
        return found

    # -- reporting ----------------------------------------------------------------------------

    def report(self, f: Frame, index: int | None, field_name: str | None, value: object, message: str, code: str) -> None:
        row = None
        if index is not None:
            row = int(f.rows[index])
            message += line_note(row, int(f.lines[index]))
        self.problems.append(Problem(f.table.path, row, field_name, value, message, code))

    def report_rows(self, f: Frame, mask: pd.Series | np.ndarray, field_name: str | None, message: str | Callable[[int], str], code: str, values: pd.Series | None = None) -> None:
        """One problem per True in ``mask``; ``message`` may be a function of the frame position."""
        if values is None and field_name is not None:
            values = f.frame[field_name]
        for index in np.flatnonzero(np.asarray(mask, dtype=bool)):
            value = None if values is None else plain(values.iloc[index])
            text = message(int(index)) if callable(message) else message
            self.report(f, int(index), field_name, value, text, code)


def plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value
