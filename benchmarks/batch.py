"""Measure ``parley run``: n briefings one by one (1 worker) against the same n on 2 workers,
and an edition as a person runs it (``parley run``, a new process) with the time to its first published page.

    .venv/bin/python benchmarks/batch.py [--n 12] [--workers 2] [--kernels warm|cold]

The briefings are the first ``n`` of ``briefings.yml`` (the main briefing, actor profiles, issue
briefs) on the seed dossier as of its own date, rendered by the real runner into fresh temporary
report folders, so both runs do the same work. ``benchmarks/run.py`` (``make bench``) imports
:func:`measure_batch`. The goal is parallel <= 0.6 x one by one; on a machine whose cores are
shared the numbers are noisy.

:func:`measure_edition` starts ``parley run`` on the first ``n`` briefings (``--only`` each) as a
new process and watches its reports folder: the wall time from the process start to the first published page and to the
end, with warm kernels (``PARLEY_KERNELS=warm``) or one fresh kernel per page (``cold``).

:func:`measure_changed` (``--changed``) runs the whole shipped spec on a temporary copy of the
seed dossier, changes the stance of one position of one party's statement (an analyst's fix),
and runs the edition again: the second run renders only the pages whose slice of the dossier
changed (:mod:`parley.editions.slices`). ``data/`` is never touched.

:func:`measure_watch` (``--watch``) times the same edit as an analyst makes it with
``parley run --watch`` running: the first edition from the process start, then the time from
saving the edit to the next edition, on the workers the first one started.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure_batch(n: int = 12, workers: int = 2, spec: str | os.PathLike[str] | None = None) -> dict:
    """Render the same ``n`` briefings with 1 worker and with ``workers`` workers.

    Parameters
    ----------
    n
        How many briefings (the first ``n`` of the spec's expansion).
    workers
        Workers of the parallel run.
    spec
        Spec file; default the project's ``briefings.yml``.

    Returns
    -------
    dict
        ``n``, ``workers``, ``sequential`` and ``parallel`` (seconds, wall time of the whole
        batch), ``ratio`` (parallel / sequential), ``cpus`` and the per-briefing seconds of each run.

    Raises
    ------
    RuntimeError
        When a briefing of either run did not publish (the timing would mean nothing).
    """
    from parley.editions.batch import run_briefings
    from parley.editions.spec import expand_spec

    spec_path = Path(spec) if spec else ROOT / "briefings.yml"
    saved = os.environ.get("PARLEY_REPORTS_DIR")
    timings: dict[int, float] = {}
    per_briefing: dict[int, dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="parley-batch-") as work:
            for count in (1, workers):
                os.environ["PARLEY_REPORTS_DIR"] = str(Path(work) / f"reports-{count}")
                # as of the dossier's own date, so every run sees the same view
                briefings = expand_spec(spec_path, as_of=_dossier_as_of())[:n]
                if len(briefings) < n:
                    raise RuntimeError(f"{spec_path} expands to {len(briefings)} briefings, fewer than {n}")
                started = time.perf_counter()
                result = run_briefings(briefings, workers=count, progress=False, echo=lambda _message: None)
                timings[count] = time.perf_counter() - started
                failed = [o.briefing.name for o in result.outcomes if o.status != "published"]
                if failed:
                    raise RuntimeError(f"{len(failed)} briefing(s) did not publish with {count} worker(s): {', '.join(failed)}")
                per_briefing[count] = {o.briefing.name: round(o.seconds, 2) for o in result.outcomes}
    finally:
        if saved is None:
            os.environ.pop("PARLEY_REPORTS_DIR", None)
        else:
            os.environ["PARLEY_REPORTS_DIR"] = saved
    sequential, parallel = timings[1], timings[workers]
    return {
        "n": n,
        "workers": workers,
        "sequential": round(sequential, 2),
        "parallel": round(parallel, 2),
        "ratio": round(parallel / sequential, 3),
        "cpus": os.cpu_count(),
        "per_briefing_sequential": per_briefing[1],
        "per_briefing_parallel": per_briefing[workers],
    }


def measure_edition(n: int = 12, workers: int = 2, kernels: str = "warm") -> dict:
    """One edition of the first ``n`` briefings of ``briefings.yml`` on ``workers`` workers, as a
    person runs it (``parley run briefings.yml -j WORKERS --only ...``, a new process):
    ``seconds`` (process start to exit) and ``first_page`` (process start to the first page
    published in its reports folder, polled every 10 ms). ``kernels``: ``warm`` or ``cold``.

    Raises ``RuntimeError`` when the edition did not publish every briefing.
    """
    with tempfile.TemporaryDirectory(prefix="parley-edition-") as work:
        reports = Path(work) / "reports"
        env = {**os.environ, "PARLEY_REPORTS_DIR": str(reports), "PARLEY_KERNELS": "warm" if kernels == "warm" else "cold"}
        first: list[float] = []
        stop = threading.Event()

        def watch(started: float) -> None:
            while not stop.is_set() and not first:
                if any(not p.name.startswith(".") for p in reports.glob("*/*/*.html")):
                    first.append(time.perf_counter() - started)
                stop.wait(0.01)

        from parley.editions.spec import expand_spec

        only = [arg for briefing in expand_spec(ROOT / "briefings.yml", as_of=_dossier_as_of())[:n] for arg in ("--only", briefing.name)]
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "parley", "run", str(ROOT / "briefings.yml"), "-q", "-j", str(workers), *only],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        watcher = threading.Thread(target=watch, args=(started,), daemon=True)
        watcher.start()
        out, err = process.communicate()
        seconds = time.perf_counter() - started
        stop.set()
        watcher.join()
        if process.returncode != 0:
            raise RuntimeError(f"the edition ({kernels} kernels) exited {process.returncode}: {(out + err)[-2000:]}")
    return {"n": n, "workers": workers, "kernels": kernels, "seconds": round(seconds, 2),
            "first_page": round(first[0], 2) if first else None}


def measure_changed(workers: int = 2, kernels: str = "warm") -> dict:
    """A full edition of ``briefings.yml`` on a copy of the seed dossier, a one-statement edit,
    then the edition again (same process, same as-of).

    Returns
    -------
    dict
        ``full`` and ``edited`` (seconds), ``ratio`` (edited / full), ``pages``, ``rendered``
        (the pages the edited run rendered again), ``edit`` (what was changed).

    Raises
    ------
    RuntimeError
        When a page of either run did not publish, or the edited run kept nothing unchanged.
    """
    from parley import paths
    from parley.data.dossier import load_dossier
    from parley.editions.batch import run_spec

    saved = {name: os.environ.get(name) for name in ("PARLEY_REPORTS_DIR", "PARLEY_DATA_DIR", "PARLEY_KERNELS")}
    try:
        with tempfile.TemporaryDirectory(prefix="parley-changed-") as work:
            data = Path(work) / "data"
            shutil.copytree(paths.dossier_dir(paths.DEFAULT_DOSSIER), data / paths.DEFAULT_DOSSIER)
            shutil.copytree(ROOT / "seeds", Path(work) / "seeds")  # the descriptor's seeds_dir is ../../seeds
            os.environ.update(PARLEY_DATA_DIR=str(data), PARLEY_REPORTS_DIR=str(Path(work) / "reports"),
                              PARLEY_KERNELS="warm" if kernels == "warm" else "cold")
            as_of = _dossier_as_of()
            seconds, outcomes = [], []
            for step in ("full", "edited"):
                if step == "edited":
                    edit = _one_statement_edit(data / paths.DEFAULT_DOSSIER)
                    load_dossier(data / paths.DEFAULT_DOSSIER)  # the edit is valid
                started = time.perf_counter()
                result = run_spec(ROOT / "briefings.yml", as_of=as_of, workers=workers, progress=False, echo=lambda _message: None)
                seconds.append(time.perf_counter() - started)
                if not result.ok:
                    raise RuntimeError(f"the {step} edition did not publish every page: {[o.briefing.name for o in result.outcomes if not o.ok]}")
                outcomes.append(result.outcomes)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    rendered = [o.briefing.name for o in outcomes[1] if o.status == "published"]
    if len(rendered) == len(outcomes[1]):
        raise RuntimeError("the edited edition rendered every page again")
    return {"workers": workers, "kernels": kernels, "full": round(seconds[0], 2), "edited": round(seconds[1], 2),
            "ratio": round(seconds[1] / seconds[0], 3), "pages": len(outcomes[1]), "rendered": rendered, "edit": edit}


def measure_watch(workers: int = 2, kernels: str = "warm", interval: float = 0.2) -> dict:
    """``parley run --watch`` as an analyst uses it: a new process on a copy of the seed dossier
    publishes the whole shipped spec (``full``: from the process start to its ``edition 1:``
    line), then a one-statement edit is saved and ``edited`` is the time from the save to the
    ``edition 2:`` line (the wait for the change to be seen and settle included).

    Returns ``full``, ``edited``, ``ratio``, ``pages``, ``rendered`` (how many rendered again) and
    ``edit``. Raises ``RuntimeError`` when an edition did not publish every page or the command
    did not end on Ctrl-C.
    """
    import re
    import signal

    from parley import paths

    with tempfile.TemporaryDirectory(prefix="parley-watch-") as work:
        data = Path(work) / "data"
        shutil.copytree(paths.dossier_dir(paths.DEFAULT_DOSSIER), data / paths.DEFAULT_DOSSIER)
        shutil.copytree(ROOT / "seeds", Path(work) / "seeds")
        env = {**os.environ, "PARLEY_DATA_DIR": str(data), "PARLEY_REPORTS_DIR": str(Path(work) / "reports"),
               "PARLEY_KERNELS": "warm" if kernels == "warm" else "cold"}
        lines: list[tuple[float, str]] = []
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "parley", "run", str(ROOT / "briefings.yml"), "--watch", "-j", str(workers),
                                    "-q", "--interval", str(interval)], cwd=ROOT, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        reader = threading.Thread(target=lambda: lines.extend((time.perf_counter(), line) for line in process.stdout), daemon=True)
        reader.start()

        def edition(number: int, deadline: float = 900) -> tuple[float, str]:
            limit = time.perf_counter() + deadline
            while time.perf_counter() < limit and process.poll() is None:
                for at, line in list(lines):
                    if line.startswith(f"edition {number}:"):
                        return at, line
                time.sleep(0.02)
            process.kill()
            raise RuntimeError(f"no edition {number} from parley run --watch: {process.stderr.read()[-2000:]}")

        try:
            at, line = edition(1)
            full = at - started
            if " 0 not published" not in line:
                raise RuntimeError(f"the first edition did not publish every page: {line}")
            edit = _one_statement_edit(data / paths.DEFAULT_DOSSIER)
            saved = time.perf_counter()
            at, line = edition(2)
            edited = at - saved
            counts = re.search(r"(\d+) rendered again, (\d+) unchanged, (\d+) not published", line)
            if counts is None or counts.group(3) != "0":
                raise RuntimeError(f"the edited edition did not publish every page: {line}")
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=120)
        if code != 130:
            raise RuntimeError(f"parley run --watch ended with {code} on Ctrl-C")
    rendered, unchanged = int(counts.group(1)), int(counts.group(2))
    return {"workers": workers, "kernels": kernels, "full": round(full, 2), "edited": round(edited, 2),
            "ratio": round(edited / full, 3), "pages": rendered + unchanged, "rendered": rendered, "edit": edit}


def _one_statement_edit(folder: Path) -> str:
    """Change the stance of one position: the first party position without a red line whose
    statement holds no other position (one party, one issue), moved one step towards 0 (or to +1)."""
    import pandas as pd

    path = folder / "positions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    actors = pd.read_csv(folder / "actors.csv", dtype=str).set_index("actor_id")
    per_statement = pd.Series([r["statement_id"] for r in rows]).value_counts()
    for row in rows:
        party = actors.at[row["actor_id"], "participation"] == "party" if row["actor_id"] in actors.index else False
        if party and row["red_line"] == "false" and per_statement[row["statement_id"]] == 1:
            old = int(row["stance"])
            row["stance"] = str(old - 1 if old > 0 else old + 1 if old < 0 else 1)
            break
    else:
        raise RuntimeError(f"{path}: no party position to edit")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return f"{row['position_id']}: stance {old} -> {row['stance']}"


def _dossier_as_of() -> str:
    from parley import paths
    from parley.data.schema import read_schema

    return read_schema(paths.dossier_dir(paths.DEFAULT_DOSSIER)).options.get("as_of")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kernels", choices=("warm", "cold"), default="warm", help="for the edition's time to its first page")
    parser.add_argument("--changed", action="store_true", help="only time an edition after a one-statement edit against a full one")
    parser.add_argument("--watch", action="store_true", help="only time parley run --watch: the edition after a one-statement edit against the first")
    args = parser.parse_args()
    if args.watch:
        watched = measure_watch(args.workers, args.kernels)
        print(f"parley run --watch, full edition of {watched['pages']} pages: {watched['full']:.1f} s; from a one-statement edit "
              f"({watched['edit']}) to the next edition: {watched['edited']:.1f} s, {watched['rendered']} page(s) rendered again; "
              f"ratio {watched['ratio']:.2f}x (goal <= 0.30x); load average {os.getloadavg()[0]:.2f}")
        return 0
    if args.changed:
        changed = measure_changed(args.workers, args.kernels)
        print(f"full edition of {changed['pages']} pages: {changed['full']:.1f} s; after a one-statement edit ({changed['edit']}): "
              f"{changed['edited']:.1f} s, {len(changed['rendered'])} page(s) rendered again ({', '.join(changed['rendered'])}); "
              f"ratio {changed['ratio']:.2f}x (goal <= 0.30x); load average {os.getloadavg()[0]:.2f}")
        return 0
    edition = measure_edition(args.n, args.workers, args.kernels)
    print(f"an edition of {edition['n']} on {edition['workers']} workers ({edition['kernels']} kernels), new process: "
          f"{edition['seconds']:.1f} s; first page published after {edition['first_page']} s")
    result = measure_batch(args.n, args.workers)
    print(f"{result['n']} briefings one by one: {result['sequential']:.1f} s; on {result['workers']} workers: "
          f"{result['parallel']:.1f} s; ratio {result['ratio']:.2f}x (goal <= 0.60x; {result['cpus']} CPU(s) seen)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
