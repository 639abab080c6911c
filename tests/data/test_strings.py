"""parley.data.strings and CheckRun.locate: fingerprints depend on the value alone, lookups are exact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

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
