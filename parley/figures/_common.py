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
