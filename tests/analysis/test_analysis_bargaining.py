"""Tests for parley.analysis.bargaining: bargaining space, red lines and deal blockers."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_fixtures import add_rows, load, position, seed, set_statements, statement  # noqa: F401 (seed is a fixture)

from parley.analysis import bargaining_space, deal_blockers, red_lines, stance_matrix, table_parties
from parley.analysis.bargaining import side_of

MET = "Delegations from Northland and Southland met in Midtown on Monday"


@pytest.fixture
def table_dossier(tiny_copy):
    """Tiny dossier with a party left out (Westland) and positions chosen so every range is known.

    At the Midtown table: Northland (also through its envoy Hollis) and Southland (also through its
    minister Varga); host Midland (side "others"); Westland excluded.

    ============== ======================================= ============== ===========
    issue          at the table                            left out       others
    ============== ======================================= ============== ===========
    border_line    hollis +2, southland -2 RED, varga +1   westland -1    midland 0
    further_talks  northland +1, southland +2              westland -2 RED
    prisoners      northland -2, southland -1              westland +1
    trade          northland +1
    ============== ======================================= ============== ===========
    """
    add_rows(tiny_copy, "actors", [{"actor_id": "westland", "name": "Westland", "kind": "state", "participation": "party", "aliases": "Westland"},
                                   {"actor_id": "osei", "name": "Kofi Osei (synthetic analyst)", "kind": "person", "participation": "outside_voice"}])
    add_rows(tiny_copy, "issues", [
        {"issue_id": "prisoners", "label": "Prisoners", "description": "Prisoner exchange.", "minus2_means": "No exchange", "plus2_means": "Full exchange"},
        {"issue_id": "trade", "label": "Trade", "description": "Reopening trade.", "minus2_means": "Closed", "plus2_means": "Open"},
        {"issue_id": "water", "label": "Water", "description": "Sharing the river (no positions).", "minus2_means": "No", "plus2_means": "Yes"},
    ])
    add_rows(tiny_copy, "event_parties", [{"event_id": "midtown_talks", "actor_id": "westland", "role": "excluded"}])
    cells = [
        ("border_line", "hollis", 2, False), ("border_line", "southland", -2, True), ("border_line", "varga", 1, False),
        ("border_line", "westland", -1, False), ("border_line", "midland", 0, False),
        ("further_talks", "northland", 1, False), ("further_talks", "southland", 2, False), ("further_talks", "westland", -2, True),
        ("prisoners", "northland", -2, False), ("prisoners", "southland", -1, False), ("prisoners", "westland", 1, False),
        ("trade", "northland", 1, False), ("further_talks", "osei", 2, False),
    ]
    statements, positions = [], []
    for issue_id, actor_id, stance, red_line in cells:
        sid = f"s_{issue_id}_{actor_id}"
        reported = "2025-03-05" if (actor_id, issue_id) == ("westland", "further_talks") else "2025-03-03"
        statements.append(statement(sid, MET, said=reported, reported=reported))
        positions.append(position(f"p_{issue_id}_{actor_id}", sid, issue_id, actor_id, stance, red_line))
    set_statements(tiny_copy, statements, positions)
    return load(tiny_copy)


def _space(dossier) -> pd.DataFrame:
    matrix = stance_matrix(dossier)
    return bargaining_space(matrix, dossier.actors, dossier.issues, table_parties(dossier)).set_index("issue_id")


def test_parties_of_the_fixture_table(table_dossier):
    assert table_parties(table_dossier) == {"participant": ["northland", "southland"], "host": ["midland"], "excluded": ["westland"]}


def test_side_goes_through_the_parent_actor(table_dossier):
    matrix = stance_matrix(table_dossier)
    sides = dict(zip(zip(matrix["actor_id"], matrix["issue_id"]), side_of(matrix, table_dossier.actors, table_parties(table_dossier))))
    assert sides[("hollis", "border_line")] == "at the table"  # Northland's envoy sits with Northland
    assert sides[("varga", "border_line")] == "at the table"
    assert sides[("westland", "border_line")] == "left out"
    assert sides[("midland", "border_line")] == "others"  # a host is not a party at the table
    assert sides[("northland", "trade")] == "at the table"


def test_ranges_counts_and_red_lines_per_issue(table_dossier):
    space = _space(table_dossier)
    assert list(space.index) == ["border_line", "further_talks", "prisoners", "trade"]  # issues.csv order; no row for water
    border = space.loc["border_line"]
    assert (border["table_min"], border["table_max"], border["table_n"]) == (-2, 2, 3)
    assert (border["left_out_min"], border["left_out_max"], border["left_out_n"]) == (-1, -1, 1)
    assert border["others_n"] == 1
    assert border["red_lines"] == 1
    assert border["issue"] == "Border line"
    assert space.loc["further_talks", "red_lines"] == 1
    assert space.loc["prisoners", "red_lines"] == 0


def test_gap_is_zero_when_ranges_overlap(table_dossier):
    assert _space(table_dossier).loc["border_line", "gap"] == 0


def test_gap_is_the_distance_when_left_out_stand_below_the_table(table_dossier):
    # Table 1..2, left out -2: the nearest table stance is 3 steps away.
    assert _space(table_dossier).loc["further_talks", "gap"] == 3


def test_gap_is_the_distance_when_left_out_stand_above_the_table(table_dossier):
    # Table -2..-1, left out +1.
    assert _space(table_dossier).loc["prisoners", "gap"] == 2


def test_gap_is_empty_when_a_side_has_no_position(table_dossier):
    trade = _space(table_dossier).loc["trade"]
    assert trade["table_n"] == 1 and trade["left_out_n"] == 0
    assert pd.isna(trade["gap"])
    assert pd.isna(trade["left_out_min"]) and pd.isna(trade["left_out_max"])


def test_nobody_left_out_gives_no_gap_anywhere(table_dossier):
    matrix = stance_matrix(table_dossier)
    space = bargaining_space(matrix, table_dossier.actors, table_dossier.issues, {"participant": ["northland", "southland"], "host": [], "excluded": []})
    assert space["gap"].isna().all()
    assert (space["left_out_n"] == 0).all()
    assert space.set_index("issue_id").loc["border_line", "others_n"] == 2  # Westland and Midland


def test_empty_matrix_gives_empty_frame_with_columns(table_dossier):
    matrix = stance_matrix(table_dossier, pd.Timestamp("2000-01-01"))
    space = bargaining_space(matrix, table_dossier.actors, table_dossier.issues, table_parties(table_dossier))
    assert space.empty
    assert "gap" in space.columns and "table_min" in space.columns


def test_red_lines_are_latest_flagged_positions_most_recent_first(table_dossier):
    lines = red_lines(stance_matrix(table_dossier))
    assert list(zip(lines["actor_id"], lines["issue_id"])) == [("westland", "further_talks"), ("southland", "border_line")]
    assert lines["red_line"].all()


def test_deal_blockers_need_opposite_signs_and_different_parties(table_dossier):
    blockers = deal_blockers(stance_matrix(table_dossier), table_dossier.actors)
    found = list(zip(blockers["issue_id"], blockers["holder_id"], blockers["demander_id"], blockers["distance"]))
    # Sorted by distance (widest first), then issue, holder, demander.
    assert found == [
        ("further_talks", "westland", "southland", 4),
        ("further_talks", "westland", "northland", 3),
    ]
    # Hollis (+2) and Varga (+1) oppose Southland's red line (-2), but a position held by an official
    # (not coded for their party) is their own view, and the analyst Osei (+2 against Westland's
    # red line) is an outside voice: none of them blocks a deal.
    assert not {"hollis", "varga", "osei"} & (set(blockers["demander_id"]) | set(blockers["holder_id"]))
    # Westland's -1 on the border has the red line's sign; Midland's 0 demands nothing.
    assert not {"westland", "midland"} & set(blockers.loc[blockers["issue_id"] == "border_line", "demander_id"])


def test_deal_blocker_rows_carry_both_quotes_and_stances(table_dossier):
    top = deal_blockers(stance_matrix(table_dossier), table_dossier.actors).iloc[0]
    assert (top["holder"], top["holder_stance"], top["holder_statement_id"]) == ("Westland", -2, "s_further_talks_westland")
    assert (top["demander"], top["demander_stance"], top["demander_statement_id"]) == ("Southland", 2, "s_further_talks_southland")
    assert top["holder_quote"] == MET and top["demander_quote"] == MET
    assert top["issue"] == "Further talks"


def test_a_party_under_another_party_does_not_block_its_own_side(table_dossier, tiny_copy):
    add_rows(tiny_copy, "actors", [{"actor_id": "south_army", "name": "Southland army", "kind": "organisation", "participation": "party",
                                    "parent_id": "southland"}])
    add_rows(tiny_copy, "positions", [position("p_army", "s_border_line_southland", "border_line", "south_army", 2)])
    dossier = load(tiny_copy)
    blockers = deal_blockers(stance_matrix(dossier), dossier.actors)
    assert "south_army" not in set(blockers["demander_id"])  # same top-level party as the red line's holder


def test_no_red_line_means_no_blocker(tiny_copy):
    set_statements(tiny_copy, [statement("s", MET)], [
        position("p_north", "s", "border_line", "northland", 2), position("p_south", "s", "border_line", "southland", -2)])
    dossier = load(tiny_copy)
    blockers = deal_blockers(stance_matrix(dossier), dossier.actors)
    assert blockers.empty
    assert "distance" in blockers.columns


def test_seed_blockers_and_red_lines(seed):
    matrix = stance_matrix(seed)
    blockers = deal_blockers(matrix, seed.actors)
    assert len(blockers)
    assert blockers["distance"].is_monotonic_decreasing
    signs = blockers["holder_stance"].astype(int) * blockers["demander_stance"].astype(int)
    assert (signs < 0).all()
    # Ogryzko (a researcher) calls for European troops against Russia's red line: an outside voice, never a blocker.
    assert "ogryzko" not in set(blockers["demander_id"]) | set(blockers["holder_id"])
    assert set(blockers["holder_id"]) | set(blockers["demander_id"]) <= {"usa", "russia", "ukraine", "eu", "europe", "nato"}
    # Ukraine's red line on Europe at the table against Russia's -1 is the widest.
    assert tuple(blockers.iloc[0][["issue_id", "holder_id", "demander_id", "distance"]]) == ("european_participation", "ukraine", "russia", 3)
    lines = red_lines(matrix)
    assert set(zip(lines["actor_id"], lines["issue_id"])) == {
        ("russia", "peacekeeping_troops"), ("ukraine", "occupied_territories"), ("ukraine", "european_participation")}
