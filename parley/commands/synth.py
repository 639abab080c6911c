"""``parley synth``: write a synthetic dossier for scale tests (valid, self-contained, deterministic).

The last line on stdout is the dossier folder, so ``parley validate "$(parley synth ...)"`` works;
the counts go to stderr.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("synth")
@click.option("--statements", "-n", type=int, default=1000, show_default=True, help="Number of statements (at least 10).")
@click.option("--actors", "-a", type=int, default=40, show_default=True, help="Number of actors (at least 4).")
@click.option("--issues", "-i", type=int, default=12, show_default=True, help="Number of issues (at least 1).")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Random seed: the same arguments give the same files.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Dossier folder to write (default: build/synth/synth_n<N>_a<A>_i<I>_s<S>). "
                   "An existing folder is replaced only if it is a synthetic dossier.")
def command(statements: int, actors: int, issues: int, seed: int, out_dir: Path | None) -> None:
    """Generate a synthetic dossier: invented source texts, actors, statements, positions, events, judgments."""
    from parley.data.synth import synthesize

    result = synthesize(out_dir, statements=statements, actors=actors, issues=issues, seed=seed)
    counts = ", ".join(f"{n:,} {table}" for table, n in result.counts.items())
    click.echo(f"synthetic dossier: {counts} ({result.seconds:.1f} s)", err=True)
    click.echo(str(result.path))
