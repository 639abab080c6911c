"""``parley assets``: the plotly.js bundles a briefing page inlines (``make setup`` runs ``fetch``)."""

from __future__ import annotations

import json

import click


@click.group("assets")
def command() -> None:
    """The plotly.js bundles pages inline: fetch the partial bundles from npm, or show what is there."""


@command.command("fetch")
@click.option("--force", is_flag=True, help="Download again even if the bundle is stored.")
def fetch(force: bool) -> None:
    """Download and verify the plotly.js partial bundles (integrity from the npm registry)."""
    from parley.report.assets import PARTIALS, AssetError
    from parley.report.assets import fetch as fetch_bundle

    failed = 0
    for kind in PARTIALS:
        try:
            click.echo(str(fetch_bundle(force=force, kind=kind)))
        except AssetError as exc:
            failed += 1
            click.echo(f"parley assets: {exc}; pages needing the {kind} bundle will inline a larger one instead", err=True)
    if failed:
        raise click.exceptions.Exit(1)


@command.command("status")
def status() -> None:
    """Show the bundles (full and partial), their paths, sizes and trace types, as JSON."""
    from parley.report.assets import status as bundle_status

    click.echo(json.dumps(bundle_status(), indent=2))
