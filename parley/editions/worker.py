"""One briefing rendered into its staging folder: the worker process of a batch (or, in-process,
an Airflow task).

The batch writes a :class:`WorkerJob` as ``job.json`` into the staging folder and starts
``python -m parley.editions.worker --worker <stage>/job.json``; the worker renders with
:func:`parley.report.render.render_briefing` into ``<stage>/out/``, records what the briefing
showed (its stance matrix, :mod:`parley.data.positions`, and its edition, :mod:`parley.data.edition`,
with the what-changed headline against its baseline), prints the PDF edition when the
spec asks (``pdf:``), and writes a :class:`WorkerResult` as
``result.json``. A kernel that never started (the ZMQ port race of parallel kernels,
papermill #511) is retried once. The worker dies with its parent (Linux parent-death signal)
and stops its kernel on SIGTERM.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path

from parley import paths
from parley.editions.records import now
from parley.errors import ParleyError, RenderError
from parley.fileio import write_atomic

JOB_FILE = "job.json"
RESULT_FILE = "result.json"
LOG_FILE = "worker.log"


class Rendering(StrEnum):
    """How a worker's render ended."""

    RENDERED = "rendered"
    FAILED = "failed"


@dataclass(frozen=True)
class WorkerJob:
    """What a worker renders: ``dossier`` and ``as_of`` are ``None`` when the notebook does not
    declare them; ``dossier_ref`` and ``view_as_of`` are the view whatever it declares;
    ``version`` is the dataset version the batch saw; ``pdf`` the paper of the PDF edition to
    print beside the page (``"a4"``, ``"letter"``), empty for none."""

    name: str
    notebook: str
    dossier: str | None
    dossier_ref: str
    as_of: str | None
    view_as_of: str
    parameters: dict
    version: str
    stage: str
    parent_pid: int = 0
    pdf: str = ""

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> WorkerJob:
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))


