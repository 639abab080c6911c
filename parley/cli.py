"""The ``parley`` command: a thin face over the package's functions.

Commands are registered by name in ``COMMANDS`` (``"name": "module:attribute"``) and imported only
when run, so ``parley --help`` is fast and adding a command is one line here plus its module in
``parley/commands/``. Any :class:`parley.errors.ParleyError` becomes its message and exit code;
bad input never shows a traceback.
"""

from __future__ import annotations

import errno
import importlib
import importlib.util
import sys

import click

from parley.errors import ParleyError

COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module:attribute, one-line help shown by `parley --help`)
    "validate": ("parley.commands.validate:command", "Check a dossier: schema, keys, provenance, meaning."),
    "render": ("parley.commands.render:command", "Execute a briefing notebook and write its HTML."),
    "run": ("parley.commands.run:command", "Run a batch spec of briefings in parallel and publish them."),
    "ingest": ("parley.commands.ingest:command", "Add an article and propose statements for review."),
    "review": ("parley.commands.review:command", "Accept, reject or edit proposed statements."),
    "add": ("parley.commands.add:command", "Add an event, status change, actor, issue or alias by a source's exact words."),
    "eval-extract": ("parley.commands.eval_extract:command", "Score the quote extractor against a gold file."),
    "synth": ("parley.commands.synth:command", "Generate a synthetic dossier for scale tests."),
    "assets": ("parley.commands.assets:command", "Fetch or show the plotly.js bundles pages inline."),
    "notebooks": ("parley.commands.notebooks:command", "Store fresh outputs of the shipped notebooks (for nbval)."),
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (target, _) in COMMANDS.items() if _importable(target))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        target, _ = COMMANDS[name]
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _importable(target: str) -> bool:
    return importlib.util.find_spec(target.split(":")[0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parley")
def main() -> None:
    """Parley: code who said what in negotiation coverage, and render briefings from it."""


#: At most this many lines and characters per line of an error message (a safety net: values in
#: messages are excerpted where they are built, see parley.errors.excerpt).
MESSAGE_LINES, LINE_CHARS = 40, 600


def bounded(message: str) -> str:
    """``message`` cut to :data:`MESSAGE_LINES` lines of at most :data:`LINE_CHARS` characters."""
    lines = message[: MESSAGE_LINES * LINE_CHARS * 2].splitlines()
    shown = [line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…" for line in lines[:MESSAGE_LINES]]
    if len(lines) > MESSAGE_LINES:
        shown.append(f"… ({len(lines) - MESSAGE_LINES} more lines not shown)")
    return "\n".join(shown)


def os_error_message(exc: OSError) -> str:
    """What the operating system refused, naming the file: ``reports/x.html: No space left on device``."""
    where = exc.filename if exc.filename is not None else "a file"
    reason = exc.strerror or type(exc).__name__
    hint = {
        "ENOSPC": "; free some disk space and run it again (nothing half-written was published)",
        "EROFS": "; the file system is read-only",
        "EACCES": "; check the folder's permissions",
        "EPERM": "; writing there is not permitted (a read-only or protected folder); give Parley a folder it can write",
        "ENOTDIR": "; a part of this path is a file, not a folder",
    }.get(errno.errorcode.get(exc.errno or 0, ""), "")
    return f"{where}: {reason}{hint}"


def run() -> None:
    """Console entry point: run the CLI, turning Parley errors into clean messages."""
    try:
        # Without standalone mode click returns ctx.exit(n)'s n instead of exiting: pass it on.
        code = main.main(prog_name="parley", standalone_mode=False)
    except ParleyError as exc:
        click.echo(f"error: {bounded(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # the machine refused: a read-only folder, a full disk, a parent that is a file
        click.echo(f"error: {bounded(os_error_message(exc))}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
