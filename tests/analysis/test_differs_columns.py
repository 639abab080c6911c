"""The column-at-a-time helpers of the differs give what the value-by-value formulas give: an
edition written by an earlier version (its fingerprints, its joined ids) still compares equal."""

import hashlib
import random

import pandas as pd
import pytest

from parley.analysis.differs import _fingerprint, _joined
from parley.data.edition import plain

WORDS = ["a", "b", "Z", "é", "É", "zz", "日本", "🙂", "a|b", "", " ", "x\x1fy"]


def _reference_fingerprint(frame, columns):
    def text(v):
        return "" if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) else str(v)
    return [hashlib.sha256("\x1f".join(text(frame[c].tolist()[i]) for c in columns).encode("utf-8")).hexdigest()[:12]
            for i in range(len(frame))]


def _reference_joined(keys, values):
    found = dict.fromkeys(keys, "")
    pairs = {}
    for k, v in zip(keys, values):
        if isinstance(v, str) and v != "":
            pairs.setdefault(k, set()).add(v)
    found.update({k: "|".join(sorted(vs)) for k, vs in pairs.items()})
    return found


@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_fingerprint_equals_the_value_by_value_formula(dtype):
    rng = random.Random(7)
    n = 300
    frame = pd.DataFrame({
        "text": pd.Series([rng.choice(WORDS + [None]) for _ in range(n)], dtype=dtype),
        "start": pd.array([rng.choice([None, 0, 7, -3, 10**12]) for _ in range(n)], dtype="Int64"),
        "plain": pd.Series([rng.randrange(100) for _ in range(n)], dtype="int64"),
    })
    assert _fingerprint(frame, ["text", "start", "plain", "absent"]).tolist() == _reference_fingerprint(
        frame.assign(absent=None), ["text", "start", "plain", "absent"])


def test_fingerprint_of_values_arrow_would_write_otherwise_uses_str():
    frame = pd.DataFrame({"when": pd.to_datetime(["2025-02-18", None]), "flag": [True, False], "share": [0.5, float("nan")],
                          "mixed": pd.Series(["x", 3], dtype=object)})
    columns = ["when", "flag", "share", "mixed"]
    assert _fingerprint(frame, columns).tolist() == _reference_fingerprint(frame, columns)
    assert _fingerprint(frame.iloc[0:0], columns).tolist() == []


@pytest.mark.parametrize("dtype", ["str", object])
def test_joined_equals_sorted_distinct_values_per_key(dtype):
    rng = random.Random(11)
    keys = [f"s{rng.randrange(60)}" for _ in range(500)] + ["only-empty", "only-none"]
    values = [rng.choice(WORDS + [None]) for _ in range(500)] + ["", None]
    found = _joined(pd.Series(keys, dtype=dtype), pd.Series(values, dtype=dtype))
    assert found == _reference_joined(keys, values)
    assert found["only-empty"] == "" and found["only-none"] == ""
    assert _joined(pd.Series([], dtype=dtype), pd.Series([], dtype=dtype)) == {}
    assert _joined(pd.Series(["k"], dtype=dtype), pd.Series([None], dtype=object)) == {"k": ""}


def test_plain_sorts_by_the_key_in_code_point_order():
    keys = ["b", "É", "a", "🙂", "Z", "é", "a"]
    frame = pd.DataFrame({"key": keys, "row": range(len(keys))})
    out = plain(frame, ["key", "row"])
    assert out["key"].tolist() == sorted(keys)
    assert out["row"].tolist() == [r for _, r in sorted(zip(keys, range(len(keys))), key=lambda p: p[0])]  # stable: the two "a" keep their order


def test_first_seen_joined_keeps_each_keys_values_in_the_order_met_once_each():
    from parley.data.model import _first_seen_joined

    keys = pd.Series(["s2", "s1", "s2", "s1", "s2", "s3", "s1"], dtype="str")
    values = pd.Series(["Wire", "Daily", "Gazette", "Daily", "Wire", "Ignored", "Émile"], dtype="str")
    joined = _first_seen_joined(keys, values, pd.Index(["s1", "s2"]), ", ")
    assert joined.tolist() == ["Daily, Émile", "Wire, Gazette"]
