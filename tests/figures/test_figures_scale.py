"""Briefings of big dossiers stay readable and small: the caps in figures, analysis and the page footer.

The input is a synthetic dossier (parley.data.synth) big enough to pass every cap; the seed dossier stays
below all of them, so its charts are unchanged (test_figures.py and nbval check those).
"""

from __future__ import annotations

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
    assert f"{total - len(drawn)} older quotes not drawn" in fig.layout.title.subtitle.text
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


def test_bargaining_marks_name_a_few_actors_and_count_the_rest(big):
    matrix = analysis.stance_matrix(big)
    parties = analysis.table_parties(big)
    sided = matrix.assign(side=side_of(matrix, big.actors, parties))
    fig = create_bargaining_chart(sided, max_quotes=2)
    crowded = [(text, hover) for trace in fig.data for text, hover in zip(trace.text, trace.customdata) if "+" in text]
    assert crowded
    for text, hover in crowded:
        more = int(text.rsplit("+", 1)[1])
        assert text.count(", ") == 1  # two names, then "+n"
        assert f"… and {more} more: " in hover
        assert hover.count("“") == 2  # the words of the two named actors only
    per_mark = sided.groupby(["side", "issue", "stance"]).size()
    assert sum(len(trace.x) for trace in fig.data) == len(per_mark)


def test_seat_chart_draws_the_last_events(big):
    seats = analysis.seats(big)
    events = seats["event_id"].drop_duplicates()
    assert len(events) > 10
    fig = create_seat_chart(seats, max_events=10)
    assert len(fig.layout.yaxis.categoryarray) == 10
    assert f"{len(events) - 10} earlier events not drawn" in fig.layout.title.subtitle.text
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
