"""The pyarrow lookups of parley.data.scan give what pandas' own would (they replace them where a
million ids are looked up), missing and absent values included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parley.data.scan import arrow_index_in, arrow_isin


@pytest.mark.parametrize("dtype", ["string", "str", "object"])
def test_arrow_index_in_equals_get_indexer(dtype):
    among = pd.Series(["s3", "s1", "s10", "s2", "ünï"], dtype=dtype)
    values = pd.Series(["s1", "s2", "absent", None, "s10", "s3", "s1", "ünï", ""], dtype=dtype)
    expected = pd.Index(among.dropna()).get_indexer(values.astype(object).where(values.notna(), "\0missing"))
    got = arrow_index_in(values, among)
    assert got.dtype == np.int64
    assert got.tolist() == expected.tolist() == [1, 3, -1, -1, 2, 0, 1, 4, -1]


def test_arrow_index_in_takes_arrays_and_empty_sides():
    among = pd.array(["a", "b"], dtype="string")
    assert arrow_index_in(pd.Series(["b", "a", "c"], dtype="string"), among).tolist() == [1, 0, -1]
    assert arrow_index_in(pd.Series([], dtype="string"), among).tolist() == []
    assert arrow_index_in(pd.Series(["a"], dtype="string"), pd.array([], dtype="string")).tolist() == [-1]


def test_arrow_isin_equals_isin():
    values = pd.Series(["x", "y", "z", "x"], dtype="string")
    assert arrow_isin(values, pd.Series(["x", "z"], dtype="string")).tolist() == values.isin(["x", "z"]).tolist()
