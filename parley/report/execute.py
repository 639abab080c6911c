"""Execute a notebook with papermill, in the notebook's folder, on a kernel of this environment.

On a cell error papermill writes the record up to that cell; a kernel that died, timed out or
never started may leave nothing, so a stub record is written instead: a failed run always
leaves ``<name>.failed.ipynb`` to diagnose.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import nbformat

from parley.errors import RenderError, excerpt
from parley.report.whole import describe_cell, numbered_code_cells

DEFAULT_KERNEL = "python3"
#: Environment variable holding the longest a cell may run, in seconds ("0": no limit). A page whose
#: cell runs longer fails (its record kept) instead of hanging its batch; the kernel is stopped.
CELL_TIMEOUT_VARIABLE = "PARLEY_CELL_TIMEOUT"
#: The limit when the variable is not set: far above any shipped cell (a million statements' slowest
#: cell takes seconds), well below a schedule's interval.
DEFAULT_CELL_TIMEOUT = 600


#: The error name a cell stopped at the time limit shows in the run record.
TIMED_OUT = "CellTimeoutError"


def cell_timeout() -> int | None:
    """The cell time limit in seconds from :data:`CELL_TIMEOUT_VARIABLE` (``None``: no limit).

    Raises ParameterError for a value that is not a whole number of seconds, 0 or more."""
    from parley.errors import ParameterError

    text = os.environ.get(CELL_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_CELL_TIMEOUT
    try:
        seconds = int(text)
    except ValueError:
        seconds = -1
    if seconds < 0:
        raise ParameterError(f"{CELL_TIMEOUT_VARIABLE}={excerpt(text)}: not a number of seconds; use a whole number, 0 for no limit "
                             f"(default {DEFAULT_CELL_TIMEOUT})")
    return seconds or None


def check_kernel(kernel: str) -> None:
    """Refuse a ``python3`` kernelspec that would run another Python than this environment's."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise RenderError(f"no Jupyter kernel {excerpt(kernel)}; run `make setup` (it installs one into .venv)") from None
    program = spec.argv[0] if spec.argv else ""
    if program in {"python", f"python{sys.version_info[0]}", "python%d.%d" % sys.version_info[:2]}:
        return  # jupyter_client runs sys.executable for these
    if Path(program).absolute().parent != Path(sys.executable).absolute().parent:
        raise RenderError(
            f"kernel {excerpt(kernel)} ({spec.resource_dir}) runs {program}, not this environment's {sys.executable}; "
            "run `make setup` to install the environment's kernel, or pass a kernel name explicitly"
        )


def execute(source_path: Path, running_path: Path, failed_path: Path, parameters: dict, kernel: str, progress: bool, warm=None):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    limit = cell_timeout()
    started = time.monotonic()
    try:
        if warm is not None:  # a parley.report.warm.WarmKernel, reset to its snapshot for this page
            warm.prepare(source_path.parent, notebook=source_path)
        return papermill.execute_notebook(
            str(source_path),
            str(running_path),
            parameters=parameters,
            kernel_name=kernel,
            cwd=str(source_path.parent),
            progress_bar=progress,
            log_output=False,
            # papermill would otherwise re-serialise (deep copy, validate, JSON-encode) the whole
            # notebook at every cell start and end: ~2 s on the seed briefing, quadratic in its size.
            # It still writes the record once at the end, and before raising on a cell error.
            request_save_on_cell_execute=False,
            # a cell past the limit is interrupted and fails as an error cell: the record shows which
            execution_timeout=limit, interrupt_on_timeout=True,
            error_on_timeout={"ename": TIMED_OUT, "evalue": f"it ran longer than the cell time limit of {limit} s ({CELL_TIMEOUT_VARIABLE}; "
                                                            "0 for no limit) and was interrupted", "traceback": []},
            **({"km": warm.manager} if warm is not None else {}),
        )
    except PapermillExecutionError as exc:
        where = _failed_cell(running_path, exc.exec_count)
        _keep(running_path, failed_path)
        # the interrupt's own KeyboardInterrupt may be what the cell shows
        if limit and exc.ename in (TIMED_OUT, "KeyboardInterrupt") and time.monotonic() - started >= limit:
            if warm is not None:  # it may still be busy: the next page gets a new kernel
                warm.shutdown()
            raise RenderError(
                f"{source_path.name}: {where} ran longer than the cell time limit of {limit} s ({CELL_TIMEOUT_VARIABLE}; 0 for no limit) "
                f"and was interrupted; nothing was published; the run record is kept at {failed_path}"
            ) from None
        raise RenderError(
            f"{source_path.name}: {where} raised {exc.ename}: {exc.evalue}; nothing was published; "
            f"the run record is kept at {failed_path}"
        ) from None
    except Exception as exc:  # kernel died, timed out, would not start
        _keep(running_path, failed_path)
        if not failed_path.exists():
            _write_stub_record(source_path, failed_path, parameters, exc)
        kept = f"the run record is kept at {failed_path}" if failed_path.exists() else "no run record was written"
        raise RenderError(f"{source_path.name}: execution failed ({type(exc).__name__}: {exc}); nothing was published; {kept}") from exc
    finally:
        if warm is not None:
            warm.page_ran()


def _write_stub_record(source_path: Path, failed_path: Path, parameters: dict, exc: Exception) -> None:
    """When the kernel died before papermill wrote anything, keep the parameterised notebook with
    the error on top, so a failed run always leaves a record to diagnose."""
    try:
        import papermill

        nb = papermill.execute_notebook(str(source_path), None, parameters=parameters, prepare_only=True, progress_bar=False)
        note = nbformat.v4.new_markdown_cell(
            f"**Execution failed: {type(exc).__name__}: {exc}**\n\nThe kernel died, timed out or would not start; "
            "outputs up to that point were not recorded. The parameters this run was given are in the injected cell below."
        )
        note.id = "parley-execution-failed"
        nb.cells.insert(0, note)
        nbformat.write(nb, str(failed_path))
    except Exception:  # the record is a courtesy; the RenderError below is what matters
        return


def _failed_cell(record: Path, exec_count) -> str:
    try:
        nb = nbformat.read(record, as_version=4)
    except Exception:  # the record may be missing or partial
        return f"the cell In [{exec_count}]"
    for number, cell in numbered_code_cells(nb):
        if number and cell.get("execution_count") == exec_count:
            return describe_cell(cell, number)
    return f"the cell In [{exec_count}]"


def unique() -> str:
    """Process and thread, so parallel renders into one folder never share a temporary file."""
    return f"{os.getpid()}-{threading.get_ident()}"


def _keep(running_path: Path, failed_path: Path) -> None:
    if running_path.exists():
        os.replace(running_path, failed_path)
