"""Hostile-input sweep: every case of the bad-input corpus runs through the REAL command line in a
subprocess (``python -m parley``), as a person or a cron job would run it.

For each case: exit status 2 (or what the case says), no traceback, a message of bounded length
that names the file (or option) at fault, the exact words the corpus promises, no secret shown,
and nothing written where nothing may be written.

- ``tests/fixtures/bad/cases.yml``: dossier defects, through ``parley validate``;
- ``tests/fixtures/bad/commands.yml``: bad articles, queues, ids, parameters, specs, output
  paths, through ``parley ingest|review|render|run``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from badcorpus import SECRET, apply_mutations
from labserver import jupyter_env

HERE = Path(__file__).resolve().parent
BAD = HERE / "fixtures" / "bad"
TINY = HERE / "fixtures" / "tiny"
DOSSIER_CASES = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))
COMMAND_CASES = yaml.safe_load((BAD / "commands.yml").read_text(encoding="utf-8"))
#: Longest message any bad input may produce (stderr), and longest line of it.
MAX_MESSAGE, MAX_LINE = 6000, 700


def _case_folder(tmp_path: Path, case: dict) -> Path:
    dossier = tmp_path / "data" / "tiny"
    shutil.copytree(TINY, dossier)
    apply_mutations(dossier, case.get("mutate", []))
    return dossier


def _run(args: list[str], case_dir: Path) -> subprocess.CompletedProcess:
    env = jupyter_env(case_dir, PARLEY_DATA_DIR=str(case_dir / "data"), PARLEY_REPORTS_DIR=str(case_dir / "reports"), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "parley", *args], capture_output=True, text=True, env=env, timeout=300, cwd=case_dir)


def _assert_hostile_input_handled(result: subprocess.CompletedProcess, exit_code: int, names: str, absent: list[str]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, result.stderr[-3000:]
    assert result.returncode == exit_code, result.stderr[-3000:]
    assert len(result.stderr) <= MAX_MESSAGE, f"{len(result.stderr)} characters of message"
    assert max(map(len, result.stderr.splitlines() or [""])) <= MAX_LINE
    assert names in result.stderr, result.stderr[-3000:]
    for secret in [SECRET, *absent]:
        assert secret not in output


@pytest.mark.parametrize("case", DOSSIER_CASES, ids=[c["id"] for c in DOSSIER_CASES])
def test_every_dossier_defect_through_the_real_cli(case, tmp_path):
    dossier = _case_folder(tmp_path, case)
    result = _run(["validate", str(dossier)], tmp_path)
    expect = case["expect"]
    if expect == "ok":
        assert result.returncode == 0 and "Traceback" not in result.stderr
        return
    _assert_hostile_input_handled(result, 2, expect["file"], case.get("absent", []))
    location = ", ".join([expect["file"]] + ([f"row {expect['row']}"] if expect["row"] else []) + ([f"field {expect['field']}"] if expect["field"] else []))
    assert any(line.startswith(f"{location}: ") and expect["message"] in line for line in result.stderr.splitlines()), result.stderr


@pytest.mark.parametrize("case", COMMAND_CASES, ids=[c["id"] for c in COMMAND_CASES])
def test_every_bad_command_input_through_the_real_cli(case, tmp_path):
    try:
        dossier = _case_folder(tmp_path, case)
        argv = [arg.replace("{dossier}", str(dossier)).replace("{case}", str(tmp_path)) for arg in case["argv"]]
        result = _run(argv, tmp_path)
    finally:
        if any("immutable" in mutation for mutation in case.get("mutate", [])):
            subprocess.run(["chattr", "-R", "-i", str(tmp_path)], capture_output=True)
    expect = case["expect"]
    _assert_hostile_input_handled(result, expect.get("exit", 2), expect["names"], case.get("absent", []))
    for fragment in expect["stderr"]:
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr[-3000:]}"
    for folder in expect.get("nothing_under", []):
        written = [p for p in (tmp_path / folder).rglob("*") if p.is_file()] if (tmp_path / folder).exists() else []
        assert written == [], f"{folder}: {written}"
    # No file the command wrote (page, catalogue, log, failed notebook, queue) holds the secret either.
    holding = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink() and p.parent.name != "outside"
               and SECRET.encode() in p.read_bytes()]
    assert holding == [], f"the secret was written into {holding}"


def test_the_corpus_covers_every_command():
    commands = {case["argv"][0] for case in COMMAND_CASES}
    assert {"ingest", "review", "render", "run", "add"} <= commands
    assert len({case["id"] for case in COMMAND_CASES}) == len(COMMAND_CASES)
