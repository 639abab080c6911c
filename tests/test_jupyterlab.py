"""JupyterLab, the real client: the briefing notebook runs cell by cell in Lab and draws every chart.

nbval and papermill prove the notebook executes; only JupyterLab proves an analyst who opens it
sees it work. This test starts JupyterLab on a loopback port with every Jupyter and Chromium folder
in a temp dir, opens a stripped copy of ``notebooks/briefing.ipynb`` served from a folder outside
the project (the notebook must find its data from any working directory), runs all cells through
the menu, and checks what Lab drew: no error output, and as many Plotly charts as the committed
notebook holds. A screenshot lands in ``test-output/jupyterlab-briefing.png`` (git-ignored).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "briefing.ipynb"
OUTPUT_DIR = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Section functions of parley.briefing that return a Plotly figure (fallback count for an unexecuted notebook).
CHART_CALL_SUFFIXES = ("_chart(", "stance_heatmap(", "quote_board(")
#: Plotly outputs in which plotly.js drew its SVG (the mime renderer div is itself the .js-plotly-plot).
DRAWN_CHARTS_JS = "[...document.querySelectorAll('.jp-RenderedPlotly')].filter(p => p.querySelector('.main-svg')).length"
TOKEN = "parley-test-token"
SERVER_START_TIMEOUT = 90  # s; Lab's first start builds nothing but reads every extension
RUN_ALL_TIMEOUT = 240  # s; kernel start + imports + every section, on a shared 2-core machine

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")


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


def write_lab_settings(settings_dir: Path) -> None:
    """User settings for this run: every cell in the DOM (no windowing), the notebook's own kernel started
    without the "Select Kernel" dialog (what an analyst gets by ticking "Always start the preferred
    kernel" once), no news or update checks."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none", "autoStartDefaultKernel": True},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    }
    for name, values in settings.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def wait_until_ready(process: subprocess.Popen, runtime_dir: Path, log: Path, timeout: float) -> str:
    """Wait for the server to answer; return its base URL.

    The server binds a port of its own choosing (``--port=0``: no race with other processes for a
    "free" port) and records it in ``jpserver-<pid>.json`` in its runtime folder.
    """
    deadline = time.monotonic() + timeout
    info = runtime_dir / f"jpserver-{process.pid}.json"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with {process.returncode} before it answered:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            base_url = json.loads(info.read_text(encoding="utf-8"))["url"].rstrip("/")
            with urllib.request.urlopen(f"{base_url}/api/status?token={TOKEN}", timeout=2) as response:
                if response.status == 200:
                    return base_url
        except (OSError, ValueError, KeyError, http.client.HTTPException):
            pass  # not written yet, half written, or not listening yet
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def lab_server(tmp_path: Path):
    """JupyterLab serving a temp folder that holds a stripped copy of the briefing notebook.

    Yields ``(base_url, served_notebook_path)``. Every folder Jupyter writes to is under ``tmp_path``;
    the kernelspec and Lab's extensions stay findable in the venv prefix (``sys.prefix/share/jupyter``).
    """
    serve_dir, home = tmp_path / "serve", tmp_path / "home"
    for folder in (serve_dir, home):
        folder.mkdir()
    stripped_copy(NOTEBOOK, serve_dir / NOTEBOOK.name)
    write_lab_settings(tmp_path / "lab-settings")
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("PARLEY_DATA_DIR", "PARLEY_REPORTS_DIR", "JUPYTER_PATH"):
        env.pop(name, None)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", "--port=0",
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={serve_dir}", "--ServerApp.open_browser=False",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "jupyterlab.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=serve_dir, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base_url = wait_until_ready(process, tmp_path / "jupyter-runtime", log, SERVER_START_TIMEOUT)
        assert base_url.startswith("http://127.0.0.1:"), f"the server should listen on loopback only, not {base_url}"
        yield base_url, serve_dir / NOTEBOOK.name
    finally:
        _stop(process)


def start_kernel(page, base_url: str, notebook_name: str, timeout: float) -> None:
    """Wait until the server holds a session for the notebook whose kernel is idle.

    Lab may still ask "Select Kernel" (the setting that skips it can load after the notebook opens);
    then the test does what an analyst does: accept the preferred kernel the dialog offers.
    """
    deadline = time.monotonic() + timeout
    sessions: list = []
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base_url}/api/sessions?token={TOKEN}", timeout=5) as response:
            sessions = json.load(response)
        if any(s.get("path") == notebook_name and (s.get("kernel") or {}).get("execution_state") == "idle" for s in sessions):
            return
        dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
        if dialog.count():
            dialog.locator(".jp-mod-accept").click()
        page.wait_for_timeout(500)
    pytest.fail(f"no idle kernel for {notebook_name} within {timeout} s; sessions: {sessions}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and its kernels (its whole process group): TERM, then KILL after 10 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


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
    page_errors: list[str] = []
    outside_requests: list[str] = []

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000}, timeout=60_000,
        )
        try:
            context.set_default_timeout(60_000)
            # Lab must work offline: anything not served by our own server is refused and recorded.
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith((base_url, "data:", "blob:"))
                          else (outside_requests.append(route.request.url), route.abort()))
            page = context.pages[0] if context.pages else context.new_page()
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.goto(f"{base_url}/lab/tree/{notebook_name}?token={TOKEN}", wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            # The kernel is up when the server reports it idle and Lab's status bar says so too.
            start_kernel(page, base_url, notebook_name, timeout=90)
            page.wait_for_selector(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=30_000)
            assert page.locator(".jp-Dialog").count() == 0, f"unexpected dialog: {page.locator('.jp-Dialog').all_inner_texts()}"
            assert page.locator(".jp-OutputArea-output").count() == 0, "the served copy should start without outputs"

            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

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
        finally:
            context.close()

    assert not errors, "cells wrote errors or warnings in JupyterLab:\n" + "\n---\n".join(errors)[:4000]
    assert plotly_outputs == expected_charts, f"{plotly_outputs} Plotly outputs in Lab, the committed notebook has {expected_charts}"
    assert drawn == expected_charts, f"only {drawn} of {expected_charts} Plotly outputs were drawn (no .main-svg in the others)"
    assert rendered_html > 0, "no HTML table or fact list rendered: the briefing's text sections are missing"
    assert not page_errors, f"JavaScript errors in Lab: {page_errors}"
    assert not outside_requests, f"Lab tried to reach outside the local server: {outside_requests}"
    assert screenshot.stat().st_size > 10_000
