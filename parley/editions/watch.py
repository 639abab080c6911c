"""``parley run --watch``: the edition again, on the same warm workers, each time its inputs change.

An analyst fixing one statement wants the edition back while the thought is fresh. A new
``parley run`` pays for its workers every time (on 2 CPUs the start-up of two warm workers, their
imports and kernels, is as long as four or five pages), although after a one-statement edit only
the few pages whose slice of the dossier changed render again. :func:`watch_spec` runs a first
edition, keeps its warm workers (:class:`parley.editions.warm.WarmWorkers`) and their kernels
alive while it waits, and runs the next edition on them as soon as what the spec reads has changed
and settled:

- the spec file; for every briefing, its notebook, its dossier's folder (every file, the
  write-ahead journal of a multi-file change among them) and its seeds folder. A change is acted on
  once two looks ``interval`` seconds apart agree and no journal of an unfinished change is there,
  so a save in progress is never read half done;
- Parley's own code and the page templates. The workers and this process run the code they
  imported, so a change there ends the watch with :data:`CODE_CHANGED`; ``parley run --watch``
  then starts itself again (a new process, new workers) and renders what the new code changes.

Each edition is an ordinary :func:`parley.editions.batch.run_spec` (locks, only what changed, the
summary, the catalogue): what it publishes is what a new ``parley run`` would publish, apart from
the generation times. A spec that became malformed, or another run holding a lock, is reported and
waited out; a dossier that became invalid fails its pages (the last good ones stay published) and
the watch goes on. A worker that died while idle is replaced at the next edition.
``tests/editions/test_watch.py`` covers it; ``benchmarks/batch.py --watch`` times it.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from parley import paths
from parley.editions import warm
from parley.editions.batch import BatchResult, run_spec
from parley.errors import ParleyError

#: Why :func:`watch_spec` returned.
STOPPED, CODE_CHANGED = "stopped", "code changed"

#: Folders whose files never count as an input (caches, compiled code, a version control store).
_SKIPPED_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", ".pytest_cache"}
#: Journal folders of a dossier change under way (:mod:`parley.journal`): wait until they are gone.
_JOURNALS = (".journal", ".journal.partial")
#: Seconds between a look that found a change and the look that confirms it settled.
SETTLE_SECONDS = 0.2


def code_roots() -> list[Path]:
    """What a render runs besides the notebook: Parley's package and the page templates."""
    return [paths.PROJECT_ROOT / "parley", paths.TEMPLATES_DIR]


def fingerprint(roots: Iterable[Path]) -> tuple:
    """``(path, size, mtime_ns)`` of every file under ``roots`` (a root may be a file; a missing
    one counts as such), sorted: equal fingerprints, unchanged files."""
    seen: list[tuple] = []
    for root in sorted({Path(r) for r in roots}):
        if root.is_file():
            stat = root.stat()
            seen.append((str(root), stat.st_size, stat.st_mtime_ns))
            continue
        if not root.is_dir():
            seen.append((str(root), -1, -1))
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
            for name in sorted(files):
                if name.endswith(".pyc"):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:  # removed between the listing and the look
                    continue
                seen.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(seen)


def input_roots(spec: Path, briefings: Iterable) -> list[Path]:
    """The spec file and, for each briefing, its notebook, dossier folder and seeds folder."""
    from parley.data.schema import read_schema

    roots = {Path(spec).resolve()}
    for briefing in briefings:
        roots.add(Path(briefing.notebook).resolve())
        folder = paths.dossier_dir(briefing.dossier)
        roots.add(folder)
        try:
            roots.add(read_schema(folder).seeds_dir)
        except Exception:  # an unreadable descriptor: the folder itself is watched, the edition says what is wrong
            pass
    return sorted(roots)


def _in_progress(roots: Iterable[Path]) -> bool:
    return any((Path(root) / name).exists() for root in roots for name in _JOURNALS)


@dataclass
class Edition:
    """One edition of a watch: its number (1 for the first), the result (``None`` when it could
    not run: ``error`` says why) and when it ended."""

    number: int
    result: BatchResult | None
    error: str = ""
    seconds: float = 0.0


