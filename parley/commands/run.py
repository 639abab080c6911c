"""``parley run SPEC``: render every briefing of a batch spec in parallel and publish the whole ones.

Progress goes to stderr; the summary table (briefing, parameters, status, seconds, path) and the
catalogue's path to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("run")
@click.argument("spec", default="briefings.yml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workers", "-j", type=click.IntRange(min=1), help="Briefings rendered at once (default: the number of CPU cores).")
@click.option("--only", multiple=True, metavar="NAME", help="Render only this briefing (after expansion). Repeatable.")
@click.option("--as-of", "as_of", metavar="DATE", help="Override every entry's as_of (ISO date, today, today-7d ...).")
@click.option("--today", metavar="DATE", help="The date 'today' stands for in the spec (default: the local date).")
@click.option("--force", is_flag=True, help="Re-render briefings whose published run had the same inputs (the data they show included).")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait when another run is writing the same outputs (0: exit at once with status 3).")
@click.option("--list", "list_only", is_flag=True, help="Only list the briefings the spec expands to, with their parameters.")
@click.option("--cell-timeout", "cell_timeout", type=click.IntRange(min=0), metavar="SECONDS",
              help="Longest a notebook cell may run before it is interrupted and its page fails (0: no limit; "
                   "default: PARLEY_CELL_TIMEOUT, else 600).")
@click.option("--watch", is_flag=True,
              help="After the edition, keep the workers and their kernels warm and run the edition again each time "
                   "the spec, a notebook, a dossier or its source texts change (only the pages whose inputs changed "
                   "render); Ctrl-C ends it. A change of Parley's code starts it again.")
@click.option("--interval", type=click.FloatRange(min=0.05), default=0.5, show_default=True, metavar="SECONDS",
              help="With --watch: seconds between two looks at the inputs.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def command(spec, workers, only, as_of, today, force, wait, list_only, cell_timeout, watch, interval, quiet):
    """Run the batch spec SPEC (default briefings.yml): render, check, publish, catalogue.

    A briefing whose inputs (notebook, parameters, the slice of the data it shows, baseline,
    code) are those of its published run is left unchanged; the summary says which rendered
    again and which are unchanged, and why.

    Each worker keeps one kernel for the whole run and resets it before every page (a page that
    kills its kernel costs only that page); PARLEY_KERNELS=cold in the environment starts a fresh
    kernel for every page instead.

    \b
    Exit status:
      0  every briefing published (or unchanged since its last published run)
      1  at least one briefing failed; its last good page is kept, its notebook is <name>.failed.ipynb
      2  the spec is malformed (the message names the entry and field)
      3  another run is writing the same outputs (try --wait)
      143/130  stopped by SIGTERM / Ctrl-C: workers stopped, nothing half-published
               (--watch ends only so; each edition's summary says what it published)
    """
    if cell_timeout is not None:  # every worker inherits it (parley.report.execute.cell_timeout)
        import os

        from parley.report.execute import CELL_TIMEOUT_VARIABLE

        os.environ[CELL_TIMEOUT_VARIABLE] = str(cell_timeout)
    if list_only:
        from parley.editions.spec import expand_spec

        for briefing in expand_spec(spec, today=today, as_of=as_of, only=list(only) or None):
            click.echo(f"{briefing.name}\t{briefing.notebook_name}\t{briefing.dossier_id}\tas_of={briefing.as_of}\t"
                       f"since={briefing.since or '-'}\t{briefing.describe_parameters()}")
        return
    if watch:
        from parley.editions.spec import expand_spec

        expand_spec(spec, today=today, as_of=as_of, only=list(only) or None)  # a malformed spec exits 2 before anything starts
        sys.exit(_watch(spec, workers=workers, today=today, as_of=as_of, only=list(only) or None, force=force, wait=wait,
                        interval=interval, quiet=quiet))
    pool = _first_worker(workers)
    from parley.editions.batch import run_spec

    try:
        result = run_spec(spec, workers=workers, today=today, as_of=as_of, only=list(only) or None, force=force, wait=wait,
                          progress=not quiet, pool=pool)
    finally:
        if pool is not None:
            pool.close()
    _report(result)
    if result.exit_code:
        sys.exit(result.exit_code)


def _first_worker(workers: int | None):
    """The run's warm workers, the first started now: its kernel starts while this process
    imports the runner and reads the spec (``None`` with ``PARLEY_KERNELS=cold``)."""
    from parley.editions import warm

    if not warm.enabled():
        return None
    pool = warm.WarmWorkers(warm.slots(workers))
    pool.spawn()
    return pool


def _report(result) -> None:
    """The summary table, the catalogue's path, and the first problems of the run's logs."""
    from parley import paths
    from parley.editions.batch import format_summary

    click.echo(format_summary(result, paths.reports_dir()))
    if result.index is not None:
        click.echo(f"catalogue: {result.index}")
    sys.stdout.flush()
    for problem in result.problems[:20]:
        click.echo(f"error: {problem}", err=True)


def _watch(spec: Path, *, interval: float, quiet: bool, **options) -> int:
    """``--watch``: editions until Ctrl-C (130) or SIGTERM (143); a code change starts the command again."""
    import os
    import signal

    from parley.editions.watch import CODE_CHANGED, watch_spec

    def terminated(signum, frame):  # while waiting between editions (an edition handles its own signals)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminated)
    stopped_by = [0]

    def said(edition) -> None:
        if edition.result is None:
            click.echo(f"edition {edition.number}: not run: {edition.error}", err=True)
        else:
            _report(edition.result)
            click.echo(f"edition {edition.number}: {_tally(edition.result)} in {edition.seconds:.1f} s")
            if edition.result.cancelled_by is not None:
                stopped_by[0] = 128 + edition.result.cancelled_by
        click.echo(f"watching {spec} and what it reads (every {interval:g} s); Ctrl-C to stop")
        sys.stdout.flush()

    try:
        why = watch_spec(spec, interval=interval, progress=not quiet, on_edition=said, **options)
    except KeyboardInterrupt:
        click.echo("stopped (Ctrl-C); the workers are stopped")
        return 130
    if why == CODE_CHANGED:
        click.echo("Parley's code changed: starting again with it", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, "-m", "parley", *sys.argv[1:]])
    return stopped_by[0]


def _tally(result) -> str:
    """``6 rendered again, 16 unchanged, 0 failed``."""
    rendered = sum(1 for o in result.outcomes if o.status == "published")
    unchanged = sum(1 for o in result.outcomes if o.status == "unchanged")
    return f"{rendered} rendered again, {unchanged} unchanged, {len(result.outcomes) - rendered - unchanged} not published"
