"""Tests of the CLI (parley.cli) and of `parley validate` (parley.commands.validate)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import cli_in_process
from click.testing import CliRunner

from parley import cli, paths

PARLEY = Path(sys.executable).parent / "parley"


def run_cli(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    return cli_in_process(args, monkeypatch, capsys)


def _break(folder: Path) -> None:
    positions = folder / "positions.csv"
    positions.write_text(positions.read_text(encoding="utf-8").replace(",northland,2,false,", ",northland,3,no,"), encoding="utf-8")


def test_help_lists_validate():
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    assert "validate" in result.output and "Check a dossier: schema, keys, provenance, meaning." in result.output


def test_every_registered_command_has_a_one_line_help():
    for name, (target, help_text) in cli.COMMANDS.items():
        assert ":" in target and help_text.endswith(".") and "\n" not in help_text, name


def test_unknown_command_is_a_usage_error(monkeypatch, capsys):
    code, _, err = run_cli(["no-such-command"], monkeypatch, capsys)
    assert code == 2 and "No such command" in err


def test_validate_help_documents_arguments_and_exit_codes():
    result = CliRunner().invoke(cli.main, ["validate", "--help"])
    assert result.exit_code == 0
    for fragment in ("[DOSSIER]", "riyadh_2025", "--json", "Exit status", "0  valid", "2  problems"):
        assert fragment in result.output


def test_validate_valid_dossier_prints_one_line_of_counts(monkeypatch, capsys, tiny_dir):
    code, out, err = run_cli(["validate", str(tiny_dir)], monkeypatch, capsys)
    assert (code, err) == (0, "")
    (line,) = out.splitlines()
    assert line.startswith("tiny OK (version ")
    assert line.endswith("): 1 sources, 5 actors, 0 actor_members, 2 issues, 3 statements, 3 reports, 3 positions, 2 events, 0 event_updates, 5 event_parties, 1 judgments, 2 judgment_support, 1 analyst_notes")


def test_validate_defaults_to_the_seed_dossier(monkeypatch, capsys):
    monkeypatch.delenv("PARLEY_DATA_DIR", raising=False)
    code, out, _ = run_cli(["validate"], monkeypatch, capsys)
    assert code == 0 and out.startswith(f"{paths.DEFAULT_DOSSIER} OK (version ")


def test_validate_finds_a_dossier_by_name_under_the_data_dir(monkeypatch, capsys, tiny_copy):
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tiny_copy.parent))
    code, out, _ = run_cli(["validate", "tiny"], monkeypatch, capsys)
    assert code == 0 and out.startswith("tiny OK")


def test_validate_lists_every_problem_and_exits_2(monkeypatch, capsys, tiny_copy):
    _break(tiny_copy)
    code, out, err = run_cli(["validate", str(tiny_copy)], monkeypatch, capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "positions.csv, row 3, field stance: out of range; allowed -2 to 2 (value '3') [range]",
        "positions.csv, row 3, field red_line: not a boolean; write true or false (value 'no') [type]",
        "error: tiny: 2 problems in 1 file; nothing was loaded",
    ]


def test_validate_json(monkeypatch, capsys, tiny_copy, tiny_dir):
    code, out, _ = run_cli(["validate", "--json", str(tiny_dir)], monkeypatch, capsys)
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True and payload["problems"] == []
    assert payload["counts"]["statements"] == 3 and len(payload["version"]) == 12
    _break(tiny_copy)
    code, out, err = run_cli(["validate", str(tiny_copy), "--json"], monkeypatch, capsys)
    payload = json.loads(out)
    assert code == 2 and payload["ok"] is False
    assert payload["problems"][0] == {"file": "positions.csv", "row": 3, "field": "stance", "value": "3", "message": "out of range; allowed -2 to 2", "code": "range"}
    assert err.startswith("error: tiny: 2 problems")


def test_validate_json_handles_undecodable_bytes(monkeypatch, capsys, tiny_copy):
    (tiny_copy / "issues.csv").write_bytes((tiny_copy / "issues.csv").read_bytes().replace(b"Border line", b"Border l\xefne"))
    code, out, _ = run_cli(["validate", "--json", str(tiny_copy)], monkeypatch, capsys)
    problems = json.loads(out)["problems"]
    assert code == 2 and problems[0]["code"] == "encoding" and "\\xef" in problems[0]["value"]


def test_validate_missing_dossier(monkeypatch, capsys, tmp_path):
    code, out, err = run_cli(["validate", str(tmp_path / "nowhere")], monkeypatch, capsys)
    assert code == 2 and "no such dossier folder" in err and "Traceback" not in err


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "broken"])
def test_installed_script(tiny_copy, broken):
    # The real console script, in its own process: right exit code, never a traceback.
    if broken:
        _break(tiny_copy)
        (tiny_copy / "datapackage.json").write_text("{", encoding="utf-8")
    result = subprocess.run([str(PARLEY), "validate", str(tiny_copy)], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    if broken:
        assert result.returncode == 2 and "datapackage.json: " in result.stderr and "not valid UTF-8 JSON" in result.stderr
    else:
        assert result.returncode == 0 and result.stdout.startswith("tiny OK (version ")


def test_render_of_a_notebook_naming_no_kernel_says_so_and_exits_2(tmp_path):
    """A notebook written by a tool that leaves out metadata.kernelspec: a clear message, not papermill's traceback."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("subject: str = 'x'  # a synthetic parameter")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("print(subject)")]
    nbformat.write(nb, tmp_path / "bare.ipynb")
    done = subprocess.run([str(PARLEY), "render", str(tmp_path / "bare.ipynb"), "-q", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "names no kernel (metadata.kernelspec.name is missing)" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
