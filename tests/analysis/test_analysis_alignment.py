"""Tests for parley.analysis.alignment: agreement and conflict between pairs of actors."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_fixtures import add_rows, load, position, seed, set_statements, statement  # noqa: F401 (seed is a fixture)

from parley.analysis import alignment, stance_matrix
from parley.analysis.alignment import EDGE_COLUMNS

MET = "Delegations from Northland and Southland met in Midtown on Monday"


@pytest.fixture
def hand_dossier(tiny_copy):
    """Three actors, four issues; expected alignment computed by hand below.

    ============== ========== ========== =========
    issue          northland  southland  midland
    ============== ========== ========== =========
    border_line       +2         -2         +1
    further_talks     +1         +2          0
    prisoners          0          0         -1
    trade             -1         (none)     -2
    ============== ========== ========== =========
    """
    add_rows(tiny_copy, "issues", [
        {"issue_id": "prisoners", "label": "Prisoners", "description": "Prisoner exchange.", "minus2_means": "No exchange", "plus2_means": "Full exchange"},
        {"issue_id": "trade", "label": "Trade", "description": "Reopening trade.", "minus2_means": "Closed", "plus2_means": "Open"},
    ])
    stances = {
        "northland": {"border_line": 2, "further_talks": 1, "prisoners": 0, "trade": -1},
        "southland": {"border_line": -2, "further_talks": 2, "prisoners": 0},
        "midland": {"border_line": 1, "further_talks": 0, "prisoners": -1, "trade": -2},
    }
    positions = [position(f"p_{a}_{i}", "s", i, a, s) for a, row in stances.items() for i, s in row.items()]
    set_statements(tiny_copy, [statement("s", MET)], positions)
    return load(tiny_copy)


def test_hand_computed_agreements_conflicts_and_scores(hand_dossier):
    edges = alignment(stance_matrix(hand_dossier)).set_index(["actor_a", "actor_b"])
    # midland–northland: border + +, talks 0 +, prisoners - 0, trade - -  -> agree 2, conflict 0 of 4
    # midland–southland: border + -, talks 0 +, prisoners - 0            -> agree 0, conflict 1 of 3
    # northland–southland: border + -, talks + +, prisoners 0 0         -> agree 2, conflict 1 of 3
    expected = {
        ("midland", "northland"): (4, 2, 0, 0.5),
        ("midland", "southland"): (3, 0, 1, -1 / 3),
        ("northland", "southland"): (3, 2, 1, 1 / 3),
    }
    assert set(edges.index) == set(expected)
    for pair, (shared, agreements, conflicts, score) in expected.items():
        edge = edges.loc[pair]
        assert (edge["shared"], edge["agreements"], edge["conflicts"]) == (shared, agreements, conflicts), pair
        assert edge["score"] == pytest.approx(score), pair


def test_both_neutral_counts_as_agreement(hand_dossier):
    edge = alignment(stance_matrix(hand_dossier)).set_index(["actor_a", "actor_b"]).loc[("northland", "southland")]
    assert edge["issues_agreed"] == "Further talks, Prisoners"
    assert edge["issues_opposed"] == "Border line"


def test_neutral_against_a_side_is_neither(hand_dossier):
    edge = alignment(stance_matrix(hand_dossier)).set_index(["actor_a", "actor_b"]).loc[("midland", "southland")]
    assert edge["issues_agreed"] == ""
    assert edge["issues_opposed"] == "Border line"


def test_strongest_ties_first(hand_dossier):
    edges = alignment(stance_matrix(hand_dossier))
    # |score| × shared: midland–northland 2.0, midland–southland 1.0, northland–southland 1.0 (ties by ids).
    assert list(zip(edges["actor_a"], edges["actor_b"])) == [("midland", "northland"), ("midland", "southland"), ("northland", "southland")]
    assert list(edges.columns) == EDGE_COLUMNS
    assert (edges["name_a"].tolist(), edges["name_b"].tolist()) == (["Midland", "Midland", "Northland"], ["Northland", "Southland", "Southland"])


def test_no_self_pairs_and_each_pair_once(seed):
    edges = alignment(stance_matrix(seed))
    assert len(edges)
    assert (edges["actor_a"] < edges["actor_b"]).all()
    pairs = [frozenset(p) for p in zip(edges["actor_a"], edges["actor_b"])]
    assert len(pairs) == len(set(pairs))
    assert (edges["agreements"] + edges["conflicts"] <= edges["shared"]).all()
    assert edges["score"].between(-1, 1).all()


def test_seed_russia_and_united_states_agree_on_all_but_europe(seed):
    edge = alignment(stance_matrix(seed)).set_index(["actor_a", "actor_b"]).loc[("russia", "usa")]
    assert (edge["shared"], edge["agreements"], edge["conflicts"]) == (7, 6, 1)
    assert edge["issues_opposed"] == "Europe at the table"


def test_actors_sharing_no_issue_give_no_edge(tiny_copy):
    set_statements(tiny_copy, [statement("s", MET)], [
        position("p_north", "s", "border_line", "northland", 2), position("p_south", "s", "further_talks", "southland", -2)])
    edges = alignment(stance_matrix(load(tiny_copy)))
    assert edges.empty
    assert list(edges.columns) == EDGE_COLUMNS


def test_empty_matrix_gives_empty_edges(tiny_dir):
    edges = alignment(stance_matrix(load(tiny_dir), pd.Timestamp("2000-01-01")))
    assert edges.empty
    assert list(edges.columns) == EDGE_COLUMNS
