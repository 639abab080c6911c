"""Stance shifts between two dates: where each actor moved on each issue."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import date_text, empty_figure, hover_text, label, require_columns

COLUMNS = ["change", "actor", "issue", "before", "after", "red_line_after", "text"]


def create_stance_shift_chart(changes: pd.DataFrame, *, since: pd.Timestamp | None = None, as_of: pd.Timestamp | None = None,
                              title: str = "Stance shifts") -> go.Figure:
    """Dumbbell chart: for each actor × issue that moved, a line from the old stance to the new.

    New positions start from a hollow "no position" mark at the left edge.

    Parameters
    ----------
    changes
        From :func:`parley.analysis.stance_changes`.
    """
    require_columns(changes, COLUMNS, "create_stance_shift_chart")
    span = f" since {date_text(since)}" if since is not None else ""
    title = f"{title}{span}" + (f" (as of {date_text(as_of)})" if as_of is not None else "")
    moved = changes.loc[changes["after"].notna()]
    if moved.empty:
        return empty_figure(title, "No stance changed in this period.")
    rows = [f"{label(a, 24)} · {label(i, 26)}" for a, i in zip(moved["actor"], moved["issue"])]
    fig = go.Figure()
    before = moved["before"].astype("Float64").fillna(-2.6).astype(float)
    after = moved["after"].astype(float)
    xs, ys = [], []
    for y, b, a in zip(rows, before, after):
        xs += [b, a, None]
        ys += [y, y, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=theme.NEUTRAL_COLOR, width=2), hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(
        x=before, y=rows, mode="markers", name="before (hollow at left: no position)",
        marker=dict(symbol="circle-open", size=13, color=theme.NEUTRAL_COLOR, line=dict(width=2)),
        customdata=[theme.stance_label(b) for b in moved["before"].astype("Float64")], hovertemplate="before: %{customdata}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=after, y=rows, mode="markers", name="now",
        marker=dict(size=15, color=[theme.STANCE_COLORS[int(a)] for a in after],
                    line=dict(width=[3 if r else 1 for r in moved["red_line_after"]], color=theme.RED_LINE_COLOR)),
        customdata=[f"<b>{c}</b>: {theme.stance_label(a)}<br>“{hover_text(t)}”" for c, a, t in zip(moved["change"], after, moved["text"])],
        hovertemplate="%{customdata}<extra></extra>",
    ))
    fig.update_layout(
        title_text=title, height=max(260, 110 + 32 * len(rows)),
        xaxis=dict(title_text="Stance", range=[-2.8, 2.6], tickvals=[-2, -1, 0, 1, 2],
                   ticktext=[f"{s:+d} {theme.STANCE_WORDS[s]}" if s else "0 neutral" for s in range(-2, 3)]),
        yaxis=dict(title_text="", autorange="reversed"),
    )
    return fig
