"""Alignment as an actor × actor matrix: stays readable where a network of a dozen actors is a knot."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import empty_figure, fitting_tickangle, heading, label, max_fitting_labels, require_columns
from parley.figures.network import COLUMNS, create_alignment_network, labels_collide
from parley.words import plural

#: Beyond this many actors the network's labels and edges crowd; the matrix takes over.
NETWORK_MAX_ACTORS = 6
#: Width the matrix's columns can count on in the briefing's column (848 px less the row names).
MATRIX_AXIS_PX = 560
CELL_PX = 22
#: Score → colour: conflict (orange) through neutral grey to agreement (purple), the stance palette's ends.
SCORE_COLORSCALE = [[0.0, theme.STANCE_COLORS[-2]], [0.25, theme.STANCE_COLORS[-1]], [0.5, "#e6e6e6"],
                    [0.75, theme.STANCE_COLORS[1]], [1.0, theme.STANCE_COLORS[2]]]


def create_alignment_chart(edges: pd.DataFrame, *, max_edges: int = 60, max_actors: int | None = None,
                           title: str = "Alignment between actors") -> go.Figure:
    """The network for a handful of actors (at most :data:`NETWORK_MAX_ACTORS`, and only when no two
    names would overlap in it), the matrix otherwise."""
    require_columns(edges, COLUMNS, "create_alignment_chart")
    ties = edges.loc[edges["score"].ne(0)]
    actors = set(ties["actor_a"]) | set(ties["actor_b"])
    if len(actors) <= NETWORK_MAX_ACTORS and not labels_collide(edges.head(max_edges)):
        return create_alignment_network(edges, max_edges=max_edges, title=title)
    return create_alignment_matrix(edges, max_actors=max_actors, title=title)


def create_alignment_matrix(edges: pd.DataFrame, *, max_actors: int | None = None, title: str = "Alignment between actors") -> go.Figure:
    """Actor × actor grid of alignment scores (−1 opposed on every shared issue … +1 agreed on every one).

    Parameters
    ----------
    edges
        From :func:`parley.analysis.alignment` (one row per pair sharing an issue).
    max_actors
        Draw the actors with the most ties, at most this many (default: as many as fit the
        column's width side by side); the subtitle says how many are left out.
    """
    require_columns(edges, COLUMNS, "create_alignment_matrix")
    edges = edges.loc[edges["score"].ne(0)]
    if edges.empty:
        return empty_figure(title, "No two actors share an issue with a clear agreement or conflict.")
    names = dict(zip(edges["actor_a"], edges["name_a"])) | dict(zip(edges["actor_b"], edges["name_b"]))
    ties = pd.concat([edges["actor_a"], edges["actor_b"]]).value_counts()
    ranked = sorted(ties.index, key=lambda a: (-ties[a], str(names[a])))
    limit = min(max_actors or max_fitting_labels(MATRIX_AXIS_PX), max_fitting_labels(MATRIX_AXIS_PX))
    shown = sorted(ranked[:limit], key=lambda a: str(names[a]))
    left_out = len(ranked) - len(shown)
    both = pd.concat([edges, edges.rename(columns={"actor_a": "actor_b", "actor_b": "actor_a", "name_a": "name_b", "name_b": "name_a"})])
    both = both.loc[both["actor_a"].isin(shown) & both["actor_b"].isin(shown)]
    axis = [label(names[a], 24) for a in shown]
    hover = [
        f"<b>{label(r.name_a)} – {label(r.name_b)}</b><br>score {r.score:+.2f} over {plural(r.shared, 'shared issue')}"
        + (f"<br>agree on: {label(r.issues_agreed, 200)}" if r.issues_agreed else "")
        + (f"<br>opposed on: {label(r.issues_opposed, 200)}" if r.issues_opposed else "")
        for r in both.itertuples(index=False)
    ]
    # Square marks, as in the stance heatmap: the page keeps plotly.js's smallest bundle, and a pair
    # that shares no issue stays visibly empty.
    fig = go.Figure(go.Scatter(
        x=[label(names[a], 24) for a in both["actor_b"]], y=[label(names[a], 24) for a in both["actor_a"]], mode="markers",
        marker=dict(symbol="square", size=CELL_PX - 2, color=both["score"].astype(float).tolist(), cmin=-1, cmax=1, colorscale=SCORE_COLORSCALE,
                    showscale=True, line=dict(width=0),
                    colorbar=dict(title=dict(text="Score", side="right"), tickvals=[-1, 0, 1], ticktext=["−1 opposed", "0", "+1 agree"], thickness=14, len=0.9)),
        customdata=hover, hovertemplate="%{customdata}<extra></extra>", showlegend=False, name="alignment",
    ))
    angle = fitting_tickangle(len(shown), MATRIX_AXIS_PX) or 90
    subtitle = (f"{plural(len(shown), 'actor')}; each cell is a pair's score over the issues both hold a position on "
                "(purple: agree, orange: opposed, empty: no shared issue). Hover a cell for the issues."
                + (f" {plural(left_out, 'actor')} with fewer ties not drawn; the table below lists the strongest ties." if left_out else ""))
    fig.update_layout(
        **heading(title, subtitle),
        height=320 + CELL_PX * len(shown),
        xaxis=dict(categoryorder="array", categoryarray=axis, tickangle=-angle, showgrid=False, range=[-0.6, len(axis) - 0.4]),
        yaxis=dict(categoryorder="array", categoryarray=axis, autorange="reversed", showgrid=False),
    )
    return fig
