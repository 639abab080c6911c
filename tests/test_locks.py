"""Locks of `parley run` and `parley render`: one claim per run, whatever the number of briefings
(1,500 briefings under a limit of 128 open files), all or nothing, and swept after a SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from parley.fileio import OutputsBusy, claim_outputs

#: Claims 1,500 briefings' outputs through the batch runner's own lock step with at most 128
#: open files, prints "claimed", then waits to be killed (or for stdin to close).
HOLDER = textwrap.dedent(
    """
    import resource, sys, types
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
    from parley import paths
    from parley.editions import locks
    briefings = [types.SimpleNamespace(dossier_id="d", as_of="2025-02-18", name=f"b{i:04d}") for i in range(int(sys.argv[2]))]
    held = locks.acquire_locks(paths.ReportsLayout(Path(sys.argv[1])), briefings, 0)
    print("claimed", flush=True)
    sys.stdin.read()
    for lock in held:
        lock.release()
    print("released", flush=True)
    """
)


def _holder(reports, n=1500):
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
