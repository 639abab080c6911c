"""Tests for parley.analysis.changes: stance changes, new statements and event changes between two dates."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_fixtures import SECOND_SOURCE, add_rows, add_second_source, day, load, position, set_cells, set_statements, statement

from parley.analysis import event_changes, new_statements, stance_changes, stance_matrix
from parley.analysis.changes import CHANGE_COLUMNS, CHANGE_ORDER

MET = "Delegations from Northland and Southland met in Midtown on Monday"
VILLAGES = "never give up the northern villages"
SINCE, AS_OF = day("2025-03-05"), day("2025-03-10")

#: (actor, issue, first-round stance and red line on 3 March, second-round on 10 March); None: no statement that round.
ROUNDS = [
    ("northland", "border_line", (2, False), (1, False)),     # stance shift
    ("southland", "border_line", (-2, False), (-2, True)),    # red line added, same stance
    ("hollis", "border_line", (-1, False), (-2, True)),       # red line added, with a shift
    ("midland", "further_talks", (1, True), (1, False)),      # red line dropped
    ("southland", "further_talks", (1, False), (1, False)),   # unchanged: no row
    ("northland", "further_talks", None, (2, False)),         # new position
    ("varga", "further_talks", None, (-1, True)),             # new position that is a red line
]


@pytest.fixture
def two_rounds(tiny_copy):
    add_second_source(tiny_copy, published="2025-03-10")
    statements, positions = [], []
    for actor_id, issue_id, first, second in ROUNDS:
        for label, stance_red, kwargs in (("r1", first, dict(fragment=MET, said="2025-03-03", reported="2025-03-03")),
                                          ("r2", second, dict(fragment=VILLAGES, said="2025-03-10", reported="2025-03-10", source_id=SECOND_SOURCE))):
            if stance_red is None:
                continue
            sid = f"{label}_{actor_id}_{issue_id}"
            statements.append(statement(sid, kwargs.pop("fragment"), **kwargs))
            positions.append(position(f"p_{sid}", sid, issue_id, actor_id, *stance_red))
    set_statements(tiny_copy, statements, positions)
    add_rows(tiny_copy, "events", [
        {"event_id": "lakeside_round", "date": "2025-03-20", "kind": "talks", "title": "Lakeside round", "place": "Lakeside", "status": "planned",
         "source_id": SECOND_SOURCE, "evidence_start": "0", "evidence_end": "10"},
        {"event_id": "midtown_followup", "date": "2025-03-09", "kind": "talks", "title": "Midtown follow-up", "place": "Midtown", "status": "cancelled",
         "source_id": SECOND_SOURCE, "evidence_start": "0", "evidence_end": "10"},
    ])
    return load(tiny_copy)


def _changes(dossier) -> pd.DataFrame:
    return stance_changes(stance_matrix(dossier, SINCE), stance_matrix(dossier, AS_OF))


def test_every_kind_of_change_in_listing_order(two_rounds):
    changes = _changes(two_rounds)
    assert list(changes.columns) == CHANGE_COLUMNS
    assert list(zip(changes["change"], changes["actor_id"], changes["issue_id"])) == [
        ("red line added", "hollis", "border_line"),
        ("red line added", "southland", "border_line"),
        ("red line added", "varga", "further_talks"),
        ("red line dropped", "midland", "further_talks"),
        ("stance shift", "northland", "border_line"),
        ("new position", "northland", "further_talks"),
    ]


def test_change_rows_carry_before_after_and_the_new_statement(two_rounds):
    changes = _changes(two_rounds).set_index(["actor_id", "issue_id"])
    shift = changes.loc[("northland", "border_line")]
    assert (shift["before"], shift["after"]) == (2, 1)
    assert shift["statement_id"] == "r2_northland_border_line"
    assert shift["text"] == VILLAGES
    assert shift["date"] == AS_OF
    assert (shift["actor"], shift["issue"]) == ("Northland", "Border line")
    added = changes.loc[("hollis", "border_line")]
    assert (added["before"], added["after"], added["red_line_before"], added["red_line_after"]) == (-1, -2, False, True)
    new = changes.loc[("northland", "further_talks")]
    assert pd.isna(new["before"]) and new["after"] == 2
    assert not new["red_line_before"]


def test_unchanged_pairs_give_no_row(two_rounds):
    changes = _changes(two_rounds)
    assert ("southland", "further_talks") not in set(zip(changes["actor_id"], changes["issue_id"]))


def test_same_view_twice_changes_nothing(two_rounds):
    matrix = stance_matrix(two_rounds, AS_OF)
    assert stance_changes(matrix, matrix).empty


def test_nothing_before_makes_every_position_new(two_rounds):
    after = stance_matrix(two_rounds, AS_OF)
    changes = stance_changes(after.iloc[0:0], after)
    assert len(changes) == len(after)
    expected = {"red line added" if red else "new position" for red in after["red_line"]}
    assert set(changes["change"]) == expected
    assert changes["before"].isna().all()


@pytest.mark.filterwarnings("error")
def test_an_empty_recorded_edition_makes_every_position_new_without_a_pandas_warning(two_rounds):
    # An edition recorded before any statement has no positions: its red_line column is empty, and the
    # outer merge leaves holes that must be filled as booleans (pandas warned, and will raise, otherwise).
    from parley.analysis.differs import positions_frame

    after = stance_matrix(two_rounds, AS_OF)
    nothing = positions_frame(pd.DataFrame({"actor_id": [], "issue_id": [], "stance": [], "red_line": []}))
    changes = stance_changes(nothing, after)
    assert len(changes) == len(after)
    assert changes["red_line_before"].dtype == bool and not changes["red_line_before"].any()
    assert list(changes["red_line_after"]) == list(after.set_index(["actor_id", "issue_id"]).loc[list(zip(changes["actor_id"], changes["issue_id"])), "red_line"])


def test_baseline_with_only_four_columns(two_rounds):
    # What an earlier run records: actor_id, issue_id, stance, red_line, nothing else.
    baseline = pd.DataFrame({
        "actor_id": ["northland", "southland", "midland", "southland", "varga"],
        "issue_id": ["border_line", "border_line", "further_talks", "further_talks", "border_line"],
        "stance": [2, -2, 1, 1, -1],
        "red_line": [False, False, True, False, False],
    })
    changes = stance_changes(baseline, stance_matrix(two_rounds, AS_OF)).set_index(["actor_id", "issue_id"])
    assert changes.loc[("northland", "border_line"), "change"] == "stance shift"
    assert changes.loc[("southland", "border_line"), "change"] == "red line added"
    assert changes.loc[("midland", "further_talks"), "change"] == "red line dropped"
    withdrawn = changes.loc[("varga", "border_line")]
    assert withdrawn["change"] == "position withdrawn"
    assert withdrawn["before"] == -1 and pd.isna(withdrawn["after"])
    assert ("southland", "further_talks") not in changes.index
    assert list(changes["change"]) == sorted(changes["change"], key=CHANGE_ORDER.index)


def test_new_statements_are_those_reported_after_since(two_rounds):
    fresh = new_statements(two_rounds, SINCE, AS_OF)
    second_round = [f"r2_{a}_{i}" for a, i, _, second in ROUNDS if second is not None]
    assert sorted(fresh["statement_id"]) == sorted(second_round)
    assert list(fresh.columns) == ["statement_id", "date", "speaker", "kind", "text", "source_id"]
    assert set(fresh["source_id"]) == {SECOND_SOURCE}


def test_new_statements_without_since_are_all_known_ones(two_rounds):
    first_round = new_statements(two_rounds, None, SINCE)
    assert sorted(first_round["statement_id"]) == sorted(f"r1_{a}_{i}" for a, i, first, _ in ROUNDS if first is not None)
    assert len(new_statements(two_rounds, None, AS_OF)) == len(two_rounds.statements)
    assert new_statements(two_rounds, AS_OF, AS_OF).empty


def test_new_statements_name_the_speaker(tiny_dir):
    fresh = new_statements(load(tiny_dir), None, None)
    assert list(fresh["statement_id"]) == ["s1", "s2", "s3"]  # same day: source order
    assert list(fresh["speaker"]) == ["Ana Varga", "Piet Hollis", "unattributed"]


def test_event_changes_since(two_rounds):
    events = event_changes(two_rounds, SINCE, AS_OF)
    assert sorted(zip(events["event_id"], events["change"])) == [("lakeside_round", "new event"), ("midtown_followup", "cancelled")]
    assert list(events.columns) == ["change", "event_id", "title", "date", "status", "place"]


def test_event_changes_without_since_lists_every_known_event(two_rounds):
    assert set(event_changes(two_rounds, None, AS_OF)["event_id"]) == {"midtown_talks", "lakeside_talks", "lakeside_round", "midtown_followup"}
    # At 5 March the second source is not out yet: its events are unknown.
    assert set(event_changes(two_rounds, None, SINCE)["event_id"]) == {"midtown_talks", "lakeside_talks"}
    assert event_changes(two_rounds, SINCE, SINCE).empty


def test_events_of_a_source_with_unknown_date_count_as_new(tiny_copy):
    set_cells(tiny_copy, "sources", "source_id", "tiny_001", published="")
    events = event_changes(load(tiny_copy), SINCE, AS_OF)
    assert sorted(events["event_id"]) == ["lakeside_talks", "midtown_talks"]
