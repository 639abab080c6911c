"""Timeline of events: held, planned and cancelled."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import date_text, empty_figure, label, require_columns

COLUMNS = ["event_id", "date", "title", "place", "status", "participants", "excluded"]
LANES = ["held", "planned", "cancelled"]


def create_timeline(events: pd.DataFrame, *, as_of: pd.Timestamp | None = None, title: str = "Timeline of events") -> go.Figure:
    """Events on a date axis, one lane per status; undated events sit in a "date not set" column.

    Parameters
    ----------
    events
        From :func:`parley.analysis.timeline`.
    as_of
        Draws a vertical "as of" line when given.
    """
    require_columns(events, COLUMNS, "create_timeline")
    if events.empty:
        return empty_figure(title, "No events recorded as of this date.")
    dated = events.loc[events["date"].notna()]
    undated = events.loc[events["date"].isna()]
    last = dated["date"].max() if len(dated) else (as_of or pd.Timestamp("2000-01-01"))
    if as_of is not None and as_of > last:
        last = as_of
    undated_x = last + pd.Timedelta(days=3)
    fig = go.Figure()
    for status in LANES:
        part = events.loc[events["status"] == status]
        if part.empty:
            continue
        xs = [d if pd.notna(d) else undated_x for d in part["date"]]
        # Several events on one day and lane are spread vertically so none hides another.
        rank = part.groupby(part["date"].fillna(undated_x)).cumcount()
        ys = [LANES.index(status) + 0.26 * r for r in rank]
        hover = [
            f"<b>{label(t, 80)}</b><br>{date_text(d)} · {status}" + (f" · {label(p, 60)}" if isinstance(p, str) and p else "")
            + (f"<br>with: {label(w, 120)}" if w else "") + (f"<br>left out: {label(x, 120)}" if x else "")
            for t, d, p, w, x in zip(part["title"], part["date"], part["place"], part["participants"], part["excluded"])
        ]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text", name=status, text=[label(t, 30) for t in part["title"]], textposition="middle right",
            textfont=dict(size=11), marker=dict(symbol=theme.STATUS_SYMBOLS[status], size=15, color=theme.STATUS_COLORS[status], line=dict(width=2, color=theme.STATUS_COLORS[status])),
            customdata=hover, hovertemplate="%{customdata}<extra></extra>", cliponaxis=False,
        ))
    shapes, annotations = [], []
    if as_of is not None:
        shapes.append(dict(type="line", x0=as_of, x1=as_of, y0=0, y1=1, yref="paper", line=dict(dash="dash", width=1, color=theme.NEUTRAL_COLOR)))
        annotations.append(dict(x=as_of, y=1, yref="paper", text=f" as of {date_text(as_of)}", showarrow=False, yanchor="top", xanchor="left", font=dict(size=11)))
    if len(undated):
        shapes.append(dict(type="rect", x0=undated_x - pd.Timedelta(hours=30), x1=undated_x + pd.Timedelta(days=4), y0=0, y1=1, yref="paper", line=dict(width=0), fillcolor="#f3f4f6", layer="below"))
        annotations.append(dict(x=undated_x - pd.Timedelta(hours=30), y=0.02, yref="paper", text=" date not set", showarrow=False, yanchor="bottom", xanchor="left", font=dict(size=11)))
    first = dated["date"].min() if len(dated) else undated_x - pd.Timedelta(days=6)
    fig.update_layout(
        title=dict(text=title, subtitle_text="Filled: held · open: planned · cross: cancelled. Undated plans sit in the grey band at the right."),
        height=420, shapes=shapes, annotations=annotations,
        xaxis=dict(title_text="Date", type="date", range=[first - pd.Timedelta(days=2), undated_x + pd.Timedelta(days=4)]),
        yaxis=dict(title_text="", tickvals=[0, 1, 2], ticktext=["held", "planned", "cancelled"], range=[-0.5, 2.8]),
    )
    return fig
