"""Timeline of events: held, planned, postponed and cancelled (one lane per status the schema allows)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import date_text, empty_figure, heading, label, require_columns
from parley.words import plural

COLUMNS = ["event_id", "date", "title", "place", "status", "participants", "excluded"]
#: One lane per event status of the schema (``events.status``), in reading order; a test holds them equal.
LANES = ["held", "planned", "postponed", "cancelled"]
#: How the subtitle names a drawn lane's mark.
MARK_WORDS = {"held": "filled: held", "planned": "open: planned", "postponed": "open diamond: postponed", "cancelled": "cross: cancelled"}


#: Width the date axis can count on (the briefing's 848 px column, less the lane names), in pixels.
AXIS_PX = 640
#: Pixels a label takes per character (11 px type) and for its marker.
CHAR_PX = 6.4
MARKER_PX = 16
#: Label rows a lane may stack before further labels are left to the hover and the watch list.
MAX_ROWS = 5
LABEL_CHARS = 30
#: Pixels per label row.
ROW_PX = 26


#: The grey band of undated events is at least this many days wide, and at least this many pixels (its
#: "date not set" note and a marker); a year of events would otherwise squeeze it to a sliver whose note
#: ran past the chart's edge. Its marks sit this far into it.
UNDATED_MIN_DAYS = 5.25
UNDATED_MIN_PX = 110
UNDATED_AT = 0.24


def _undated_band(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, float]:
    """Where the band of undated events starts (a day and a half after the last date) and how many
    days wide it is: wide enough for :data:`UNDATED_MIN_PX` pixels of the axis whatever the span."""
    start = last + pd.Timedelta(hours=42)
    dated_days = (start - first).total_seconds() / 86_400 + 2  # the axis opens two days before the first event
    return start, max(UNDATED_MIN_DAYS, UNDATED_MIN_PX * dated_days / (AXIS_PX - UNDATED_MIN_PX))


def _label_rows(xs: list[pd.Timestamp], texts: list[str], px_per_day: float, x0: pd.Timestamp) -> list[tuple[int, str, bool]]:
    """Stack labels into rows so none runs into the next or into another event's marker.

    Each event takes the first row whose last label or marker ends before its own label starts; a
    label that would run past the right end of the axis sits left of its marker instead. Where all
    :data:`MAX_ROWS` rows are taken, the event keeps only its marker (``False``): in the first row
    where the marker is clear of every label, else in a row of markers below the labels (a marker
    drawn on a label hid its words). Returns ``(row, side, labelled)`` per event.
    """
    ends: list[float] = []
    placed: list[tuple[int, str, bool]] = []
    for x, text in zip(xs, texts):
        at = (x - x0).total_seconds() / 86_400 * px_per_day
        width = MARKER_PX + CHAR_PX * len(text)
        side = "middle right" if at + width <= AXIS_PX else "middle left"
        start, end = (at - MARKER_PX / 2, at + width) if side == "middle right" else (at - width, at + MARKER_PX / 2)
        row = next((r for r, last in enumerate(ends) if last + 4 < start), None)
        if row is None and len(ends) < MAX_ROWS:
            ends.append(end)
            row = len(ends) - 1
        elif row is not None:
            ends[row] = end
        if row is not None:
            placed.append((row, side, True))
            continue
        row = next((r for r, last in enumerate(ends) if last + 2 < at - MARKER_PX / 2), MAX_ROWS)
        if row < MAX_ROWS:
            ends[row] = at + MARKER_PX / 2
        placed.append((row, side, False))
    return placed


def _marks_text(drawn: list[str]) -> str:
    """The subtitle's key to the marks: held, planned and cancelled always (the familiar key), postponed
    only when such an event is drawn."""
    shown = [s for s in LANES if s != "postponed" or s in drawn]
    text = " · ".join(MARK_WORDS[s] for s in shown)
    return text[0].upper() + text[1:] + "."


def create_timeline(events: pd.DataFrame, *, as_of: pd.Timestamp | None = None, title: str = "Timeline of events") -> go.Figure:
    """Events on a date axis, one lane per status; undated events sit in a "date not set" column.

    Labels that would run into each other are stacked in rows within their lane (up to
    :data:`MAX_ROWS`); beyond, an event keeps its marker and hover, and the subtitle says how many
    labels were left out.

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
    first = dated["date"].min() if len(dated) else last - pd.Timedelta(days=3)
    band_start, band_days = _undated_band(first, last)
    undated_x = band_start + pd.Timedelta(days=band_days * UNDATED_AT)
    x_range = [first - pd.Timedelta(days=2), band_start + pd.Timedelta(days=band_days)]
    px_per_day = AXIS_PX / max((x_range[1] - x_range[0]).total_seconds() / 86_400, 1)
    fig = go.Figure()
    lane_base, tickvals, unlabelled = 0, [], 0
    for status in LANES:
        part = events.loc[events["status"] == status]
        if part.empty:
            continue
        part = part.assign(_x=[d if pd.notna(d) else undated_x for d in part["date"]]).sort_values("_x", kind="stable")
        texts = [label(t, LABEL_CHARS) for t in part["title"]]
        placed = _label_rows(list(part["_x"]), texts, px_per_day, x_range[0])
        rows = [row for row, _side, _shown in placed]
        unlabelled += sum(not shown for _row, _side, shown in placed)
        ys = [lane_base + r for r in rows]
        hover = [
            f"<b>{label(t, 80)}</b><br>{date_text(d)} · {status}" + (f" · {label(p, 60)}" if isinstance(p, str) and p else "")
            + (f"<br>with: {label(w, 120)}" if w else "") + (f"<br>left out: {label(x, 120)}" if x else "")
            for t, d, p, w, x in zip(part["title"], part["date"], part["place"], part["participants"], part["excluded"])
        ]
        fig.add_trace(go.Scatter(
            x=list(part["_x"]), y=ys, mode="markers+text", name=status, text=[t if shown else "" for t, (_row, _side, shown) in zip(texts, placed)],
            textposition=[side for _row, side, _shown in placed], textfont=dict(size=11),
            marker=dict(symbol=theme.STATUS_SYMBOLS[status], size=15, color=theme.STATUS_COLORS[status], line=dict(width=2, color=theme.STATUS_COLORS[status])),
            customdata=hover, hovertemplate="%{customdata}<extra></extra>", cliponaxis=False,
        ))
        tickvals.append((lane_base, status))
        lane_base += max(rows, default=0) + 2
    shapes, annotations = [], []
    if as_of is not None:
        shapes.append(dict(type="line", x0=as_of, x1=as_of, y0=0, y1=1, yref="paper", line=dict(dash="dash", width=1, color=theme.NEUTRAL_COLOR)))
        annotations.append(dict(x=as_of, y=1, yref="paper", text=f" as of {date_text(as_of)}", showarrow=False, yanchor="top", xanchor="left", font=dict(size=11)))
    if len(undated):
        shapes.append(dict(type="rect", x0=band_start, x1=x_range[1], y0=0, y1=1, yref="paper", line=dict(width=0), fillcolor="#f3f4f6", layer="below"))
        annotations.append(dict(x=band_start, y=0, yref="paper", text=" date not set", showarrow=False, yanchor="bottom", xanchor="left", font=dict(size=11)))
    note = f" {plural(unlabelled, 'label')} left out where events crowd: hover the marks, or read the watch list." if unlabelled else ""
    fig.update_layout(
        **heading(title, _marks_text([status for _, status in tickvals]) + " Undated plans sit in the grey band at the right." + note),
        height=210 + ROW_PX * lane_base, shapes=shapes, annotations=annotations,
        xaxis=dict(title_text="Date", type="date", range=x_range),
        yaxis=dict(title_text="", tickvals=[v for v, _ in tickvals], ticktext=[t for _, t in tickvals], range=[lane_base - 0.9, -1.5],
                   zeroline=False),
    )
    return fig
