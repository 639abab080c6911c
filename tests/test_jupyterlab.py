"""JupyterLab, the real client: the briefing notebook runs cell by cell in Lab and draws every chart.

nbval and papermill prove the notebook executes; only JupyterLab proves an analyst who opens it
sees it work. This test starts JupyterLab on a loopback port with every Jupyter and Chromium folder
in a temp dir, opens a stripped copy of ``notebooks/briefing.ipynb`` served from a folder outside
the project (the notebook must find its data from any working directory), runs all cells through
the menu, and checks what Lab drew: no error output, and as many Plotly charts as the committed
notebook holds. A screenshot lands in ``test-output/jupyterlab-briefing.png`` (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from labserver import needs_chromium, open_lab_page, run_all_cells, running_lab

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "briefing.ipynb"
OUTPUT_DIR = ROOT / "test-output"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Section functions of parley.briefing that return a Plotly figure (fallback count for an unexecuted notebook).
CHART_CALL_SUFFIXES = ("_chart(", "stance_heatmap(", "quote_board(")
#: Plotly outputs in which plotly.js drew its SVG (the mime renderer div is itself the .js-plotly-plot).
DRAWN_CHARTS_JS = "[...document.querySelectorAll('.jp-RenderedPlotly')].filter(p => p.querySelector('.main-svg')).length"
RUN_ALL_TIMEOUT = 240  # s; kernel start + imports + every section, on a shared 2-core machine


def expected_chart_count(path: Path) -> int:
    """Plotly outputs stored in the committed notebook; for a notebook without outputs, the chart calls."""
    nb = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    if any(cell.get("outputs") for cell in code_cells):
        return sum(PLOTLY_MIME in output.get("data", {}) for cell in code_cells for output in cell.get("outputs", []))
    return sum(any(suffix in cell.source for suffix in CHART_CALL_SUFFIXES) for cell in code_cells)


def stripped_copy(source: Path, target: Path) -> Path:
    """Write ``source`` to ``target`` with every output and execution count removed."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(nb, target)
    return target


@pytest.fixture
def lab_server(tmp_path: Path):
    """JupyterLab serving a temp folder that holds a stripped copy of the briefing notebook.

    Yields ``(base_url, served_notebook_path)``; every folder Jupyter writes to is under ``tmp_path``.
    """
    serve_dir = tmp_path / "serve"
    serve_dir.mkdir()
    stripped_copy(NOTEBOOK, serve_dir / NOTEBOOK.name)
    with running_lab(tmp_path, serve_dir) as base_url:
        yield base_url, serve_dir / NOTEBOOK.name


def _wait(page, screenshot: Path, what: str, expression: str, **kwargs) -> None:
    """``page.wait_for_function`` that, on timeout, fails with the cell prompts and a screenshot of the state."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(expression, **kwargs)
    except PlaywrightTimeout:
        page.screenshot(path=str(screenshot))
        state = page.evaluate("""() => ({
            prompts: [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim()),
            kernel: document.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status'),
            dialogs: [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText.slice(0, 300)),
            plotly: document.querySelectorAll('.jp-RenderedPlotly').length,
            drawn: document.querySelectorAll('.jp-RenderedPlotly .main-svg').length,
        })""")
        pytest.fail(f"timed out waiting for {what}; Lab state: {state}; screenshot: {screenshot}")


def test_expected_chart_count_reads_outputs_or_calls(tmp_path: Path) -> None:
    """The expected count follows stored outputs when there are any, and the chart calls otherwise."""
    nb = nbformat.v4.new_notebook()
    chart = nbformat.v4.new_code_cell("pb.seat_chart(briefing)")
    table = nbformat.v4.new_code_cell("pb.stance_table(briefing)")
    nb.cells = [chart, table, nbformat.v4.new_code_cell("pb.quote_board(briefing)")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert expected_chart_count(path) == 2
    chart.outputs = [nbformat.v4.new_output("display_data", data={PLOTLY_MIME: {"data": [], "layout": {}}})]
    nbformat.write(nb, path)
    assert expected_chart_count(path) == 1  # outputs win: the unexecuted quote_board cell draws nothing


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_briefing_runs_in_jupyterlab(lab_server, tmp_path: Path) -> None:
    """Run all cells of the briefing in JupyterLab: no error, every chart drawn, a screenshot to look at."""
    from playwright.sync_api import sync_playwright

    base_url, served = lab_server
    notebook_name = served.name
    expected_charts = expected_chart_count(NOTEBOOK)
    assert expected_charts > 0, "the briefing notebook should draw at least one chart"
    code_cells = sum(cell.cell_type == "code" for cell in nbformat.read(served, as_version=4).cells)
    OUTPUT_DIR.mkdir(exist_ok=True)
    screenshot = OUTPUT_DIR / "jupyterlab-briefing.png"
    with sync_playwright() as playwright, open_lab_page(playwright, base_url, tmp_path / "chromium-profile", notebook_name,
                                                        {"width": 1400, "height": 1000}) as lab:
        page = lab.page
        # The kernel is up when the server reports it idle (open_lab_page waited) and Lab's status bar says so too.
        page.wait_for_selector(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=30_000)
        assert page.locator(".jp-Dialog").count() == 0, f"unexpected dialog: {page.locator('.jp-Dialog').all_inner_texts()}"
        assert page.locator(".jp-OutputArea-output").count() == 0, "the served copy should start without outputs"

        run_all_cells(page)

        # Done when the kernel is idle and every code cell has an execution number (none left at [*] or blank),
        # or a cell failed (Run All stops there).
        _wait(page, screenshot, "every code cell to run",
            """(n) => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
                const numbered = prompts.filter(p => /^\\[\\d+\\]:$/.test(p)).length;
                const idle = document.querySelector(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']");
                const failed = document.querySelector(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']");
                return idle !== null && (failed !== null || (prompts.length === n && numbered === n));
            }""",
            arg=code_cells, timeout=RUN_ALL_TIMEOUT * 1000, polling=500,
        )
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
        if not errors:
            # Charts draw asynchronously after their output arrives: wait until each Plotly output has its SVG.
            _wait(page, screenshot, "every chart to draw",
                  f"() => {{ const all = document.querySelectorAll('.jp-RenderedPlotly').length; return all > 0 && ({DRAWN_CHARTS_JS}) === all; }}",
                  timeout=60_000, polling=500)
            page.wait_for_timeout(500)  # let the last chart finish its layout before the picture

        plotly_outputs = page.locator(".jp-RenderedPlotly").count()
        drawn = page.evaluate(DRAWN_CHARTS_JS)
        rendered_html = page.locator(".jp-RenderedHTMLCommon table, .jp-RenderedHTMLCommon dl").count()
        if plotly_outputs:
            page.locator(".jp-RenderedPlotly").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot))

    assert not errors, "cells wrote errors or warnings in JupyterLab:\n" + "\n---\n".join(errors)[:4000]
    assert plotly_outputs == expected_charts, f"{plotly_outputs} Plotly outputs in Lab, the committed notebook has {expected_charts}"
    assert drawn == expected_charts, f"only {drawn} of {expected_charts} Plotly outputs were drawn (no .main-svg in the others)"
    assert rendered_html > 0, "no HTML table or fact list rendered: the briefing's text sections are missing"
    assert not lab.page_errors, f"JavaScript errors in Lab: {lab.page_errors}"
    assert not lab.outside_requests, f"Lab tried to reach outside the local server: {lab.outside_requests}"
    assert screenshot.stat().st_size > 10_000
