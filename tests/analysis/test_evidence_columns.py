"""The evidence frame and the stance matrix built by position (only sort keys sorted, each column taken
once) equal the frame-wide formulas they replaced (merge, sort every column, group the whole frame),
on the seed dossier and on a synthetic one whose positions tie on day, red line, stance and origins."""

from __future__ import annotations

import copy
import numpy as np
import pandas as pd
import pytest

from parley.analysis.evidence import CODED, EVIDENCE_COLUMNS, _UTTERANCE, _names, known_statements, positions_with_evidence
from parley.data.tables import decoded
from parley.analysis.stance import latest_positions
from parley.analysis.trajectory import TRAJECTORY_COLUMNS, stance_trajectories
from parley.data.dossier import load_dossier
from parley.data.model import negotiating, outlet_name
from parley.data.synth import synthesize


def _reference_evidence(dossier, as_of):
    joined = dossier.positions.merge(known_statements(dossier, as_of)[_UTTERANCE], on="statement_id", how="inner")
    names = _names(dossier.actors, "actor_id", "name")
    joined["actor"] = joined["actor_id"].map(names)
    joined["participation"] = joined["actor_id"].map(_names(dossier.actors, "actor_id", "participation"))
    joined["speaker"] = joined["speaker_id"].map(names).fillna("unattributed")
    joined["issue"] = joined["issue_id"].map(_names(dossier.issues, "issue_id", "label"))
    sources = dossier.sources
    titles = pd.Series((sources["outlet"].fillna("unknown outlet") + ": " + sources["title"]).to_numpy(), index=sources["source_id"].to_numpy())
    joined["source"] = joined["source_id"].map(titles)
    joined["outlet"] = joined["source_id"].map(outlet_name(sources))
    joined = joined.sort_values(["date", "source_id", "char_start", "position_id"], kind="stable")
    return joined[EVIDENCE_COLUMNS].reset_index(drop=True)


def _reference_latest(evidence):
    ranked = evidence.assign(_abs=evidence["stance"].abs(), _day=evidence["date"].dt.normalize())
    ranked = ranked.sort_values(["actor_id", "issue_id", "_day", "red_line", "_abs", "n_origins", "char_start", "position_id"], kind="stable")
    groups = ranked.groupby(["actor_id", "issue_id"], sort=False)
    latest = groups.tail(1).copy()
    latest = latest.join(groups.size().rename("n_statements"), on=["actor_id", "issue_id"]).join(groups["red_line"].any().rename("red_line_ever"), on=["actor_id", "issue_id"])
    return latest.drop(columns=["_abs", "_day"]).sort_values(["issue_id", "actor_id"]).reset_index(drop=True)


def _reference_trajectories(evidence, actors=None, parties_only=False):
    if parties_only and actors is not None and len(evidence):
        evidence = evidence.loc[negotiating(evidence, actors)]
    dated = evidence.loc[evidence["date"].notna()]
    if dated.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TRAJECTORY_COLUMNS})
    ranked = dated.assign(_abs=dated["stance"].abs(), date=dated["date"].dt.normalize())
    ranked = ranked.sort_values(["actor_id", "issue_id", "date", "red_line", "_abs", "char_start", "position_id"], kind="stable")
    groups = ranked.groupby(["actor_id", "issue_id", "date"], sort=False)
    points = groups.tail(1).join(groups.size().rename("n_that_day"), on=["actor_id", "issue_id", "date"])
    return points.sort_values(["issue", "actor", "date"], kind="stable")[TRAJECTORY_COLUMNS].reset_index(drop=True)


def _same(new, old):
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert [str(t) for t in new.dtypes] == [str(t) for t in old.dtypes]
    assert new.index.equals(old.index) and str(new.index.dtype) == str(old.index.dtype)


@pytest.fixture(scope="module")
def tied(tmp_path_factory):
    """A synthetic dossier (invented texts) with few dates, stances and origins, so the tie-breaks decide."""
    dossier = load_dossier(synthesize(tmp_path_factory.mktemp("synth") / "ev", statements=3000, actors=12, issues=4, seed=7).path)
    n = len(dossier.positions)
    dossier.positions = dossier.positions.assign(stance=pd.array(np.arange(n) % 5 - 2, dtype="Int64"), red_line=np.arange(n) % 4 == 0)
    return dossier


