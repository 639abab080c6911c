"""Briefings of big dossiers stay readable and small: the caps in figures, analysis and the page footer.

The input is a synthetic dossier (parley.data.synth) big enough to pass every cap; the seed dossier stays
below all of them, so its charts are unchanged (test_figures.py and nbval check those).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parley import analysis
from parley.analysis.bargaining import side_of
from parley.data.dossier import load_dossier
from parley.figures import create_bargaining_chart, create_quote_board, create_seat_chart
from parley.report.render import MAX_FOOTER_SOURCES, _dossier_sources
from parley.data.schema import read_schema
from parley.data.synth import synthesize


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = synthesize(tmp_path_factory.mktemp("scale") / "big", statements=6000, actors=30, issues=5, seed=4).path
    return load_dossier(path)


def test_quote_board_keeps_the_latest_marks_per_actor_and_stance(big):
    evidence = analysis.positions_with_evidence(big)
    fig = create_quote_board(evidence, max_actors=5, max_per_stance=3)
    drawn = pd.DataFrame([(y, round(x)) for trace in fig.data for x, y in zip(trace.x, trace.y)], columns=["actor", "stance"])
    assert drawn.value_counts().max() == 3
    shown_actors = set(drawn["actor"])
    total = len(evidence.loc[evidence["actor"].isin(shown_actors)])
    assert f"{total - len(drawn)} older quotes not drawn" in fig.layout.title.subtitle.text.replace("<br>", " ")
    # The marks kept are the latest: every hover date of one actor at one stance is at least as recent as any dropped.
    busiest = drawn.value_counts().index[0]
    rows = evidence.loc[(evidence["actor"] == busiest[0]) & (evidence["stance"] == busiest[1])]
    cutoff = rows["date"].sort_values().iloc[-3]
    dates = [pd.Timestamp(text.rsplit("<br>", 1)[-1]) for trace in fig.data for x, y, text in zip(trace.x, trace.y, trace.customdata)
             if y == busiest[0] and round(x) == busiest[1]]
    assert min(dates) >= cutoff


def test_quote_board_below_the_cap_draws_every_mark(big):
    evidence = analysis.positions_with_evidence(big).head(40)
    fig = create_quote_board(evidence, max_actors=50, max_per_stance=40)
    assert sum(len(trace.x) for trace in fig.data) == len(evidence)
    assert "not drawn" not in fig.layout.title.subtitle.text


def test_quote_board_of_rows_equals_the_board_of_their_copy(big):
    """``rows=`` (how the briefing passes the parties' rows) draws what a copy of those rows draws."""
    evidence = analysis.positions_with_evidence(big)
    rows = np.flatnonzero(evidence["stance"].to_numpy() != 0)[::3]
    by_rows = create_quote_board(evidence, rows=rows, max_actors=6, max_per_stance=4)
    copied = create_quote_board(evidence.iloc[rows], max_actors=6, max_per_stance=4)
    assert by_rows.to_json() == copied.to_json()
    assert by_rows.to_json() != create_quote_board(evidence, max_actors=6, max_per_stance=4).to_json()
    assert "No quoted positions" in create_quote_board(evidence, rows=rows[:0]).to_json()


def test_bargaining_marks_name_one_actor_and_count_several(big):
    matrix = analysis.stance_matrix(big)
    parties = analysis.table_parties(big)
    sided = matrix.assign(side=side_of(matrix, big.actors, parties))
    fig = create_bargaining_chart(sided, max_quotes=2)
    crowded = [(text, hover) for trace in fig.data for text, hover in zip(trace.text, trace.customdata) if text.endswith(" actors")]
    assert crowded
    for text, hover in crowded:
        count = int(text.split()[0])
        assert count >= 2
        if count > 2:
            assert f"… and {count - 2} more: " in hover
        assert hover.count("“") == 2  # the words of the two named actors only
    assert all(len(text) <= 14 for trace in fig.data for text in trace.text), "a label ends before the next stance step"
    per_mark = sided.groupby(["side", "issue", "stance"]).size()
    assert sum(len(trace.x) for trace in fig.data) == len(per_mark)


def test_seat_chart_draws_the_last_events(big):
    seats = analysis.seats(big)
    events = seats["event_id"].drop_duplicates()
    assert len(events) > 10
    fig = create_seat_chart(seats, max_events=10)
    assert len(fig.layout.yaxis.categoryarray) == 10
    assert f"{len(events) - 10} earlier events not drawn" in fig.layout.title.subtitle.text.replace("<br>", " ")
    drawn_rows = {y for trace in fig.data for y in trace.y}
    assert drawn_rows == set(fig.layout.yaxis.categoryarray)


def test_key_quotes_rank_the_same_whatever_the_number_kept(big):
    many = analysis.key_quotes(big, top_n=40)
    few = analysis.key_quotes(big, top_n=7)
    pd.testing.assert_frame_equal(few, many.head(7))
    assert many["statement_id"].is_unique and len(many) == 40


def test_verify_statements_checks_every_report_of_every_source(big):
    checked = analysis.verify_statements(big)
    # every span is checked: one per report, and the synthetic dossier reprints some utterances in a second source
    assert checked["verified"].all() and len(checked) == len(big.reports) > len(big.statements)
    big.reports.loc[17, "text"] = big.reports.loc[17, "text"] + " (edited)"
    try:
        checked = analysis.verify_statements(big)
        assert list(checked.index[~checked["verified"]]) == [17]
    finally:
        big.reports.loc[17, "text"] = big.reports.loc[17, "text"].removesuffix(" (edited)")


def test_page_footer_names_a_few_sources_and_counts_the_rest(big):
    lines = _dossier_sources(read_schema(big.path))
    assert len(lines) == MAX_FOOTER_SOURCES
    more = len(big.sources) - (MAX_FOOTER_SOURCES - 1)
    assert lines[-1].startswith(f"… and {more:,} more sources")
    assert lines[0] == f"{big.sources['outlet'].iloc[0]}: {big.sources['title'].iloc[0]} ({big.sources['published'].iloc[0]:%Y-%m-%d})"


# --- labels that stay apart as the dossier grows (the browser measures it: test_readable.py) ---

def _events(dates: list[str | None], status: str = "held") -> pd.DataFrame:
    return pd.DataFrame({"event_id": [f"e{i}" for i in range(len(dates))], "date": pd.to_datetime(dates),
                         "title": [f"Synthetic event number {i} with a long title" for i in range(len(dates))],
                         "place": "", "status": status, "participants": "", "excluded": ""})


def test_timeline_stacks_labels_of_close_events_in_rows():
    from parley.figures import create_timeline

    fig = create_timeline(_events(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-20"]))
    (trace,) = fig.data
    assert list(trace.y) == [0, 1, 2, 0]  # the three close ones stacked, the far one back on the first row
    assert all(trace.text)


def test_timeline_leaves_labels_out_beyond_its_rows_and_says_so():
    from parley.figures import create_timeline
    from parley.figures.timeline import MAX_ROWS

    fig = create_timeline(_events(["2025-01-01"] * (MAX_ROWS + 2)))
    (trace,) = fig.data
    assert sum(1 for t in trace.text if t) == MAX_ROWS
    assert "2 labels left out" in fig.layout.title.subtitle.text.replace("<br>", " ")
    assert len(trace.x) == MAX_ROWS + 2  # every event keeps its mark and hover


def test_timeline_label_at_the_right_end_sits_left_of_its_mark():
    from parley.figures import create_timeline

    fig = create_timeline(_events(["2025-01-01", "2025-01-30"]), as_of=pd.Timestamp("2025-01-30"))
    (trace,) = fig.data
    assert list(trace.textposition) == ["middle right", "middle left"]


def test_seat_chart_turns_labels_upright_as_actors_crowd_and_drops_what_cannot_fit():
    from parley.figures._common import max_fitting_labels
    from parley.figures.seats import ACTOR_AXIS_PX

    def seats(n: int) -> pd.DataFrame:
        return pd.DataFrame({"event_id": "e1", "event": "Synthetic talks", "date": pd.Timestamp("2025-01-01"), "status": "held",
                             "actor_id": [f"a{i:02d}" for i in range(n)], "actor": [f"Actor {i:02d}" for i in range(n)], "role": "participant"})

    assert create_seat_chart(seats(4)).layout.xaxis.tickangle == -30
    assert create_seat_chart(seats(12)).layout.xaxis.tickangle == -45
    fitting = max_fitting_labels(ACTOR_AXIS_PX)
    fig = create_seat_chart(seats(fitting + 6))
    assert len(fig.layout.xaxis.categoryarray) == fitting
    assert fig.layout.xaxis.tickangle == -90
    assert "6 actors with fewer seats not drawn" in fig.layout.title.subtitle.text.replace("<br>", " ")


def test_alignment_is_a_network_for_a_handful_and_a_matrix_beyond(big):
    from parley.figures import create_alignment_chart
    from parley.figures.alignment_matrix import NETWORK_MAX_ACTORS

    edges = analysis.alignment(analysis.stance_matrix(big))
    edges = edges.loc[edges["score"].ne(0)]
    few = edges.loc[edges["actor_a"].isin(sorted(set(edges["actor_a"]))[:2]) & edges["actor_b"].isin(sorted(set(edges["actor_b"]))[:3])]
    assert len(set(few["actor_a"]) | set(few["actor_b"])) <= NETWORK_MAX_ACTORS
    assert [t.mode for t in create_alignment_chart(few).data][-1] == "markers+text"  # the network's named nodes
    matrix = create_alignment_chart(edges)
    (cells,) = matrix.data
    assert cells.marker.symbol == "square"
    pairs = set(zip(cells.x, cells.y))
    assert all((y, x) in pairs for x, y in pairs), "the matrix is symmetric"
    assert set(matrix.layout.xaxis.categoryarray) == set(matrix.layout.yaxis.categoryarray)


def test_trajectory_margin_grows_with_its_legend_and_subtitle(big):
    """Many speakers wrap the legend into rows that grow upwards: the top margin grows with them, and the
    subtitle is wrapped to the column, so neither runs into the other or past the chart's edge."""
    from parley.figures.trajectory import LEGEND_ROW_PX, TOP_MARGIN, _legend_rows, create_trajectory_chart

    points = analysis.stance_trajectories(analysis.positions_with_evidence(big))
    few = points.loc[points["actor_id"].isin(sorted(set(points["actor_id"]))[:2])]
    assert _legend_rows(["Ada", "Bo"]) == 1 and _legend_rows(["A name of twenty-two c"] * 12) >= 3
    narrow, wide = create_trajectory_chart(few, max_issues=2), create_trajectory_chart(points, max_issues=2)
    rows = _legend_rows(sorted(set(points["actor"])))
    assert rows > 1 and wide.layout.margin.t - narrow.layout.margin.t == LEGEND_ROW_PX * (rows - 1)
    assert narrow.layout.margin.t >= TOP_MARGIN and "<br>" in wide.layout.title.subtitle.text  # wrapped, with the left-out note
