"""Jupyter, JupyterLab and headless Chromium for the tests that run the real thing (shared, not a test module).

``jupyter_env`` keeps every folder Jupyter and IPython write to under one temp folder (for any
subprocess that may start a kernel); ``running_lab`` starts JupyterLab on a loopback port over a
served folder and stops it and its kernels whatever happens; ``open_lab_page`` opens Chromium on it
with every request that leaves the local server refused and recorded, and every page error collected.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "parley-test-token"
SERVER_START_TIMEOUT = 90  # s; Lab's first start builds nothing but reads every extension

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")


def jupyter_env(folder: Path, **extra: str) -> dict[str, str]:
    """This process's environment with ``HOME`` and every Jupyter and IPython folder under ``folder``.

    ``PARLEY_*`` and ``JUPYTER_PATH`` are dropped (the child finds the project and the venv's kernel
    itself); ``extra`` is added last.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("PARLEY_") and name != "JUPYTER_PATH"}
    env.update({
        "HOME": str(folder / "home"),
        "JUPYTER_CONFIG_DIR": str(folder / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(folder / "jupyter-runtime"),
        "JUPYTER_DATA_DIR": str(folder / "jupyter-data"),
        "JUPYTERLAB_SETTINGS_DIR": str(folder / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(folder / "lab-workspaces"),
        "IPYTHONDIR": str(folder / "ipython"),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update(extra)
    return env


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


def stop(process: subprocess.Popen) -> None:
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


@contextmanager
def running_lab(tmp_path: Path, serve_dir: Path) -> Iterator[str]:
    """JupyterLab serving ``serve_dir``, every folder it writes to under ``tmp_path``; yields its base URL.

    The kernelspec and Lab's extensions stay findable in the venv prefix (``sys.prefix/share/jupyter``);
    the server log is ``tmp_path/jupyterlab.log``. The server and its kernels are stopped on leaving.
    """
    (tmp_path / "home").mkdir(exist_ok=True)
    write_lab_settings(tmp_path / "lab-settings")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", "--port=0",
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={serve_dir}", "--ServerApp.open_browser=False",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "jupyterlab.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=serve_dir, env=jupyter_env(tmp_path), stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base_url = wait_until_ready(process, tmp_path / "jupyter-runtime", log, SERVER_START_TIMEOUT)
        assert base_url.startswith("http://127.0.0.1:"), f"the server should listen on loopback only, not {base_url}"
        yield base_url
    finally:
        stop(process)


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


@dataclass
class LabPage:
    """A Chromium page on the local Lab server: what it tried to reach outside it and its JavaScript errors."""

    page: object
    outside_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@contextmanager
def open_lab_page(playwright, base_url: str, profile: Path, notebook_name: str, viewport: dict[str, int]) -> Iterator[LabPage]:
    """Headless Chromium on ``notebook_name`` in Lab, its kernel idle; closed on leaving.

    Lab must work offline: anything not served by the local server is refused and recorded.
    """
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, viewport=viewport, timeout=60_000)
    try:
        context.set_default_timeout(60_000)
        page = context.pages[0] if context.pages else context.new_page()
        lab = LabPage(page)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith((base_url, "data:", "blob:"))
                      else (lab.outside_requests.append(route.request.url), route.abort()))
        page.on("pageerror", lambda error: lab.page_errors.append(str(error)))
        page.goto(f"{base_url}/lab/tree/{notebook_name}?token={TOKEN}", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        start_kernel(page, base_url, notebook_name, timeout=90)
        yield lab
    finally:
        context.close()


def run_all_cells(page) -> None:
    """Run all cells through Lab's menu, as an analyst does."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