@dataclass(frozen=True)
class WorkerResult:
    """What a worker reports in ``result.json``: the status, the staged files and the times."""

    status: Rendering = Rendering.FAILED
    started: str | None = None
    finished: str | None = None
    seconds: float = 0.0
    attempts: int = 0
    message: str = ""
    html: str | None = None
    ipynb: str | None = None
    n_charts: int | None = None
    version: str | None = None
    positions: int | None = None
    changes: str | None = None
    failed_ipynb: str | None = None
    pdf: str | None = None

    def write(self, path: Path) -> None:
        write_atomic(path, json.dumps(asdict(self), indent=1))

    @classmethod
    def read(cls, path: Path) -> WorkerResult | None:
        """The result a worker wrote, or ``None`` when it wrote none (or a torn one)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(**{**data, "status": Rendering(data.get("status", Rendering.FAILED))})
        except (OSError, ValueError, TypeError):
            return None


def stage_briefing(job: WorkerJob, warm=None) -> WorkerResult:
    """Render one briefing into ``<job.stage>/out`` and write ``result.json`` beside it.

    Besides the page and notebook, the stance matrix the briefing showed is written as
    ``positions.csv`` and its edition (the records behind every view) as ``edition.json``.
    Never raises for a failed render: the result says why. ``warm``: a
    :class:`parley.report.warm.WarmKernel` kept across pages (``None``: a fresh kernel).
    """
    stage = Path(job.stage)
    out = stage / "out"
    started, clock = now(), time.perf_counter()
    result = WorkerResult(started=started)
    if warm is not None and warm.warming():
        _prefetch_view(job)
    for attempt in (1, 2):
        result = replace(result, attempts=attempt)
        outcome = _render_once(job, out, attempt, warm)
        if outcome is None:
            shutil.rmtree(out, ignore_errors=True)
            continue
        result = replace(result, **outcome)
        break
    failed = failed_record(out)
    result = replace(result, failed_ipynb=str(failed) if failed is not None else None, finished=now(),
                     seconds=round(time.perf_counter() - clock, 3))
    result.write(stage / RESULT_FILE)
    print(f"[parley] {job.name}: {result.status} in {result.seconds:.1f} s" + (f": {result.message}" if result.message else ""), flush=True)
    return result


def _render_once(job: WorkerJob, out: Path, attempt: int, warm=None) -> dict | None:
    """One attempt: the fields of the result, or ``None`` to retry (the kernel never started)."""
    from parley.report.render import render_briefing

    try:
        rendered = render_briefing(job.notebook, dict(job.parameters), out_dir=out, dossier=job.dossier,
                                   as_of=job.as_of, progress=False, warm=warm, pdf=job.pdf or None)
    except RenderError as exc:
        if attempt == 1 and _kernel_never_started(exc, out):
            print(f"[parley] the kernel did not start ({exc}); retrying once", flush=True)
            return None
        return {"message": str(exc)}
    except ParleyError as exc:
        return {"message": str(exc)}
    except Exception as exc:  # anything else is a bug; keep its traceback in the log
        traceback.print_exc()
        return {"message": f"{type(exc).__name__}: {exc}"}
    try:
        positions, changes = _write_view(job, out)
    except Exception as exc:  # the data changed or cannot be read after the render
        return {"message": f"recording the positions and edition failed ({type(exc).__name__}: {exc})"}
    if rendered.version != job.version:
        return {"message": (f"the dataset changed during the run (version {job.version} before, {rendered.version} when "
                            "rendered); nothing was published; run again")}
    return {"status": Rendering.RENDERED, "html": str(rendered.html), "ipynb": str(rendered.ipynb),
            "n_charts": rendered.n_charts, "version": rendered.version, "positions": positions,
            "changes": changes,
            "pdf": str(rendered.pdf) if rendered.pdf is not None else None}


def failed_record(out: Path) -> Path | None:
    """The failed run record render_briefing kept in a job's own staging folder, if any (its name
    carries the notebook and its subject, e.g. ``actor_profile-russia.failed.ipynb``): the one
    :class:`parley.paths.RunFiles` name, with any briefing name."""
    found = sorted(out.glob(paths.RunFiles(out, "*").failed_ipynb.name))
    return found[0] if found else None


def _kernel_never_started(error: RenderError, out: Path) -> bool:
    """True when execution failed because the kernel did not start: no cell ran, and the kernel
    did not die while running one (nbclient's DeadKernelError)."""
    import nbformat
    from nbclient.exceptions import DeadKernelError

    if isinstance(error.__cause__, DeadKernelError) or "DeadKernelError" in str(error):
        return False
    record = failed_record(out)
    if record is None:
        return True
    try:
        nb = nbformat.read(record, as_version=4)
    except Exception:  # unreadable record: nothing ran that we can see
        return True
    if any(output.get("output_type") == "error" for cell in nb.cells for output in cell.get("outputs", [])):
        return False
    return all(cell.get("execution_count") is None for cell in nb.cells if cell.cell_type == "code")


def _write_view(job: WorkerJob, out: Path) -> tuple[int, str]:
    """Write what the briefing showed: ``positions.csv`` (its stance matrix) and ``edition.json``
    (its records); return the number of positions and the what-changed headline against the
    baseline edition the page compared with, of the changes about its subject (``"first edition"``
    when there is none)."""
    import pandas as pd

    from parley.analysis import diff_editions, headline
    from parley.analysis.editions import changes_about
    from parley.data.edition import read_edition, write_edition
    from parley.data.positions import write_positions

    dossier = _dossier(job)
    if dossier.version != job.version:
        raise RuntimeError(f"the dataset changed during the run (version {job.version} before, {dossier.version} after)")
    as_of = pd.Timestamp(job.view_as_of)
    matrix, edition = _shown(dossier, as_of)
    n_positions = write_positions(matrix, out / paths.POSITIONS_FILE)
    write_edition(edition, out / paths.EDITION_FILE)
    baseline, since = str(job.parameters.get("baseline") or ""), str(job.parameters.get("since") or "")
    if baseline and baseline != "none":  # as the page did (parley.report.view.BriefingView.compared_with)
        before = read_edition(baseline)
    elif since:
        before = _shown(dossier, pd.Timestamp(since))[1]
    else:
        return n_positions, "first edition"
    diff = diff_editions(before, edition, dossier, as_of)
    subject = {name: str(job.parameters.get(name) or "") or None for name in ("actor", "issue")}
    return n_positions, headline(changes_about(diff, **subject))  # the page's own changes, as its section lists them


def _dossier(job: WorkerJob):
    """The job's dossier, as the render's own checks loaded it (:mod:`parley.report.loaded`)."""
    from parley.report import loaded

    return loaded.dossier(job.dossier_ref or job.dossier or paths.DEFAULT_DOSSIER)


def _prefetch_view(job: WorkerJob) -> None:
    """Compute the stance matrix and edition the page will record (:func:`_shown`) while the
    worker's kernel is still starting (its first page), so the page is published that much sooner.
    Any problem is left for the render and :func:`_write_view` to report."""
    import pandas as pd

    try:
        dossier = _dossier(job)
        if dossier.version == job.version:
            _shown(dossier, pd.Timestamp(job.view_as_of))
    except Exception:  # noqa: BLE001 - reported by the render itself
        pass


#: The stance matrix and edition of a view, by dossier folder, version and date: every page of an
#: edition on one dossier and date records the same ones, so a worker computes them once.
_SHOWN: dict[tuple[str, str, str], tuple] = {}


def _shown(dossier, as_of) -> tuple:
    """``(stance_matrix(dossier, as_of), edition_of(dossier, as_of))``, once per dossier version and date
    (the callers only write and compare them)."""
    from parley.analysis import edition_of, stance_matrix

    key = (str(dossier.path), dossier.version, as_of.isoformat())
    if key not in _SHOWN:
        if any(known[:2] != key[:2] for known in _SHOWN):
            _SHOWN.clear()  # another dossier or version: what was kept is of no use
        _SHOWN[key] = (stance_matrix(dossier, as_of), edition_of(dossier, as_of))
    return _SHOWN[key]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (empty when psutil is missing or the process is gone)."""
    try:
        import psutil

        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except Exception:  # psutil missing or the process is gone
        return []


def kill(pid: int) -> None:
    """SIGKILL ``pid`` if it is still there."""
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def reap(processes: list, grace: float, trees: list[list[int]] | None = None) -> None:
    """Wait up to ``grace`` seconds in all for ``processes`` (each a ``subprocess.Popen`` already asked
    to stop), SIGKILL one that is still there, then SIGKILL whatever is left below each: the
    processes of ``trees`` (one list per process, taken before it was asked to stop) and its
    descendants now."""
    deadline = time.monotonic() + grace
    for number, process in enumerate(processes):
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pid in (trees[number] if trees else []) + descendants(process.pid):
            kill(pid)


def main(argv: list[str]) -> int:
    """``python -m parley.editions.worker --worker JOB.json`` (started by ``parley run``)."""
    if len(argv) != 2 or argv[0] != "--worker":
        print("usage: python -m parley.editions.worker --worker JOB.json (started by `parley run`)", file=sys.stderr)
        return 2
    from parley.report import loaded

    job = WorkerJob.read(Path(argv[1]))
    _die_with_parent(job.parent_pid)
    loaded.keep()  # the render's checks and the page's record read one dossier
    signal.signal(signal.SIGTERM, _worker_stop)
    signal.signal(signal.SIGHUP, _worker_stop)
    result = stage_briefing(job)
    return 0 if result.status == Rendering.RENDERED else 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGTERM this worker when the runner dies (even by SIGKILL)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: the runner's own SIGTERM handling still stops us
    if parent_pid and os.getppid() != parent_pid:
        os._exit(1)  # the runner died before we could ask


def _worker_stop(signum, frame) -> None:
    """Kill this worker's kernel (and anything else it started), then exit at once."""
    for pid in descendants(os.getpid()):
        kill(pid)
    os._exit(128 + signum)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
