"""Bargaining-space heatmap: where every actor stands on every issue."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import date_text, empty_figure, fitting_tickangle, heading, hover_text, label, require_columns

CELL_PX = 30
#: Width the issue axis can count on where the chart is drawn narrowest (its 45rem minimum, on a phone),
#: less the actor names and the colour bar, in pixels: the tick angle is chosen for it.
ISSUE_AXIS_PX = 440
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
    rows = data.assign(actor_label=data["actor"].map(label), issue_label=data["issue"].map(lambda i: label(i, 28)))
    hover = [
        f"<b>{label(r.actor)}</b> on <b>{label(r.issue)}</b>: {theme.stance_label(r.stance)}"
        + (" — <b>RED LINE</b>" if r.red_line else "")
        + f"<br>“{hover_text(r.text)}”<br>— {label(r.speaker)}, {label(r.source, 60)}, {date_text(r.date)}"
        for r in rows.itertuples(index=False)
    ]
    y_labels = [label(a) for a in shown["actor"]]
    x_labels = [label(i, 28) for i in issues["issue"]]
    # A grid of square marks rather than a heatmap trace: the page then needs only plotly.js's
    # smallest partial bundle (scatter, bar, pie), and an empty cell stays visibly empty.
    fig = go.Figure(
        go.Scatter(
            x=rows["issue_label"].tolist(), y=rows["actor_label"].tolist(), mode="markers", name="stance", showlegend=False,
            marker=dict(symbol="square", size=CELL_PX, color=rows["stance"].astype(float).tolist(), cmin=-2.5, cmax=2.5,
                        colorscale=theme.STANCE_COLORSCALE, showscale=True, line=dict(width=0),
                        colorbar=dict(title=dict(text="Stance"), tickvals=[-2, -1, 0, 1, 2], len=1, lenmode="fraction", thickness=14, y=0.5,
                                      ticktext=[f"{s:+d} {theme.STANCE_WORDS[s]}" if s else "0 neutral" for s in range(-2, 3)])),
            customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        )
    )
    lines = rows.loc[rows["red_line"].astype(bool)]
    if len(lines):
        fig.add_trace(go.Scatter(
            x=lines["issue_label"].tolist(), y=lines["actor_label"].tolist(), mode="markers",
            marker=dict(symbol="square-open", size=CELL_PX - 6, line=dict(width=3), color=theme.RED_LINE_COLOR),
            name="red line", hoverinfo="skip", showlegend=True,
        ))
    subtitle = f"{len(y_labels)} actors × {len(x_labels)} issues" + (f"; {hidden} actors with fewer positions not shown" if hidden else "")
    fig.update_layout(
        **heading(title, f"{subtitle}. Boxed cells are red lines. Hover a cell for the quote."),
        height=320 + (CELL_PX + 14) * len(y_labels),
        xaxis=dict(title_text="Issue", side="bottom", tickangle=-(fitting_tickangle(len(x_labels), ISSUE_AXIS_PX) or 90), categoryorder="array",
                   categoryarray=x_labels, range=[-0.6, len(x_labels) - 0.4], showgrid=False),
        yaxis=dict(title_text="", categoryorder="array", categoryarray=y_labels, autorange="reversed", showgrid=False),
        legend=dict(x=1, xanchor="right"),
    )
    return fig
