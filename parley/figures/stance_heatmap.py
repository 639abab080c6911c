"""Bargaining-space heatmap: where every actor stands on every issue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import date_text, empty_figure, hover_text, label, require_columns

COLUMNS = ["actor_id", "actor", "issue_id", "issue", "stance", "red_line", "text", "speaker", "source", "date"]


def create_stance_heatmap(matrix: pd.DataFrame, *, max_actors: int = 20, title: str = "Where each actor stands on each issue") -> go.Figure:
    """Actor × issue heatmap of latest stances, red lines boxed, the verbatim quote on hover.

    Parameters
    ----------
    matrix
        Long stance matrix from :func:`parley.analysis.stance_matrix` (one row per actor × issue).
    max_actors
        Keep the actors with the most positions; the rest are summarised in the subtitle.
    title
        Figure title.
    """
    require_columns(matrix, COLUMNS, "create_stance_heatmap")
    if matrix.empty:
        return empty_figure(title, "No positions recorded as of this date.")
    per_actor = matrix.groupby(["actor_id", "actor"]).size().rename("n").reset_index()
    per_actor = per_actor.sort_values(["n", "actor"], ascending=[False, True], kind="stable")
    shown = per_actor.head(max_actors).sort_values("actor", kind="stable")
    hidden = len(per_actor) - len(shown)
    data = matrix.loc[matrix["actor_id"].isin(shown["actor_id"])]
    issues = data.drop_duplicates("issue_id")[["issue_id", "issue"]].sort_values("issue", kind="stable")
    actor_ids, issue_ids = shown["actor_id"].tolist(), issues["issue_id"].tolist()
    a_index = {a: i for i, a in enumerate(actor_ids)}
    i_index = {k: j for j, k in enumerate(issue_ids)}
    z = np.full((len(actor_ids), len(issue_ids)), np.nan)
    hover = np.full(z.shape, "", dtype=object)
    rows = data.assign(row_pos=data["actor_id"].map(a_index), col_pos=data["issue_id"].map(i_index))
    for row in rows.itertuples(index=False):
        z[row.row_pos, row.col_pos] = float(row.stance)
        hover[row.row_pos, row.col_pos] = (
            f"<b>{label(row.actor)}</b> on <b>{label(row.issue)}</b>: {theme.stance_label(row.stance)}"
            + (" — <b>RED LINE</b>" if row.red_line else "")
            + f"<br>“{hover_text(row.text)}”<br>— {label(row.speaker)}, {label(row.source, 60)}, {date_text(row.date)}"
        )
    empty = np.isnan(z)
    hover[empty] = "no position recorded"
    y_labels = [label(a) for a in shown["actor"]]
    x_labels = [label(i, 28) for i in issues["issue"]]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=x_labels, y=y_labels, zmin=-2.5, zmax=2.5, colorscale=theme.STANCE_COLORSCALE,
            customdata=hover, hovertemplate="%{customdata}<extra></extra>", xgap=2, ygap=2,
            colorbar=dict(title=dict(text="Stance"), tickvals=[-2, -1, 0, 1, 2], len=1, lenmode="fraction", thickness=14, y=0.5,
                          ticktext=[f"{s:+d} {theme.STANCE_WORDS[s]}" if s else "0 neutral" for s in range(-2, 3)]),
        )
    )
    lines = rows.loc[rows["red_line"].astype(bool)]
    if len(lines):
        fig.add_trace(go.Scatter(
            x=[x_labels[i] for i in lines["col_pos"]], y=[y_labels[a] for a in lines["row_pos"]], mode="markers",
            marker=dict(symbol="square-open", size=26, line=dict(width=3), color=theme.RED_LINE_COLOR),
            name="red line", hoverinfo="skip", showlegend=True,
        ))
    subtitle = f"{len(actor_ids)} actors × {len(issue_ids)} issues" + (f"; {hidden} actors with fewer positions not shown" if hidden else "")
    fig.update_layout(
        title=dict(text=title, subtitle_text=f"{subtitle}. Boxed cells are red lines. Hover a cell for the quote."),
        height=max(420, 230 + 36 * len(actor_ids)),
        xaxis=dict(title_text="Issue", side="bottom", tickangle=-30),
        yaxis=dict(title_text="", autorange="reversed"),
        legend=dict(x=1, xanchor="right"),
    )
    return fig
