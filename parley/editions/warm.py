"""Batch workers that live for the whole batch, each keeping one warm kernel across its pages.

``parley run`` used to start a Python process and a kernel for every page: on 2 CPUs a page paid
~2 s of start-up and imports before its first cell. :class:`WarmWorkers` starts at most one
worker process per slot (``python -m parley.editions.warm --serve``); each renders the jobs the
runner hands it, one after another, with :func:`parley.editions.worker.stage_briefing` on a
:class:`parley.report.warm.WarmKernel` (reset to a clean snapshot before every page; replaced
when a page killed it). The first worker is started before the runner reads the spec and prepares
the jobs (:meth:`WarmWorkers.spawn`), and a worker starts its kernel before it reads a job, loading its own
render modules and page template while the kernel starts and taking the kernel's snapshot while
it reads and checks its first job. What a worker reads outside the kernel it reads once for all
its pages: the dossier (:mod:`parley.report.loaded`), the stance matrix and edition the pages
record, the page exporter (:mod:`parley.report.export`). Everything else is as before: a job's ``job.json``, ``worker.log`` and
``result.json`` in its staging folder, the kernel-start retry, the failed run record, SIGTERM
stopping the worker and its kernel, the worker dying with the runner.

The runner sees each job through :class:`_Assignment`, which answers ``poll()`` like the
``subprocess.Popen`` of a one-page worker did, so the batch loop is unchanged. A worker that dies
(it is killed, or its process crashes) fails only the job it held; the next job gets a new worker.

The default of ``parley run`` and ``make briefings``; ``PARLEY_KERNELS=cold`` in the environment
gives one worker process and one fresh kernel per page instead (:func:`kernels` refuses any other
value). An Airflow task renders its one page in-process on a fresh kernel either way.
``tests/editions/test_warm.py`` proves a warm batch publishes the same files as a cold one on the
whole shipped spec; ``tests/editions/test_publish.py`` runs its fault and SIGTERM tests both ways.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

from parley.editions.worker import LOG_FILE, Rendering, WorkerJob, reap, stage_briefing
from parley.errors import ParameterError, excerpt

#: ``PARLEY_KERNELS`` values: workers that keep one warm kernel across their pages (the default),
#: or a fresh process and kernel per page.
WARM, COLD = "warm", "cold"


def kernels() -> str:
    """``warm`` unless ``PARLEY_KERNELS`` says ``cold``; any other value is refused (exit status 2)."""
    value = os.environ.get("PARLEY_KERNELS", "").strip().lower() or WARM
    if value not in (WARM, COLD):
        raise ParameterError(f"PARLEY_KERNELS={excerpt(os.environ['PARLEY_KERNELS'])} is not a kernel mode; "
                             f"allowed: {WARM} (the default: one kernel per worker, reset before each page) "
                             f"or {COLD} (a fresh kernel per page)")
    return value


def slots(workers: int | None) -> int:
    """Briefings rendered at once: ``workers``, default the number of CPU cores."""
    return max(1, int(workers or os.cpu_count() or 1))


def enabled() -> bool:
    """Warm workers: the default, unless ``PARLEY_KERNELS=cold``."""
    return kernels() == WARM


#: CPU priority (``nice``) of every worker started while another is alive, and of its kernel: on
#: as many CPUs as workers it changes nothing, but while the workers start together (their imports,
#: their kernels) the first one's page is served first, so the first page of a batch comes out as
#: soon as a single render would.
LATER_WORKER_NICE = 5
_NICE_VARIABLE = "PARLEY_WORKER_NICE"


class _Worker:
    """One long-lived worker process and the control lines it wrote back."""

    def __init__(self, parent_pid: int, nice: int = 0):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", _NICE_VARIABLE: str(nice)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "parley.editions.warm", "--serve", str(parent_pid)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,  # stderr: the runner's, until the worker points it at a job's log
            env=env, start_new_session=True,  # Ctrl-C reaches the runner only; it stops the workers itself
        )
        os.set_blocking(self.process.stdout.fileno(), False)
        self._buffer = b""
        self._done: list[int] = []  # exit statuses reported and not yet taken
        self.job: str | None = None
        self.jobs = 0  # jobs given
        self.spawned = time.monotonic()
        self.warm_at: float | None = None  # when its kernel was live and snapshotted (its ``warm`` line came)
        self.ran = False  # its first page's cells have run (its ``ran`` line came)
        self.reported = 0  # jobs it reported done

    def give(self, spec_path: Path) -> None:
        self.job = str(spec_path)
        self.jobs += 1
        self.process.stdin.write(f"{spec_path}\n".encode())
        self.process.stdin.flush()

    def read_control(self) -> None:
        """Take the control lines it wrote so far: ``warm`` (its kernel is ready), ``ran`` (its first
        page's cells have run), ``done 0|1``."""
        try:
            chunk = self.process.stdout.read()
        except (BlockingIOError, ValueError):
            chunk = None
        if chunk:
            self._buffer += chunk
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            if line.strip() == b"warm":
                self.warm_at = time.monotonic()
            elif line.strip() == b"ran":
                self.ran = True
            else:
                self._done.append(0 if line.strip() == b"done 0" else 1)

    def warming(self) -> bool:
        """Alive, and its first page has not run yet: starting another worker now would slow the
        first page of the batch. On 2 CPUs a second worker's start-up beside the first page (even
        at a lower priority) made that page's cells run ~40% longer (1.52 → 2.15 s on the seed
        briefing); held until they have run (or for as long as its own start-up took), the page is
        published ~0.7 s sooner."""
        self.read_control()
        if self.ran or self.reported or self._done or self.process.poll() is not None:
            return False
        if self.warm_at is None:
            return True
        # A first page that runs long (a large dossier, a hung cell) holds the next worker back no
        # longer than this worker's own start-up took: the batch keeps both CPUs busy.
        return time.monotonic() - self.warm_at < self.warm_at - self.spawned

    def finished(self) -> int | None:
        """The exit status of the job it holds (0 rendered, 1 not) once it reported, else ``None``."""
        self.read_control()
        if not self._done:
            return None
        self.job = None
        self.reported += 1
        return self._done.pop(0)


class _Assignment:
    """A job on a worker, seen by the batch loop as the process of that job."""

    def __init__(self, worker: _Worker, pool: "WarmWorkers"):
        self.worker, self.pool = worker, pool
        self.returncode: int | None = None

    @property
    def pid(self) -> int:
        return self.worker.process.pid

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        status = self.worker.finished()
        if status is None:
            died = self.worker.process.poll()
            if died is None:
                return None
            status = died
            self.pool.forget(self.worker)
        else:
            self.pool.release(self.worker)
        self.returncode = status
        return status

    def terminate(self) -> None:
        self.pool.forget(self.worker)
        self.worker.process.terminate()

    def kill(self) -> None:
        self.worker.process.kill()

    def wait(self, timeout: float | None = None) -> int:
        code = self.worker.process.wait(timeout=timeout)
        if self.returncode is None:
            self.returncode = code
        return code


class WarmWorkers:
    """At most ``size`` worker processes, each rendering one job at a time on its warm kernel."""

    def __init__(self, size: int):
        self.size = size
        self.idle: list[_Worker] = []
        self.busy: list[_Worker] = []

    def spawn(self) -> None:
        """Start a worker before it has a job, so its kernel starts while the runner prepares them."""
        if len(self.idle) + len(self.busy) < self.size:
            self.idle.append(self._new())

    def can_start(self) -> bool:
        """Whether :meth:`start` may run a job now: a worker is idle, or a new one may be started
        because no other is still on its first page (the first page of a batch gets the CPUs
        first; the next worker starts as soon as that page's cells have run)."""
        self._forget_dead_idle()
        return bool(self.idle) or not any(w.warming() for w in self.busy)

    def start(self, spec_path: Path) -> _Assignment:
        """Hand the job in ``spec_path`` (its ``job.json``) to an idle worker, or a new one; the
        worker writes the job's ``worker.log`` beside it."""
        self._forget_dead_idle()
        worker = self.idle.pop(0) if self.idle else self._new()
        self.busy.append(worker)
        worker.give(spec_path)
        return _Assignment(worker, self)

    def _new(self) -> _Worker:
        """A new worker: the first alive at normal priority, any other at :data:`LATER_WORKER_NICE`."""
        alive = [w for w in self.idle + self.busy if w.process.poll() is None]
        return _Worker(os.getpid(), nice=LATER_WORKER_NICE if alive else 0)

    def top_up(self) -> None:
        """Forget idle workers that died, then start workers until every slot has one (between
        two editions of ``parley run --watch``, so the next one finds them all warm)."""
        self._forget_dead_idle()
        while len(self.idle) + len(self.busy) < self.size:
            self.idle.append(self._new())

    def _forget_dead_idle(self) -> None:
        """Drop idle workers whose process died (killed between two editions, say)."""
        self.idle = [w for w in self.idle if w.process.poll() is None]

    def release(self, worker: _Worker) -> None:
        if worker in self.busy:
            self.busy.remove(worker)
            self.idle.append(worker)

    def forget(self, worker: _Worker) -> None:
        for group in (self.busy, self.idle):
            if worker in group:
                group.remove(worker)

    def close(self, grace: float = 10.0) -> None:
        """End every idle worker: end of input (it shuts its kernel down and exits), or SIGTERM for
        one that never had a job (every briefing was unchanged: its kernel may still be starting)."""
        workers, self.idle = self.idle, []
        for worker in workers:
            try:
                if worker.jobs:
                    worker.process.stdin.close()
                else:
                    worker.process.terminate()
            except OSError:
                pass
        reap([worker.process for worker in workers], grace)


# --------------------------------------------------------------------------------------------
# the worker process


def _lower_priority() -> None:
    """Take the niceness the runner gave this worker (its kernel, started next, inherits it)."""
    try:
        steps = int(os.environ.pop(_NICE_VARIABLE, "0") or 0)
        if steps > 0:
            os.nice(steps)
    except (ValueError, OSError):  # no such right here: the worker runs at the runner's priority
        pass


def serve(parent_pid: int) -> int:
    """Render every job whose ``job.json`` path arrives on stdin; write ``done 0|1`` per job."""
    _lower_priority()  # before the imports: they and the kernel run at the priority the runner gave
    from parley import paths
    from parley.editions.worker import _die_with_parent, _worker_stop
    from parley.report import loaded
    from parley.report.warm import WarmKernel

    _die_with_parent(parent_pid)
    signal.signal(signal.SIGTERM, _worker_stop)
    signal.signal(signal.SIGHUP, _worker_stop)
    control = os.fdopen(os.dup(1), "w", buffering=1)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    loaded.keep()  # the pages of an edition read one dossier: loaded once per version, not twice per page
    with WarmKernel() as warm:
        warm.on_ready = lambda: control.write("warm\n")
        warm.on_page_ran = lambda: control.write("ran\n")  # the runner may start the next worker now
        warm.begin(paths.NOTEBOOKS_DIR)  # where most pages run; each page's reset moves it to its own folder
        # This process's own imports run while it waits for the kernel to answer and sends it the
        # snapshot (its imports): the kernel's and the worker's start-ups overlap, not follow each other.
        import jupyter_client.asynchronous  # noqa: F401  (what the wait itself imports, before the thread starts)
        import jupyter_client.blocking  # noqa: F401

        importing = threading.Thread(target=_warm_up, name="parley-warm-up", daemon=True)
        importing.start()
        warm.snapshot_soon()  # runs while the first job is read and checked
        importing.join()
        for line in sys.stdin:
            if line.strip():
                control.write(f"done {_serve_one(Path(line.strip()), warm, quiet)}\n")
    return 0


def _warm_up() -> None:
    """What every page needs in this process, loaded while the kernel starts: the render's modules
    and the page exporter with its compiled template."""
    import papermill  # noqa: F401

    from parley.report import export, render, view  # noqa: F401

    export.warm_up()


def _serve_one(spec_path: Path, warm, quiet: int) -> int:
    """Render one job with its output in its own ``worker.log``: 0 rendered, 1 not."""
    job = WorkerJob.read(spec_path)
    log = os.open(Path(job.stage) / LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    try:
        return 0 if stage_briefing(job, warm=warm).status == Rendering.RENDERED else 1
    except Exception:  # a bug: keep its traceback in the job's log, fail only this job
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "--serve":
        print("usage: python -m parley.editions.warm --serve PARENT_PID (started by `parley run`)", file=sys.stderr)
        return 2
    return serve(int(argv[1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
