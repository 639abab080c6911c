"""parley.report.png: chart file names, and real PNGs through kaleido and Debian's Chromium."""

from __future__ import annotations

import json
import shutil

import plotly.express as px
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from parley.report.png import PLOTLY_MIMETYPE, chart_files, slug, write_pngs


def _figure(title=None) -> dict:
    return json.loads(px.bar(x=["Alpha", "Beta"], y=[2, -1], title=title).to_json())


def _notebook():
    def chart(cell_id, fig):
        cell = new_code_cell("fig", outputs=[new_output("display_data", data={PLOTLY_MIMETYPE: fig})])
        cell.id = cell_id
        return cell

    return new_notebook(
        cells=[
            new_markdown_cell("# Title\n\n## Who is at the table?"),
            chart("seat-chart", _figure("Seats: <b>who</b> sits where")),
            chart("untitled-chart", _figure()),
            new_markdown_cell("No heading here"),
            chart("third", _figure()),
        ]
    )


def test_slug():
    assert slug("Who is at the table?") == "who-is-at-the-table"
    assert slug("Stance on the talks </script> 2025-02-18") == "stance-on-the-talks-2025-02-18"
    assert slug("«»") == "chart"


def test_chart_files_are_numbered_and_named_by_title_then_heading():
    names = [name for name, _ in chart_files(_notebook())]
    assert names == ["01_seats-who-sits-where.png", "02_who-is-at-the-table.png", "03_who-is-at-the-table.png"]


@pytest.mark.browser
def test_write_pngs_draws_every_chart(tmp_path, monkeypatch):
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    files = write_pngs(_notebook(), tmp_path / "png")
    assert [f.name for f in files] == [name for name, _ in chart_files(_notebook())]
    for file in files:
        assert file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert file.stat().st_size > 5_000
