"""Seat at the table: who met, who hosted, who was left out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import date_text, empty_figure, label, require_columns

COLUMNS = ["event_id", "event", "date", "status", "actor_id", "actor", "role"]


def create_seat_chart(seats: pd.DataFrame, *, title: str = "Who is at the table, and who is not") -> go.Figure:
    """Dot matrix of events × actors, marked by role (at the table, host, left out).

    Parameters
    ----------
    seats
        From :func:`parley.analysis.seats`.
    """
    require_columns(seats, COLUMNS, "create_seat_chart")
    if seats.empty:
        return empty_figure(title, "No events with recorded parties as of this date.")
    events = seats.drop_duplicates("event_id")[["event_id", "event", "date", "status"]]
    x_of = {row.event_id: f"{label(row.event, 34)}<br>{date_text(row.date)} · {row.status}" for row in events.itertuples()}
    order = seats.assign(_r=seats["role"].map({"participant": 0, "host": 1, "excluded": 2}))
    actors = order.groupby("actor")["_r"].min().reset_index().sort_values(["_r", "actor"], kind="stable")["actor"].tolist()
    fig = go.Figure()
    for role in ("participant", "host", "excluded"):
        part = seats.loc[seats["role"] == role]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=[x_of[e] for e in part["event_id"]], y=[label(a) for a in part["actor"]], mode="markers", name=theme.ROLE_WORDS[role],
            marker=dict(symbol=theme.ROLE_SYMBOLS[role], size=16, color=theme.ROLE_COLORS[role], line=dict(width=2, color=theme.ROLE_COLORS[role])),
            hovertemplate="%{y}: " + theme.ROLE_WORDS[role] + "<br>%{x}<extra></extra>",
        ))
    fig.update_layout(
        title_text=title,
        height=max(300, 110 + 28 * len(actors)),
        xaxis=dict(title_text="Event", categoryorder="array", categoryarray=[x_of[e] for e in events["event_id"]], tickangle=0),
        yaxis=dict(title_text="", categoryorder="array", categoryarray=[label(a) for a in actors], autorange="reversed"),
    )
    return fig
