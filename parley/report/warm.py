"""A kernel kept warm across pages: start-up and imports paid once per worker, not once per page.

:class:`WarmKernel` starts one Jupyter kernel, imports what every briefing notebook imports
(pandas, plotly, networkx, parley and what they pull in) and takes a snapshot of the kernel's
state, Parley's own modules not counted in it. Before each page, :meth:`WarmKernel.prepare` puts the
kernel back to that snapshot, so nothing of the previous page is left:

- the user namespace, IPython's history and output cache, the execution counter (back to 1);
- every module imported since the snapshot, Parley's own among them (so each page imports a
  fresh ``parley``: no module state, no ``lru_cache`` of the last page), and any module from
  outside the environment (a page's own helpers). Only the kernel's first page, when its code
  starts by importing ``parley.briefing`` (:func:`imports_preload_first`) in the folder the kernel
  started in, finds Parley's modules as the snapshot imported them: nothing ran since, so they
  are what its own import would give, and the batch's first page does not import Parley twice;
- the working directory (the page's notebook folder, as papermill's ``cwd``), ``os.environ``,
  ``sys.path``, Plotly's default template and renderer and its template registry, as a fresh
  kernel has them (taken before Parley's imports select its template), and the warning filters
  as a fresh kernel has them once it imported numpy and plotly (which add theirs then; they were
  taken before, so every page after a kernel's first ran without those five filters).

The snapshot is frozen for the garbage collector (``gc.freeze``): what every page starts from
lives as long as the kernel, so no collection of a page walks it again. A worker may start the
kernel early (:meth:`WarmKernel.begin`) and send it its snapshot before the first page
(:meth:`WarmKernel.snapshot_soon`), so both run while the worker does its own work.

Not reset: state a page sets inside an installed third-party module other than Plotly's
templates and renderer (``pandas.set_option``, say); no shipped notebook sets any.

papermill runs the page on it through its own support for an existing kernel manager
(``papermill.execute_notebook(..., km=...)``, passed to nbclient's ``NotebookClient``); the
executed notebook and the page are the same as from a fresh kernel (``tests/editions/test_warm.py``
renders the whole shipped spec both ways). A kernel that died or would not reset is replaced by
a new one before the next page (:meth:`ensure`), so a page that crashes its kernel costs only
that page.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

#: What the kernel imports once; a notebook's own imports then find these loaded.
PRELOAD = ("parley.briefing", "parley.report.view", "parley.report.display", "parley.analysis", "parley.figures")

_SNAPSHOT = r"""
import importlib, os, sys, types, warnings
import plotly.io as _pio
_warm = types.ModuleType("_parley_warm")
# the state a fresh kernel has, taken before Parley's imports change any of it (parley.figures
# registers and selects its Plotly template when imported)
_warm.environ = dict(os.environ)
_warm.path = list(sys.path)
_warm.templates = {{name: _pio.templates[name] for name in _pio.templates}}
_warm.template = _pio.templates.default
_warm.renderer = _pio.renderers.default
for _name in {preload!r}:
    importlib.import_module(_name)
# The warning filters after those imports: numpy and plotly add theirs when imported and are not
# imported again by a page (Parley adds none; a filter added again replaces itself, never doubles).
_warm.filters = list(warnings.filters)
# The state right after those imports, for a first page that starts by importing parley.briefing:
# Parley's modules stay loaded for it (nothing ran yet), every later page imports them afresh.
_warm.first = (dict(os.environ), list(sys.path), list(warnings.filters), {{name: _pio.templates[name] for name in _pio.templates}},
               _pio.templates.default, _pio.renderers.default)