@pytest.mark.parametrize("which", ["seed", "tied"])
def test_evidence_and_matrix_equal_the_frame_wide_formulas(which, tied):
    dossier = load_dossier("riyadh_2025") if which == "seed" else tied
    dates = dossier.reports["date_reported"].dropna().sort_values().unique()
    for as_of in (None, pd.Timestamp(dates[len(dates) // 2]), pd.Timestamp("2000-01-01")):
        evidence = positions_with_evidence(dossier, as_of)
        for column in CODED:  # categoricals of the values met, in sorted order
            values = evidence[column].array
            assert isinstance(values, pd.Categorical) and list(values.categories) == sorted(set(values.dropna()))
        as_strings = decoded(evidence)
        _same(as_strings, _reference_evidence(dossier, as_of))
        # The analyses sort and group the categoricals: the same rows, in the same order, as from plain strings.
        _same(latest_positions(evidence), _reference_latest(as_strings))
        _same(stance_trajectories(evidence), _reference_trajectories(as_strings))
        _same(stance_trajectories(evidence, dossier.actors, parties_only=True), _reference_trajectories(as_strings, dossier.actors, True))
    assert len(latest_positions(positions_with_evidence(dossier))) < len(positions_with_evidence(dossier))  # ties were broken


def _reference_due(dossier, as_of):
    from parley.analysis.staleness import DUE_COLUMNS, known_judgments

    judgments = known_judgments(dossier, as_of)
    judgments = judgments.loc[judgments["written"].notna() & judgments["issue_id"].notna()]
    statements = known_statements(dossier, as_of, ["statement_id", "date_reported"])
    on_issue = dossier.positions[["statement_id", "issue_id"]].drop_duplicates().merge(statements, on="statement_id")
    pairs = judgments[["judgment_id", "issue_id", "written"]].merge(on_issue, on="issue_id")
    later = pairs.loc[pairs["date_reported"] > pairs["written"]]
    if later.empty:
        return pd.DataFrame(columns=DUE_COLUMNS)
    grouped = later.sort_values(["date_reported", "statement_id"]).groupby(["judgment_id", "issue_id", "written"], sort=True)
    out = grouped.agg(n_later=("statement_id", "nunique"), latest=("date_reported", "max"),
                      statement_ids=("statement_id", lambda s: "|".join(dict.fromkeys(s)))).reset_index()
    return out[DUE_COLUMNS]


def test_judgments_due_equal_the_joined_formula(tied):
    """Judgments dated early (one undated, two on one issue): the pairs built by position are those of the full join."""
    from parley.analysis.staleness import judgments_due

    dates = tied.reports["date_reported"].dropna().sort_values().unique()
    judgments = tied.judgments.copy()
    written = [pd.Timestamp(dates[(i * 7) % len(dates)]) for i in range(len(judgments))]
    written[0] = pd.NaT
    judgments["as_of"] = pd.Series(written, dtype=judgments["as_of"].dtype)
    judgments.loc[2, "issue_id"] = judgments.loc[1, "issue_id"]
    dossier = copy.copy(tied)
    dossier.judgments = judgments
    due = []
    for as_of in (None, pd.Timestamp(dates[len(dates) // 3]), pd.Timestamp("2000-01-01")):
        found = judgments_due(dossier, as_of)
        _same(found, _reference_due(dossier, as_of))
        due.append(len(found))
    assert due[0] >= 2 and due[-1] == 0


def _reference_source_coverage(dossier):
    from parley.analysis.coverage import verify_statements

    verified = verify_statements(dossier)
    reports = dossier.reports
    statements = reports.groupby("source_id")["statement_id"].nunique().rename("statements")
    counts = reports.groupby("source_id").size().rename("reports")
    ok = verified.groupby("source_id")["verified"].sum().rename("verified")
    pairs = reports[["statement_id", "source_id"]].drop_duplicates()
    weight = pairs["statement_id"].map(dossier.positions["statement_id"].value_counts()).fillna(0).astype("int64")
    positions = weight.groupby(pairs["source_id"]).sum()
    positions = positions.loc[positions.to_numpy() > 0].rename("positions")
    events = dossier.events.groupby("source_id").size().rename("events")
    out = dossier.sources[["source_id", "outlet", "origin", "title", "published"]].set_index("source_id")
    out = out.join([statements, counts, positions, events, ok]).fillna({"statements": 0, "reports": 0, "positions": 0, "events": 0, "verified": 0})
    for column in ("statements", "reports", "positions", "events", "verified"):
        out[column] = out[column].astype("int64")
    return out.reset_index()


@pytest.mark.parametrize("which", ["seed", "tied"])
def test_source_coverage_counted_on_codes_equals_the_groupings(which, tied):
    from parley.analysis.coverage import source_coverage

    dossier = load_dossier("riyadh_2025") if which == "seed" else copy.copy(tied)
    if which == "tied":  # a source no report cites, a report whose words do not verify, a statement with no position,
        # a statement one source reports twice
        reports = dossier.reports.copy()
        reports.loc[reports.index[0], "text"] = "SYNTHETIC words that are not in the source"
        reports = pd.concat([reports, reports.iloc[[2]].assign(report_id="rep_twice")], ignore_index=True)
        dossier.reports = reports
        dossier.positions = dossier.positions.loc[dossier.positions["statement_id"] != reports["statement_id"].iloc[1]]
        dossier.sources = pd.concat([dossier.sources, dossier.sources.iloc[[0]].assign(source_id="src_uncited")], ignore_index=True)
    got = source_coverage(dossier)
    _same(got, _reference_source_coverage(dossier))
    if which == "tied":
        assert got.set_index("source_id").loc["src_uncited", ["statements", "reports", "positions", "verified"]].tolist() == [0, 0, 0, 0]
        assert got["verified"].sum() == len(dossier.reports) - 1
