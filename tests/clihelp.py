"""Run the ``parley`` console entry point in-process, as the installed script does (shared by CLI tests)."""

from __future__ import annotations

import pytest


def cli_in_process(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, str, str]:
    """Run the console entry point ``parley.cli.run`` in-process, as the installed script does:
    returns (exit code, stdout, stderr); errors become messages and exit codes."""
    import sys

    from parley import cli

    monkeypatch.setattr(sys, "argv", ["parley", *args])
    code = 0
    try:
        cli.run()
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
