"""Run a batch of briefings in parallel and publish only what is whole.

:func:`run_spec` (``parley run``, ``make briefings``) expands a spec (:mod:`parley.editions.spec`),
then for every briefing

1. resolves ``since: previous`` from the catalogue: the last published run of that briefing
   showing another view (another as-of or another dataset version), whose recorded positions
   become the notebook's ``baseline`` and whose as-of its ``since``;
2. skips it when the published run had exactly the same inputs (notebook, parameters, dataset
   version, package code): re-running is idempotent;
3. renders it in a worker process with :func:`parley.report.render.render_briefing` into a staging
   folder ``reports/.staging/<pid>/<name>/`` (a kernel that never started is retried once);
4. checks it is whole (:func:`check_whole`): every code cell after the parameters produced
   its output, no error, and the page draws as many charts as the notebook made;
5. publishes by ``os.replace`` of complete files, the page last but for the record::

       reports/<dossier>/<as_of>/<name>.html            the briefing
       reports/<dossier>/<as_of>/<name>.ipynb           the executed notebook (run record)
       reports/<dossier>/<as_of>/<name>.positions.csv   the stance matrix it showed
       reports/<dossier>/<as_of>/<name>.run.json        what, when, from which data
       reports/<dossier>/runs/<name>/<seq>/             the same record, kept for history
       reports/catalogue.jsonl                          one line per published or failed run
       reports/index.html                               the catalogue page

A failed briefing keeps its executed notebook as ``<name>.failed.ipynb`` beside the page and its
log under ``reports/logs/``; the last good page stays untouched. A claim on the
outputs (``reports/.locks/``, :func:`parley.fileio.claim_outputs`: one descriptor per run) keeps two runs from writing the same briefing. SIGTERM or Ctrl-C stops
the workers and their kernels and removes the staging folder; after a SIGKILL the workers stop
themselves (parent-death signal) and the next run removes what was staged.

:func:`run_briefing` renders and publishes a single briefing of a spec in-process: the entry
point of the Airflow DAG (``dags/parley_briefings.py``), one task per briefing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from parley import paths
from parley.errors import ParleyError, RenderError
from parley.fileio import OutputsBusy, claim_outputs, export_csv, write_atomic
from parley.editions.spec import PREVIOUS, Briefing, expand_spec
from parley.report.whole import ALLOW_EMPTY_TAG, IncompleteBriefing, check_whole  # noqa: F401 (part of this module's API until it splits)

CATALOGUE_FILE = "catalogue.jsonl"
INDEX_FILE = "index.html"
STAGING_DIR = ".staging"
LOCKS_DIR = ".locks"
LOGS_DIR = "logs"
RUNS_DIR = "runs"
POSITION_COLUMNS = ["actor_id", "issue_id", "stance", "red_line", "actor", "issue", "statement_id"]
#: Seconds a worker gets to stop its kernel after SIGTERM before it is killed.
STOP_GRACE = 10.0


class RunLocked(ParleyError):
    """Another run holds the lock of an output this run would write."""

    exit_code = 3


@dataclass
class Outcome:
    """What happened to one briefing of a batch.

    ``status`` is ``published``, ``unchanged`` (same inputs as the published run), ``failed`` or
    ``cancelled``; ``html`` the published page (also for ``unchanged``); ``record`` the run
    record (``<name>.run.json`` content) when published.
    """

    briefing: Briefing
    status: str
    seconds: float = 0.0
    html: Path | None = None
    message: str = ""
    log: Path | None = None
    failed_ipynb: Path | None = None
    record: dict | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("published", "unchanged")


@dataclass
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


@dataclass
class _Job:
    briefing: Briefing
    parameters: dict
    version: str
    inputs_key: str
    previous: dict | None
    folder: Path
    stage: Path | None = None
    process: subprocess.Popen | None = None
    log_handle: Any = None
    started: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.briefing.name


# --------------------------------------------------------------------------------------------
# public entry points


def run_spec(spec: str | os.PathLike[str], *, workers: int | None = None, today: dt.date | str | None = None,
             as_of: str | None = None, only: list[str] | None = None, force: bool = False, wait: float = 0.0,
             progress: bool = True, echo: Callable[[str], None] | None = None) -> BatchResult:
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
    briefings = expand_spec(spec, today=today, as_of=as_of, only=only)
    return run_briefings(briefings, workers=workers, force=force, wait=wait, progress=progress, echo=echo)


def run_briefings(briefings: list[Briefing], *, workers: int | None = None, force: bool = False, wait: float = 0.0,
                  progress: bool = True, echo: Callable[[str], None] | None = None) -> BatchResult:
    """Run already expanded briefings (see :func:`run_spec`)."""
    echo = echo or _stderr
    started = time.perf_counter()
    reports = paths.reports_dir()
    reports.mkdir(parents=True, exist_ok=True)
    workers = max(1, int(workers or os.cpu_count() or 1))
    locks = _acquire_locks(reports, briefings, wait)
    staging_lock = None
    previous_handlers: dict[int, Any] = {}
    try:
        for path in clean_staging(reports):
            echo(f"removed leftovers of an interrupted run: {path}")
        _reconcile(reports)
        staging_lock, stage_root = _open_staging(reports)
        catalogue = read_catalogue(reports)
        jobs = [_prepare(b, reports, catalogue) for b in briefings]
        outcomes: dict[str, Outcome] = {}
        todo = []
        for job in jobs:
            if not force and _is_unchanged(job, catalogue):
                outcomes[job.name] = Outcome(job.briefing, "unchanged", html=job.folder / f"{job.name}.html",
                                             record=_read_json(job.folder / f"{job.name}.run.json"))
            else:
                todo.append(job)
        cancel = _Cancel()
        previous_handlers = _install_handlers(cancel)
        _run_jobs(todo, stage_root, reports, min(workers, max(len(todo), 1)), cancel, outcomes, progress, echo)
        index = write_catalogue(reports) if todo or not (reports / INDEX_FILE).exists() else reports / INDEX_FILE
        result = BatchResult([outcomes[b.name] for b in briefings if b.name in outcomes], cancel.signum, index,
                             time.perf_counter() - started, [job.extra["log_problem"] for job in todo if "log_problem" in job.extra])
        if cancel.signum is not None:
            # briefings never started are reported as cancelled too
            done = {o.briefing.name for o in result.outcomes}
            result.outcomes += [Outcome(b, "cancelled", message="not started") for b in briefings if b.name not in done]
        return result
    finally:
        _restore_handlers(previous_handlers)
        if staging_lock is not None:
            _close_staging(staging_lock, reports)
        for lock in reversed(locks):
            lock.release()


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
    reports = paths.reports_dir()
    reports.mkdir(parents=True, exist_ok=True)
    locks = _acquire_locks(reports, [briefing], wait)
    staging_lock = None
    try:
        _reconcile(reports)
        catalogue = read_catalogue(reports)
        job = _prepare(briefing, reports, catalogue)
        if not force and _is_unchanged(job, catalogue):
            record = _read_json(job.folder / f"{job.name}.run.json") or {}
            return {**record, "status": "unchanged"}
        staging_lock, stage_root = _open_staging(reports)
        job.stage = stage_root / job.name
        job.stage.mkdir(parents=True)
        stage_briefing(_job_spec(job))
        outcome = _finish(job, reports)
        write_catalogue(reports)
        if not outcome.ok:
            raise RenderError(outcome.message)
        return outcome.record or {}
    finally:
        if staging_lock is not None:
            _close_staging(staging_lock, reports)
        for lock in reversed(locks):
            lock.release()


def read_catalogue(reports: Path | None = None) -> list[dict]:
    """Every run in ``reports/catalogue.jsonl``, oldest first (a torn last line is skipped)."""
    path = (reports or paths.reports_dir()) / CATALOGUE_FILE
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a write cut short by SIGKILL; the run it described is reconciled from runs/
    return entries


def previous_run(catalogue: list[dict], dossier_id: str, name: str, as_of: str, version: str, reports: Path | None = None) -> dict | None:
    """The run ``since: previous`` compares with.

    The last published run of the briefing ``(dossier_id, name)`` whose as-of is on or before
    ``as_of`` and which showed another view: another as-of, or the same as-of from another
    dataset version (a re-render after a data edit compares with the run before the edit).
    Runs whose recorded positions are gone are passed over.
    """
    reports = reports or paths.reports_dir()
    candidates = [
        entry for entry in catalogue
        if entry.get("status") == "published" and entry.get("dossier_id") == dossier_id and entry.get("name") == name
        and str(entry.get("as_of", "")) <= as_of and not (entry.get("as_of") == as_of and entry.get("version") == version)
        and (reports / entry.get("record_dir", "-") / "positions.csv").is_file()
    ]
    return max(candidates, key=lambda entry: int(entry.get("seq") or 0)) if candidates else None


def write_catalogue(reports: Path | None = None) -> Path:
    """Write ``reports/index.html``: every published and failed run, newest first (atomic).

    The page is self-contained (house stylesheet inlined, no script) and links each page, its
    run-record notebook, failed notebooks and logs by relative paths.
    """
    from filelock import FileLock

    reports = reports or paths.reports_dir()
    (reports / LOCKS_DIR).mkdir(parents=True, exist_ok=True)
    with FileLock(str(reports / LOCKS_DIR / "catalogue.lock")):
        page = render_catalogue(read_catalogue(reports), reports)
        target = reports / INDEX_FILE
        write_atomic(target, page)
    return target


def render_catalogue(entries: list[dict], reports: Path) -> str:
    """The catalogue page as HTML text (see :func:`write_catalogue`)."""
    import jinja2

    rows = []
    for entry in entries:
        row = dict(entry)
        if entry.get("status") == "published":
            current = _read_json(reports / entry.get("run_json", "-")) or {}
            is_current = current.get("seq") == entry.get("seq") and (reports / entry.get("html", "-")).is_file()
            row["state"] = "current" if is_current else "replaced"
            row["html_link"] = entry.get("html") if is_current else None
            row["ipynb_link"] = f"{entry['record_dir']}/{entry['name']}.ipynb" if entry.get("record_dir") else None
        else:
            row["state"] = entry.get("status", "failed")
            row["html_link"] = None
            row["ipynb_link"] = entry.get("failed_ipynb") if entry.get("failed_ipynb") and (reports / entry["failed_ipynb"]).is_file() else None
        row["log_link"] = entry.get("log") if entry.get("log") and (reports / entry["log"]).is_file() else None
        row["parameter_items"] = [(k, _relative(Path(v), reports) if k == "baseline" and v else v)
                                  for k, v in (entry.get("parameters") or {}).items() if k not in ("dossier", "as_of") and v != ""]
        rows.append(row)
    rows.sort(key=lambda r: (str(r.get("finished", "")), int(r.get("seq") or 0)), reverse=True)
    latest: dict[tuple, dict] = {}
    for row in rows:
        latest.setdefault((row.get("dossier_id"), row.get("as_of"), row.get("name")), row)
    counts = {
        "briefings": len(latest),
        "current": sum(1 for r in latest.values() if r["state"] == "current"),
        "failing": sum(1 for r in latest.values() if r["state"] == "failed"),
        "runs": len(rows),
    }
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR)), autoescape=True,
                                     keep_trailing_newline=True)
    from parley.words import plural

    environment.filters["plural"] = plural
    css_path = paths.TEMPLATES_DIR / "parley" / "static" / "parley.css"
    css = css_path.read_text(encoding="utf-8") if css_path.is_file() else ""
    from parley import __version__

    return environment.get_template("catalogue.html.j2").render(rows=rows, counts=counts, css=css, parley_version=__version__,
                                                                 failing=[r for r in latest.values() if r["state"] == "failed"])


def clean_staging(reports: Path | None = None) -> list[Path]:
    """Remove the staging folders of runs that are no longer alive; return what was removed."""
    from filelock import FileLock, Timeout

    root = (reports or paths.reports_dir()) / STAGING_DIR
    removed = []
    if not root.is_dir():
        return removed
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        lock = FileLock(str(root / f"{folder.name}.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue  # a live run owns it
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            lock.release()
    return removed


def format_summary(result: BatchResult, reports: Path | None = None) -> str:
    """The summary table printed at the end of ``parley run``: name, parameters, status, seconds, path."""
    reports = reports or paths.reports_dir()
    rows = [("briefing", "parameters", "status", "seconds", "path")]
    for outcome in result.outcomes:
        path = outcome.html if outcome.ok else (outcome.failed_ipynb or outcome.log)
        rows.append((outcome.briefing.name, _shorten(outcome.briefing.describe_parameters(), 40), outcome.status,
                     f"{outcome.seconds:.1f}" if outcome.seconds else "-", _relative(path, reports) if path else "-"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    counts: dict[str, int] = {}
    for outcome in result.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    tail = ", ".join(f"{n} {status}" for status, n in counts.items())
    lines.append(f"{len(result.outcomes)} briefing(s): {tail}; {result.seconds:.1f} s"
                 + (f"; cancelled by signal {result.cancelled_by}" if result.cancelled_by is not None else ""))
    for outcome in result.outcomes:
        if outcome.status == "failed":
            lines.append(f"FAILED {outcome.briefing.name}: {outcome.message}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# preparing jobs


def _prepare(briefing: Briefing, reports: Path, catalogue: list[dict]) -> _Job:
    from parley.data.tables import dataset_version
    from parley.data.schema import read_schema

    version = dataset_version(read_schema(paths.dossier_dir(briefing.dossier)))
    parameters = dict(briefing.parameters)
    previous = None
    if "since" in briefing.declared:
        if briefing.since == PREVIOUS:
            previous = previous_run(catalogue, briefing.dossier_id, briefing.name, briefing.as_of, version, reports)
            parameters["since"] = previous["as_of"] if previous else ""
            if previous and "baseline" in briefing.declared:
                parameters["baseline"] = str((reports / previous["record_dir"] / "positions.csv").resolve())
        else:
            parameters["since"] = briefing.since
    folder = reports / briefing.dossier_id / briefing.as_of
    key = _inputs_key(briefing, parameters, version)
    return _Job(briefing, parameters, version, key, previous, folder)


def _inputs_key(briefing: Briefing, parameters: dict, version: str) -> str:
    digest = hashlib.sha256()
    payload = {
        "notebook": hashlib.sha256(briefing.notebook.read_bytes()).hexdigest(),
        "dossier": briefing.dossier,
        "as_of": briefing.as_of,
        "parameters": parameters,
        "version": version,
        "code": _code_hash(),
    }
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


#: Parts of the package a render never runs: editing them does not re-render anything.
_NOT_RENDER_CODE = {"ingest", "commands", "cli.py", "__main__.py"}


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """Hash of the package code a render runs and of the page templates.

    A change there re-renders every briefing on the next run; ``ingest/``, ``commands/`` and
    the CLI are left out. Taken once per process, like the code the process itself runs.
    """
    digest = hashlib.sha256()
    package = paths.PROJECT_ROOT / "parley"
    for root in (package, paths.TEMPLATES_DIR):
        for file in sorted(root.rglob("*")):
            if root == package and file.relative_to(package).parts[0] in _NOT_RENDER_CODE:
                continue
            if file.is_file() and "__pycache__" not in file.parts and file.suffix not in (".pyc",):
                digest.update(file.relative_to(paths.PROJECT_ROOT).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _is_unchanged(job: _Job, catalogue: list[dict]) -> bool:
    """The published run had the same inputs, its files are there, and no attempt failed since."""
    record = _read_json(job.folder / f"{job.name}.run.json")
    if not record or record.get("inputs_key") != job.inputs_key:
        return False
    if not all((job.folder / f"{job.name}.{suffix}").is_file() for suffix in ("html", "ipynb", "positions.csv")):
        return False
    briefing = job.briefing
    attempts = [entry for entry in catalogue
                if (entry.get("dossier_id"), entry.get("as_of"), entry.get("name")) == (briefing.dossier_id, briefing.as_of, briefing.name)]
    return bool(attempts) and attempts[-1].get("seq") == record.get("seq")


# --------------------------------------------------------------------------------------------
# running workers


class _Cancel:
    signum: int | None = None

    def __call__(self, signum, frame):  # a signal handler: only note it, the loop acts on it
        self.signum = signum


def _install_handlers(cancel: _Cancel) -> dict[int, Any]:
    handlers = {}
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        try:
            handlers[signum] = signal.signal(signum, cancel)
        except ValueError:  # not the main thread: whoever runs us handles signals
            break
    return handlers


def _restore_handlers(handlers: dict[int, Any]) -> None:
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


def _run_jobs(jobs: list[_Job], stage_root: Path, reports: Path, workers: int, cancel: _Cancel, outcomes: dict,
              progress: bool, echo: Callable[[str], None]) -> None:
    from tqdm import tqdm

    pending = list(jobs)
    running: list[_Job] = []
    bar = tqdm(total=len(jobs), disable=not progress or not jobs, unit="briefing", file=sys.stderr, dynamic_ncols=True)
    try:
        while (pending or running) and cancel.signum is None:
            while pending and len(running) < workers and cancel.signum is None:
                job = pending.pop(0)
                _start(job, stage_root)
                running.append(job)
            for job in list(running):
                if job.process.poll() is None:
                    continue
                running.remove(job)
                outcome = _finish(job, reports)
                outcomes[job.name] = outcome
                bar.update(1)
                bar.set_postfix_str(f"{job.name}: {outcome.status}", refresh=True)
            time.sleep(0.05)
    finally:
        if running:
            _stop(running)
            for job in running:
                outcomes[job.name] = Outcome(job.briefing, "cancelled", time.perf_counter() - job.started,
                                             message=f"stopped by signal {cancel.signum}", log=_keep_log(job, reports, "cancelled"))
        bar.close()


def _job_spec(job: _Job) -> dict:
    briefing = job.briefing
    return {
        "name": briefing.name,
        "notebook": str(briefing.notebook),
        "dossier": briefing.dossier if "dossier" in briefing.declared else None,
        "dossier_ref": briefing.dossier,
        "as_of": briefing.as_of if "as_of" in briefing.declared else None,
        "view_as_of": briefing.as_of,
        "parameters": job.parameters,
        "version": job.version,
        "stage": str(job.stage),
        "parent_pid": os.getpid(),
    }


def _start(job: _Job, stage_root: Path) -> None:
    job.stage = stage_root / job.name
    job.stage.mkdir(parents=True)
    spec_path = job.stage / "job.json"
    spec_path.write_text(json.dumps(_job_spec(job), indent=1), encoding="utf-8")
    job.log_handle = open(job.stage / "worker.log", "wb")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    job.started = time.perf_counter()
    job.process = subprocess.Popen(
        [sys.executable, "-m", "parley.editions.publish", "--worker", str(spec_path)],
        stdin=subprocess.DEVNULL, stdout=job.log_handle, stderr=subprocess.STDOUT,
        env=env, start_new_session=True,  # Ctrl-C reaches the runner only; it stops the workers itself
    )


def _stop(jobs: list[_Job]) -> None:
    """SIGTERM every worker (each stops its kernel), then SIGKILL what is left of each tree."""
    trees = {job.name: _descendants(job.process.pid) for job in jobs}
    for job in jobs:
        if job.process.poll() is None:
            try:
                job.process.terminate()
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + STOP_GRACE
    for job in jobs:
        try:
            job.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            job.process.kill()
            job.process.wait()
        for pid in trees[job.name] + _descendants(job.process.pid):
            _kill(pid)
        if job.log_handle:
            job.log_handle.close()


def _descendants(pid: int) -> list[int]:
    try:
        import psutil

        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except Exception:  # psutil missing or the process is gone
        return []


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# --------------------------------------------------------------------------------------------
# the worker (a separate process, or the Airflow task itself)


def stage_briefing(job: dict) -> dict:
    """Render one briefing into its staging folder and write ``result.json`` there.

    ``job`` holds ``name``, ``notebook``, ``dossier``, ``as_of`` (``None`` when the notebook
    does not declare them), ``view_as_of``, ``parameters``, ``version`` (dataset version the
    runner saw) and ``stage``. A kernel that never started (the ZMQ port race of parallel
    kernels, papermill #511) is retried once. Besides the page and notebook, the stance matrix
    the briefing showed is written as ``positions.csv``.
    """
    from parley.report.render import render_briefing

    stage = Path(job["stage"])
    out = stage / "out"
    started = _now()
    clock = time.perf_counter()
    result: dict[str, Any] = {"status": "failed", "started": started, "attempts": 0}
    for attempt in (1, 2):
        result["attempts"] = attempt
        try:
            rendered = render_briefing(job["notebook"], dict(job["parameters"]), out_dir=out, dossier=job["dossier"],
                                       as_of=job["as_of"], progress=False)
        except RenderError as exc:
            if attempt == 1 and _kernel_never_started(exc, out, job["notebook"]):
                print(f"[parley] the kernel did not start ({exc}); retrying once", flush=True)
                shutil.rmtree(out, ignore_errors=True)
                continue
            result["message"] = str(exc)
            break
        except ParleyError as exc:
            result["message"] = str(exc)
            break
        except Exception as exc:  # anything else is a bug; keep its traceback in the log
            traceback.print_exc()
            result["message"] = f"{type(exc).__name__}: {exc}"
            break
        try:
            positions = _write_positions(job, out / "positions.csv")
        except Exception as exc:  # the data changed or cannot be read after the render
            result["message"] = f"recording the positions failed ({type(exc).__name__}: {exc})"
            break
        if rendered.version != job["version"]:
            result["message"] = (f"the dataset changed during the run (version {job['version']} before, {rendered.version} when "
                                 "rendered); nothing was published; run again")
            break
        result.update(status="rendered", html=str(rendered.html), ipynb=str(rendered.ipynb), n_charts=rendered.n_charts,
                      version=rendered.version, positions=positions)
        break
    failed = _failed_record(out)
    if failed is not None:
        result["failed_ipynb"] = str(failed)
    result["finished"] = _now()
    result["seconds"] = round(time.perf_counter() - clock, 3)
    write_atomic(stage / "result.json", json.dumps(result, indent=1))
    print(f"[parley] {job['name']}: {result['status']} in {result['seconds']:.1f} s" + (f": {result.get('message')}" if result.get("message") else ""), flush=True)
    return result


def _failed_record(out: Path) -> Path | None:
    """The failed run record render_briefing kept in a job's own staging folder, if any (its name
    carries the notebook and its subject, e.g. ``actor_profile-russia.failed.ipynb``)."""
    found = sorted(out.glob("*.failed.ipynb"))
    return found[0] if found else None


def _kernel_never_started(error: RenderError, out: Path, notebook: str) -> bool:
    """True when execution failed because the kernel did not start: no cell ran, and the kernel
    did not die while running one (nbclient's DeadKernelError)."""
    import nbformat
    from nbclient.exceptions import DeadKernelError

    if isinstance(error.__cause__, DeadKernelError) or "DeadKernelError" in str(error):
        return False
    record = _failed_record(out)
    if record is None:
        return True
    try:
        nb = nbformat.read(record, as_version=4)
    except Exception:  # unreadable record: nothing ran that we can see
        return True
    if any(output.get("output_type") == "error" for cell in nb.cells for output in cell.get("outputs", [])):
        return False
    return all(cell.get("execution_count") is None for cell in nb.cells if cell.cell_type == "code")


def _write_positions(job: dict, path: Path) -> int:
    import pandas as pd

    from parley.analysis import stance_matrix
    from parley.data.dossier import load_dossier

    dossier = load_dossier(job.get("dossier_ref") or job["dossier"] or paths.DEFAULT_DOSSIER)
    if dossier.version != job["version"]:
        raise RuntimeError(f"the dataset changed during the run (version {job['version']} before, {dossier.version} after)")
    matrix = stance_matrix(dossier, pd.Timestamp(job["view_as_of"]))
    frame = matrix.reindex(columns=POSITION_COLUMNS)
    frame = frame.assign(red_line=frame["red_line"].map(lambda v: "true" if bool(v) else "false"))
    export_csv(path, frame)  # formula-like cells neutralised: people open it in a spreadsheet
    return len(frame)


def _worker_main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "--worker":
        print("usage: python -m parley.editions.publish --worker JOB.json (started by `parley run`)", file=sys.stderr)
        return 2
    job = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    _die_with_parent(int(job.get("parent_pid") or 0))
    signal.signal(signal.SIGTERM, _worker_stop)
    signal.signal(signal.SIGHUP, _worker_stop)
    result = stage_briefing(job)
    return 0 if result["status"] == "rendered" else 1


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
    for pid in _descendants(os.getpid()):
        _kill(pid)
    os._exit(128 + signum)


# --------------------------------------------------------------------------------------------
# publishing


def _finish(job: _Job, reports: Path) -> Outcome:
    """Verify a worker's staged render and publish it, or record the failure."""
    if job.log_handle:
        job.log_handle.close()
        job.log_handle = None
    seconds = time.perf_counter() - job.started if job.started else 0.0
    result = _read_json(job.stage / "result.json")
    if result is None:
        code = job.process.returncode if job.process else None
        why = f"killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
        result = {"status": "failed", "message": f"the worker {why} before reporting", "started": _now(), "finished": _now()}
    if not seconds:  # in-process (Airflow): the render's own time
        seconds = float(result.get("seconds") or 0.0)
    if result.get("status") == "rendered":
        try:
            n_charts = check_whole(result["ipynb"], result["html"])
            if n_charts != result.get("n_charts"):
                raise IncompleteBriefing(f"the render reported {result.get('n_charts')} chart(s), the page holds {n_charts}")
            record = _publish(job, result, reports, n_charts, seconds)
        except (ParleyError, OSError) as exc:
            result = {**result, "status": "failed", "message": str(exc)}
        else:
            log = _keep_log(job, reports, "published")
            return Outcome(job.briefing, "published", seconds, job.folder / f"{job.name}.html", log=log, record=record)
    return _record_failure(job, result, reports, seconds)


def _identity(job: "_Job", briefing: Briefing) -> dict:
    """What names a run in its record and in the catalogue, published or failed."""
    return {"name": briefing.name, "dossier": briefing.dossier, "dossier_id": briefing.dossier_id,
            "notebook": briefing.notebook_name, "parameters": job.parameters, "as_of": briefing.as_of}


def _publish(job: _Job, result: dict, reports: Path, n_charts: int, seconds: float) -> dict:
    from filelock import FileLock

    from parley import __version__

    briefing = job.briefing
    html, ipynb, positions = Path(result["html"]), Path(result["ipynb"]), job.stage / "out" / "positions.csv"
    job.folder.mkdir(parents=True, exist_ok=True)
    (reports / LOCKS_DIR).mkdir(parents=True, exist_ok=True)
    with FileLock(str(reports / LOCKS_DIR / "catalogue.lock")):
        seq = _next_seq(reports, briefing)
        record_dir = reports / briefing.dossier_id / RUNS_DIR / briefing.name / f"{seq:05d}"
        record = {
            "seq": seq,
            **_identity(job, briefing),
            "since": job.parameters.get("since", ""),
            "previous_seq": job.previous.get("seq") if job.previous else None,
            "version": result.get("version", job.version),
            "status": "published",
            "started": result.get("started"),
            "finished": result.get("finished"),
            "seconds": round(seconds, 3),
            "n_charts": n_charts,
            "n_positions": result.get("positions"),
            "attempts": result.get("attempts"),
            "inputs_key": job.inputs_key,
            "parley_version": __version__,
            "html": _relative(job.folder / f"{briefing.name}.html", reports),
            "ipynb": _relative(job.folder / f"{briefing.name}.ipynb", reports),
            "positions": _relative(job.folder / f"{briefing.name}.positions.csv", reports),
            "run_json": _relative(job.folder / f"{briefing.name}.run.json", reports),
            "record_dir": _relative(record_dir, reports),
            "log": _relative(_log_path(job, reports), reports),
        }
        text = json.dumps(record, indent=1, ensure_ascii=False) + "\n"
        _point_record_at(ipynb, reports / record["ipynb"])  # not at the staging folder (it names this run's pid)
        # 1. the history record, complete, then renamed into place (a directory rename is atomic)
        history = job.stage / "history"
        history.mkdir()
        shutil.copyfile(ipynb, history / f"{briefing.name}.ipynb")
        shutil.copyfile(positions, history / "positions.csv")
        (history / "run.json").write_text(text, encoding="utf-8")
        record_dir.parent.mkdir(parents=True, exist_ok=True)
        os.rename(history, record_dir)
        # 2. the published files, each replaced whole; the page, then the record that describes it
        staged_record = job.stage / "run.json"
        staged_record.write_text(text, encoding="utf-8")
        os.replace(ipynb, job.folder / f"{briefing.name}.ipynb")
        os.replace(positions, job.folder / f"{briefing.name}.positions.csv")
        os.replace(html, job.folder / f"{briefing.name}.html")
        os.replace(staged_record, job.folder / f"{briefing.name}.run.json")
        _remove(job.folder / f"{briefing.name}.failed.ipynb")
        # 3. the catalogue line
        _append_catalogue(reports, record)
    return record


def _point_record_at(ipynb: Path, published: Path) -> None:
    """Make the run record name where it is published (``papermill.output_path``), not the
    staging folder it was rendered in, so two runs of the same inputs give the same notebook."""
    import nbformat

    from parley.report.render import _display_path

    nb = nbformat.read(ipynb, as_version=4)
    papermill_meta = nb.metadata.get("papermill")
    if papermill_meta is not None and "output_path" in papermill_meta:
        papermill_meta["output_path"] = _display_path(published)
        write_atomic(ipynb, nbformat.writes(nb) + "\n")


def _record_failure(job: _Job, result: dict, reports: Path, seconds: float) -> Outcome:
    from filelock import FileLock

    briefing = job.briefing
    failed_target = None
    staged_failed = Path(result["failed_ipynb"]) if result.get("failed_ipynb") else None
    if staged_failed is None and result.get("ipynb") and Path(result["ipynb"]).is_file():
        staged_failed = Path(result["ipynb"])  # rendered but not whole: keep it for diagnosis
    if staged_failed is not None and staged_failed.is_file():
        job.folder.mkdir(parents=True, exist_ok=True)
        failed_target = job.folder / f"{briefing.name}.failed.ipynb"
        os.replace(staged_failed, failed_target)
    message = result.get("message") or "failed"
    if failed_target is not None:
        message = message.replace(str(staged_failed), str(failed_target))
    log = _keep_log(job, reports, "failed: " + message)
    entry = {
        "seq": None,
        **_identity(job, briefing),
        "version": job.version,
        "status": "failed",
        "error": message,
        "started": result.get("started"),
        "finished": result.get("finished") or _now(),
        "seconds": round(seconds, 3),
        "failed_ipynb": _relative(failed_target, reports) if failed_target else None,
        "log": _relative(log, reports) if log else None,
    }
    (reports / LOCKS_DIR).mkdir(parents=True, exist_ok=True)
    with FileLock(str(reports / LOCKS_DIR / "catalogue.lock")):
        _append_catalogue(reports, entry)
    return Outcome(briefing, "failed", seconds, message=message, log=log, failed_ipynb=failed_target)


def _log_path(job: _Job, reports: Path) -> Path:
    return reports / LOGS_DIR / job.briefing.dossier_id / job.briefing.as_of / f"{job.name}.log"


def _keep_log(job: _Job, reports: Path, status: str) -> Path | None:
    """Move the worker's log out of staging (it is diagnosis, not a published page)."""
    if job.log_handle:
        job.log_handle.close()
        job.log_handle = None
    staged = job.stage / "worker.log" if job.stage else None
    target = _log_path(job, reports)
    text = staged.read_text(encoding="utf-8", errors="replace") if staged and staged.is_file() else ""
    text += f"[parley] {job.name}: {status}\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
    except OSError as exc:  # a full disk or a read-only logs folder: the briefing's own outcome stands
        job.extra["log_problem"] = f"{exc.filename or target}: {exc.strerror or exc}; the log of {job.name} ({status.split(':')[0]}) was not kept"
        return None
    return target


def _next_seq(reports: Path, briefing: Briefing) -> int:
    used = [int(entry.get("seq") or 0) for entry in read_catalogue(reports)]
    history = reports / briefing.dossier_id / RUNS_DIR / briefing.name
    if history.is_dir():
        used += [int(p.name) for p in history.iterdir() if p.name.isdigit()]
    return max(used, default=0) + 1


def _append_catalogue(reports: Path, entry: dict) -> None:
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    descriptor = os.open(reports / CATALOGUE_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _reconcile(reports: Path) -> None:
    """Catalogue the history records a killed run renamed into place but never catalogued.

    A record whose page was published (the published ``run.json`` carries its ``seq``) is
    appended to the catalogue; one whose publishing never got that far is removed.
    """
    from filelock import FileLock

    def orphans() -> list[Path]:
        known = {entry.get("seq") for entry in read_catalogue(reports) if entry.get("seq") is not None}
        return sorted(run for run in reports.glob(f"*/{RUNS_DIR}/*/*/run.json") if run.parent.name.isdigit() and int(run.parent.name) not in known)

    if not orphans():
        return
    (reports / LOCKS_DIR).mkdir(parents=True, exist_ok=True)
    with FileLock(str(reports / LOCKS_DIR / "catalogue.lock")):
        for run in orphans():  # again under the lock: a run publishing meanwhile is not an orphan
            record = _read_json(run)
            published = _read_json(reports / record.get("run_json", "-")) if record else None
            if record and published and published.get("seq") == record.get("seq"):
                _append_catalogue(reports, record)
            else:
                shutil.rmtree(run.parent, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# locks and staging


def output_name(briefing: Briefing) -> str:
    """What a run (or ``parley render``) claims for a briefing: ``<dossier>/<as_of>/<name>``."""
    return f"{briefing.dossier_id}/{briefing.as_of}/{briefing.name}"


def _acquire_locks(reports: Path, briefings: list[Briefing], wait: float) -> list:
    """Claim every output of the batch at once (all or nothing), holding one file descriptor
    however many briefings there are (:func:`parley.fileio.claim_outputs`)."""
    claim = contextlib.ExitStack()
    try:
        claim.enter_context(claim_outputs(reports / LOCKS_DIR, {output_name(b) for b in briefings}, wait))
    except OutputsBusy as busy:
        waited = f" after waiting {wait:g} s" if wait > 0 else ""
        raise RunLocked(
            f"another parley run is writing {busy.output} (lock {busy.lock} is held){waited}; this run wrote nothing. "
            "Let it finish, or pass --wait SECONDS to queue behind it"
        ) from None
    claim.release = claim.close  # the callers release what they hold
    return [claim]


def _open_staging(reports: Path):
    from filelock import FileLock

    root = reports / STAGING_DIR
    root.mkdir(parents=True, exist_ok=True)
    name = f"run-{os.getpid()}-{threading.get_ident()}"
    lock = FileLock(str(root / f"{name}.lock"))
    lock.acquire(timeout=0)
    stage_root = root / name
    shutil.rmtree(stage_root, ignore_errors=True)
    stage_root.mkdir()
    return lock, stage_root


def _close_staging(lock, reports: Path) -> None:
    stage_root = Path(lock.lock_file).with_suffix("")
    shutil.rmtree(stage_root, ignore_errors=True)
    lock.release()
    _remove(Path(lock.lock_file))


# --------------------------------------------------------------------------------------------
# small helpers


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _remove(path: Path) -> None:
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass


def _relative(path: Path | None, reports: Path) -> str:
    if path is None:
        return ""
    try:
        return Path(path).resolve().relative_to(reports.resolve()).as_posix()
    except ValueError:
        return str(path)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
