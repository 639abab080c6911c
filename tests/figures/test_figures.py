"""Tests for parley.figures: every registered factory checks its input, explains empty input, draws
the right marks from the seed dossier, escapes every data string, uses the house template, and is
deterministic. Figures are tested through ``fig.data`` and ``fig.layout``, never as pictures."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from analysis_fixtures import SEED_DIR, figure_strings, seed  # noqa: F401 (seed is a fixture)

from parley import analysis
from parley.analysis.bargaining import side_of
from parley.data.tables import decoded
from parley.figures import FIGURES, theme
from parley.figures._common import hover_text, label

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = "<img src=x onerror=alert(2)>"


def figure_inputs(dossier, as_of=None) -> dict[str, tuple[pd.DataFrame, ...]]:
    """What each registered factory is given in a briefing, computed from a dossier."""
    matrix = analysis.stance_matrix(dossier, as_of)
    parties = analysis.table_parties(dossier, as_of)
    return {
        "stance_heatmap": (matrix,),
        "bargaining": (matrix.assign(side=side_of(matrix, dossier.actors, parties)),),
        "seats": (analysis.seats(dossier, as_of),),
        "alignment_network": (analysis.alignment(matrix),),
        "alignment_matrix": (analysis.alignment(matrix),),
        "alignment": (analysis.alignment(matrix),),
        "timeline": (analysis.timeline(dossier, as_of),),
        "stance_shifts": (analysis.stance_changes(matrix.iloc[0:0], matrix),),
        "quote_board": (analysis.positions_with_evidence(dossier, as_of),),
        "coverage": (analysis.coverage(dossier), analysis.source_coverage(dossier)),
        "trajectory": (analysis.stance_trajectories(analysis.positions_with_evidence(dossier, as_of)),),
    }


#: Columns each factory requires, per positional argument.
REQUIRED = {
    "stance_heatmap": [["actor_id", "actor", "issue_id", "issue", "stance", "red_line", "text", "speaker", "source", "date"]],
    "bargaining": [["issue", "actor", "stance", "side", "red_line", "text"]],
    "seats": [["event_id", "event", "date", "status", "actor_id", "actor", "role"]],
    "alignment_network": [["actor_a", "actor_b", "name_a", "name_b", "shared", "agreements", "conflicts", "score", "issues_agreed", "issues_opposed"]],
    "alignment_matrix": [["actor_a", "actor_b", "name_a", "name_b", "shared", "agreements", "conflicts", "score", "issues_agreed", "issues_opposed"]],
    "alignment": [["actor_a", "actor_b", "name_a", "name_b", "shared", "agreements", "conflicts", "score", "issues_agreed", "issues_opposed"]],
    "timeline": [["event_id", "date", "title", "place", "status", "participants", "excluded"]],
    "stance_shifts": [["change", "actor", "issue", "before", "after", "red_line_after", "text"]],
    "quote_board": [["actor", "issue", "stance", "red_line", "text", "speaker", "date", "kind"]],
    "coverage": [["speaker", "kind", "statements"], ["source_id", "outlet", "statements", "verified"]],
    "trajectory": [["actor_id", "actor", "issue_id", "issue", "date", "stance", "red_line", "speaker", "text", "source", "n_that_day"]],
}

#: Axis titles the reader relies on (figures without axes are absent).
AXIS_TITLES = {
    "stance_heatmap": ("xaxis", "Issue"),
    "bargaining": ("xaxis", "Stance"),
    "timeline": ("xaxis", "Date"),
    "stance_shifts": ("xaxis", "Stance"),
    "quote_board": ("xaxis", "Stance on the issue"),
    "coverage": ("xaxis2", "statements"),
    "trajectory": ("bottom xaxis", "Date said"),  # panels share the x axis: its title sits under the last one
}

CASES = [(name, index, column) for name, frames in REQUIRED.items() for index, columns in enumerate(frames) for column in columns]


@pytest.fixture(scope="module")
def seed_inputs(seed):
    return figure_inputs(seed)


@pytest.fixture(scope="module")
def seed_figures(seed_inputs):
    return {name: factory(*seed_inputs[name]) for name, factory in FIGURES.items()}


# --- registry and input checks --------------------------------------------------------------

def test_every_registered_figure_has_inputs_and_required_columns_here():
    assert set(FIGURES) == set(REQUIRED)
    for name, factory in FIGURES.items():
        assert factory.__name__.startswith("create_"), name
        assert factory.__doc__, f"{name}: public factory without a docstring"


def test_inputs_cover_every_registered_figure(seed):
    assert set(figure_inputs(seed)) == set(FIGURES)


@pytest.mark.parametrize(("name", "index", "column"), CASES, ids=[f"{n}-{c}" for n, _, c in CASES])
def test_missing_column_is_named_before_anything_else(seed_inputs, name, index, column):
    frames = [frame.iloc[0:0] for frame in seed_inputs[name]]  # empty: the check must come before the empty-input path
    frames[index] = frames[index].drop(columns=column)
    with pytest.raises(ValueError, match=rf"missing column\(s\) {column}\b"):
        FIGURES[name](*frames)


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_a_non_frame_is_refused(seed_inputs, name):
    frames = list(seed_inputs[name])
    frames[0] = frames[0].to_dict("records")
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        FIGURES[name](*frames)


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_empty_input_gives_a_figure_that_says_so(seed_inputs, name):
    fig = FIGURES[name](*[frame.iloc[0:0] for frame in seed_inputs[name]])
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert len(fig.layout.annotations) == 1
    assert len(fig.layout.annotations[0].text) > 10
    assert fig.layout.title.text


# --- house style ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_titles_and_axis_titles(seed_figures, name):
    fig = seed_figures[name]
    assert fig.layout.title.text and "<br>" not in fig.layout.title.text
    if name in AXIS_TITLES:
        axis, expected = AXIS_TITLES[name]
        if axis == "bottom xaxis":
            axis = max((key for key in fig.layout.to_plotly_json() if key.startswith("xaxis")), key=lambda key: int(key[5:] or 1))
        assert fig.layout[axis].title.text == expected


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_the_registered_house_template_is_used(seed_figures, name):
    assert theme.TEMPLATE_NAME in pio.templates
    assert pio.templates.default == theme.DEFAULT_TEMPLATE
    fig = seed_figures[name]
    assert fig.to_dict()["layout"]["template"] == pio.templates[theme.DEFAULT_TEMPLATE].to_plotly_json()
    assert fig.layout.template.layout.font.family == theme.FONT_FAMILY
    # Style lives in the theme: no figure sets fonts, backgrounds or the colourway itself.
    assert fig.layout.font.family is None and fig.layout.paper_bgcolor is None
    assert fig.layout.plot_bgcolor is None and fig.layout.colorway is None


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_two_builds_are_identical(seed, name):
    first = FIGURES[name](*figure_inputs(seed)[name]).to_json()
    second = FIGURES[name](*figure_inputs(seed)[name]).to_json()
    assert first == second


def test_network_layout_does_not_depend_on_hash_seed(seed_figures):
    code = (
        "import parley, parley.analysis as a; from parley.figures import FIGURES;"
        f"d = parley.load_dossier({str(SEED_DIR)!r}, validate=False);"
        "print(FIGURES['alignment_network'](a.alignment(a.stance_matrix(d))).to_json())"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2], check=True)
        outputs.add(done.stdout.strip())
    assert outputs == {seed_figures["alignment_network"].to_json()}


# --- escaping -------------------------------------------------------------------------------

def _hostile(name: str, frames: tuple[pd.DataFrame, ...]) -> tuple[pd.DataFrame, ...]:
    """The same inputs with markup in a quote and in a name (the evidence's categoricals as plain
    strings first, so a name can be set to one no dossier had)."""
    frames = [decoded(frame).copy() for frame in frames]
    first = frames[0]
    if name in ("stance_heatmap", "bargaining", "quote_board", "stance_shifts", "trajectory"):
        first.loc[first.index[0], "text"] = SCRIPT
        first.loc[first["actor"] == first["actor"].iloc[-1], "actor"] = IMG
    elif name == "seats":
        first.loc[first["event_id"] == first["event_id"].iloc[0], "event"] = SCRIPT
        first.loc[first["actor_id"] == first["actor_id"].iloc[0], "actor"] = IMG
    elif name in ("alignment_network", "alignment_matrix", "alignment"):
        first["issues_agreed"] = first["issues_agreed"].where(first["issues_agreed"] == "", SCRIPT)
        first["issues_opposed"] = first["issues_opposed"].where(first["issues_opposed"] == "", SCRIPT)
        first.loc[first["actor_a"] == first["actor_a"].iloc[0], "name_a"] = IMG
        first.loc[first["actor_b"] == first["actor_a"].iloc[0], "name_b"] = IMG
    elif name == "timeline":
        first.loc[first.index[0], "title"] = SCRIPT
        first.loc[first.index[0], "participants"] = IMG
    elif name == "coverage":
        first.loc[first["speaker"] == first["speaker"].iloc[0], "speaker"] = IMG
        frames[1].loc[frames[1].index[0], "outlet"] = SCRIPT
    frames[0] = first
    return tuple(frames)


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_markup_in_data_is_escaped_everywhere(seed_inputs, name):
    fig = FIGURES[name](*_hostile(name, seed_inputs[name]))
    strings = figure_strings(fig)
    assert not [s for s in strings if "<script" in s or "<img" in s]
    assert any("&lt;script&gt;" in s for s in strings), "the hostile quote or title should be shown, escaped"
    assert any("&lt;img" in s for s in strings), "the hostile name should be shown, escaped"


@pytest.mark.parametrize("name", ["stance_heatmap", "bargaining", "quote_board", "stance_shifts", "trajectory"])
def test_hover_holds_the_verbatim_quote_escaped(seed_inputs, name):
    fig = FIGURES[name](*_hostile(name, seed_inputs[name]))
    hovers = [s for trace in fig.data for s in np.ravel(np.asarray(trace.customdata if trace.customdata is not None else [], dtype=object))]
    assert any(f"“{SCRIPT_ESCAPED}”" in h for h in hovers if isinstance(h, str))


# --- each chart on the seed -----------------------------------------------------------------

def test_heatmap_cells_equal_the_matrix(seed_inputs, seed_figures):
    (matrix,) = seed_inputs["stance_heatmap"]
    cells, overlay = seed_figures["stance_heatmap"].data
    assert (cells.type, overlay.type) == ("scatter", "scatter")  # square marks: the smallest plotly.js bundle draws them
    assert cells.marker.symbol == "square"
    drawn = {(x, y): (float(c), h) for x, y, c, h in zip(cells.x, cells.y, cells.marker.color, cells.customdata)}
    assert len(drawn) == len(matrix) == len(cells.x), "one mark per actor × issue with a position, none for the empty cells"
    for row in matrix.itertuples():
        stance, hover = drawn[(label(row.issue, 28), label(row.actor))]
        assert stance == row.stance, (row.actor_id, row.issue_id)
        assert hover_text(row.text) in hover
    layout = seed_figures["stance_heatmap"].layout
    assert set(layout.xaxis.categoryarray) == {label(i, 28) for i in matrix["issue"]}
    assert set(layout.yaxis.categoryarray) == {label(a) for a in matrix["actor"]}
    assert (cells.marker.cmin, cells.marker.cmax) == (-2.5, 2.5) and cells.marker.showscale


def test_heatmap_overlay_marks_exactly_the_red_lines(seed_inputs, seed_figures):
    (matrix,) = seed_inputs["stance_heatmap"]
    overlay = seed_figures["stance_heatmap"].data[1]
    lines = matrix.loc[matrix["red_line"]]
    assert overlay.name == "red line"
    assert sorted(zip(overlay.x, overlay.y)) == sorted((label(r.issue, 28), label(r.actor)) for r in lines.itertuples())
    assert len(overlay.x) == 3


def test_heatmap_keeps_the_busiest_actors_and_says_how_many_are_hidden(seed_inputs):
    (matrix,) = seed_inputs["stance_heatmap"]
    fig = FIGURES["stance_heatmap"](matrix, max_actors=2)
    busiest = matrix.groupby("actor").size().sort_values(ascending=False)
    assert set(fig.data[0].y) == {label(a) for a in busiest.index[:2]}
    hidden = matrix["actor_id"].nunique() - 2
    assert f"{hidden} actors with fewer positions not shown" in fig.layout.title.subtitle.text


def test_heatmap_without_red_lines_has_no_overlay(seed_inputs):
    (matrix,) = seed_inputs["stance_heatmap"]
    fig = FIGURES["stance_heatmap"](matrix.assign(red_line=False))
    assert [t.name for t in fig.data] == ["stance"]


def test_bargaining_marks_every_actor_at_its_stance_on_its_side(seed_inputs, seed_figures):
    (sided,) = seed_inputs["bargaining"]
    fig = seed_figures["bargaining"]
    assert [t.name for t in fig.data] == ["at the table", "left out", "others"]
    issues = sorted(sided["issue"].unique())
    drawn = set()
    for trace in fig.data:
        offset = {"at the table": 0.3, "left out": -0.3, "others": 0.0}[trace.name]
        for x, y, text, width in zip(trace.x, trace.y, trace.text, trace.marker.line.width):
            issue = issues[round(y - offset)]
            part = sided.loc[(sided["side"] == trace.name) & (sided["issue"] == issue) & (sided["stance"] == x)]
            assert len(part), (trace.name, issue, x)
            assert text == (label(part["actor"].iloc[0], 14) if len(part) == 1 else f"{len(part)} actors")
            assert width == (3 if part["red_line"].any() else 1)
            drawn |= {(trace.name, issue, a) for a in part["actor"]}
    assert drawn == set(zip(sided["side"], sided["issue"], sided["actor"]))


def test_seat_chart_has_one_mark_per_seat(seed_inputs, seed_figures):
    (seats,) = seed_inputs["seats"]
    fig = seed_figures["seats"]
    names = {theme.ROLE_WORDS[r]: r for r in theme.ROLE_WORDS}
    assert [t.name for t in fig.data] == ["at the table", "host", "left out"]
    for trace in fig.data:
        role = names[trace.name]
        part = seats.loc[seats["role"] == role]
        assert sorted(trace.x) == sorted(label(a, 24) for a in part["actor"])
        assert trace.marker.symbol == theme.ROLE_SYMBOLS[role]
    assert sum(len(t.x) for t in fig.data) == len(seats)


def test_network_draws_agreements_and_conflicts(seed_inputs, seed_figures):
    (edges,) = seed_inputs["alignment_network"]
    fig = seed_figures["alignment_network"]
    drawn = edges.loc[edges["score"] != 0]
    agree, agree_mid, conflict, conflict_mid, nodes = fig.data
    assert (agree.name, conflict.name, nodes.name) == ("agree", "conflict", "actor")
    assert len(agree.x) == 3 * int((drawn["score"] > 0).sum())
    assert len(conflict.x) == 3 * int((drawn["score"] < 0).sum())
    assert len(agree_mid.x) == int((drawn["score"] > 0).sum())
    actors = sorted(set(drawn["actor_a"]) | set(drawn["actor_b"]))
    names = dict(zip(drawn["actor_a"], drawn["name_a"])) | dict(zip(drawn["actor_b"], drawn["name_b"]))
    assert list(nodes.text) == [label(names[a], 24) for a in actors]
    assert "Europe at the table" in " ".join(conflict_mid.customdata)


def test_network_drops_neutral_ties_and_keeps_max_edges(seed_inputs):
    (edges,) = seed_inputs["alignment_network"]
    assert (edges["score"] == 0).any()
    fig = FIGURES["alignment_network"](edges, max_edges=2)
    lines = [t for t in fig.data if t.name in ("agree", "conflict")]
    assert sum(len(t.x) for t in lines) == 3 * 2
    only_neutral = FIGURES["alignment_network"](edges.loc[edges["score"] == 0])
    assert len(only_neutral.data) == 0 and only_neutral.layout.annotations


def test_timeline_puts_undated_events_after_every_date(seed_inputs, seed):
    (events,) = seed_inputs["timeline"]
    as_of = analysis.default_as_of(seed)
    fig = FIGURES["timeline"](events, as_of=as_of)
    assert [t.name for t in fig.data] == ["held", "planned", "cancelled"]
    assert [len(t.x) for t in fig.data] == [int((events["status"] == s).sum()) for s in ("held", "planned", "cancelled")]
    xs = [pd.Timestamp(x) for t in fig.data for x in t.x]
    dated = events["date"].dropna()
    undated_x = max(xs)
    assert undated_x > max(dated.max(), as_of)
    assert sum(x == undated_x for x in xs) == int(events["date"].isna().sum())
    assert [pd.Timestamp(s.x0) for s in fig.layout.shapes if s.type == "line"] == [as_of]
    assert any("as of 2025-02-18" in a.text for a in fig.layout.annotations)


def test_timeline_without_as_of_draws_no_line(seed_inputs):
    fig = FIGURES["timeline"](*seed_inputs["timeline"])
    assert not [s for s in fig.layout.shapes if s.type == "line"]


def test_stance_shifts_start_new_positions_at_no_position(seed_inputs, seed_figures):
    (changes,) = seed_inputs["stance_shifts"]
    lines, before, now = seed_figures["stance_shifts"].data
    assert len(now.x) == len(changes)
    assert list(now.x) == [float(a) for a in changes["after"]]
    assert set(before.x) == {-2.6}  # every position is new: no earlier stance
    assert list(now.marker.line.width) == [3 if r else 1 for r in changes["red_line_after"]]


def test_stance_shifts_draw_before_and_after_and_skip_withdrawn(seed):
    after = analysis.stance_matrix(seed)
    before = after.copy()
    before.loc[before["actor_id"] == "usa", "stance"] = 0
    gone = pd.DataFrame({"actor_id": ["turkey"], "issue_id": ["ceasefire"], "stance": [1], "red_line": [False]})
    changes = analysis.stance_changes(pd.concat([before, gone], ignore_index=True), after)
    assert "position withdrawn" in set(changes["change"])
    fig = FIGURES["stance_shifts"](changes, since=pd.Timestamp("2025-02-17"), as_of=pd.Timestamp("2025-02-18"))
    lines, before_marks, now = fig.data
    shifted = changes.loc[changes["change"] == "stance shift"]
    assert len(now.x) == len(changes) - 1
    assert list(before_marks.x).count(0.0) == len(shifted)
    assert "since 2025-02-17" in fig.layout.title.text and "as of 2025-02-18" in fig.layout.title.text


def test_quote_board_marks_every_position_by_kind(seed_inputs, seed_figures):
    (evidence,) = seed_inputs["quote_board"]
    fig = seed_figures["quote_board"]
    words = {"direct quote": "direct_quote", "reported speech": "reported_speech", "assessment": "assessment"}
    assert [t.name for t in fig.data] == list(words)
    for trace in fig.data:
        part = evidence.loc[evidence["kind"] == words[trace.name]]
        assert len(trace.x) == len(part)
        assert sorted(trace.y) == sorted(label(a) for a in part["actor"])
        # Jitter spreads marks by at most 0.36 around the stance.
        assert all(0 <= x - s <= 0.36 + 1e-9 for x, s in zip(trace.x, part["stance"]))


def test_coverage_bars_add_up_to_the_statements(seed_inputs, seed_figures, seed):
    by_speaker, by_source = seed_inputs["coverage"]
    fig = seed_figures["coverage"]
    speaker_bars = [t for t in fig.data if t.name != "statements in source"]
    assert [t.type for t in fig.data] == ["bar"] * len(fig.data)
    assert sum(sum(t.x) for t in speaker_bars) == len(seed.statements)
    (source_bar,) = [t for t in fig.data if t.name == "statements in source"]
    assert list(source_bar.x) == list(by_source["statements"])
    assert list(source_bar.customdata) == list(by_source["verified"])


def test_trajectory_keeps_equal_stances_apart_and_counts_days(seed):
    points = analysis.stance_trajectories(analysis.positions_with_evidence(seed), seed.actors, parties_only=True)
    fig = FIGURES["trajectory"](points, as_of=pd.Timestamp("2025-02-20"))
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    for axis in {t.yaxis for t in lines}:
        panel = [t for t in lines if t.yaxis == axis]
        starts = [float(np.asarray(t.y)[0]) for t in panel]
        assert len(set(starts)) == len(starts), f"two actors' lines lie on each other in {axis}"
        assert all(abs(y - round(y)) < 0.5 for y in starts)  # nudged, still read as their stance
    assert fig.layout.xaxis.dtick == 86_400_000 and fig.layout.xaxis.tickformat == "%-d %b %Y"  # days, never hours
    assert fig.layout.legend.y > 1 and fig.layout.margin.t >= 150  # the legend sits between subtitle and first panel


def test_timeline_draws_a_lane_for_every_event_status_of_the_schema():
    from parley.data.schema import read_schema
    from parley.figures import timeline

    statuses = read_schema(SEED_DIR).enum("events", "status")
    assert sorted(timeline.LANES) == sorted(statuses)
    assert set(theme.STATUS_COLORS) == set(theme.STATUS_SYMBOLS) == set(statuses)
    # synthetic events, one per status: none is dropped, and the key names postponed only when drawn
    events = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(len(statuses))],
        "date": [pd.Timestamp("2025-03-01") + pd.Timedelta(days=i) for i in range(len(statuses))],
        "title": [f"Synthetic {s} event" for s in statuses],
        "place": "", "status": list(statuses), "participants": "", "excluded": "",
    })
    fig = timeline.create_timeline(events)
    assert sorted(t.name for t in fig.data) == sorted(statuses)
    def key(figure):
        return figure.layout.title.subtitle.text.replace("<br>", " ")

    assert "open diamond: postponed" in key(fig)
    without = timeline.create_timeline(events.loc[events["status"] != "postponed"])
    assert "postponed" not in key(without)
    assert key(without).startswith("Filled: held · open: planned · cross: cancelled.")


def test_trajectory_colours_of_two_actors_of_one_name_do_not_depend_on_hash_seed():
    """Two actors called alike (a synthetic dossier has two bodies of one name) are ordered by id after
    name: their colours and legend order are the same in every process."""
    code = (
        "import pandas as pd; from parley.figures import FIGURES;"
        "ids = [f'org{i:02d}' for i in range(8)];"
        "points = pd.DataFrame({'actor_id': ids, 'actor': ['Alike Studies'] * 8, 'issue_id': 'i1', 'issue': 'Issue one',"
        " 'date': pd.Timestamp('2025-02-18'), 'stance': pd.array([i % 5 - 2 for i in range(8)], dtype='Int64'), 'red_line': False,"
        " 'speaker': 'unattributed', 'text': 'SYNTHETIC words', 'source': 'Synthetic Wire: report', 'n_that_day': 1});"
        "fig = FIGURES['trajectory'](points, as_of=pd.Timestamp('2025-02-20'));"
        "print([(t.legendgroup, t.line.color) for t in fig.data if t.legendgroup])"
    )
    outputs = set()
    for hash_seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2], check=True)
        outputs.add(done.stdout.strip())
    assert len(outputs) == 1
    drawn = ast.literal_eval(outputs.pop())
    assert [group for group, _ in drawn] == sorted(group for group, _ in drawn)  # by id, after the (equal) name
