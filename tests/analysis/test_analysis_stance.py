"""Tests for parley.analysis.stance: the latest accepted stance of each actor on each issue."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_fixtures import day, load, position, seed, set_statements, statement  # noqa: F401 (seed is a fixture)

from parley.analysis import stance_matrix, stance_table
from parley.analysis.evidence import EVIDENCE_COLUMNS

BORDER = "The border is not for sale, not now and not ever,"
LINE = "a line that reflects the facts on the ground."
MEET = "Both sides agreed to meet again in Lakeside next month"
MET = "Delegations from Northland and Southland met in Midtown on Monday"


def _row(matrix: pd.DataFrame, actor_id: str, issue_id: str) -> pd.Series:
    rows = matrix.loc[(matrix["actor_id"] == actor_id) & (matrix["issue_id"] == issue_id)]
    assert len(rows) == 1, f"expected one row for {actor_id} × {issue_id}, got {len(rows)}"
    return rows.iloc[0]


def _varga_on_the_border(folder, *said: tuple[str, str, str, str, int]) -> None:
    """Varga's statements, each with one Southland position on the border line: ``(id, text, said, reported, stance)``."""
    set_statements(folder, [statement(sid, text, speaker_id="varga", said=on, reported=reported) for sid, text, on, reported, _ in said],
                   [position(f"p_{sid}", sid, "border_line", "southland", stance) for sid, *_, stance in said])


def test_tiny_matrix_has_one_row_per_actor_issue_with_evidence(tiny_dir):
    matrix = stance_matrix(load(tiny_dir))
    assert list(matrix.columns) == EVIDENCE_COLUMNS + ["n_statements", "red_line_ever"]
    assert sorted(zip(matrix["actor_id"], matrix["issue_id"], matrix["stance"])) == [
        ("northland", "border_line", 2), ("northland", "further_talks", 1), ("southland", "border_line", -2)]
    southland = _row(matrix, "southland", "border_line")
    assert southland["red_line"] and southland["red_line_ever"]
    assert southland["statement_id"] == "s1"
    assert southland["text"] == BORDER
    assert southland["actor"] == "Southland" and southland["speaker"] == "Ana Varga" and southland["issue"] == "Border line"
    assert _row(matrix, "northland", "further_talks")["speaker"] == "unattributed"
    # Ordered by issue, then actor.
    assert list(zip(matrix["issue_id"], matrix["actor_id"])) == sorted(zip(matrix["issue_id"], matrix["actor_id"]))


def test_latest_statement_wins_and_counts_every_earlier_one(tiny_copy):
    set_statements(tiny_copy, [
        statement("early", BORDER, speaker_id="varga", said="2025-03-01", reported="2025-03-01"),
        statement("middle", LINE, speaker_id="varga", said="2025-03-02", reported="2025-03-02"),
        statement("late", MET, speaker_id="varga", said="2025-03-03", reported="2025-03-03"),
    ], [
        position("p_early", "early", "border_line", "southland", -2, red_line=True),
        position("p_late", "late", "border_line", "southland", 1),
        position("p_middle", "middle", "border_line", "southland", -1),
    ])
    row = _row(stance_matrix(load(tiny_copy)), "southland", "border_line")
    assert row["statement_id"] == "late"
    assert row["stance"] == 1
    assert not row["red_line"]
    assert row["n_statements"] == 3
    assert row["red_line_ever"]


def test_date_said_orders_statements_before_date_reported(tiny_copy):
    # Said on the 3rd, reported on the 3rd; said on the 1st but only reported on the 5th: the first is newer.
    _varga_on_the_border(tiny_copy, ("said_late", BORDER, "2025-03-03", "2025-03-03", -2),
                         ("said_early_reported_late", LINE, "2025-03-01", "2025-03-05", 2))
    assert _row(stance_matrix(load(tiny_copy)), "southland", "border_line")["statement_id"] == "said_late"


def test_undated_saying_falls_back_to_report_date(tiny_copy):
    _varga_on_the_border(tiny_copy, ("dated", BORDER, "2025-03-02", "2025-03-02", -2), ("undated", LINE, "", "2025-03-04", -1))
    row = _row(stance_matrix(load(tiny_copy)), "southland", "border_line")
    assert row["statement_id"] == "undated"
    assert row["date"] == day("2025-03-04")


