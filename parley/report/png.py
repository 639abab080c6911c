"""Every chart of an executed briefing notebook as a PNG file (kaleido, headless Chromium).

kaleido 1.x drives the system's Chromium (Debian's ``/usr/bin/chromium`` is found by itself);
the first image costs about 4 s for the browser start, the next ones much less, because all
charts of a notebook go through one :func:`plotly.io.write_images` call.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import nbformat

from parley.report.whole import PLOTLY_MIMETYPE

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", flags=re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")


def slug(text: str, limit: int = 48) -> str:
    """Lowercase ASCII words joined by ``-`` (``"Who is at the table?"`` -> ``who-is-at-the-table``)."""
    words = re.findall(r"[a-z0-9]+", html.unescape(_TAG.sub(" ", text)).lower())
    out = "-".join(words)[:limit].rstrip("-")
    return out or "chart"


def chart_files(nb) -> list[tuple[str, dict]]:
    """``(file name, figure)`` for each chart in document order: ``<nn>_<slug>.png``.

    The slug comes from the figure's title, else the nearest heading above it, else the cell id.
    """
    charts = []
    heading = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = _HEADING.findall(cell.source)
            heading = found[-1] if found else heading
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            figure = output.get("data", {}).get(PLOTLY_MIMETYPE)
            if not isinstance(figure, dict):
                continue
            title = ((figure.get("layout") or {}).get("title") or {})
            title_text = title.get("text") if isinstance(title, dict) else str(title)
            name = slug(title_text or heading or cell.get("id") or "chart")
            charts.append((f"{len(charts) + 1:02d}_{name}.png", figure))
    return charts


def write_pngs(notebook: str | os.PathLike[str] | nbformat.NotebookNode, out_dir: str | os.PathLike[str], *, scale: float = 2.0) -> list[Path]:
    """Write every chart of an executed notebook as ``<out_dir>/<nn>_<slug>.png``.

    Parameters
    ----------
    notebook
        An executed notebook (path or node), e.g. :attr:`parley.report.render.Rendered.ipynb`.
    out_dir
        Folder for the images; created if missing.
    scale
        Pixel density (2 gives sharp images on slides and in print).

    Returns
    -------
    list of Path
        The files written, in document order.
    """
    import plotly.io as pio

    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(Path(notebook), as_version=4)
    charts = chart_files(nb)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / name for name, _ in charts]
    if charts:
        pio.write_images([figure for _, figure in charts], files, format="png", scale=scale)
    return files
