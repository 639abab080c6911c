"""Run a batch of briefings in parallel and publish only what is whole.

:func:`run_spec` (``parley run``, ``make briefings``) expands a spec (:mod:`parley.editions.spec`),
then for every briefing

1. resolves ``since: previous`` from the catalogue: the last published run of that briefing
   of an earlier edition date (:func:`parley.report.baseline.find_baseline`), whose edition
   (the records it showed) becomes the notebook's ``baseline`` and whose as-of its ``since``;
2. skips it when the published run had exactly the same inputs (notebook, parameters, the data
   it shows, its baseline edition, package code; :mod:`parley.editions.inputs`) and its published
   files are still the ones it wrote (their SHA-256): re-running is idempotent, and after a data
   edit only the pages whose slice of the dossier changed render again
   (:mod:`parley.editions.slices`); the summary says which and why;
3. renders it in a worker process into a staging folder ``reports/.staging/<run>/<name>/`` (a
   kernel that never started is retried once): by default a worker that keeps one kernel for the
   whole batch, reset before each page (:mod:`parley.editions.warm`); with ``PARLEY_KERNELS=cold``
   a process and a fresh kernel per page (:mod:`parley.editions.worker`);
4. checks it is whole (:func:`parley.report.whole.check_whole`);
5. publishes by ``os.replace`` of complete files (:mod:`parley.editions.records`) and
   catalogues the run (:mod:`parley.editions.catalogue`).

A claim on the outputs (:mod:`parley.editions.locks`) keeps two runs from writing the same briefing.
SIGTERM or Ctrl-C stops the workers and their kernels and removes the staging folder; after a
SIGKILL the workers stop themselves (parent-death signal) and the next run removes what was
staged.

:func:`run_briefing` renders and publishes a single briefing of a spec in-process: the entry
point of the Airflow DAG (``dags/parley_briefings.py``), one task per briefing. Both share one
skeleton (:func:`_batch`): the same set-up and clean-up (:func:`_session`), the same skip of
unchanged briefings, the same publishing, and the catalogue page rewritten under the same
condition.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from parley import paths
from parley.editions import warm
from parley.editions.catalogue import previous_run, read_catalogue, reconcile, write_catalogue
from parley.editions.inputs import inputs_key, inputs_of, why_render, why_unchanged
from parley.editions.locks import acquire_locks, clean_staging, close_staging, open_staging
from parley.editions.records import Job, Status, keep_log, now, publish, record_failure, sha256
from parley.editions.slices import Slicer
from parley.editions.spec import PREVIOUS, Briefing, expand_spec
from parley.editions.worker import JOB_FILE, LOG_FILE, RESULT_FILE, Rendering, WorkerJob, WorkerResult, descendants, reap, stage_briefing
from parley.errors import ParleyError, RenderError
from parley.fileio import read_json
from parley.report.baseline import edition_file
from parley.report.whole import IncompleteBriefing, check_whole

#: Seconds a worker gets to stop its kernel after SIGTERM before it is killed.
STOP_GRACE = 10.0


@dataclass(frozen=True)
class Outcome:
    """What happened to one briefing of a batch.

    ``html`` is the published page (also for ``unchanged``); ``record`` the run record
    (``<name>.run.json`` content) when published or unchanged.
    """

    briefing: Briefing
    status: Status
    seconds: float = 0.0
    html: Path | None = None
    message: str = ""
    log: Path | None = None
    failed_ipynb: Path | None = None
    record: dict | None = None
    log_problem: str = ""  # what the machine refused when keeping the log (a full disk), naming the file
    reason: str = ""  # why it rendered again ("its records changed") or is unchanged ("its records did not change")

    @property
    def ok(self) -> bool:
        return self.status in (Status.PUBLISHED, Status.UNCHANGED)


@dataclass(frozen=True)
class BatchResult:
    """Outcomes of a batch, in spec order, and the signal that cancelled it (if any)."""

    outcomes: list[Outcome]
    cancelled_by: int | None = None
    index: Path | None = None
    seconds: float = 0.0
    #: What the machine refused besides the briefings themselves (a log the full disk did not take):
    #: each names the file; any makes the exit status 2.
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.cancelled_by is None and not self.problems and all(o.ok for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        if self.cancelled_by is not None:
            return 128 + self.cancelled_by
        if self.problems:
            return 2
        return 0 if self.ok else 1


# --------------------------------------------------------------------------------------------
# public entry points


def run_spec(spec: str | os.PathLike[str], *, workers: int | None = None, today: dt.date | str | None = None,
             as_of: str | None = None, only: list[str] | None = None, force: bool = False, wait: float = 0.0,
             progress: bool = True, echo: Callable[[str], None] | None = None,
             pool: warm.WarmWorkers | None = None) -> BatchResult:
    """Render every briefing of a spec in parallel and publish the ones that are whole.

    Parameters
    ----------
    spec
        Path of the spec file (``briefings.yml``).
    workers
        Briefings rendered at once (one kernel each); default the number of CPU cores.
    today
        The date ``today`` stands for in the spec (default: the local date).
    as_of
        ISO date overriding every entry's ``as_of``.
    only
        Render only these briefing names.
    force
        Re-render briefings whose published run had the same inputs.
    wait
        Seconds to wait for another run holding an output's lock (0: fail at once).
    progress
        Show a progress bar on stderr.
    echo
        Where one-line notes go (retries, cleaned staging); default stderr.
    pool
        Warm workers kept by the caller across editions (``parley run --watch``,
        :mod:`parley.editions.watch`): used and left running. Default: the run starts its own
        and ends them (``None`` too with ``PARLEY_KERNELS=cold``).

    Returns
    -------
    BatchResult
        One :class:`Outcome` per briefing; ``exit_code`` is 0 only if every briefing is published
        or unchanged.

    Raises
    ------
    SpecError
        The spec is malformed (names the entry and field).
    RunLocked
        Another run is writing one of the outputs and ``wait`` ran out. Nothing was written.
    """
    with _warm_pool(workers, given=pool) as pool:  # the first worker starts its kernel while the spec is read
        briefings = expand_spec(spec, today=today, as_of=as_of, only=only)
        return _run_briefings(briefings, pool, workers=workers, force=force, wait=wait, progress=progress, echo=echo)


def run_briefings(briefings: list[Briefing], *, workers: int | None = None, force: bool = False, wait: float = 0.0,
                  progress: bool = True, echo: Callable[[str], None] | None = None) -> BatchResult:
    """Run already expanded briefings, each in a worker process (see :func:`run_spec`)."""
    with _warm_pool(workers, spawn=bool(briefings)) as pool:  # the first worker starts its kernel while the jobs are prepared
        return _run_briefings(briefings, pool, workers=workers, force=force, wait=wait, progress=progress, echo=echo)


@contextmanager
def _warm_pool(workers: int | None, spawn: bool = True,
               given: warm.WarmWorkers | None = None) -> Iterator[warm.WarmWorkers | None]:
    """The batch's warm workers (``None`` with ``PARLEY_KERNELS=cold``, checked before anything is
    locked), the first of them started at once (``spawn``); every one ended on the way out.
    ``given``: the caller's pool, yielded as it is and left running."""
    from parley.report.execute import cell_timeout

    cell_timeout()  # a bad PARLEY_CELL_TIMEOUT is refused before anything starts
    if given is not None:
        yield given
        return
    pool = warm.WarmWorkers(_slots(workers)) if warm.enabled() else None
    try:
        if pool is not None and spawn:
            pool.spawn()
        yield pool
    finally:
        if pool is not None:
            pool.close()


