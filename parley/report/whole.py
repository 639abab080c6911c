"""Is this briefing whole? The one check that ``render_briefing``, the batch and the DAG use.

A briefing is whole when

- every non-empty code cell ran (an execution count, papermill status ``completed``) without an
  error output: papermill's exit status is not enough, since ``sys.exit(0)`` in a cell stops a
  run "successfully";
- every cell after the parameters whose last statement is an expression shows something,
  unless it is tagged ``parley-allow-empty`` (:data:`ALLOW_EMPTY_TAG`) or ends with ``;``;
- no Plotly figure is drawn as HTML (the page could not draw it offline), and the run drew at
  least as many charts as expected: ``parley.min_charts`` of the notebook's metadata, else one
  when its committed outputs hold a chart;
- the page is complete (ends with ``</html>``) and holds one chart div and one figure block per
  Plotly output of the notebook, with the script that draws them.

Cells are numbered as a person counts them in the notebook: papermill's injected parameters
cell is not one of them.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from parley.errors import RenderError, excerpt

#: How a figure travels in a notebook: JupyterLab draws it, nbval compares it, the page template renders it.
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
#: Tag (and cell id, once normalised) of the cell papermill injects with the run's parameters.
INJECTED_CELL_ID = "injected-parameters"
#: Tag of a code cell allowed to show nothing although its last line is an expression.
ALLOW_EMPTY_TAG = "parley-allow-empty"
# A Plotly figure drawn as HTML (any renderer but plotly_mimetype): needs a CDN or bloats pages.
_PLOTLY_AS_HTML = re.compile(r"Plotly\.newPlot|cdn\.plot\.ly|plotly-latest|plotly\.js v\d", flags=re.IGNORECASE)


class IncompleteBriefing(RenderError):
    """A rendered briefing is not whole (a section without output, charts missing); not published."""


def numbered_code_cells(nb) -> list[tuple[int, object]]:
    """``(number, cell)`` of every code cell; the injected parameters cell is number 0."""
    numbered, number = [], 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if INJECTED_CELL_ID in cell.metadata.get("tags", []):
            numbered.append((0, cell))
            continue
        number += 1
        numbered.append((number, cell))
    return numbered


def describe_cell(cell, number: int) -> str:
    """``code cell 3, id briefing-5 ('pb.stance_table(briefing)')``, or the injected cell."""
    if number == 0:
        return "the injected parameters cell"
    first_line = next((line for line in cell.source.splitlines() if line.strip()), "").strip()
    if len(first_line) > 60:
        first_line = first_line[:59] + "…"
    ident = f", id {cell.id}" if cell.get("id") else ""
    return f"code cell {number}{ident} ({excerpt(first_line)})"


def count_charts(nb) -> int:
    """Plotly outputs of a notebook."""
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for output in cell.get("outputs", []) if PLOTLY_MIMETYPE in output.get("data", {}))


def cell_problems(nb) -> list[str]:
    """Cells that raised, never ran, or show nothing where they should."""
    problems = []
    numbered = numbered_code_cells(nb)
    start = next((i + 1 for i, (_, cell) in enumerate(numbered) if "parameters" in cell.metadata.get("tags", [])), 0)
    for position, (number, cell) in enumerate(numbered, start=1):
        if not cell.source.strip():
            continue
        where, outputs, tags = describe_cell(cell, number), cell.get("outputs", []), cell.metadata.get("tags", [])
        errors = [output for output in outputs if output.get("output_type") == "error"]
        status = (cell.metadata.get("papermill") or {}).get("status", "completed")
        if errors:
            problems.append(f"{where} raised {errors[0].get('ename')}: {errors[0].get('evalue')}")
        elif cell.get("execution_count") is None or status != "completed":
            problems.append(f"{where} never ran (the run stopped early; status {excerpt(status)})")
        elif number and position > start and not outputs and ALLOW_EMPTY_TAG not in tags and _shows_something(cell.source):
            problems.append(f"{where} produced no output (tag it {ALLOW_EMPTY_TAG!r} if that is expected)")
    return problems


def chart_problems(nb, source_nb=None) -> list[str]:
    """Figures drawn as HTML; fewer charts than the source notebook leads to expect."""
    problems = []
    for number, cell in numbered_code_cells(nb):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            markup = data.get("text/html", "")
            markup = "".join(markup) if isinstance(markup, list) else markup
            if PLOTLY_MIMETYPE not in data and _PLOTLY_AS_HTML.search(markup):
                problems.append(f"{describe_cell(cell, number)} shows a Plotly figure as HTML, which the page cannot draw "
                                "offline; leave plotly's default renderer (plotly_mimetype) and PLOTLY_RENDERER alone")
    if source_nb is not None:
        n_charts = count_charts(nb)
        expected = (source_nb.metadata.get("parley") or {}).get("min_charts")
        if expected is None:
            expected = 1 if count_charts(source_nb) else 0
        if n_charts < int(expected):
            problems.append(f"the run drew {n_charts} chart(s) where at least {expected} were expected")
    return problems


def page_problems(page: str, n_charts: int) -> list[str]:
    """A page missing charts, their script, or its end."""
    problems = []
    divs = page.count('<div class="parley-plot"')
    blocks = page.count('class="parley-figure"')
    if divs != n_charts or blocks != n_charts:
        problems.append(f"the notebook made {n_charts} chart(s) but the page holds {divs} chart div(s) and {blocks} figure block(s)")
    if n_charts and "Plotly.newPlot" not in page:
        problems.append("the page has charts but not the script that draws them")
    if not page.rstrip().endswith("</html>"):
        problems.append("the page is truncated (it does not end with </html>)")
    return problems


def require_whole(problems: list[str], what: str) -> None:
    """Raise :class:`IncompleteBriefing` listing every problem, if there is any."""
    if problems:
        raise IncompleteBriefing(f"{what} is not whole: " + "; ".join(problems))


def check_whole(ipynb: str | os.PathLike[str], html: str | os.PathLike[str]) -> int:
    """Check an executed notebook and its page on disk are whole; return the number of charts.

    Raises
    ------
    IncompleteBriefing
        Listing every problem found.
    """
    import nbformat

    nb = nbformat.read(Path(ipynb), as_version=4)
    page = Path(html).read_text(encoding="utf-8")
    n_charts = count_charts(nb)
    require_whole(cell_problems(nb) + chart_problems(nb) + page_problems(page, n_charts), Path(html).name)
    return n_charts


def _shows_something(source: str) -> bool:
    """True when a cell's last statement is an expression whose value Jupyter displays."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics and the like: cannot tell
        return False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    code_lines = [line.split("#", 1)[0].rstrip() for line in source.rstrip().splitlines()]
    code_lines = [line for line in code_lines if line]
    return not (code_lines and code_lines[-1].endswith(";"))