@pytest.mark.parametrize(
    ("first", "second", "winner"),
    [
        # (statement id, fragment, stance, red line) in source order; same day for both.
        (("a", BORDER, -1, True), ("b", LINE, 2, False), "a"),  # red line beats a stronger, later stance
        (("a", BORDER, 1, False), ("b", LINE, -1, True), "b"),  # red line beats too when it comes later
        (("a", BORDER, -2, False), ("b", LINE, 1, False), "a"),  # stronger |stance| beats a later place
        (("a", BORDER, 1, False), ("b", LINE, -2, False), "b"),
        (("a", BORDER, 2, False), ("b", LINE, -2, False), "b"),  # equal strength: later place in the source wins
        (("a", BORDER, -2, True), ("b", LINE, 2, True), "b"),
    ],
)
def test_same_day_tie_is_resolved_red_line_then_strength_then_place(tiny_copy, first, second, winner):
    rows, positions = [], []
    for statement_id, fragment, stance, red_line in (first, second):
        rows.append(statement(statement_id, fragment, speaker_id="varga"))
        positions.append(position(f"p_{statement_id}", statement_id, "border_line", "southland", stance, red_line))
    set_statements(tiny_copy, rows, positions)
    row = _row(stance_matrix(load(tiny_copy)), "southland", "border_line")
    assert row["statement_id"] == winner
    assert row["n_statements"] == 2


def test_as_of_filters_on_date_reported(tiny_copy):
    _varga_on_the_border(tiny_copy, ("known", BORDER, "2025-03-01", "2025-03-01", -2),
                         ("reported_later", LINE, "2025-03-02", "2025-03-05", 1))
    dossier = load(tiny_copy)
    before = _row(stance_matrix(dossier, day("2025-03-04")), "southland", "border_line")
    assert before["statement_id"] == "known"
    assert before["n_statements"] == 1
    on_the_day = _row(stance_matrix(dossier, day("2025-03-05")), "southland", "border_line")
    assert on_the_day["statement_id"] == "reported_later"
    assert _row(stance_matrix(dossier, None), "southland", "border_line")["statement_id"] == "reported_later"
    assert stance_matrix(dossier, day("2025-02-28")).empty


@pytest.mark.parametrize("status", ["pending", "disputed"])
def test_only_accepted_statements_count(tiny_copy, status):
    set_statements(tiny_copy, [
        statement("accepted_one", BORDER, speaker_id="varga", said="2025-03-01", reported="2025-03-01"),
        statement("not_accepted", LINE, speaker_id="varga", said="2025-03-03", reported="2025-03-03", status=status),
        statement("other_issue", MEET, said="2025-03-03", reported="2025-03-03", status=status),
    ], [
        position("p_accepted", "accepted_one", "border_line", "southland", -1),
        position("p_not_accepted", "not_accepted", "border_line", "southland", -2, red_line=True),
        position("p_other", "other_issue", "further_talks", "northland", 2),
    ])
    matrix = stance_matrix(load(tiny_copy))
    assert list(zip(matrix["actor_id"], matrix["issue_id"])) == [("southland", "border_line")]
    row = matrix.iloc[0]
    assert row["statement_id"] == "accepted_one"
    assert row["n_statements"] == 1
    assert not row["red_line_ever"]


def test_one_statement_can_carry_positions_for_several_actors(tiny_copy):
    set_statements(tiny_copy, [statement("joint", MEET, kind="reported_speech")], [
        position("p_north", "joint", "further_talks", "northland", 2),
        position("p_south", "joint", "further_talks", "southland", 1),
    ])
    matrix = stance_matrix(load(tiny_copy))
    assert sorted(zip(matrix["actor_id"], matrix["stance"])) == [("northland", 2), ("southland", 1)]
    assert set(matrix["statement_id"]) == {"joint"}


def test_stance_table_is_actor_by_issue_with_gaps(tiny_dir):
    wide = stance_table(stance_matrix(load(tiny_dir)))
    assert list(wide.index) == ["Northland", "Southland"]
    assert list(wide.columns) == ["Border line", "Further talks"]
    assert wide.loc["Northland", "Border line"] == 2
    assert wide.loc["Southland", "Border line"] == -2
    assert wide.loc["Northland", "Further talks"] == 1
    assert pd.isna(wide.loc["Southland", "Further talks"])
    assert str(wide.dtypes.iloc[0]) == "Int64"


def test_stance_table_of_an_empty_matrix_is_empty(tiny_dir):
    matrix = stance_matrix(load(tiny_dir), day("2000-01-01"))
    assert matrix.empty
    assert {"n_statements", "red_line_ever"} <= set(matrix.columns)
    assert stance_table(matrix).empty


def test_seed_matrix_has_one_row_per_pair_and_latest_evidence(seed):
    matrix = stance_matrix(seed)
    assert not matrix.duplicated(["actor_id", "issue_id"]).any()
    positions = seed.positions
    assert len(matrix) == len(positions.drop_duplicates(["actor_id", "issue_id"]))
    # Russia said four things on US–Russia relations; the latest, strongest of that day wins.
    russia = _row(matrix, "russia", "bilateral_relations")
    assert russia["n_statements"] == 4
    assert russia["stance"] == 2
    assert russia["statement_id"] == "s17_dmitriev_positive_dialogue"
    # Two red lines from Lavrov on troops: counted and kept.
    troops = _row(matrix, "russia", "peacekeeping_troops")
    assert troops["red_line"] and troops["n_statements"] == 2
