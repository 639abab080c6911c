"""parley.data.strings and CheckRun.locate: fingerprints depend on the value alone, lookups are exact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from parley.data.scan import _first_match
from parley.data.strings import equal_ranges, fingerprints


def _values(rng: np.random.Generator, n: int, longest: int) -> list[str]:
    alphabet = list("ab_é\u00e9z0")
    return ["".join(rng.choice(alphabet, size=int(rng.integers(0, longest)))) for _ in range(n)]


def test_a_value_has_one_fingerprint_in_any_column_and_chunking():
    rng = np.random.default_rng(7)
    values = _values(rng, 3000, 60)  # short (padded words) and long (weighted sums) values mixed
    whole = fingerprints(pa.chunked_array([pa.array(values)]))
    chunked = fingerprints(pa.chunked_array([pa.array(values[:1234]), pa.array(values[1234:])]))
    large = fingerprints(pa.chunked_array([pa.array(values, type=pa.large_string())]))
    alone = np.array([fingerprints(pa.chunked_array([pa.array([v])]))[0] for v in values[:200]], dtype=np.uint64)
    assert (whole == chunked).all() and (whole == large).all() and (whole[:200] == alone).all()
    distinct = pd.Series(values).drop_duplicates()
    assert len(np.unique(whole)) == len(distinct)  # no collision among these


def test_first_match_finds_the_first_target_row_of_each_value():
    rng = np.random.default_rng(3)
    target = _values(rng, 2000, 6)
    queries = _values(rng, 2000, 6)
    found = _first_match(fingerprints(pa.chunked_array([pa.array(target)])), fingerprints(pa.chunked_array([pa.array(queries)])))
    first = {}
    for row, value in enumerate(target):
        first.setdefault(value, row)
    assert found.tolist() == [first.get(value, -1) for value in queries]


def test_equal_ranges_compares_bytes_exactly():
    left = np.frombuffer(b"hello world", dtype=np.uint8)
    right = np.frombuffer(b"xxworldhelo", dtype=np.uint8)
    got = equal_ranges(left, np.array([6, 0, 0, 0, 1]), right, np.array([2, 7, 0, 7, 8]), np.array([5, 3, 0, 4, 1]))
    assert got.tolist() == [True, True, True, False, True]


def test_equal_ranges_agrees_with_python_slices_at_every_length_and_alignment():
    rng = np.random.default_rng(11)
    left = rng.integers(0, 3, size=3000).astype(np.uint8)
    right = left.copy()
    right[::89] ^= 1  # a few bytes differ: some ranges equal, some not, in any word of a range
    n = 20000
    lengths = rng.integers(0, 70, size=n)
    left_starts = rng.integers(0, len(left) - 70, size=n)
    right_starts = np.where(rng.random(n) < 0.7, left_starts, rng.integers(0, len(right) - 70, size=n))
    lengths[-5:] = 0
    left_starts[-3:] = len(left) - lengths[-3:]  # ranges that end on the last byte
    got = equal_ranges(left, left_starts, right, right_starts, lengths)
    want = [left[a:a + k].tobytes() == right[b:b + k].tobytes() for a, b, k in zip(left_starts, right_starts, lengths)]
    assert got.tolist() == want
    assert 0.2 < np.mean(want) < 0.9


def test_short_value_fingerprints_are_the_padded_words_mixed_in_one_by_one():
    from parley.data.strings import _MULTIPLIER, mix

    def reference(value: bytes) -> int:  # the definition, one value at a time
        padded = value + b"\0" * (-len(value) % 8)
        with np.errstate(over="ignore"):
            h = np.uint64(len(value)) * _MULTIPLIER
            for k in range(0, len(value), 8):
                h = mix(np.array([h + np.frombuffer(padded[k:k + 8], dtype="<u8")[0]], dtype=np.uint64))[0]
        return int(h)

    values = ["", "a", "é", "s0000001", "s00000012", "abcdefgh" * 4, "€" * 10, "x\0y", "src000001"]
    got = fingerprints(pa.chunked_array([pa.array(values)]))
    assert got.tolist() == [reference(v.encode()) for v in values]


def test_byte_offsets_place_code_points_of_any_width():
    from parley.data.strings import byte_offsets

    for text in ["", "plain ascii", "é", "aéb", "€uro 😀 ok — ü", "😀😀", "ab€"]:
        data = np.frombuffer(text.encode(), dtype=np.uint8)
        points = np.arange(len(text) + 1)
        assert byte_offsets(data, points).tolist() == [len(text[:k].encode()) for k in points]


def _run_on(tiny_dir, statement_ids: list[str], report_statement_ids: list[str]):
    """A CheckRun over the tiny dossier's schema whose statements and reports hold these ids."""
    from parley.data.schema import read_schema
    from parley.data.scan import CheckRun

    schema = read_schema(tiny_dir)
    frames = {
        "statements": pd.DataFrame({"statement_id": pd.Series(statement_ids, dtype=str)}),
        "reports": pd.DataFrame({"statement_id": pd.Series(report_statement_ids, dtype=str)}),
    }
    return CheckRun(schema, frames, {"statements": None, "reports": None})


