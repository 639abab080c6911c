"""The utterances, ranked reports and corroboration built a column at a time equal the frame-wide
formulas they replaced (sort every report whole, join, group by strings), on the seed dossier and on
a copy with holes: statements with no report, reports known only later."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

from parley import paths
from parley.data.dossier import load_dossier
from parley.data.synth import synthesize
from parley.data.model import (COMPLETENESS_ORDER, RELIABILITY_ORDER, UTTERANCE_COLUMNS, _first_seen_joined, corroboration,
                               origin_key, outlet_name, ranked_reports, speaks_for, utterances)


def _known(reports, as_of):
    return reports if as_of is None else reports.loc[(reports["date_reported"] <= as_of).fillna(False).to_numpy(dtype=bool)]


def _reference_ranked(dossier, as_of):
    reports, sources = _known(dossier.reports, as_of), dossier.sources
    reliability = pd.Series(sources["reliability"].to_numpy(), index=sources["source_id"].to_numpy())
    frame = reports.assign(
        outlet=reports["source_id"].map(outlet_name(sources)), origin=reports["source_id"].map(origin_key(sources)),
        _rank=reports["completeness"].map({n: i for i, n in enumerate(COMPLETENESS_ORDER)}).fillna(len(COMPLETENESS_ORDER)).astype("int64"),
        _grade=reports["source_id"].map(reliability).map({n: i for i, n in enumerate(RELIABILITY_ORDER)}).fillna(len(RELIABILITY_ORDER)).astype("int64"))
    frame = frame.sort_values(["statement_id", "_rank", "_grade", "date_reported", "source_id", "char_start", "report_id"], kind="stable")
    return frame.drop(columns=["_rank", "_grade"])


def _reference_corroboration(dossier, as_of):
    reports = _known(dossier.reports, as_of)
    reports = reports.assign(outlet=reports["source_id"].map(outlet_name(dossier.sources)), origin=reports["source_id"].map(origin_key(dossier.sources)))
    if reports.empty:
        return pd.DataFrame(columns=["n_reports", "outlets", "n_outlets", "n_origins", "date_reported"], index=pd.Index([], name="statement_id"))
    out = reports.groupby("statement_id", sort=False).agg(n_reports=("report_id", "size"), n_origins=("origin", "nunique"),
                                                          n_outlets=("outlet", "nunique"), date_reported=("date_reported", "min"))
    many = out.index[out["n_reports"].to_numpy() > 1]
    outlets = reports.drop_duplicates("statement_id").set_index("statement_id")["outlet"].reindex(out.index).astype(object)
    if len(many):
        several = reports.loc[reports["statement_id"].isin(many)].sort_values(["date_reported", "outlet"], kind="stable")
        outlets.loc[many] = _first_seen_joined(several["statement_id"], several["outlet"], many, ", ")
    out["outlets"] = outlets
    return out[["n_reports", "outlets", "n_outlets", "n_origins", "date_reported"]]


def _reference_utterances(dossier, as_of):
    statements = dossier.statements
    best = _reference_ranked(dossier, as_of).drop_duplicates("statement_id").set_index("statement_id")
    best = best[["report_id", "source_id", "text", "char_start", "char_end", "attribution_cue", "completeness"]]
    out = statements.join(best, on="statement_id").join(_reference_corroboration(dossier, as_of), on="statement_id")
    out["speaks_for"] = speaks_for(statements, dossier.actors).to_numpy()
    if as_of is not None:
        out = out.loc[out["n_reports"].notna().to_numpy()]
    for column in ("n_reports", "n_outlets", "n_origins"):
        out[column] = out[column].fillna(0).astype("int64")
    out["date_reported"] = pd.to_datetime(out["date_reported"])
    return out[UTTERANCE_COLUMNS]


def _same(new: pd.DataFrame, old: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert [str(t) for t in new.dtypes] == [str(t) for t in old.dtypes]
    assert new.index.equals(old.index) and str(new.index.dtype) == str(old.index.dtype)


@pytest.fixture(scope="module")
def holed(tmp_path_factory):
    """The seed dossier with every third report dropped and the rest spread over two dates."""
    folder = tmp_path_factory.mktemp("holed") / "holed"
    shutil.copytree(paths.dossier_dir("riyadh_2025"), folder)
    with open(folder / "reports.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    date = rows[0].index("date_reported")
    kept = [r for i, r in enumerate(rows[1:]) if i % 3]
    for i, row in enumerate(kept):
        if i % 2:
            row[date] = "2025-03-01"
    with open(folder / "reports.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([rows[0], *kept])
    return load_dossier(folder, validate=False)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic dossier (invented texts), its reports then given every completeness and their sources
    every grade (and some none), so each rule of the ranking decides between some statement's reports."""
    dossier = load_dossier(synthesize(tmp_path_factory.mktemp("synth") / "utt", statements=3000, actors=20, issues=6, seed=5).path)
    kinds, grades = [*COMPLETENESS_ORDER, None], [*RELIABILITY_ORDER, None]
    dossier.reports = dossier.reports.assign(completeness=pd.array([kinds[i * 7 % len(kinds)] for i in range(len(dossier.reports))], dtype="string"))
    dossier.sources = dossier.sources.assign(reliability=pd.array([grades[i * 5 % len(grades)] for i in range(len(dossier.sources))], dtype="string"))
    return dossier


@pytest.mark.parametrize("which", ["seed", "holed", "synthetic"])
def test_column_built_frames_equal_the_frame_wide_formulas(which, holed, synthetic):
    dossier = {"seed": load_dossier("riyadh_2025"), "holed": holed, "synthetic": synthetic}[which]
    dates = dossier.reports["date_reported"].dropna().sort_values().unique()
    for as_of in (None, pd.Timestamp(dates[0]), pd.Timestamp("2000-01-01")):
        _same(ranked_reports(dossier, as_of), _reference_ranked(dossier, as_of))
        _same(utterances(dossier, as_of), _reference_utterances(dossier, as_of))
        _same(corroboration(dossier, as_of), _reference_corroboration(dossier, as_of))
    if which == "holed":  # the holes are there: statements without a report, known later
        assert (utterances(dossier)["n_reports"] == 0).any()
        assert len(utterances(dossier, pd.Timestamp(dates[0]))) < len(utterances(dossier))
    if which == "synthetic":  # what the ranking decides between is there: several reports of mixed rank and grade
        reports = dossier.reports
        assert (reports["statement_id"].value_counts() > 1).sum() > 50 and reports["completeness"].nunique() == len(COMPLETENESS_ORDER)