def watch_spec(spec: str | os.PathLike[str], *, workers: int | None = None, today: dt.date | str | None = None,
               as_of: str | None = None, only: list[str] | None = None, force: bool = False, wait: float = 0.0,
               progress: bool = True, echo: Callable[[str], None] | None = None, interval: float = 0.5,
               on_edition: Callable[[Edition], None] | None = None, stop: threading.Event | None = None,
               editions: int | None = None, code: list[Path] | None = None) -> str:
    """Run the spec's edition now and again whenever its inputs change, on the same warm workers.

    Parameters
    ----------
    spec, workers, today, as_of, only, wait, progress, echo
        As for :func:`parley.editions.batch.run_spec` (``today`` left ``None`` is the local date
        of each edition).
    force
        Render every page of the first edition again; later editions render only what changed.
    interval
        Seconds between two looks at the inputs (a change is acted on when two looks agree).
    on_edition
        Called with each :class:`Edition` as it ends (the CLI prints its summary).
    stop
        Set it to end the watch (it is looked at between editions and while waiting).
    editions
        End after this many editions (``None``: until ``stop``, a signal or a code change).
    code
        The code folders whose change ends the watch (default :func:`code_roots`).

    Returns
    -------
    str
        :data:`STOPPED` or :data:`CODE_CHANGED`.
    """
    stop = stop or threading.Event()
    code = list(code) if code is not None else code_roots()
    spec = Path(spec)
    pool = warm.WarmWorkers(warm.slots(workers)) if warm.enabled() else None
    try:
        if pool is not None:
            pool.spawn()  # its kernel starts while the spec is read
        code_seen = fingerprint(code)
        number = 0
        while not stop.is_set():
            number += 1
            started = time.perf_counter()
            roots = _roots_now(spec, today, as_of, only)
            seen = fingerprint(roots)  # what this edition reads, taken before it reads it
            try:
                result = run_spec(spec, workers=pool.size if pool else workers, today=today, as_of=as_of, only=only,
                                  force=force and number == 1, wait=wait, progress=progress, echo=echo, pool=pool)
                edition = Edition(number, result, seconds=time.perf_counter() - started)
            except ParleyError as error:  # a malformed spec, a lock held by another run: said, then waited out
                edition = Edition(number, None, error=str(error), seconds=time.perf_counter() - started)
            if on_edition is not None:
                on_edition(edition)
            if edition.result is not None and edition.result.cancelled_by is not None:
                return STOPPED  # Ctrl-C or SIGTERM during the edition: its pages were stopped
            if editions is not None and number >= editions:
                return STOPPED
            if pool is not None:
                pool.top_up()  # every slot warm before the next edition
            changed = _next_change(roots, seen, code, code_seen, interval, stop)
            if changed == CODE_CHANGED:
                return CODE_CHANGED
        return STOPPED
    finally:
        if pool is not None:
            pool.close()


def _roots_now(spec: Path, today, as_of, only) -> list[Path]:
    """The inputs of the spec as it expands now (only the spec file when it does not expand: the
    edition then says what is wrong, and a fix of the spec is what is waited for)."""
    from parley.editions.spec import expand_spec

    try:
        return input_roots(spec, expand_spec(spec, today=today, as_of=as_of, only=only))
    except (ParleyError, OSError):
        return [spec.resolve()]


def _next_change(roots: list[Path], seen: tuple, code: list[Path], code_seen: tuple, interval: float,
                 stop: threading.Event) -> str | None:
    """Wait until the inputs differ from ``seen`` and have settled (``None``), the code changed
    (:data:`CODE_CHANGED`) or ``stop`` is set (``None``). Settled: a second look a moment later
    finds the same files, and no journal of a change under way is there."""
    settle = min(interval, SETTLE_SECONDS)
    while not stop.wait(interval):
        if fingerprint(code) != code_seen:
            return CODE_CHANGED
        now = fingerprint(roots)
        while now != seen and not stop.is_set():
            stop.wait(settle)
            again = fingerprint(roots)
            if again == now and not _in_progress(roots):
                return None
            now = again
    return None
