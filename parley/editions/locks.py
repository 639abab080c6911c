"""Who may write what: a claim on a run's outputs, the catalogue's lock, and the staging folder of a run.

A claim on the outputs (``reports/.locks/``, :func:`parley.fileio.claim_outputs`: all or
nothing, one descriptor per run) keeps two runs from writing the same briefing. The
catalogue lock serialises appends to ``catalogue.jsonl`` and rewrites of ``index.html``. A run
renders into its own ``reports/.staging/run-<pid>-<thread>/``, held by a lock while it lives;
:func:`clean_staging` removes what dead runs left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from parley import paths
from parley.editions.spec import Briefing
from parley.errors import ParleyError
from parley.fileio import OutputsBusy, claim_outputs


class RunLocked(ParleyError):
    """Another run holds the lock of an output this run would write."""

    exit_code = 3


def output_name(briefing: Briefing) -> str:
    """What a run (or ``parley render``) claims for a briefing: ``<dossier>/<as_of>/<name>``."""
    return f"{briefing.dossier_id}/{briefing.as_of}/{briefing.name}"


def acquire_locks(layout: paths.ReportsLayout, briefings: list[Briefing], wait: float) -> list:
    """Claim every output of the batch at once (all or nothing), holding one file descriptor
    however many briefings there are (:func:`parley.fileio.claim_outputs`)."""
    claim = contextlib.ExitStack()
    try:
        claim.enter_context(claim_outputs(layout.locks, {output_name(b) for b in briefings}, wait))
    except OutputsBusy as busy:
        waited = f" after waiting {wait:g} s" if wait > 0 else ""
        raise RunLocked(
            f"another parley run is writing {busy.output} (lock {busy.lock} is held){waited}; this run wrote nothing. "
            "Let it finish, or pass --wait SECONDS to queue behind it"
        ) from None
    claim.release = claim.close  # the callers release what they hold
    return [claim]


@contextmanager
def catalogue_lock(layout: paths.ReportsLayout) -> Iterator[None]:
    """Hold the catalogue's lock (appends to ``catalogue.jsonl``, rewrites of ``index.html``)."""
    from filelock import FileLock

    layout.locks.mkdir(parents=True, exist_ok=True)
    with FileLock(str(layout.locks / "catalogue.lock")):
        yield


def open_staging(layout: paths.ReportsLayout):
    """Create this run's staging folder and hold its lock; return ``(lock, folder)``."""
    from filelock import FileLock

    root = layout.staging
    root.mkdir(parents=True, exist_ok=True)
    name = f"run-{os.getpid()}-{threading.get_ident()}"
    lock = FileLock(str(root / f"{name}.lock"))
    lock.acquire(timeout=0)
    stage_root = root / name
    shutil.rmtree(stage_root, ignore_errors=True)
    stage_root.mkdir()
    return lock, stage_root


def close_staging(lock) -> None:
    """Remove this run's staging folder and release (and remove) its lock."""
    stage_root = Path(lock.lock_file).with_suffix("")
    shutil.rmtree(stage_root, ignore_errors=True)
    lock.release()
    try:
        Path(lock.lock_file).unlink()
    except FileNotFoundError:
        pass


def clean_staging(reports: Path | None = None) -> list[Path]:
    """Remove the staging folders of runs that are no longer alive; return what was removed."""
    from filelock import FileLock, Timeout

    root = paths.reports_layout(reports).staging
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