def _slots(workers: int | None) -> int:
    return warm.slots(workers)


def _run_briefings(briefings: list[Briefing], pool: warm.WarmWorkers | None, *, workers: int | None,
                   force: bool, wait: float, progress: bool, echo: Callable[[str], None] | None) -> BatchResult:
    started = time.perf_counter()
    workers = _slots(workers)
    cancel = _Cancel()

    def execute(todo: list[Job], session: _Session) -> dict[str, Outcome]:
        with _noting_signals(cancel):
            return _run_workers(todo, session, min(workers, max(len(todo), 1)), cancel, progress, pool)

    outcomes, index = _batch(briefings, force=force, wait=wait, echo=echo or _stderr, execute=execute)
    done = [outcomes[b.name] for b in briefings if b.name in outcomes]
    if cancel.signum is not None:  # briefings never started are reported as cancelled too
        done += [Outcome(b, Status.CANCELLED, message="not started") for b in briefings if b.name not in outcomes]
    problems = [outcome.log_problem for outcome in done if outcome.log_problem]
    return BatchResult(done, cancel.signum, index, time.perf_counter() - started, problems)


def run_briefing(spec: str | os.PathLike[str], name: str, *, today: dt.date | str | None = None, as_of: str | None = None,
                 force: bool = False, wait: float = 3600.0) -> dict:
    """Render and publish one briefing of a spec in this process; the Airflow tasks' entry point.

    Parameters
    ----------
    spec
        Path of the spec file.
    name
        The briefing's name (after expansion, e.g. ``actor-russia``).
    today, as_of, force
        As for :func:`run_spec`.
    wait
        Seconds to wait for another run writing the same output.

    Returns
    -------
    dict
        The run record (``status`` ``published`` or ``unchanged``) with ``html`` relative to the
        reports folder.

    Raises
    ------
    RenderError
        The briefing failed or is not whole; the last good page is untouched.
    RunLocked
        Another run kept the output's lock for longer than ``wait``.
    """
    briefing = expand_spec(spec, today=today, as_of=as_of, only=[name])[0]

    def execute(todo: list[Job], session: _Session) -> dict[str, Outcome]:
        return {job.name: _run_in_process(job, session) for job in todo}

    outcomes, _index = _batch([briefing], force=force, wait=wait, echo=_stderr, execute=execute)
    outcome = outcomes[briefing.name]
    if outcome.status == Status.UNCHANGED:
        return {**(outcome.record or {}), "status": Status.UNCHANGED}
    if not outcome.ok:
        raise RenderError(outcome.message)
    return outcome.record or {}