def _first_rows(target: list[str], queries: list[str]) -> list[int]:
    first: dict[str, int] = {}
    for row, value in enumerate(target):
        first.setdefault(value, row)
    return [first.get(value, -1) for value in queries]


@pytest.mark.parametrize("longest", [3, 8, 12, 30, 45])  # one-word keys, S16/S32 keys, fingerprints past 32 bytes
@pytest.mark.parametrize("ordered", [True, False])
def test_locate_finds_the_first_row_of_each_value_exactly(tiny_dir, longest, ordered):
    rng = np.random.default_rng(longest)
    target = _values(rng, 3000, longest) + ["ab", "ab\0", "ab\0\0", "", "ab"]  # values apart only in trailing NULs
    if ordered:
        target = sorted(target)
    queries = _values(rng, 3000, longest) + ["ab\0", "ab", "ab\0\0\0", "", "zz"] + target[::7]
    run = _run_on(tiny_dir, target, queries)
    found = run.locate(run.frames["reports"], "statement_id", run.frames["statements"], "statement_id")
    assert found.tolist() == _first_rows(target, queries)


def test_contains_is_exact_whichever_side_is_hashed(tiny_dir):
    rng = np.random.default_rng(5)
    speakers = _values(rng, 40, 5)
    rows = [speakers[i] for i in rng.integers(0, len(speakers), size=9000)]
    for reference in (speakers[:25], speakers[10:] * 300):  # fewer reference rows than values; many more
        run = _run_on(tiny_dir, reference, rows)
        distinct = run.distinct(run.frames["reports"], "statement_id")
        assert distinct is not None
        got = run.contains(distinct, run.frames["statements"], "statement_id")
        assert got.tolist() == [value in set(reference) for value in rows]


@pytest.mark.parametrize("values, increasing", [
    (["a", "b", "c"], True),
    (["a", "ab", "b"], True),
    (["ab", "ab\0"], False),  # apart only in a trailing NUL: one key, so not told increasing (checked by value)
    (["a", "c", "b"], False),
    (["a", "a"], False),
    (["x" * 40, "y" * 40], False),  # longer than the keys: fingerprints decide
    ([], True),
])
def test_increasing_ids_are_told_without_hashing(tiny_dir, values, increasing):
    run = _run_on(tiny_dir, values, [])
    assert run.increasing(run.frames["statements"], "statement_id") is increasing


@pytest.mark.parametrize("row", [3, 4])  # next to its first use (ids still in order), or further on (out of order)
def test_a_repeated_id_is_reported_whether_ids_are_in_order_or_not(tiny_copy, row):
    import csv

    from badcorpus import _set
    from parley.data.validate import validate_dossier

    with open(tiny_copy / "reports.csv", encoding="utf-8", newline="") as file:
        ids = [record["report_id"] for record in csv.DictReader(file)]
    assert ids == sorted(ids) and len(ids) >= 3  # the tiny dossier's ids are in order
    _set(tiny_copy, "reports.csv", row, "report_id", ids[0])
    problems = [p for p in validate_dossier(tiny_copy) if p.code == "primary-key"]
    assert [(p.file, p.row, p.field, p.value) for p in problems] == [("reports.csv", row, "report_id", ids[0])]


def test_distinct_spread_gives_each_row_its_value_verdict():
    from parley.data.scan import Distinct

    codes = np.array([2, 0, 0, 1, 2], dtype=np.int32)
    distinct = Distinct(pd.Series(["a", "b", "c"], dtype=str), codes)
    for per_value in ([True, False, True], [False, False, False], [True, True, True], [1, 5, 9]):
        assert distinct.spread(np.array(per_value)).tolist() == [per_value[c] for c in codes]
