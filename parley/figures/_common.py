"""Small helpers shared by the figure factories (private)."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` naming the missing columns when ``frame`` lacks any of ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}; has {', '.join(map(str, frame.columns))}")


def hover_text(text: object, width: int = 64, max_chars: int = 480) -> str:
    """Escape ``text`` for Plotly hover labels and wrap it into lines (Plotly reads ``<br>``)."""
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return ""
    value = str(text)
    if len(value) > max_chars:
        value = value[: max_chars - 1] + "…"
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(value, width) or [""])


def label(text: object, max_chars: int = 40) -> str:
    """Escape and shorten a display label (axis ticks, node names)."""
    value = "" if text is None or text is pd.NA or (isinstance(text, float) and text != text) else str(text)
    if len(value) > max_chars:
        value = value[: max_chars - 1] + "…"
    return html.escape(value, quote=False)


def date_text(value: object) -> str:
    """ISO date or "date unknown"."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return "date unknown"
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        return "date unknown"


def empty_figure(title: str, message: str):
    """A figure that says there is nothing to show, instead of an empty plot area."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.update_layout(
        title_text=title,
        height=160,
        xaxis=dict(visible=False),
        yaxis=dict(visible=False),
        annotations=[dict(text=html.escape(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(size=14))],
    )
    return fig


#: Height of a tick label's line (13 px type, ascent to descent, and air), in CSS pixels: two
#: parallel rotated labels stay apart when their spacing times the sine of the angle exceeds it.
TICK_LINE_PX = 20
#: Angles tried for crowded category labels, flattest first.
TICK_ANGLES = (30, 45, 60, 90)


def fitting_tickangle(n_labels: int, axis_px: float) -> int | None:
    """The flattest tick angle (degrees, drawn as ``-angle``) at which ``n_labels`` category labels
    spread over ``axis_px`` pixels do not overlap; ``None`` when even upright labels would."""
    import math

    spacing = axis_px / max(n_labels, 1)
    for angle in TICK_ANGLES:
        if spacing * math.sin(math.radians(angle)) >= TICK_LINE_PX:
            return angle
    return None


def max_fitting_labels(axis_px: float) -> int:
    """How many category labels fit side by side on an axis of ``axis_px`` pixels (drawn upright)."""
    return max(int(axis_px // TICK_LINE_PX), 1)


#: Characters of 12 px subtitle type that fit the briefing's column (848 px) with room to spare.
SUBTITLE_CHARS = 110
#: The theme's top margin (one subtitle line) and what each further line adds, in pixels.
TOP_MARGIN_PX = 118
SUBTITLE_LINE_PX = 18


def heading(title: str, subtitle: str) -> dict:
    """Layout for a chart's title and subtitle: the subtitle wrapped into lines that fit the column
    (Plotly draws one long line past the chart's edge) and the top margin grown to hold them."""
    lines = textwrap.wrap(subtitle, SUBTITLE_CHARS) or [""]
    # Pinned to the top, the title block grows downwards only, towards the legend above the plot.
    return {"title": dict(text=title, subtitle_text="<br>".join(lines), y=1, yref="container", yanchor="top", pad=dict(t=30)),
            "margin": dict(t=TOP_MARGIN_PX + SUBTITLE_LINE_PX * (len(lines) - 1))}
