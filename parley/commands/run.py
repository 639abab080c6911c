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
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def command(spec, workers, only, as_of, today, force, wait, list_only, cell_timeout, quiet):
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
    """
    from parley import paths
    from parley.editions.batch import format_summary, run_spec

    if cell_timeout is not None:  # every worker inherits it (parley.report.execute.cell_timeout)
        import os

        from parley.report.execute import CELL_TIMEOUT_VARIABLE

        os.environ[CELL_TIMEOUT_VARIABLE] = str(cell_timeout)
    from parley.editions.spec import expand_spec

    if list_only:
        for briefing in expand_spec(spec, today=today, as_of=as_of, only=list(only) or None):
            click.echo(f"{briefing.name}\t{briefing.notebook_name}\t{briefing.dossier_id}\tas_of={briefing.as_of}\t"
                       f"since={briefing.since or '-'}\t{briefing.describe_parameters()}")
        return
    result = run_spec(spec, workers=workers, today=today, as_of=as_of, only=list(only) or None, force=force, wait=wait,
                      progress=not quiet)
    click.echo(format_summary(result, paths.reports_dir()))
    if result.index is not None:
        click.echo(f"catalogue: {result.index}")
    sys.stdout.flush()
    for problem in result.problems[:20]:
        click.echo(f"error: {problem}", err=True)
    if result.exit_code:
        sys.exit(result.exit_code)
