"""The trajectory chart draws a mark where a stance moves, not for every restatement, and stays a
bounded size however long the record (synthetic points, no source text)."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio
import pytest

from parley.figures.trajectory import COLUMNS, MAX_MARKS, create_trajectory_chart, stance_moves


def _points(rows: list[tuple[str, str, str, int, bool, int]]) -> pd.DataFrame:
    """(actor_id, issue_id, date, stance, red_line, n_that_day) -> points as stance_trajectories gives them."""
    frame = pd.DataFrame(rows, columns=["actor_id", "issue_id", "date", "stance", "red_line", "n_that_day"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["stance"] = frame["stance"].astype("Int64")
    frame["actor"] = "Actor " + frame["actor_id"]
    frame["issue"] = "Issue " + frame["issue_id"]
    frame["speaker"] = "Speaker"
    frame["text"] = "Synthetic words said on " + frame["date"].dt.strftime("%Y-%m-%d")
    frame["source"] = "Synthetic source"
    return frame[COLUMNS]


def test_restatements_fold_into_the_mark_they_restate_and_moves_stay():
    points = _points([
        ("a", "i", "2025-03-01", 1, False, 1),
        ("a", "i", "2025-03-02", 1, False, 2),   # restated: no mark, counted on 1 March's
        ("a", "i", "2025-03-03", 2, False, 1),   # moved
        ("a", "i", "2025-03-04", 2, True, 1),    # red line drawn: moved
        ("a", "i", "2025-03-05", 2, True, 1),    # restated
        ("a", "i", "2025-03-06", 2, True, 3),    # the line's last point: kept
        ("b", "i", "2025-03-01", -1, False, 1),  # another line, a single point
    ])
    marks, period = stance_moves(points)
    assert period == ""
    a = marks.loc[marks["actor_id"] == "a"]
    assert [d.day for d in a["date"]] == [1, 3, 4, 6]
    assert list(a["n_after"]) == [2, 0, 1, 0]
    assert list(marks.loc[marks["actor_id"] == "b", "n_after"]) == [0]
    assert int(marks["n_that_day"].sum() + marks["n_after"].sum()) == int(points["n_that_day"].sum()), "no statement is lost"

    fig = create_trajectory_chart(points)
    (line_a,) = [t for t in fig.data if t.mode == "lines+markers" and t.name == "Actor a"]
    assert list(line_a.x) == ["2025-03-01", "2025-03-03", "2025-03-04", "2025-03-06"]
    assert "Restated by 2 more statements before it moved" in line_a.customdata[0]
    assert "set or moved" in fig.layout.title.subtitle.text


def test_marks_keep_the_order_given_so_lines_keep_their_places():
    points = _points([("z", "i", "2025-03-01", 1, False, 1), ("a", "i", "2025-03-01", 1, False, 1),
                      ("z", "i", "2025-03-02", -1, False, 1), ("a", "i", "2025-03-02", 0, False, 1)])
    marks, _ = stance_moves(points)
    assert list(marks["actor_id"]) == ["z", "a", "z", "a"]


@pytest.fixture(scope="module")
def restless():
    """Twelve parties on four issues whose stance flips every day for a year: too many moves to draw."""
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    rows = [(f"p{p}", f"i{i}", str(day.date()), (-1) ** (n + p) * (1 + (n + i) % 2), False, 1)
            for p in range(12) for i in range(4) for n, day in enumerate(days)]
    return _points(rows)


def test_too_many_moves_keep_each_period_s_last_stance_and_say_so(restless):
    marks, period = stance_moves(restless)
    assert period in ("week", "month", "quarter", "year") and 0 < len(marks) <= MAX_MARKS
    assert int(marks["n_that_day"].sum() + marks["n_after"].sum()) == len(restless), "no statement is lost"
    lines = restless.groupby(["actor_id", "issue_id"])
    last = lines["date"].max()
    for (actor, issue), line in marks.groupby(["actor_id", "issue_id"]):
        assert line["date"].max() == last[(actor, issue)], "each line keeps its last point"
        held = restless.loc[(restless["actor_id"] == actor) & (restless["issue_id"] == issue)].set_index("date")["stance"]
        assert all(held[d] == s for d, s in zip(line["date"], line["stance"])), "a mark is a stance said that day"
    fig = create_trajectory_chart(restless, max_issues=4)
    assert f"the end of a {period}" in fig.layout.title.subtitle.text.replace("<br>", " ")
    assert len(pio.to_json(fig)) < 400_000, "the chart stays small however long the record"
