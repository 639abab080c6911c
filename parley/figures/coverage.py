"""Coverage: how many statements the dossier holds per speaker and per source."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from parley.figures import theme
from parley.figures._common import empty_figure, label, require_columns

KIND_WORDS = {"direct_quote": "direct quote", "reported_speech": "reported speech", "assessment": "assessment"}


def create_coverage_chart(by_speaker: pd.DataFrame, by_source: pd.DataFrame, *, title: str = "Coverage: statements per speaker and per source") -> go.Figure:
    """Two horizontal bar panels, one above the other: statements per speaker (stacked by kind)
    and per source (with how many of its quotes verify).

    Parameters
    ----------
    by_speaker
        From :func:`parley.analysis.coverage` (``speaker, kind, statements``).
    by_source
        From :func:`parley.analysis.source_coverage` (``source_id, outlet, statements, verified``).
    """
    require_columns(by_speaker, ["speaker", "kind", "statements"], "create_coverage_chart(by_speaker)")
    require_columns(by_source, ["source_id", "outlet", "statements", "verified"], "create_coverage_chart(by_source)")
    if by_speaker.empty:
        return empty_figure(title, "The dossier holds no statements.")
    speakers = list(dict.fromkeys(by_speaker["speaker"]))
    sources = by_source.sort_values(["statements", "source_id"], ascending=[False, True], kind="stable").head(15)
    height = 280 + 26 * (len(speakers) + len(sources))
    # Room between the panels for the upper panel's tick labels and the lower panel's title (80 px).
    fig = make_subplots(rows=2, cols=1, row_heights=[len(speakers), max(len(sources), 1) + 1], vertical_spacing=min(80 / (height - 160), 0.3),
                        subplot_titles=("Statements per speaker", "Statements per source (hover: how many verify)"))
    for kind in ("direct_quote", "reported_speech", "assessment"):
        part = by_speaker.loc[by_speaker["kind"] == kind]
        if part.empty:
            continue
        fig.add_trace(go.Bar(x=part["statements"], y=[label(s) for s in part["speaker"]], orientation="h", name=KIND_WORDS[kind],
                             marker_color=theme.KIND_COLORS[kind], hovertemplate="%{y}: %{x} " + KIND_WORDS[kind] + "<extra></extra>"), row=1, col=1)
    names = [label(f"{o if isinstance(o, str) else 'unknown outlet'} · {s}", 40) for o, s in zip(sources["outlet"], sources["source_id"])]
    fig.add_trace(go.Bar(x=sources["statements"], y=names, orientation="h", name="statements in source", marker_color=theme.NEUTRAL_COLOR,
                         customdata=sources["verified"], hovertemplate="%{y}: %{x} statements, %{customdata} verified<extra></extra>", showlegend=False), row=2, col=1)
    # The legend just under the title (container pixels), clear of the upper panel's own title.
    fig.update_layout(title_text=title, barmode="stack", height=height, legend=dict(yref="container", y=1 - 62 / height, yanchor="top"))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=[label(s) for s in speakers], row=1, col=1)
    fig.update_yaxes(autorange="reversed", row=2, col=1)
    fig.update_xaxes(title_text="statements", row=2, col=1)
    return fig
