"""Seat at the table: who met, who hosted, who was left out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import date_text, empty_figure, fitting_tickangle, heading, label, max_fitting_labels, require_columns
from parley.words import plural

COLUMNS = ["event_id", "event", "date", "status", "actor_id", "actor", "role"]
#: Width the actor axis can count on in the briefing's column (848 px, less the event labels) and on A4.
ACTOR_AXIS_PX = 480
#: Height of one event's row (its label has two lines).
ROW_PX = 40


def create_seat_chart(seats: pd.DataFrame, *, max_events: int = 24, title: str = "Who is at the table, and who is not") -> go.Figure:
    """Dot matrix of events (rows) × actors (columns), marked by role: at the table, host, left out.

    Parameters
    ----------
    seats
        From :func:`parley.analysis.seats` (in date order, undated events last).
    max_events
        Draw the last ``max_events`` events of that order; the subtitle says how many earlier
        ones are not drawn.
    """
    require_columns(seats, COLUMNS, "create_seat_chart")
    if seats.empty:
        return empty_figure(title, "No events with recorded parties as of this date.")
    events = seats.drop_duplicates("event_id")[["event_id", "event", "date", "status"]]
    earlier = max(len(events) - max_events, 0)
    if earlier:
        events = events.tail(max_events)
        seats = seats.loc[seats["event_id"].isin(events["event_id"])]
    # Two lines per event (title, then date and status) keep the label column narrow and the actor axis wide.
    y_of = {row.event_id: f"{label(row.event, 38)}<br>{date_text(row.date)} · {row.status}" for row in events.itertuples()}
    ranked = seats.assign(_r=seats["role"].map({"participant": 0, "host": 1, "excluded": 2}))
    ranked = ranked.groupby("actor").agg(first_role=("_r", "min"), events=("event_id", "size")).reset_index()
    actors = ranked.sort_values(["first_role", "events", "actor"], ascending=[True, False, True], kind="stable")["actor"].tolist()
    # Columns beyond what fits side by side would put their names on top of each other: keep the
    # actors with a seat first and the most events, and say how many are not drawn.
    fitting = max_fitting_labels(ACTOR_AXIS_PX)
    not_drawn = max(len(actors) - fitting, 0)
    if not_drawn:
        actors = actors[:fitting]
        seats = seats.loc[seats["actor"].isin(actors)]
    angle = fitting_tickangle(len(actors), ACTOR_AXIS_PX) or 90
    fig = go.Figure()
    for role in ("participant", "host", "excluded"):
        part = seats.loc[seats["role"] == role]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=[label(a, 24) for a in part["actor"]], y=[y_of[e] for e in part["event_id"]], mode="markers", name=theme.ROLE_WORDS[role],
            marker=dict(symbol=theme.ROLE_SYMBOLS[role], size=16, color=theme.ROLE_COLORS[role], line=dict(width=2, color=theme.ROLE_COLORS[role])),
            hovertemplate="%{x}: " + theme.ROLE_WORDS[role] + "<br>%{y}<extra></extra>",
        ))
    fig.update_layout(
        **heading(title, "One row per event; a circle is a seat at the table, a square the host, a cross a party left out."
                   + (f" {plural(earlier, 'earlier event')} not drawn." if earlier else "")
                   + (f" {plural(not_drawn, 'actor')} with fewer seats not drawn (all are in the data)." if not_drawn else "")),
        height=max(340, 230 + ROW_PX * len(events)),
        xaxis=dict(title_text="", categoryorder="array", categoryarray=[label(a, 24) for a in actors], tickangle=-angle),
        yaxis=dict(title_text="", categoryorder="array", categoryarray=list(y_of.values()), autorange="reversed"),
    )
    return fig
