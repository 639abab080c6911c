"""Stance trajectories: each party's stance on each issue over time, with the evidence on hover."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import TOP_MARGIN_PX, date_text, empty_figure, heading, hover_text, label, require_columns

COLUMNS = ["actor_id", "actor", "issue_id", "issue", "date", "stance", "red_line", "speaker", "text", "source", "n_that_day"]
#: Height of one issue's panel, in pixels.
PANEL_HEIGHT = 150
#: Top margin (title, one subtitle line, one legend row, the first panel's title) and how far above the first
#: panel the legend sits, in pixels; each further subtitle line or legend row adds to the margin.
TOP_MARGIN = 170
LEGEND_LIFT = 30
#: The horizontal legend: width it wraps in (the briefing's 848 px column less the margins), a row's height,
#: and an entry's width (symbol and gap, then about 6.6 px a character of 12 px type).
LEGEND_WIDTH_PX, LEGEND_ROW_PX = 760, 30
LEGEND_ENTRY_PX, LEGEND_CHAR_PX = 48, 6.6
#: Tallest the whole chart may be: what an A4 sheet prints at 96 dpi inside its margins (a chart never breaks
#: across sheets); issues beyond what fits are left out, fewest statements first, and the subtitle says so.
MAX_HEIGHT_PX = 1040
#: Vertical distance between the lines of two actors in one panel (stance units): equal stances stay visible.
NUDGE = 0.12
#: Most marks the chart draws (each carries its words on hover, a few hundred bytes of the page). A stance
#: restated without moving adds no mark; when the moves alone are more, each line keeps its stance at the end
#: of each week, month, quarter or year instead (the finest that fits), and the subtitle says so.
MAX_MARKS = 600
#: The coarser periods tried, in order (pandas period codes) and how the subtitle names them.
PERIODS = (("W", "week"), ("M", "month"), ("Q", "quarter"), ("Y", "year"))
#: Characters of the words a mark's hover shows.
HOVER_CHARS = 200


def create_trajectory_chart(points: pd.DataFrame, *, as_of: pd.Timestamp | None = None, max_issues: int = 12,
                            title: str = "Stance over time") -> go.Figure:
    """One panel per issue, one step line per actor: the stance holds until a statement moves it.

    Lines of several actors in one panel are nudged a little apart (:data:`NUDGE`) so that equal
    stances do not hide each other; hover gives the stance itself. Each marker is a day a statement expressed the stance (outlined black for a red line); hover
    shows the date said, the speaker, the words and the source. Lines are carried to ``as_of``
    (dotted) so a stance still held reads as held.

    Parameters
    ----------
    points
        From :func:`parley.analysis.stance_trajectories`.
    max_issues
        Panels kept (the issues with most points first); the subtitle says how many were left out.
    """
    from plotly.subplots import make_subplots

    require_columns(points, COLUMNS, "create_trajectory_chart")
    if points.empty:
        return empty_figure(title, "No dated positions on the record.")
    issue_order = points.groupby("issue_id")["date"].size().sort_values(ascending=False, kind="stable").index.tolist()
    labels = dict(zip(points["issue_id"], points["issue"]))
    colorway = list(theme.SERIES_COLORS)
    # By name, then id: two actors of one name (two bodies called alike) keep one order in every process
    # (a set's order of strings follows their per-process hash).
    actor_order = sorted(set(points["actor_id"]), key=lambda a: (str(points.loc[points["actor_id"] == a, "actor"].iloc[0]), str(a)))
    colors = {a: colorway[i % len(colorway)] for i, a in enumerate(actor_order)}
    names = [label(points.loc[points["actor_id"] == a, "actor"].iloc[0]) for a in actor_order]
    n_kept, period = min(max_issues, len(issue_order)), ""
    while True:  # fewer panels until the chart fits a printed sheet (the left-out or period note may add a subtitle line)
        head, top = _head(title, as_of, len(issue_order) - n_kept, names, period=period)
        if n_kept == 1 or top + 40 + PANEL_HEIGHT * n_kept <= MAX_HEIGHT_PX:
            kept = sorted(issue_order[:n_kept], key=lambda i: str(labels.get(i)))
            marks, fitted = stance_moves(points.loc[points["issue_id"].isin(kept)])
            if fitted == period:
                break
            period = fitted  # its note is longer: measure again
            continue
        n_kept -= 1
    fig = make_subplots(rows=len(kept), cols=1, shared_xaxes=True, vertical_spacing=min(0.08, 0.5 / len(kept)),
                        subplot_titles=[label(labels[i], 60) for i in kept])
    last_day = max(points["date"].max(), as_of) if as_of is not None else points["date"].max()
    shown: set[str] = set()
    for row, issue_id in enumerate(kept, start=1):
        lines = list(marks.loc[marks["issue_id"] == issue_id].groupby("actor_id", sort=False))
        for i, (actor_id, line) in enumerate(lines):
            nudge = (i - (len(lines) - 1) / 2) * NUDGE  # actors holding the same stance stay apart, each line visible
            _add_line(fig, line, row, colors[actor_id], last_day, showlegend=actor_id not in shown, nudge=nudge, unit=period or "day")
            shown.add(actor_id)
    height = top + 40 + PANEL_HEIGHT * len(kept)
    plot_height = height - top - 40
    fig.update_layout(title=head["title"], height=height, hovermode="closest", margin=dict(t=top),
                      # the legend above the first panel's title, below the chart's subtitle (paper units from pixels)
                      legend=dict(y=1 + LEGEND_LIFT / plot_height, yanchor="bottom"))
    fig.update_yaxes(range=[-2.5, 2.5], tickvals=[-2, 0, 2], ticktext=["−2", "0", "+2"], zeroline=True, zerolinecolor="#d0d7de")
    first_day = points["date"].min()
    fig.update_xaxes(type="date", range=[first_day - pd.Timedelta(hours=12), last_day + pd.Timedelta(hours=12)], tickformat="%-d %b %Y",
                     **({"dtick": 86_400_000} if (last_day - first_day).days <= 21 else {}))  # days, never hours
    fig.update_xaxes(title_text="Date said", row=len(kept), col=1)
    return fig


def stance_moves(points: pd.DataFrame, max_marks: int = MAX_MARKS) -> tuple[pd.DataFrame, str]:
    """The marks to draw: of each actor's line on each issue, its first point, each point where the stance
    or the red line moved, and its last point; ``n_after`` counts the statements that restated a mark's
    stance before the next mark (``n_that_day`` stays the statements of the mark's own day or period).

    When the moves are more than ``max_marks``, each line keeps only its last point in each week (then
    month, quarter, year: the finest that fits) before the moves are taken; the name of that period is
    returned with the marks ("" when every day is kept). Every line keeps its first and last point.
    """
    line_keys = ["issue_id", "actor_id"]
    ordered = points.assign(_order=range(len(points))).sort_values(line_keys + ["date"], kind="stable").reset_index(drop=True)
    marks, period = _moves(ordered), ""
    for code, name in PERIODS:
        if len(marks) <= max_marks:
            break
        bins = ordered["date"].dt.to_period(code).rename("_bin")
        grouped = ordered.groupby(line_keys + [bins], sort=False)
        last = ordered.loc[grouped["date"].idxmax()].copy()  # the stance held at the end of the period
        last["n_that_day"] = grouped["n_that_day"].sum().to_numpy()
        marks, period = _moves(last.sort_values(line_keys + ["date"], kind="stable").reset_index(drop=True)), name
    return marks.sort_values("_order", kind="stable").drop(columns="_order"), period  # in the order given


def _moves(ordered: pd.DataFrame) -> pd.DataFrame:
    """Of points sorted by line and date: the first, the moved and the last point of each line, with
    ``n_after`` (statements of the dropped points that follow each kept one)."""
    if ordered.empty:
        return ordered.assign(n_after=pd.Series(dtype="int64"))
    line = ordered["issue_id"].astype(str) + "\x1f" + ordered["actor_id"].astype(str)
    new_line = line.ne(line.shift())
    last_of_line = line.ne(line.shift(-1))
    moved = ordered["stance"].ne(ordered["stance"].shift()).fillna(True) | ordered["red_line"].ne(ordered["red_line"].shift()).fillna(True)
    keep = (new_line | last_of_line | moved).to_numpy()
    mark_no = pd.Series(keep.cumsum() - 1, index=ordered.index)
    restated = ordered["n_that_day"].where(~keep, 0).groupby(mark_no).sum()
    kept = ordered.loc[keep].copy()
    kept["n_after"] = restated.to_numpy().astype("int64")
    return kept


def _head(title: str, as_of: pd.Timestamp | None, left_out: int, names: list[str], *, period: str = "") -> tuple[dict, int]:
    """The chart's title and wrapped subtitle, and the top margin they and the legend's rows take, in pixels."""
    if period:
        subtitle = (f"Each mark: the stance at the end of a {period}, where it moved (black ring: red line);"
                    " too many moves to show each day. Dotted: still held at the as-of date.")
    else:
        subtitle = "Each mark: a day a statement set or moved the stance (black ring: red line). Dotted: still held at the as-of date."
    if left_out:
        subtitle += f" {left_out} issue(s) with fewer statements left out."
    head = heading(title + (f" (as of {date_text(as_of)})" if as_of is not None else ""), subtitle)  # the subtitle wrapped to the column
    return head, TOP_MARGIN + (head["margin"]["t"] - TOP_MARGIN_PX) + LEGEND_ROW_PX * (_legend_rows(names) - 1)


def _legend_rows(names: list[str]) -> int:
    """Rows Plotly's horizontal legend takes for these entries in :data:`LEGEND_WIDTH_PX` (it wraps
    them; anchored above the first panel, each further row grows upwards, into the subtitle, unless
    the margin grows with it)."""
    rows, used = 1, 0.0
    for name in names:
        width = LEGEND_ENTRY_PX + LEGEND_CHAR_PX * len(name)
        if used and used + width > LEGEND_WIDTH_PX:
            rows, used = rows + 1, 0.0
        used += width
    return rows


def _add_line(fig: go.Figure, line: pd.DataFrame, row: int, color: str, last_day: pd.Timestamp, *, showlegend: bool,
              nudge: float = 0.0, unit: str = "day") -> None:
    name = label(line["actor"].iloc[0], 30)
    actor_id = line["actor_id"].iloc[0]
    hover = [f"<b>{name}</b> · {date_text(d)}<br>{theme.stance_label(s)}{' · red line' if r else ''}"
             + (f" · {n} statements that {unit}" if n > 1 else "")
             + f"<br>{label(sp, 40)}: “{hover_text(t, max_chars=HOVER_CHARS)}”<br><i>{label(src, 80)}</i>"
             + (f"<br>Restated by {a} more statement{'s' if a > 1 else ''} before it moved" if a else "")
             for d, s, r, sp, t, src, n, a in zip(line["date"], line["stance"], line["red_line"], line["speaker"], line["text"],
                                                  line["source"], line["n_that_day"], line["n_after"])]
    fig.add_trace(go.Scatter(  # dates as ISO days and stances to 2 places: a large dossier's page stays small
        x=[date_text(d) for d in line["date"]], y=[round(float(s) + nudge, 2) for s in line["stance"]], mode="lines+markers", name=name,
        legendgroup=actor_id, showlegend=showlegend,
        line=dict(shape="hv", color=color, width=2),
        marker=dict(size=10, color=color, line=dict(width=[3 if r else 0 for r in line["red_line"]], color=theme.RED_LINE_COLOR)),
        customdata=hover, hovertemplate="%{customdata}<extra></extra>",
    ), row=row, col=1)
    if last_day > line["date"].iloc[-1]:
        fig.add_trace(go.Scatter(x=[date_text(line["date"].iloc[-1]), date_text(last_day)], y=[round(float(line["stance"].iloc[-1]) + nudge, 2)] * 2, mode="lines",
                                 line=dict(color=color, width=2, dash="dot"), legendgroup=actor_id, showlegend=False, hoverinfo="skip"),
                      row=row, col=1)
