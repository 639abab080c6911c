"""Bargaining range per issue: the stances held at the table against those of the parties left out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import empty_figure, hover_text, label, require_columns

COLUMNS = ["issue", "actor", "stance", "side", "red_line", "text"]
SIDE_OFFSET = {"at the table": 0.22, "left out": -0.22, "others": 0.0}
SIDE_SYMBOL = {"at the table": "circle", "left out": "diamond", "others": "circle-open"}


def create_bargaining_chart(positions: pd.DataFrame, *, title: str = "Bargaining space: at the table vs left out") -> go.Figure:
    """Strip chart: one row per issue, a dot per actor at its stance, by side of the table.

    Parameters
    ----------
    positions
        Stance matrix rows with a ``side`` column ("at the table", "left out", "others"), as
        :func:`parley.analysis.bargaining.side_of` assigns.
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
        fig.add_trace(go.Scatter(
            x=part["stance"].astype(float), y=[y_of[i] + SIDE_OFFSET[side] for i in part["issue"]], mode="markers+text",
            text=[label(a, 18) for a in part["actor"]], textposition="top center", textfont=dict(size=10), name=side,
            marker=dict(symbol=SIDE_SYMBOL[side], size=13, color=[theme.STANCE_COLORS[int(s)] for s in part["stance"]],
                        line=dict(width=[3 if r else 1 for r in part["red_line"]], color=theme.RED_LINE_COLOR)),
            customdata=[f"<b>{label(a)}</b> ({side}) on {label(i)}: {theme.stance_label(s)}{' — RED LINE' if r else ''}<br>“{hover_text(t)}”"
                        for a, i, s, r, t in zip(part["actor"], part["issue"], part["stance"], part["red_line"], part["text"])],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    fig.update_layout(
        title_text=f"{title}<br><sup>Dots by stance; a thick outline marks a red line. Hover for the quote.</sup>",
        height=max(320, 90 + 52 * len(issues)),
        xaxis=dict(title_text="Stance", range=[-2.6, 2.6], tickvals=[-2, -1, 0, 1, 2],
                   ticktext=[f"{s:+d}<br>{theme.STANCE_WORDS[s]}" if s else "0<br>neutral" for s in range(-2, 3)], zeroline=True),
        yaxis=dict(title_text="", tickvals=list(range(len(issues))), ticktext=[label(i, 30) for i in issues], range=[-0.6, len(issues) - 0.4]),
    )
    return fig