def format_summary(result: BatchResult, reports: Path | None = None) -> str:
    """The summary table printed at the end of ``parley run``: name, parameters, status, seconds, path."""
    layout = paths.reports_layout(reports)
    rows = [("briefing", "parameters", "status", "seconds", "path")]
    for outcome in result.outcomes:
        path = outcome.html if outcome.ok else (outcome.failed_ipynb or outcome.log)
        rows.append((outcome.briefing.name, _shorten(outcome.briefing.describe_parameters(), 40), str(outcome.status),
                     f"{outcome.seconds:.1f}" if outcome.seconds else "-", layout.relative(path) if path else "-"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    counts: dict[str, int] = {}
    for outcome in result.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    tail = ", ".join(f"{n} {status}" for status, n in counts.items())
    lines.append(f"{len(result.outcomes)} briefing(s): {tail}; {result.seconds:.1f} s"
                 + (f"; cancelled by signal {result.cancelled_by}" if result.cancelled_by is not None else ""))
    lines += _reasons(result.outcomes)
    for outcome in result.outcomes:
        if outcome.status == Status.FAILED:
            lines.append(f"FAILED {outcome.briefing.name}: {outcome.message}")
    return "\n".join(lines)


def _reasons(outcomes: list[Outcome]) -> list[str]:
    """``rendered again (3): briefing, dataset_qa: the dataset changed; ...`` and ``unchanged (19):
    ...: its records did not change``: which pages rendered and which did not, and why."""
    lines = []
    for label, status in (("rendered again", Status.PUBLISHED), ("unchanged", Status.UNCHANGED)):
        why: dict[str, list[str]] = {}
        for outcome in outcomes:
            if outcome.reason and outcome.status == status:
                why.setdefault(outcome.reason, []).append(outcome.briefing.name)
        if why:
            n = sum(len(names) for names in why.values())
            lines.append(f"{label} ({n}): " + "; ".join(f"{', '.join(names)}: {reason}" for reason, names in why.items()))
    return lines


# --------------------------------------------------------------------------------------------
# the skeleton both entry points share


@dataclass(frozen=True)
class _Session:
    """A batch's hold on the reports folder: its layout, its staging folder, the catalogue as it began."""

    layout: paths.ReportsLayout
    stage_root: Path
    catalogue: list[dict]
    slicer: Slicer = field(default_factory=Slicer)  # each dossier loaded once per run, for the pages' slices


@contextmanager
def _session(briefings: list[Briefing], wait: float, echo: Callable[[str], None]) -> Iterator[_Session]:
    """Set up a batch (locks, leftovers of dead runs removed, orphans catalogued, staging opened)
    and clean up after it, whatever happens: staging removed, locks released."""
    layout = paths.reports_layout()
    layout.root.mkdir(parents=True, exist_ok=True)
    locks = acquire_locks(layout, briefings, wait)
    staging_lock = None
    try:
        for path in clean_staging(layout.root):
            echo(f"removed leftovers of an interrupted run: {path}")
        reconcile(layout)
        staging_lock, stage_root = open_staging(layout)
        yield _Session(layout, stage_root, read_catalogue(layout.root))
    finally:
        if staging_lock is not None:
            close_staging(staging_lock)
        for lock in reversed(locks):
            lock.release()


def _batch(briefings: list[Briefing], *, force: bool, wait: float, echo: Callable[[str], None],
           execute: Callable[[list[Job], _Session], dict[str, Outcome]]) -> tuple[dict[str, Outcome], Path]:
    """Prepare every briefing, skip the unchanged ones, ``execute`` the rest, rewrite the catalogue
    page when anything ran (or it is missing); return the outcomes by name and the page."""
    with _session(briefings, wait, echo) as session:
        jobs = [_prepare(b, session) for b in briefings]
        outcomes: dict[str, Outcome] = {}
        todo, reasons = [], {}
        for job in jobs:
            reason = "forced (--force)" if force else _render_reason(job, session.catalogue)
            if not reason:
                outcomes[job.name] = Outcome(job.briefing, Status.UNCHANGED, html=job.files.html, record=read_json(job.files.run_json),
                                             reason=why_unchanged(job.inputs))
            else:
                todo.append(job)
                reasons[job.name] = reason
        for name, outcome in execute(todo, session).items():
            outcomes[name] = replace(outcome, reason=reasons.get(name, ""))
        layout = session.layout
        index = write_catalogue(layout.root) if todo or not layout.index.exists() else layout.index
        return outcomes, index


# --------------------------------------------------------------------------------------------
# preparing jobs


def _prepare(briefing: Briefing, session: _Session) -> Job:
    from parley.data.schema import read_schema
    from parley.data.tables import dataset_version

    layout = session.layout
    version = dataset_version(read_schema(paths.dossier_dir(briefing.dossier)))
    parameters = dict(briefing.parameters)
    previous = None
    if "since" in briefing.declared:
        if briefing.since == PREVIOUS:
            previous = previous_run(session.catalogue, briefing.dossier_id, briefing.name, briefing.as_of, layout.root)
            parameters["since"] = previous["as_of"] if previous else ""
            if "baseline" in briefing.declared:
                parameters["baseline"] = str(edition_file(previous, layout.root).resolve()) if previous else "none"
        else:
            parameters["since"] = briefing.since
            if "baseline" in briefing.declared:  # a date or none: the notebook must not look for an edition itself
                parameters["baseline"] = "none"
    files = layout.files(briefing.dossier_id, briefing.as_of, briefing.name)
    scope = session.slicer.scope(briefing.notebook, parameters, briefing.dossier, version)
    inputs = inputs_of(briefing, parameters, scope)
    return Job(briefing, parameters, version, inputs_key(inputs), previous, files, inputs)


def _render_reason(job: Job, catalogue: list[dict]) -> str:
    """Why ``job`` must render, or ``""`` when it is unchanged: the published run had the same
    inputs, its files are the ones it published (their SHA-256, not only the record: a page
    changed behind the catalogue's back renders again), and no attempt failed since."""
    record = read_json(job.files.run_json)
    if not isinstance(record, dict) or record.get("inputs_key") != job.inputs_key:
        return why_render(job.inputs, record if isinstance(record, dict) else None) or "its inputs changed"
    hashes = record.get("files") or {}
    expected = dict(job.files.verified)
    if job.briefing.pdf:  # the PDF edition the spec asks for is part of what was published
        expected["pdf"] = job.files.pdf(job.briefing.pdf)
    if set(hashes) != set(expected) or any(not path.is_file() or sha256(path) != hashes[suffix] for suffix, path in expected.items()):
        return "its published files were changed or removed since"
    briefing = job.briefing
    attempts = [entry for entry in catalogue
                if (entry.get("dossier_id"), entry.get("as_of"), entry.get("name")) == (briefing.dossier_id, briefing.as_of, briefing.name)]
    return "" if attempts and attempts[-1].get("seq") == record.get("seq") else "an attempt failed since it was published"


# --------------------------------------------------------------------------------------------
# running: worker processes, or in-process


class _Cancel:
    signum: int | None = None

    def __call__(self, signum, frame):  # a signal handler: only note it, the loop acts on it
        self.signum = signum


@contextmanager
def _noting_signals(cancel: _Cancel) -> Iterator[None]:
    """Note SIGTERM, SIGINT and SIGHUP in ``cancel`` while the workers run (the loop stops them),
    then put the previous handlers back."""
    handlers = {}
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        try:
            handlers[signum] = signal.signal(signum, cancel)
        except ValueError:  # not the main thread: whoever runs us handles signals
            break
    try:
        yield
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


@dataclass
class _Running:
    """A job being rendered: its staging folder and, for a worker, its process and open log.

    The one mutable object of a batch: the process and log handle live only while it runs.
    """

    job: Job
    stage: Path
    process: subprocess.Popen | None = None
    log_handle: Any = None
    started: float = 0.0

    def close_log(self) -> None:
        if self.log_handle:
            self.log_handle.close()
            self.log_handle = None


def _worker_job(job: Job, stage: Path) -> WorkerJob:
    briefing = job.briefing
    return WorkerJob(
        name=briefing.name,
        notebook=str(briefing.notebook),
        dossier=briefing.dossier if "dossier" in briefing.declared else None,
        dossier_ref=briefing.dossier,
        as_of=briefing.as_of if "as_of" in briefing.declared else None,
        view_as_of=briefing.as_of,
        parameters=job.parameters,
        version=job.version,
        stage=str(stage),
        parent_pid=os.getpid(),
        pdf=briefing.pdf,
    )


def _run_in_process(job: Job, session: _Session) -> Outcome:
    """Render one job in this process (no worker), then publish it or record the failure."""
    stage = session.stage_root / job.name
    stage.mkdir(parents=True)
    stage_briefing(_worker_job(job, stage))
    return _finish(session.layout, _Running(job, stage))


def _run_workers(jobs: list[Job], session: _Session, workers: int, cancel: _Cancel, progress: bool,
                 pool: warm.WarmWorkers | None = None) -> dict[str, Outcome]:
    """Render ``jobs``, ``workers`` at a time: on the warm workers of ``pool`` (closed by the caller),
    else a process per job."""
    from tqdm import tqdm

    outcomes: dict[str, Outcome] = {}
    pending = list(jobs)
    running: list[_Running] = []
    bar = tqdm(total=len(jobs), disable=not progress or not jobs, unit="briefing", file=sys.stderr, dynamic_ncols=True)
    try:
        while (pending or running) and cancel.signum is None:
            while pending and len(running) < workers and cancel.signum is None and (pool is None or pool.can_start()):
                running.append(_start(pending.pop(0), session.stage_root, pool))
            for run in list(running):
                if run.process.poll() is None:
                    continue
                running.remove(run)
                outcome = outcomes[run.job.name] = _finish(session.layout, run)
                bar.update(1)
                bar.set_postfix_str(f"{run.job.name}: {outcome.status}", refresh=True)
            time.sleep(0.05)
    finally:
        if running:
            _stop(running)
            for run in running:
                log, problem = keep_log(session.layout, run.job, run.stage, str(Status.CANCELLED))
                outcomes[run.job.name] = Outcome(run.job.briefing, Status.CANCELLED, time.perf_counter() - run.started,
                                                 message=f"stopped by signal {cancel.signum}", log=log, log_problem=problem)
        bar.close()
    return outcomes


def _start(job: Job, stage_root: Path, pool: warm.WarmWorkers | None = None) -> _Running:
    """Start a worker process on ``job`` (or hand it to a warm worker of ``pool``)."""
    stage = stage_root / job.name
    stage.mkdir(parents=True)
    spec_path = stage / JOB_FILE
    _worker_job(job, stage).write(spec_path)
    if pool is not None:  # the warm worker writes the job's log itself
        return _Running(job, stage, pool.start(spec_path), None, time.perf_counter())
    log_handle = open(stage / LOG_FILE, "wb")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "parley.editions.worker", "--worker", str(spec_path)],
        stdin=subprocess.DEVNULL, stdout=log_handle, stderr=subprocess.STDOUT,
        env=env, start_new_session=True,  # Ctrl-C reaches the runner only; it stops the workers itself
    )
    return _Running(job, stage, process, log_handle, started)


