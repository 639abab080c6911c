"""Bargaining range per issue: the stances held at the table against those of the parties left out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import empty_figure, heading, hover_text, label, require_columns

COLUMNS = ["issue", "actor", "stance", "side", "red_line", "text"]
SIDE_OFFSET = {"at the table": 0.3, "left out": -0.3, "others": 0.0}
#: Pixels per issue row: three sides a line of 10 px type apart each.
ROW_PX = 62
#: A mark's label must end before the next stance step (about 90 px in the briefing's column).
LABEL_CHARS = 14
SIDE_SYMBOL = {"at the table": "circle", "left out": "diamond", "others": "circle-open"}


def create_bargaining_chart(positions: pd.DataFrame, *, max_quotes: int = 4, title: str = "Bargaining space: at the table vs left out") -> go.Figure:
    """Strip chart: one row per issue, a dot per actor at its stance, by side of the table.

    Parameters
    ----------
    positions
        Stance matrix rows with a ``side`` column ("at the table", "left out", "others"), as
        :func:`parley.analysis.bargaining.side_of` assigns.
    max_quotes
        A mark shared by more actors names the first ``max_quotes`` with their words in its
        hover and the others by name only in its hover, with how many they are.
    """
    require_columns(positions, COLUMNS, "create_bargaining_chart")
    if positions.empty:
        return empty_figure(title, "No positions recorded as of this date.")
    issues = sorted(positions["issue"].unique())
    y_of = {issue: i for i, issue in enumerate(issues)}
    fig = go.Figure()
    for side in ("at the table", "left out", "others"):
        part = positions.loc[positions["side"] == side]
        if part.empty:
            continue
        # Actors of one side at the same stance on the same issue share one mark, so no label hides another.
        part = part.sort_values(["issue", "stance", "actor"], kind="stable")
        marks = part.groupby(["issue", "stance"], sort=False).agg(
            # One actor is named; several are counted (all of them are in the hover and the table).
            actors=("actor", lambda s: label(s.iloc[0], LABEL_CHARS) if len(s) == 1 else f"{len(s)} actors"),
            red_line=("red_line", "any"),
            hover=("actor", lambda s: s.index.tolist()),
        ).reset_index()
        hovers = []
        for rows in marks["hover"]:
            lines = [f"<b>{label(part.at[r, 'actor'])}</b>{' — RED LINE' if part.at[r, 'red_line'] else ''}: “{hover_text(part.at[r, 'text'])}”" for r in rows[:max_quotes]]
            if len(rows) > max_quotes:
                rest = [str(part.at[r, "actor"]) for r in rows[max_quotes:]]
                lines.append(f"… and {len(rest)} more: " + hover_text(", ".join(rest), max_chars=400))
            hovers.append(f"{label(part.at[rows[0], 'issue'])} ({side}): {theme.stance_label(part.at[rows[0], 'stance'])}<br>" + "<br>".join(lines))
        fig.add_trace(go.Scatter(
            x=marks["stance"].astype(float), y=[y_of[i] + SIDE_OFFSET[side] for i in marks["issue"]], mode="markers+text",
            text=marks["actors"], textposition="middle right" if side != "left out" else "middle left", textfont=dict(size=10), name=side,
            marker=dict(symbol=SIDE_SYMBOL[side], size=13, color=[theme.STANCE_COLORS[int(s)] for s in marks["stance"]],
                        line=dict(width=[3 if r else 1 for r in marks["red_line"]], color=theme.RED_LINE_COLOR)),
            customdata=hovers, hovertemplate="%{customdata}<extra></extra>", cliponaxis=False,
        ))
    fig.update_layout(
        **heading(title, "Each mark is one actor, or several at that stance; a thick outline marks a red line. Hover for the words; the table below lists them."),
        height=max(320, 90 + ROW_PX * len(issues)),
        xaxis=dict(title_text="Stance", range=[-3.1, 3.4], tickvals=[-2, -1, 0, 1, 2],
                   ticktext=[f"{s:+d}<br>{theme.STANCE_WORDS[s]}" if s else "0<br>neutral" for s in range(-2, 3)], zeroline=True),
        yaxis=dict(title_text="", tickvals=list(range(len(issues))), ticktext=[label(i, 30) for i in issues], range=[-0.6, len(issues) - 0.4]),
    )
    return fig