_warm.modules = frozenset(m for m in sys.modules if m != "parley" and not m.startswith("parley."))
_roots = tuple(os.path.realpath(p) + os.sep for p in {{sys.prefix, sys.base_prefix, sys.exec_prefix}})
_warm.installed = lambda module, roots=_roots, os=os, sys=sys: os.path.realpath(getattr(module, "__file__", None) or sys.prefix).startswith(roots) or getattr(module, "__file__", None) is None
sys.modules["_parley_warm"] = _warm
get_ipython().reset(new_session=True)
import gc
gc.collect()
gc.freeze()  # what every page starts from lives as long as the kernel: no collection walks it again
"""

_RESET = r"""
import os as _os, sys as _sys, warnings as _warnings
_warm = _sys.modules["_parley_warm"]
_first = {pristine!r} and _warm.first is not None  # the snapshot's first page, and it starts by importing parley.briefing
_state = _warm.first if _first else (_warm.environ, _warm.path, _warm.filters, _warm.templates, _warm.template, _warm.renderer)
_warm.first = None  # once only: what a page ran may have changed Parley's modules
for _name, _module in list(_sys.modules.items()):  # Parley's (but on that first page), and any other code outside the environment
    _parley = _name == "parley" or _name.startswith("parley.")
    if _name not in _warm.modules and (not _first or not _parley) and (_parley or not _warm.installed(_module)):
        del _sys.modules[_name]
_os.environ.clear()
_os.environ.update(_state[0])
_os.environ.update({environ!r})
_sys.path[:] = _state[1]
_warnings.filters[:] = _state[2]
_warnings._filters_mutated()
import plotly.io as _pio
for _name in [n for n in _pio.templates if n not in _state[3]]:
    del _pio.templates[_name]
for _name, _template in _state[3].items():
    _pio.templates[_name] = _template