def _stop(running: list[_Running]) -> None:
    """SIGTERM every worker (each stops its kernel), then SIGKILL what is left of each tree."""
    trees = {run.job.name: descendants(run.process.pid) for run in running}
    for run in running:
        if run.process.poll() is None:
            try:
                run.process.terminate()
            except ProcessLookupError:
                pass
    reap([run.process for run in running], STOP_GRACE, [trees[run.job.name] for run in running])
    for run in running:
        run.close_log()


def _finish(layout: paths.ReportsLayout, run: _Running) -> Outcome:
    """Verify a staged render and publish it, or record the failure."""
    run.close_log()
    job = run.job
    seconds = time.perf_counter() - run.started if run.started else 0.0
    result = WorkerResult.read(run.stage / RESULT_FILE)
    if result is None:
        code = run.process.returncode if run.process else None
        why = f"killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
        result = WorkerResult(message=f"the worker {why} before reporting", started=now(), finished=now())
    if not seconds:  # in-process (Airflow): the render's own time
        seconds = float(result.seconds or 0.0)
    if result.status == Rendering.RENDERED:
        try:
            n_charts = check_whole(result.ipynb, result.html)
            if n_charts != result.n_charts:
                raise IncompleteBriefing(f"the render reported {result.n_charts} chart(s), the page holds {n_charts}")
            record = publish(layout, job, run.stage, result, n_charts, seconds)
        except (ParleyError, OSError) as exc:
            result = replace(result, status=Rendering.FAILED, message=str(exc))
        else:
            log, problem = keep_log(layout, job, run.stage, str(Status.PUBLISHED))
            return Outcome(job.briefing, Status.PUBLISHED, seconds, job.files.html, log=log, record=record, log_problem=problem)
    message, (log, problem), failed_ipynb = record_failure(layout, job, run.stage, result, seconds)
    return Outcome(job.briefing, Status.FAILED, seconds, message=message, log=log, failed_ipynb=failed_ipynb, log_problem=problem)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
