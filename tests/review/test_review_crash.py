"""A kernel killed in the middle of a review decision: the dossier is before or after, never between.

A real IPython kernel (the one the review notebook runs in) opens a review session on a temporary
dossier, codes a card, and accepts it with one step of :mod:`parley.journal` replaced by SIGKILL
of the kernel's own process: between two file writes of the accept (statements, positions and
queue are written one after another), or after the commit marker. The next command, ``parley
validate`` or a fresh review session (what re-running the notebook does), says what it recovered;
the dossier validates and holds exactly the state before (or after) the decision; a retry works.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest
from review_support import SOURCE_ID

from parley.review.session import ReviewSession
from parley.data.validate import validate_dossier

CEASEFIRE = "There will be no ceasefire while foreign troops stand on Ukrainian soil,"

#: Kernel code: a session codes the ceasefire card, then accepts it with a fault at ``point``.
KERNEL_CODE = textwrap.dedent(
    """
    import os, signal
    import parley.journal as journal
    from parley.review.session import ReviewSession

    session = ReviewSession({folder!r}, {source!r}, coder="crash-test")
    cid = next(c for c, row in session.rows.items() if row["text"] == {text!r})
    session.dispatch({{"do": "go", "to": cid}})
    session.dispatch({{"do": "speaker", "actor": "lavrov"}})
    calls = []

    def wrap(name, hits):
        real = getattr(journal, name)
        def step(*args, **kwargs):
            if hits(args):
                if len(calls) == {after}:
                    os.kill(os.getpid(), signal.SIGKILL)
                calls.append(args)
            return real(*args, **kwargs)
        setattr(journal, name, step)

    if {point!r} == "apply":      # before the Nth file of the dossier is replaced
        wrap("write_atomic", lambda args: ".journal" not in str(args[0]))
    else:                         # committed; the journal not yet removed
        wrap("_discard", lambda args: True)
    session.dispatch({{"do": "accept"}})
    print("not killed:", session.message)
    """
)


def snapshot(dossier) -> dict[str, bytes]:
    return dossier.tiny.snapshot()


def run_in_killed_kernel(code: str, tmp_path) -> None:
    """Execute ``code`` in a real python3 kernel and wait until the kernel process is gone."""
    from jupyter_client import KernelManager

    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update({"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "IPYTHONDIR": str(tmp_path / "ipython")})
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(env=env)
    try:
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.execute(code)
        deadline = time.monotonic() + 120
        while manager.is_alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not manager.is_alive(), "the kernel should have been killed mid-accept"
        client.stop_channels()
    finally:
        if manager.is_alive():
            manager.shutdown_kernel(now=True)
        manager.cleanup_resources()


def kernel_code(dossier, point: str, after: int) -> str:
    return KERNEL_CODE.format(folder=str(dossier.folder), source=SOURCE_ID, text=CEASEFIRE, point=point, after=after)


@pytest.mark.slow
@pytest.mark.parametrize("after", [1, 2], ids=["after-statements", "after-positions"])
def test_kernel_killed_between_writes_is_rolled_back_and_the_session_says_so(review_dossier, tmp_path, after):
    before = snapshot(review_dossier)
    run_in_killed_kernel(kernel_code(review_dossier, "apply", after), tmp_path)
    assert (review_dossier.folder / ".journal").is_dir(), "the kill came between writes, with the journal in place"
    assert snapshot(review_dossier) != before, "some file of the accept was already replaced"

    session = ReviewSession(review_dossier.folder, SOURCE_ID)  # the next command: the notebook run again
    level, message = session.message
    assert level == "info" and message.startswith("recovered: ") and "was rolled back" in message and "review accept" in message, message
    assert snapshot(review_dossier) == before, "byte for byte as before the accept"
    assert validate_dossier(review_dossier.folder) == []

    cid = next(c for c, row in session.rows.items() if row["text"] == CEASEFIRE)
    session.dispatch({"do": "go", "to": cid})
    session.dispatch({"do": "accept"})
    assert session.message[0] == "info" and "accepted" in session.message[1], session.message
    (statement,) = [s for s in review_dossier.coded() if s["text"] == CEASEFIRE]
    assert len([p for p in review_dossier.rows("positions") if p["statement_id"] == statement["statement_id"]]) == 2
    assert validate_dossier(review_dossier.folder) == []


@pytest.mark.slow
def test_kernel_killed_after_commit_is_completed_by_parley_validate(review_dossier, tmp_path):
    run_in_killed_kernel(kernel_code(review_dossier, "cleanup", 0), tmp_path)
    assert (review_dossier.folder / ".journal" / "COMMITTED").is_file()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    result = subprocess.run([sys.executable, "-m", "parley", "validate", str(review_dossier.folder)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "had committed; recovery completed it" in result.stderr and "review accept" in result.stderr, result.stderr
    assert not (review_dossier.folder / ".journal").exists()
    statements = [s for s in review_dossier.coded() if s["text"] == CEASEFIRE]
    assert len(statements) == 1 and statements[0]["coder"] == "crash-test"
    assert next(r for r in review_dossier.queue() if r["text"] == CEASEFIRE)["status"] == "accepted"
    assert json.dumps(ReviewSession(review_dossier.folder, SOURCE_ID).message) == json.dumps(["info", ""]), "nothing left to recover"
