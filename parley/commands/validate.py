"""``parley validate``: check a dossier and list every problem, or one line of counts when valid."""

from __future__ import annotations

import json

import click

from parley import paths
from parley.errors import DossierInvalid


@click.command(name="validate")
@click.argument("dossier", default=paths.DEFAULT_DOSSIER, metavar="[DOSSIER]")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout (problems with file, row, field, value, message, code).")
def command(dossier: str, as_json: bool) -> None:
    """Check DOSSIER: schema, keys, provenance, meaning.

    DOSSIER is a dossier name under the data folder or a path to a dossier folder (default
    riyadh_2025). Rows are counted as a spreadsheet shows them: the header is row 1.

    \b
    Exit status:
      0  valid: prints one line with the version and the rows of each table
      2  problems: prints each on stderr (file, row, field, message, value), then a count
    """
    from parley.data.tables import reuse_freed_memory
    from parley.data.validate import check_dossier  # pandas loads only when the command runs

    reuse_freed_memory()
    result = check_dossier(dossier)
    if as_json:
        payload = {
            "dossier": result.name,
            "path": str(result.path),
            "ok": result.ok,
            "version": result.version,
            "counts": result.counts,
            "problems": [p.as_dict() for p in result.problems],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=_jsonable))
    elif result.ok:
        counts = ", ".join(f"{n} {table}" for table, n in result.counts.items())
        click.echo(f"{result.name} OK (version {result.version}): {counts}")
    else:
        for problem in result.problems:
            click.echo(str(problem), err=True)
    if not result.ok:
        files = len({p.file for p in result.problems})
        raise DossierInvalid(f"{result.name}: {_plural(len(result.problems), 'problem')} in {_plural(files, 'file')}; nothing was loaded", result.problems)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _jsonable(value: object) -> object:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="backslashreplace")
    return str(value)