_pio.templates.default = _state[4]
_pio.renderers.default = _state[5]
del _first, _state
_os.chdir({cwd!r})
get_ipython().reset(new_session=True)
"""


class KernelNotReady(RuntimeError):
    """The warm kernel did not start or did not reset; the page should get a fresh one."""


class WarmKernel:
    """One kernel reused page after page by a worker, reset to a clean snapshot before each.

    Use as a context manager (the kernel is shut down on exit); call :meth:`prepare` before each
    page and pass :attr:`manager` to ``papermill.execute_notebook(km=...)``.
    """

    def __init__(self, kernel_name: str = "python3", *, startup_timeout: float = 60.0):
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.manager = None
        self._new_client = None
        self._clients: list = []
        self._starting = None  # a kernel begun (:meth:`begin`) that has not answered yet
        self._snapshot = None  # the snapshot sent to the kernel, (client, message id), not yet done
        self._not_started: KernelNotReady | None = None  # why the kernel begun early did not start
        #: Called once, the first time a kernel is live and snapshotted, and once when the first
        #: page's cells have run on it (a batch worker tells its runner, which starts the next worker
        #: by them: :class:`parley.editions.warm.WarmWorkers`).
        self.on_ready = None
        self.on_page_ran = None
        self.pages = 0  # pages prepared on the current kernel
        self._kernel_cwd: Path | None = None  # the folder the current kernel started in (and took its snapshot in)
        self.starts = 0  # kernels started

    def __enter__(self) -> "WarmKernel":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    # -- life cycle -------------------------------------------------------------------------------

    def begin(self, cwd: str | os.PathLike[str]) -> None:
        """Start a kernel in folder ``cwd`` and return while it starts up (the caller does its own
        imports meanwhile); :meth:`snapshot_soon` or the next :meth:`ensure` carries on."""
        if self.manager is None and self._starting is None:
            try:
                self._starting = self._launch(Path(cwd))
            except Exception as exc:  # no such kernel, cannot run it: the first page says so
                self._not_started = KernelNotReady(f"the warm kernel did not start: {type(exc).__name__}: {exc}")

    def snapshot_soon(self) -> None:
        """Wait for the kernel :meth:`begin` started to answer, send it the snapshot and return
        while it runs (the worker reads its first job meanwhile); the next :meth:`ensure` waits
        for it. A kernel that does not answer is stopped, and the next :meth:`ensure` raises why,
        so the first page's attempt fails as a kernel that never started (and is retried once)."""
        if self._starting is None:
            return
        manager, self._starting = self._starting, None
        try:
            self._connect(manager)
            self._snapshot = self._send(_SNAPSHOT.format(preload=PRELOAD))
        except KernelNotReady as exc:
            self.shutdown()
            self._not_started = exc

    def warming(self) -> bool:
        """Begun and not yet answered or snapshotted: the first page would wait for it."""
        return self._starting is not None or self._snapshot is not None

    def ensure(self, cwd: str | os.PathLike[str]) -> None:
        """A live, snapshotted kernel: the one begun, the current one, or a new one if it died."""
        if self._not_started is not None:
            failure, self._not_started = self._not_started, None
            raise failure
        try:
            self.snapshot_soon()
            if self._snapshot is not None:
                pending, self._snapshot = self._snapshot, None
                self._wait(*pending)
        except KernelNotReady:
            self.shutdown()
            raise
        if self.manager is None or not self.manager.is_alive():
            self.shutdown()
            self._start(Path(cwd))
        if self.on_ready is not None:
            ready, self.on_ready = self.on_ready, None
            ready()

    def prepare(self, cwd: str | os.PathLike[str], environ: dict[str, str] | None = None,
                notebook: str | os.PathLike[str] | None = None) -> None:
        """Reset the kernel to its snapshot for the next page, run in folder ``cwd``.

        ``notebook``: the page's source notebook. The first page of a kernel, run in the folder the
        kernel started in and with no ``environ`` of its own, finds Parley's modules as the
        snapshot imported them (nothing ran since: they are what its own first import would give)
        when its code, before it imports ``parley.briefing`` (what the snapshot imports), only
        assigns literals (:func:`imports_preload_first`); any other page imports Parley afresh."""
        self.ensure(cwd)
        self._stop_page_clients()
        folder = Path(cwd).resolve()

        def reset() -> str:
            pristine = (self.pages == 0 and not environ and folder == self._kernel_cwd
                        and notebook is not None and imports_preload_first(notebook))
            return _RESET.format(cwd=str(folder), environ=dict(environ or {}), pristine=pristine)

        try:
            self._run(reset())
        except KernelNotReady:
            self.shutdown()
            self._start(Path(cwd))
            self._run(reset())
        self.pages += 1

    def page_ran(self) -> None:
        """A page's cells have run (or stopped at an error): call :attr:`on_page_ran`, once."""
        if self.on_page_ran is not None:
            ran, self.on_page_ran = self.on_page_ran, None
            ran()

    def shutdown(self) -> None:
        """Stop the kernel (and one still starting) and every client of it."""
        self._stop_page_clients()
        if self._snapshot is not None:
            self._snapshot[0].stop_channels()
            self._snapshot = None
        for manager in (self.manager, self._starting):
            if manager is None:
                continue
            try:
                manager.shutdown_kernel(now=True)
            except Exception:
                pass
            try:
                manager.cleanup_resources()
            except Exception:
                pass
        self.manager = self._starting = None

    @property
    def pid(self) -> int | None:
        """The kernel process id (for tests and the log)."""
        provisioner = getattr(self.manager, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)

    # -- inside ---------------------------------------------------------------------------------

    def _start(self, cwd: Path) -> None:
        """Start a kernel and take its snapshot, waiting for both."""
        self._connect(self._launch(cwd))
        self._wait(*self._send(_SNAPSHOT.format(preload=PRELOAD)))

    def _launch(self, cwd: Path):
        from jupyter_client.manager import KernelManager

        manager = KernelManager(kernel_name=self.kernel_name)
        self._kernel_cwd = Path(cwd).resolve()
        # As nbclient starts its own kernels: no history file, in the page's folder.
        # Its own output (ipykernel's warnings) goes to the worker's stderr, which is the current page's log.
        manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=str(cwd),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        _relay(getattr(getattr(manager.provisioner, "process", None), "stdout", None))
        return manager

    def _connect(self, manager) -> None:
        """Wait until the kernel ``manager`` started answers; make it the current kernel."""
        self._new_client = manager.client
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=self.startup_timeout)
        except RuntimeError as exc:
            manager.shutdown_kernel(now=True)
            raise KernelNotReady(f"the warm kernel did not start: {exc}") from exc
        finally:
            client.stop_channels()
        self.manager = manager

        def tracked_client(**kwargs: Any):  # papermill's client per page: stopped before the next page
            # An asynchronous client, as nbclient makes for the kernels it starts: with a blocking one
            # nbclient's wait for output blocks its event loop, so it never sees a kernel that died.
            from jupyter_client.asynchronous import AsyncKernelClient

            settings = {**manager.get_connection_info(session=True), "connection_file": manager.connection_file,
                        "parent": manager, **kwargs}
            page_client = AsyncKernelClient(**settings)
            self._clients.append(page_client)
            return page_client

        manager.client = tracked_client
        self.starts += 1
        self.pages = 0

    def _run(self, code: str) -> None:
        """Run ``code`` silently (no output, no execution count) on a client of its own; raise when it fails."""
        self._wait(*self._send(code))

    def _send(self, code: str) -> tuple:
        """Send ``code`` to run silently on a client of its own; return the client and the message id."""
        if self.manager is None:
            raise KernelNotReady("no kernel")
        client = self._new_client()
        client.start_channels()
        return client, client.execute(code, silent=True, store_history=False, allow_stdin=False, stop_on_error=True)

    def _wait(self, client, msg_id: str) -> None:
        """Wait for the reply to ``msg_id`` on ``client`` (then stopped); raise when the code failed."""
        from queue import Empty

        try:
            while True:
                reply = client.get_shell_msg(timeout=self.startup_timeout)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        except Empty:
            raise KernelNotReady("the warm kernel did not answer its reset") from None
        finally:
            client.stop_channels()
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelNotReady(f"the warm kernel's reset failed: {content.get('ename')}: {content.get('evalue')}")

    def _stop_page_clients(self) -> None:
        for client in self._clients:
            try:
                client.stop_channels()
            except Exception:
                pass
        self._clients.clear()


