"""Display objects for notebook outputs: escaped HTML for people, plain text for diffs.

Every output carries both ``text/html`` (what JupyterLab and the briefing show) and a
``text/plain`` rendering of the same numbers, so an nbval failure reads as a table diff. All data
strings are HTML-escaped here: a quote holding ``<script>`` shows as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import pandas as pd


class HTMLBlock:
    """A block of trusted markup built from escaped data, with a plain-text twin."""

    def __init__(self, markup: str, text: str):
        self.markup = markup
        self.text = text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|\r|\n)\s*")
#: Stands for a line break while pandas escapes a table (a private-use character, never in data).
_BREAK = "\ue000"


def esc(value: object) -> str:
    """HTML-escape any value; missing values become an em dash; a line break inside a value (a
    quotation over several paragraphs, stored verbatim) becomes ``<br>``."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return _LINE_BREAKS.sub("<br>", html.escape(str(value)))


def one_line(value: str) -> str:
    """A value for the plain-text twin: a line break inside it shows as ``¶``, on one line."""
    return _LINE_BREAKS.sub(" ¶ ", value)


def _cell(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, float):
        return f"{value:+.2f}" if not value.is_integer() else f"{int(value)}"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return _LINE_BREAKS.sub(_BREAK, value)
    return value


class Table(HTMLBlock):
    """A DataFrame shown as an escaped HTML table (no index, no random ids).

    Parameters
    ----------
    frame
        The rows to show.
    columns
        Column → header text, in display order (columns not named are dropped).
    caption
        Shown above the table.
    empty
        Sentence shown instead of an empty table.
    max_rows
        Rows beyond this are cut, and the caption says how many were left out.
    """

    def __init__(self, frame: pd.DataFrame, columns: Mapping[str, str], caption: str = "", empty: str = "Nothing to show.", max_rows: int = 50):
        shown = frame.loc[:, list(columns)].head(max_rows).rename(columns=dict(columns))
        shown = shown.astype(object).apply(lambda column: column.map(_cell)) if len(shown) else shown
        left_out = len(frame) - len(shown)
        note = f" ({left_out} more {'row' if left_out == 1 else 'rows'} not shown)" if left_out > 0 else ""
        self.frame = shown
        if frame.empty:
            super().__init__(f'<p class="parley-empty">{esc(caption + ": " if caption else "")}{esc(empty)}</p>', f"{caption}: {empty}" if caption else empty)
            return
        body = shown.to_html(index=False, escape=True, na_rep="—", border=0, classes="parley-table", justify="left").replace(_BREAK, "<br>")
        cap = f'<p class="parley-caption">{esc(caption + note)}</p>' if caption or note else ""
        with pd.option_context("display.max_colwidth", 80, "display.width", 200):
            text = shown.to_string(index=False, na_rep="—").replace(_BREAK, " ¶ ")
        super().__init__(f'<div class="parley-table-wrap">{cap}{body}</div>', f"{caption}{note}\n{text}" if caption or note else text)


def bullets(items: list[str], title: str = "") -> HTMLBlock:
    """A bulleted list of already-escaped HTML items (text twin strips nothing but tags we add)."""
    head = f"<p><strong>{esc(title)}</strong></p>" if title else ""
    markup = head + "<ul class=\"parley-list\">" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    import re

    plain = "\n".join("- " + html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items)
    return HTMLBlock(markup, (title + "\n" if title else "") + plain)
