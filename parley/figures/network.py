"""Alignment network: who agrees and who conflicts, over the issues they share."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from parley.figures import theme
from parley.figures._common import empty_figure, heading, label, require_columns
from parley.words import plural

COLUMNS = ["actor_a", "actor_b", "name_a", "name_b", "shared", "agreements", "conflicts", "score", "issues_agreed", "issues_opposed"]


def _layout(edges: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The actors on a circle, in id order: no three on a line, so no edge runs through a node it does
    not join (a spring layout set Russia, the United States and Ukraine on one line and hid the
    Russia–Ukraine conflict under the two agreements). The network is drawn only for a handful of
    actors (the matrix takes over beyond), where a polygon stays legible."""
    nodes = sorted(set(edges["actor_a"]) | set(edges["actor_b"]))
    count = len(nodes)
    # Start at the top and go clockwise; an even count is turned half a step, so no edge is exactly level with a name.
    offset = math.pi / 2 + (math.pi / count if count % 2 == 0 else 0.0)
    return {node: (math.cos(offset - 2 * math.pi * i / count), math.sin(offset - 2 * math.pi * i / count)) for i, node in enumerate(nodes)}


def _name_above(y: float) -> bool:
    """A node's name sits on the outer side of the circle: above the nodes of its upper half, below
    the others, so no edge runs through a name."""
    return y >= -1e-9


#: The network's drawing area in the briefing's column (848 px wide, 520 px tall less the title), in pixels.
AREA_PX = (800, 360)
LABEL_CHAR_PX, LABEL_LINE_PX = 7.5, 18


def labels_collide(edges: pd.DataFrame) -> bool:
    """Would two node names of the network drawn from ``edges`` overlap (or a name cover a node)?

    The layout is the one :func:`create_alignment_network` draws; names sit centred above the
    nodes of the circle's upper half and below the others. Used to choose the matrix instead when the network would not be legible.
    """
    edges = edges.loc[edges["score"].ne(0)]
    if edges.empty:
        return False
    positions = _layout(edges)
    names = dict(zip(edges["actor_a"], edges["name_a"])) | dict(zip(edges["actor_b"], edges["name_b"]))
    xs, ys = [p[0] for p in positions.values()], [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    scale = min(AREA_PX[0] / span_x, AREA_PX[1] / span_y)  # equal scales: the chart anchors y to x
    boxes = []
    for node, (x, y) in positions.items():
        width = LABEL_CHAR_PX * len(label(names[node], 24))
        cx, cy = x * scale, y * scale
        above = _name_above(y)
        name_y = cy + 9 if above else cy - 9 - LABEL_LINE_PX
        boxes.append((cx - width / 2, name_y, cx + width / 2, name_y + LABEL_LINE_PX))  # the name, above or below its node
        boxes.append((cx - 8, cy - 8, cx + 8, cy + 8))  # the node
    names_only = boxes[0::2]
    for i, a in enumerate(names_only):
        for j, b in enumerate(boxes):
            if j == 2 * i:
                continue
            if min(a[2], b[2]) - max(a[0], b[0]) > 0 and min(a[3], b[3]) - max(a[1], b[1]) > 0:
                return True
    return False


def create_alignment_network(edges: pd.DataFrame, *, max_edges: int = 60, title: str = "Alignment between actors") -> go.Figure:
    """Network of actors: purple edges where they agree, orange where they conflict.

    Parameters
    ----------
    edges
        From :func:`parley.analysis.alignment` (strongest ties first).
    max_edges
        Draw at most this many of the strongest ties.
    """
    require_columns(edges, COLUMNS, "create_alignment_network")
    edges = edges.loc[edges["score"].ne(0)].head(max_edges)
    if edges.empty:
        return empty_figure(title, "No two actors share an issue with a clear agreement or conflict.")
    positions = _layout(edges)
    names = dict(zip(edges["actor_a"], edges["name_a"])) | dict(zip(edges["actor_b"], edges["name_b"]))
    fig = go.Figure()
    for kind, mask, color in (("agree", edges["score"] > 0, theme.AGREE_COLOR), ("conflict", edges["score"] < 0, theme.CONFLICT_COLOR)):
        part = edges.loc[mask]
        xs, ys, mid_x, mid_y, mid_text = [], [], [], [], []
        for row in part.itertuples(index=False):
            (x0, y0), (x1, y1) = positions[row.actor_a], positions[row.actor_b]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
            mid_x.append((x0 + x1) / 2)
            mid_y.append((y0 + y1) / 2)
            mid_text.append(
                f"<b>{label(row.name_a)} – {label(row.name_b)}</b><br>score {row.score:+.2f} over {plural(row.shared, 'shared issue')}"
                + (f"<br>agree on: {label(row.issues_agreed, 200)}" if row.issues_agreed else "")
                + (f"<br>opposed on: {label(row.issues_opposed, 200)}" if row.issues_opposed else "")
            )
        if not xs:
            continue
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=color, width=3, dash="solid" if kind == "agree" else "dot"),
                                 name="agree" if kind == "agree" else "conflict", hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=mid_x, y=mid_y, mode="markers", marker=dict(size=10, color=color, opacity=0.01), showlegend=False,
                                 customdata=mid_text, hovertemplate="%{customdata}<extra></extra>"))
    nodes = sorted(positions)
    fig.add_trace(go.Scatter(
        x=[positions[n][0] for n in nodes], y=[positions[n][1] for n in nodes], mode="markers+text",
        text=[label(names[n], 24) for n in nodes], textposition=["top center" if _name_above(positions[n][1]) else "bottom center" for n in nodes],
        name="actor",
        marker=dict(size=14, color=theme.NEUTRAL_COLOR, line=dict(width=1, color="#ffffff")), showlegend=False, cliponaxis=False,
        hovertemplate="%{text}<extra></extra>",
    ))
    fig.update_layout(
        **heading(title, "Solid purple: agree on shared issues; dotted orange: opposed. Hover an edge's middle for the issues."),
        height=520, xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"),
    )
    return fig
