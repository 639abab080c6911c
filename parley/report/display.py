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

from parley.words import plural, plural_phrase  # noqa: F401  (re-exported: sections count with them)


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


def _kind(series: pd.Series) -> str:
    """How a column's cells sit: ``num`` (right-aligned, one line), ``date`` (one line), ``token`` (breaks anywhere) or ``text`` (wraps at words)."""
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_numeric_dtype(series):
        return "num"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    values = series.dropna().astype(str)
    if len(values) and not values.str.contains(r"\s").any() and values.str.len().max() > TOKEN_CHARS:
        return "token"  # ids, URLs, hashes: break anywhere rather than widen the table
    return "text"


#: A column whose values hold no space and run longer than this is a column of tokens (ids, URLs, hashes).
TOKEN_CHARS = 16


class Table(HTMLBlock):
    """A DataFrame shown as an escaped HTML table (no index, no random ids) that fits its column.

    The table sits in a scroll region (``role="region"``, ``tabindex="0"``, named by its caption)
    that the stylesheet lets wrap long text and break unbroken tokens, so it fits the column;
    if it still cannot, the region scrolls with a visible scrollbar and keyboard focus reaches it.

    Parameters
    ----------
    frame
        The rows to show.
    columns
        Column → header text, in display order (columns not named are dropped). Choose the
        columns a reader needs (outlet and date rather than ids); ids go in ``hover``.
    caption
        Shown above the table; also names its scroll region for screen readers.
    empty
        Sentence shown instead of an empty table.
    max_rows
        Rows beyond this are cut, and the caption says how many were left out.
    hover
        Shown column → column of ``frame`` whose value is the cell's tooltip (``title``), e.g.
        ``{"outlet": "statement_id"}``: the id stays one hover away.
    """

    def __init__(self, frame: pd.DataFrame, columns: Mapping[str, str], caption: str = "", empty: str = "Nothing to show.", max_rows: int = 50,
                 hover: Mapping[str, str] | None = None):
        hover = dict(hover or {})
        head = frame.head(max_rows)
        shown = head.loc[:, list(columns)].rename(columns=dict(columns))
        kinds = [_kind(frame[c]) for c in columns]
        shown = shown.astype(object).apply(lambda column: column.map(_cell)) if len(shown) else shown
        left_out = len(frame) - len(shown)
        note = f" ({plural(left_out, 'more row')} not shown)" if left_out > 0 else ""
        self.frame = shown
        if frame.empty:
            super().__init__(f'<p class="parley-empty">{esc(caption + ": " if caption else "")}{esc(empty)}</p>', f"{caption}: {empty}" if caption else empty)
            return
        tips = {columns[c]: head[source].map(lambda v: "" if _cell(v) == "—" else str(_cell(v))).tolist() for c, source in hover.items() if c in columns}
        body = _table_html(shown, kinds, tips)
        cap = f'<p class="parley-caption">{esc(caption + note)}</p>' if caption or note else ""
        name = f' aria-label="{esc(caption or "Table: " + ", ".join(map(str, shown.columns)))}"'
        with pd.option_context("display.max_colwidth", 80, "display.width", 200):
            text = shown.to_string(index=False, na_rep="—").replace(_BREAK, " ¶ ")
        super().__init__(f'<div class="parley-table-wrap">{cap}<div class="parley-scroll" role="region" tabindex="0"{name}>{body}</div></div>',
                         f"{caption}{note}\n{text}" if caption or note else text)


#: A run of this many characters without a space may break (``<wbr>``) every :data:`_CHUNK` characters.
_LONG_RUN = re.compile(r"[^\s\ue000]{17,}")  # a line break (_BREAK) ends a run
_CHUNK = 12
#: A text cell longer than this shows its first part and says how much is left out (the cards and the
#: run record hold the whole text); a 5,000-character quote would otherwise make a table pages long.
CELL_CHARS = 600
#: Stands for a break opportunity while the text is escaped (private use, never in data).
_WBR = "\ue001"


def _breakable(value: object) -> str:
    """Escaped text whose unbroken runs (a pasted URL, a 600-character word) may wrap: ``<wbr>``
    every few characters inside them, so the column stays narrow; words of prose are left whole.
    Beyond :data:`CELL_CHARS` characters the text is cut, and says so."""
    if isinstance(value, str) and len(value) > CELL_CHARS:
        value = value[:CELL_CHARS].rstrip() + f" […{plural(len(value) - CELL_CHARS, 'more character')}]"
    if not isinstance(value, str) or not _LONG_RUN.search(value):
        return esc(value).replace(_BREAK, "<br>")
    pieces, last = [], 0
    for match in _LONG_RUN.finditer(value):
        pieces.append(value[last:match.start()])
        run = match.group(0)
        pieces.append(_WBR.join(run[i:i + _CHUNK] for i in range(0, len(run), _CHUNK)))
        last = match.end()
    pieces.append(value[last:])
    return "".join(esc(p).replace(_BREAK, "<br>") if p else "" for p in pieces).replace(_WBR, "<wbr>")


def _table_html(shown: pd.DataFrame, kinds: list[str], tips: dict[str, list[str]]) -> str:
    """``<table>`` with ``scope="col"`` headers and a class per cell kind (num, date, token, text)."""
    header = "".join(f'<th scope="col" class="parley-{kind}">{esc(name)}</th>' for name, kind in zip(shown.columns, kinds))
    rows = []
    for i, record in enumerate(shown.itertuples(index=False, name=None)):
        cells = []
        for name, kind, value in zip(shown.columns, kinds, record):
            tip = tips.get(name, [None] * (i + 1))[i]
            title = f' title="{esc(tip)}"' if tip else ""
            cells.append(f'<td class="parley-{kind}"{title}>{_breakable(value) if kind == "text" else esc(value).replace(_BREAK, "<br>")}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="dataframe parley-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def bullets(items: list[str], title: str = "") -> HTMLBlock:
    """A bulleted list of already-escaped HTML items (text twin strips nothing but tags we add)."""
    head = f"<p><strong>{esc(title)}</strong></p>" if title else ""
    markup = head + "<ul class=\"parley-list\">" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    import re

    plain = "\n".join("- " + html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items)
    return HTMLBlock(markup, (title + "\n" if title else "") + plain)