#: The module the snapshot's imports stand for: importing it imports every one of :data:`PRELOAD`.
PRELOAD_ROOT = "parley.briefing"


def imports_preload_first(notebook: str | os.PathLike[str]) -> bool:
    """Whether the notebook's code, up to its ``import parley.briefing``, does nothing else than
    assign literals to names (its parameters; papermill's injected ones are literals too): then a
    kernel that has just imported :data:`PRELOAD` is in the state that import leaves a fresh kernel in.
    Anything else (code that cannot be parsed, a magic, another import or call first) is ``False``."""
    import ast

    import nbformat

    try:
        cells = nbformat.read(str(notebook), as_version=4).cells
    except Exception:
        return False
    for cell in cells:
        if cell.cell_type != "code":
            continue
        try:
            body = ast.parse(cell.source).body
        except SyntaxError:
            return False
        for node in body:
            if isinstance(node, ast.Import) and [(a.name, a.asname) for a in node.names] in ([(PRELOAD_ROOT, None)], [(PRELOAD_ROOT, "pb")]):
                return True
            if not _assigns_literal(node):
                return False
    return False


def _assigns_literal(node) -> bool:
    import ast

    if isinstance(node, ast.Assign):
        targets, value = node.targets, node.value
    elif isinstance(node, ast.AnnAssign):  # ``name: str = "..."``: the annotation is evaluated too
        if not isinstance(node.annotation, ast.Name) or node.annotation.id not in ("str", "int", "float", "bool"):
            return False
        targets, value = [node.target], node.value
    else:
        return False
    if value is None or not all(isinstance(target, ast.Name) for target in targets):
        return False
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _relay(pipe) -> None:
    """Copy the kernel's own output to this process's stderr (fd 2) as it comes, on a daemon thread."""
    import threading

    if pipe is None:  # a provisioner that keeps no pipe
        return

    def copy() -> None:
        for chunk in iter(lambda: os.read(pipe.fileno(), 65536), b""):
            try:
                os.write(2, chunk)
            except OSError:
                return

    threading.Thread(target=copy, daemon=True, name="parley-kernel-output").start()


def describe(kernel: WarmKernel | None) -> str:
    """One line for a worker's log."""
    if kernel is None:
        return "fresh kernel per page"
    return json.dumps({"kernel_pid": kernel.pid, "kernels_started": kernel.starts, "pages_on_this_kernel": kernel.pages})
