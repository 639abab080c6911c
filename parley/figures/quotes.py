"""Quote board: every direct quote placed by speaker and stance, the words on hover."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parley.data.tables import decoded
from parley.figures import theme
from parley.figures._common import date_text, empty_figure, heading, hover_text, label, require_columns

COLUMNS = ["actor", "issue", "stance", "red_line", "text", "speaker", "date", "kind"]


def create_quote_board(evidence: pd.DataFrame, *, max_actors: int = 15, max_per_stance: int = 8, rows: np.ndarray | None = None,
                       title: str = "Quote board: who said what, and which way it leans") -> go.Figure:
    """One mark per quoted position: actor on the y axis, stance on the x axis, quote on hover.

    Parameters
    ----------
    evidence
        From :func:`parley.analysis.positions_with_evidence`; direct quotes are drawn filled,
        reported speech hollow.
    max_actors
        Keep the actors with the most positions.
    max_per_stance
        Marks of one actor at one stance beyond the fourth sit on one spot; keep the latest
        ``max_per_stance`` of them and say in the subtitle how many older ones are not drawn.
    rows
        Positions in ``evidence`` of the rows to draw (default: every row), so a caller's selection
        (the parties, one issue) is not copied whole: only the marks drawn are taken from it.
    """
    require_columns(evidence, COLUMNS, "create_quote_board")
    rows = np.arange(len(evidence)) if rows is None else np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return empty_figure(title, "No quoted positions as of this date.")
    # The choice of marks reads two columns; the rest are taken for the marks drawn (a few hundred).
    keys = evidence[["actor", "stance"]].iloc[rows].assign(_row=rows)
    busiest = keys.groupby("actor").size().reset_index(name="n").sort_values(["n", "actor"], ascending=[False, True], kind="stable")
    keep = busiest.head(max_actors)["actor"].tolist()
    keys = keys.loc[keys["actor"].isin(keep)]
    from_latest = keys.groupby(["actor", "stance"]).cumcount(ascending=False)  # evidence is in date order
    not_drawn = int((from_latest >= max_per_stance).sum())
    keys = keys.loc[from_latest < max_per_stance]
    data = decoded(evidence.iloc[keys["_row"].to_numpy()]).assign(_jitter=keys.groupby(["actor", "stance"]).cumcount().to_numpy())
    fig = go.Figure()
    for kind, symbol, name in (("direct_quote", "circle", "direct quote"), ("reported_speech", "circle-open", "reported speech"), ("assessment", "square-open", "assessment")):
        part = data.loc[data["kind"] == kind]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["stance"].astype(float) + 0.12 * part["_jitter"].clip(upper=3), y=[label(a) for a in part["actor"]], mode="markers", name=name,
            marker=dict(symbol=symbol, size=14, color=[theme.STANCE_COLORS[int(s)] for s in part["stance"]],
                        line=dict(width=[3 if r else 1.5 for r in part["red_line"]], color=[theme.RED_LINE_COLOR if r else theme.STANCE_COLORS[int(s)] for r, s in zip(part["red_line"], part["stance"])])),
            customdata=[f"<b>{label(s)}</b> on {label(i)} ({theme.stance_label(v)}{', RED LINE' if r else ''})<br>“{hover_text(t)}”<br>{date_text(d)}"
                        for s, i, v, r, t, d in zip(part["speaker"], part["issue"], part["stance"], part["red_line"], part["text"], part["date"])],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    fig.update_layout(
        **heading(title, "Filled: direct quote · hollow: reported speech · black outline: red line. Hover a mark for the words."
                   + (f" {not_drawn} older quotes not drawn: the latest {max_per_stance} per actor and stance are." if not_drawn else "")),
        height=max(300, 110 + 30 * len(keep)),
        xaxis=dict(title_text="Stance on the issue", range=[-2.5, 2.9], tickvals=[-2, -1, 0, 1, 2],
                   ticktext=[f"{s:+d} {theme.STANCE_WORDS[s]}" if s else "0 neutral" for s in range(-2, 3)]),
        yaxis=dict(title_text="", categoryorder="array", categoryarray=[label(a) for a in sorted(keep)], autorange="reversed"),
    )
    return fig
