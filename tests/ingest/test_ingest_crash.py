"""Crash safety of every dossier change: a real ``parley`` process is killed with SIGKILL at each
step of its transaction (while writing the journal, between two file writes, before the commit
marker, after it), then the NEXT command recovers the dossier and says what it did; the dossier
validates, holds exactly the before or the after state, and a retry works.

The fault is injected in a subprocess by wrapping one private step of :mod:`parley.journal` so
that it sends SIGKILL to its own process; the command itself is the real CLI entry point.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from ingest_support import article

from parley.review.queue import read_candidates
from parley.review.intake import ingest_article
from parley.data.validate import validate_dossier

WIRE = article("wire_geneva.txt")
LAVROV = "We have been very clear about this,"

#: Runs the parley CLI with one step of the transaction replaced by SIGKILL of this very process.
KILLER = textwrap.dedent(
    """
    import os, signal, sys
    import parley.journal as journal

    point, after = sys.argv[1], int(sys.argv[2])
    calls = []

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def wrap(name, hits, module=journal):
        real = getattr(module, name)
        def step(*args, **kwargs):
            if hits(args):
                if len(calls) == after:
                    die()
                calls.append(args)
            return real(*args, **kwargs)
        setattr(module, name, step)

    if point == "journal":      # while writing the journal: before the Nth new-bytes file
        wrap("_write_synced", lambda args: args[0].name.endswith(".new"))
    elif point == "apply":      # before the Nth file of the dossier is replaced (wherever it is written from)
        import parley.review.store as store
        outside_journal = lambda args: ".journal" not in str(args[0])
        wrap("write_atomic", outside_journal)
        if hasattr(store, "write_atomic"):
            wrap("write_atomic", outside_journal, store)
    elif point == "commit":     # every file written and checked; the COMMITTED marker not yet
        wrap("_write_synced", lambda args: args[0].name == journal.COMMITTED)
    elif point == "cleanup":    # committed; the journal not yet removed
        wrap("_discard", lambda args: True)
    sys.argv = ["parley", *sys.argv[3:]]
    from parley import cli
    cli.run()
    """
)


def _parley(args: list[str], env: dict[str, str], fault: tuple[str, int] | None = None) -> subprocess.CompletedProcess:
    if fault is None:
        command = [sys.executable, "-m", "parley", *args]
    else:
        command = [sys.executable, "-c", KILLER, fault[0], str(fault[1]), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)


@pytest.fixture
def env(dossier) -> dict[str, str]:
    return {**os.environ, "PARLEY_DATA_DIR": str(dossier.root / "data")}


def _candidate(dossier, text: str) -> dict[str, str]:
    return next(row for row in read_candidates(dossier.folder) if row["text"] == text)


ACCEPT_FAULTS = [("journal", 0), ("journal", 2), ("apply", 0), ("apply", 1), ("apply", 2), ("commit", 0)]


@pytest.mark.parametrize("fault", ACCEPT_FAULTS, ids=[f"{p}-{n}" for p, n in ACCEPT_FAULTS])
def test_accept_killed_before_commit_is_rolled_back_by_the_next_command(dossier, env, fault):
    ingest_article(WIRE, "tiny", published="2031-02-20")
    lavrov = _candidate(dossier, LAVROV)["candidate_id"]
    before = dossier.snapshot()
    accept = ["review", "accept", lavrov, "-d", "tiny", "--issue", "peacekeeping_troops", "--stance", "-2", "--new-actor", "Sergei Lavrov Jr"]

    killed = _parley(accept, env, fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    nxt = _parley(["review", "list", "-d", "tiny"], env)
    assert nxt.returncode == 0, nxt.stderr
    assert dossier.snapshot() == before  # byte for byte as before the accept, no journal left
    if fault[0] == "journal":
        assert f"an interrupted `review accept {lavrov}` had not started writing; its journal was discarded, no file changed" in nxt.stderr
    else:
        assert f"an interrupted `review accept {lavrov}` was rolled back (nothing of it stays in the dossier; run it again)" in nxt.stderr
    assert "Traceback" not in nxt.stderr
    assert validate_dossier(dossier.folder) == []

    retry = _parley(accept, env)
    assert retry.returncode == 0, retry.stderr
    assert "recovered" not in retry.stderr
    (report,) = [r for r in dossier.rows("reports") if r["text"] == LAVROV]
    statements = [r for r in dossier.rows("statements") if r["statement_id"] == report["statement_id"]]
    assert len(statements) == 1 and statements[0]["speaker_id"] == "sergei_lavrov_jr"
    assert [r["actor_id"] for r in dossier.rows("positions") if r["statement_id"] == statements[0]["statement_id"]] == ["sergei_lavrov_jr"]
    assert _candidate(dossier, LAVROV)["status"] == "accepted"
    assert validate_dossier(dossier.folder) == []


def test_accept_killed_after_commit_is_completed_by_the_next_command(dossier, env):
    ingest_article(WIRE, "tiny", published="2031-02-20")
    lavrov = _candidate(dossier, LAVROV)["candidate_id"]
    accept = ["review", "accept", lavrov, "-d", "tiny", "--issue", "peacekeeping_troops", "--stance", "-2"]
    killed = _parley(accept, env, ("cleanup", 0))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (dossier.folder / ".journal" / "COMMITTED").is_file()

    nxt = _parley(["validate", "tiny"], env)
    assert nxt.returncode == 0, nxt.stderr
    assert f"an interrupted `review accept {lavrov}` had committed; recovery completed it: statements.csv, reports.csv, positions.csv, candidates.csv" in nxt.stderr
    assert not (dossier.folder / ".journal").exists()
    assert [r["text"] for r in dossier.rows("reports")].count(LAVROV) == 1
    assert _candidate(dossier, LAVROV)["status"] == "accepted"
    again = _parley(accept, env)
    assert again.returncode == 2 and "only pending candidates can be accepted" in again.stderr


@pytest.mark.parametrize("fault", [("apply", 1), ("apply", 2)], ids=["after-seed", "after-sources"])
def test_ingest_killed_between_writes_leaves_no_seed_and_no_source(dossier, env, fault):
    before = dossier.snapshot()
    ingest = ["ingest", str(WIRE), "-d", "tiny", "--published", "2031-02-20", "--outlet", "Wire"]
    killed = _parley(ingest, env, fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    nxt = _parley(["review", "list", "-d", "tiny"], env)
    assert nxt.returncode == 0, nxt.stderr
    assert f"an interrupted `ingest {WIRE.name}` was rolled back" in nxt.stderr
    assert dossier.snapshot() == before  # the created seed is gone again, sources.csv as it was
    retry = _parley(ingest, env)
    assert retry.returncode == 0, retry.stderr
    assert len(dossier.rows("sources")) == 2 and len(list(dossier.seeds.iterdir())) == 2
    assert validate_dossier(dossier.folder) == []


def test_a_file_edited_after_the_crash_stops_recovery_and_keeps_the_journal(dossier, env):
    ingest_article(WIRE, "tiny", published="2031-02-20")
    lavrov = _candidate(dossier, LAVROV)["candidate_id"]
    killed = _parley(["review", "accept", lavrov, "-d", "tiny", "--issue", "peacekeeping_troops", "--stance", "-2"], env, ("apply", 1))
    assert killed.returncode == -signal.SIGKILL
    statements = dossier.table("statements")
    statements.write_bytes(statements.read_bytes() + b"\n")  # someone edits the file by hand meanwhile

    nxt = _parley(["review", "list", "-d", "tiny"], env)
    assert nxt.returncode == 2 and "Traceback" not in nxt.stderr
    assert "statements.csv: changed since an interrupted `review accept" in nxt.stderr
    assert "remove" in nxt.stderr and (dossier.folder / ".journal" / "manifest.json").is_file()


#: Runs the parley CLI with a pause inside the dossier's lock (after the validity check), so two
#: processes started together overlap for sure.
SLOW = textwrap.dedent(
    """
    import sys, time
    import parley.review.intake as intake

    real = intake.require_valid
    def slow(folder):
        real(folder)
        time.sleep(1.5)
    intake.require_valid = slow
    sys.argv = ["parley", *sys.argv[1:]]
    from parley import cli
    cli.run()
    """
)


def test_two_ingests_of_the_same_bytes_at_once_register_one_source(dossier, env):
    ingest = ["ingest", str(WIRE), "-d", "tiny", "--published", "2031-02-20", "--outlet", "Wire"]
    both = [subprocess.Popen([sys.executable, "-c", SLOW, *ingest], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    results = [(p.wait(timeout=180), *p.communicate()) for p in both]
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    outputs = sorted(out for _, out, _ in results)
    assert "registered source wire_2031_02_20" in outputs[0] and "already registered" in outputs[1]
    assert [r["source_id"] for r in dossier.rows("sources")] == ["tiny_seed", "wire_2031_02_20"]
    assert len(list(dossier.seeds.iterdir())) == 2
    assert validate_dossier(dossier.folder) == []
