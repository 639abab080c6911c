"""Locks of `parley run` and `parley render`: one claim per run, whatever the number of briefings
(1,500 briefings under a limit of 128 open files), all or nothing, and swept after a SIGKILL; a
render never replaces a page that a run published or is writing (it writes ``<name>.draft.html``)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from labserver import jupyter_env

from parley.fileio import OutputsBusy, claim_outputs

#: Claims 1,500 briefings' outputs (or the one output ``<dossier>/<as_of>/<name>``) through the batch
#: runner's own lock step with at most 128 open files, prints "claimed", then waits to be killed
#: (or for stdin to close).
HOLDER = textwrap.dedent(
    """
    import resource, sys, types
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
    from parley import paths
    from parley.editions import locks
    if sys.argv[2].isdigit():
        briefings = [types.SimpleNamespace(dossier_id="d", as_of="2025-02-18", name=f"b{i:04d}") for i in range(int(sys.argv[2]))]
    else:
        dossier, as_of, name = sys.argv[2].split("/")
        briefings = [types.SimpleNamespace(dossier_id=dossier, as_of=as_of, name=name)]
    held = locks.acquire_locks(paths.ReportsLayout(Path(sys.argv[1])), briefings, 0)
    print("claimed", flush=True)
    sys.stdin.read()
    for lock in held:
        lock.release()
    print("released", flush=True)
    """
)


def _holder(reports, n: int | str = 1500):
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(reports), str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line == "claimed\n", process.stderr.read()[-2000:]
    return process


def test_1500_briefings_are_claimed_with_one_descriptor_and_block_a_second_run(tmp_path):
    holder = _holder(tmp_path)
    try:
        with pytest.raises(OutputsBusy) as busy:
            with claim_outputs(tmp_path / ".locks", {"d/2025-02-18/b1234"}):
                pass
        assert busy.value.output == "d/2025-02-18/b1234"
        with claim_outputs(tmp_path / ".locks", {"d/2025-02-18/other"}):  # outputs nobody holds: fine
            pass
    finally:
        out, err = holder.communicate("", timeout=60)
    assert holder.returncode == 0 and "released" in out, err[-2000:]
    with claim_outputs(tmp_path / ".locks", {"d/2025-02-18/b1234"}):
        pass
    assert sorted(p.name for p in (tmp_path / ".locks").iterdir()) == ["registry.lock"]  # no claim left behind


def test_a_claim_of_a_killed_run_is_swept_by_the_next(tmp_path):
    holder = _holder(tmp_path, 10)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    with claim_outputs(tmp_path / ".locks", {"d/2025-02-18/b0003"}):
        left = sorted(p.name for p in (tmp_path / ".locks").iterdir())
    assert len([name for name in left if name.endswith(".json")]) == 1  # only ours


def test_waiting_queues_behind_a_claim_until_it_ends(tmp_path):
    holder = _holder(tmp_path, 3)
    started = time.monotonic()
    subprocess.Popen(["sh", "-c", f"sleep 1; kill -9 {holder.pid}"])
    with claim_outputs(tmp_path / ".locks", {"d/2025-02-18/b0001"}, wait=60):
        waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert 0.8 < waited < 30


# --- parley render beside parley run: real processes, real files -----------------------------

FIXTURE = Path(__file__).resolve().parent / "notebooks" / "sched_fixture.ipynb"
AS_OF = "2025-03-03"  # the tiny dossier's parley.as_of: where run and render both write by default


@pytest.fixture
def published(tmp_path, tiny_dir):
    """A page ``parley run`` published (``reports/tiny/<as_of>/sched_fixture.*``) and the environment it ran in."""
    shutil.copytree(tiny_dir, tmp_path / "data" / "tiny")
    env = jupyter_env(tmp_path, PARLEY_DATA_DIR=str(tmp_path / "data"), PARLEY_REPORTS_DIR=str(tmp_path / "reports"))
    spec = tmp_path / "briefings.yml"
    spec.write_text(f"defaults: {{dossier: tiny, as_of: dossier, since: none}}\nbriefings:\n"
                    f"  - name: sched_fixture\n    notebook: {FIXTURE}\n", encoding="utf-8")
    done = _parley(["run", str(spec), "-j", "1", "--quiet"], env, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    return env, tmp_path / "reports"


def _parley(args: list[str], env: dict, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parley", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600)


def _snapshot(reports: Path) -> dict[str, bytes]:
    """Every file a run leaves (the view's files, run history, catalogue), by path, with its bytes."""
    return {p.relative_to(reports).as_posix(): p.read_bytes() for p in sorted(reports.rglob("*"))
            if p.is_file() and not p.relative_to(reports).as_posix().startswith((".locks", ".staging", "logs"))}


@pytest.mark.slow
def test_a_render_of_a_page_a_run_published_is_a_draft_beside_it(published, tmp_path):
    env, reports = published
    folder = reports / "tiny" / AS_OF
    before = _snapshot(reports)
    assert {"tiny/" + AS_OF + "/sched_fixture.html", "tiny/" + AS_OF + "/sched_fixture.run.json", "catalogue.jsonl"} <= set(before)

    done = _parley(["render", str(FIXTURE), "-d", "tiny", "-p", "subject", "b", "-q"], env, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == str(folder / "sched_fixture.draft.html")
    assert (f"reports/tiny/{AS_OF}/sched_fixture.html was published by parley run (its run record sched_fixture.run.json "
            "is beside it): that page is left as it is; this render is the draft sched_fixture.draft.html beside it") in done.stderr
    after = _snapshot(reports)
    assert {k: v for k, v in after.items() if ".draft." not in k} == before  # the run's page, record, history, catalogue: byte for byte
    draft = (folder / "sched_fixture.draft.html").read_text(encoding="utf-8")
    assert "subject b as of" in draft and "subject b as of" not in (folder / "sched_fixture.html").read_text(encoding="utf-8")
    assert (folder / "sched_fixture.draft.ipynb").is_file()

    # A render that fails beside a run's page keeps its notebook as the draft's, never as the run's failed attempt.
    failed = _parley(["render", str(FIXTURE), "-d", "tiny", "-p", "fault", "raise", "-q"], env, tmp_path)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert (folder / "sched_fixture.draft.failed.ipynb").is_file() and not (folder / "sched_fixture.failed.ipynb").exists()
    assert {k: v for k, v in _snapshot(reports).items() if ".draft." not in k} == before


@pytest.mark.slow
def test_a_render_while_a_run_writes_the_page_is_a_draft_and_then_publishes_once_it_is_free(tmp_path, tiny_dir):
    shutil.copytree(tiny_dir, tmp_path / "data" / "tiny")
    reports = tmp_path / "reports"
    env = jupyter_env(tmp_path, PARLEY_DATA_DIR=str(tmp_path / "data"), PARLEY_REPORTS_DIR=str(reports))
    folder = reports / "tiny" / AS_OF
    holder = _holder(reports, f"tiny/{AS_OF}/sched_fixture")  # the claim parley run holds while it renders this page
    try:
        done = _parley(["render", str(FIXTURE), "-d", "tiny", "-q"], env, tmp_path)
    finally:
        out, err = holder.communicate("", timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"a parley run or another render is writing reports/tiny/{AS_OF}/sched_fixture.html now" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["sched_fixture.draft.html", "sched_fixture.draft.ipynb"]
    assert holder.returncode == 0 and "released" in out, err[-2000:]

    again = _parley(["render", str(FIXTURE), "-d", "tiny", "-q"], env, tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.strip().splitlines()[-1] == str(folder / "sched_fixture.html") and "draft" not in again.stderr
    assert (folder / "sched_fixture.html").is_file()
