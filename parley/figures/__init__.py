"""Chart factories: ``create_*(frame) -> go.Figure``, input checked first, styled only by the theme.

``FIGURES`` registers every factory by name (used by PNG export and tests); adding a chart is one
module and one line here.
"""

from parley.figures import theme
from parley.figures.alignment_matrix import create_alignment_chart, create_alignment_matrix
from parley.figures.bargaining import create_bargaining_chart
from parley.figures.coverage import create_coverage_chart
from parley.figures.network import create_alignment_network
from parley.figures.quotes import create_quote_board
from parley.figures.seats import create_seat_chart
from parley.figures.shifts import create_stance_shift_chart
from parley.figures.stance_heatmap import create_stance_heatmap
from parley.figures.timeline import create_timeline
from parley.figures.trajectory import create_trajectory_chart

FIGURES = {
    "stance_heatmap": create_stance_heatmap,
    "bargaining": create_bargaining_chart,
    "seats": create_seat_chart,
    "alignment_network": create_alignment_network,
    "alignment_matrix": create_alignment_matrix,
    "alignment": create_alignment_chart,
    "timeline": create_timeline,
    "stance_shifts": create_stance_shift_chart,
    "quote_board": create_quote_board,
    "coverage": create_coverage_chart,
    "trajectory": create_trajectory_chart,
}

__all__ = ["FIGURES", "theme", *sorted(f.__name__ for f in FIGURES.values())]
