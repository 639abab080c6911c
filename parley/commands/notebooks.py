"""``parley notebooks refresh``: re-execute the shipped notebooks and store their outputs on purpose
(``make refresh-notebooks``), so nbval compares every run with a reviewed diff."""

from __future__ import annotations

import click


@click.group("notebooks")
def command() -> None:
    """The shipped notebooks (notebooks/): store fresh outputs for nbval."""


@command.command("refresh")
@click.argument("names", nargs=-1, metavar="[NAME]...")
def refresh(names: tuple[str, ...]) -> None:
    """Execute notebooks with their default parameters and store their outputs in place (default: all)."""
    from parley.report.notebooks import NOTEBOOKS, WORKBENCHES
    from parley.report.notebooks import refresh as refresh_notebooks

    shipped = [*NOTEBOOKS, *WORKBENCHES]
    unknown = [name for name in names if name not in shipped]
    if unknown:
        raise click.BadParameter(f"unknown notebook(s) {', '.join(unknown)}; choose from {', '.join(shipped)}", param_hint="NAME")
    refresh_notebooks(list(names) or None)
