"""The house look: one registered Plotly template and one stance palette, used by every figure.

Import this module (any figure factory does) and ``"plotly_white+parley"`` becomes the default
template. Figures never set colours, fonts or margins themselves; they take them from here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE_NAME = "parley"
DEFAULT_TEMPLATE = f"plotly_white+{TEMPLATE_NAME}"

#: Stance → colour. A diverging purple–orange scale (ColorBrewer PuOr), safe for the common forms
#: of colour blindness and in greyscale print; 0 is a neutral grey that still shows on white.
STANCE_COLORS: dict[int, str] = {
    -2: "#b35806",
    -1: "#f1a340",
    0: "#c9c9c9",
    1: "#998ec3",
    2: "#542788",
}
#: Words for each stance step, used in legends and hover text.
STANCE_WORDS: dict[int, str] = {-2: "strongly against", -1: "against", 0: "neutral", 1: "for", 2: "strongly for"}

#: Discrete colour scale for heatmaps over −2..+2 (each step a flat band).
STANCE_COLORSCALE: list[list] = []
for _i, _stance in enumerate(range(-2, 3)):
    STANCE_COLORSCALE += [[_i / 5, STANCE_COLORS[_stance]], [(_i + 1) / 5, STANCE_COLORS[_stance]]]

#: Marks and roles, also colour-blind safe (Okabe–Ito).
RED_LINE_COLOR = "#000000"
ROLE_COLORS = {"participant": "#0072B2", "host": "#009E73", "excluded": "#D55E00"}
ROLE_SYMBOLS = {"participant": "circle", "host": "square", "excluded": "x"}
ROLE_WORDS = {"participant": "at the table", "host": "host", "excluded": "left out"}
STATUS_COLORS = {"held": "#0072B2", "planned": "#E69F00", "postponed": "#CC79A7", "cancelled": "#999999"}
STATUS_SYMBOLS = {"held": "circle", "planned": "circle-open", "postponed": "diamond-open", "cancelled": "x"}
AGREE_COLOR = STANCE_COLORS[2]
CONFLICT_COLOR = STANCE_COLORS[-2]
NEUTRAL_COLOR = "#555555"
KIND_COLORS = {"direct_quote": "#0072B2", "reported_speech": "#56B4E9", "assessment": "#999999"}

#: Colours of series that are not stances (one per actor in a trajectory): Okabe–Ito, the template's colorway.
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT_FAMILY, size=13, color="#1f2328"),
        title=dict(font=dict(size=17), x=0.01, xanchor="left", xref="container", subtitle=dict(font=dict(size=12, color="#57606a"))),
        margin=dict(l=12, r=12, t=118, b=40),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=12), bgcolor="#ffffff", align="left"),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0, title_text=""),
        colorway=list(SERIES_COLORS),
        xaxis=dict(automargin=True, title=dict(standoff=8)),
        yaxis=dict(automargin=True, title=dict(standoff=8)),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
    )
)
pio.templates.default = DEFAULT_TEMPLATE


def stance_label(stance: int | float | None) -> str:
    """``"-2 (strongly against)"`` for a stance, ``"no position"`` when missing."""
    if stance is None or stance is pd.NA or stance != stance:
        return "no position"
    value = int(stance)
    return f"{value:+d} ({STANCE_WORDS[value]})" if value else "0 (neutral)"
