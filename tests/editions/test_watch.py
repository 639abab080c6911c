"""``parley run --watch`` (parley.editions.watch): the edition again on the same warm workers each
time what the spec reads changes.

- real watches of the shipped actor_profile and issue_brief notebooks on a copy of the tiny
  dossier: after an edit only the pages it touches render again, on the same worker processes,
  and they are what a new forced ``parley run`` publishes; a malformed spec is reported and waited
  out; a worker killed while idle is replaced;
- the CLI: Ctrl-C and SIGTERM end it with 130 and 143 and leave no worker or kernel behind;
- what counts as a change (fingerprints), when a change has settled (no journal of a change under
  way), and a change of the code ending the watch.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil
import pytest

from parley.editions import watch
from parley.editions.batch import run_spec

PARLEY = Path(sys.executable).parent / "parley"
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EDITION = "2025-03-03"  # the tiny dossier's date
PAGES = {"actor-northland", "actor-southland", "actor-midland", "issue-border_line", "issue-further_talks"}
SPEC = f"""\
    defaults: {{dossier: tiny, as_of: {EDITION}}}
    briefings:
      - name: actor-{{actor}}
        notebook: {NOTEBOOKS / 'actor_profile.ipynb'}
        for_each:
          actor: {{from: actors, where: {{kind: [state]}}}}
      - name: issue-{{issue}}
        notebook: {NOTEBOOKS / 'issue_brief.ipynb'}
        for_each:
          issue: issues
    """


@pytest.fixture
def watched(tmp_path, tiny_dir, monkeypatch):
    """A copy of the tiny dossier, a spec of its five pages, and empty reports."""
    import shutil

    data, reports = tmp_path / "data", tmp_path / "reports"
    shutil.copytree(tiny_dir, data / "tiny")
    monkeypatch.setenv("PARLEY_DATA_DIR", str(data))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(reports))
    monkeypatch.delenv("PARLEY_KERNELS", raising=False)
    spec = tmp_path / "spec.yml"
    spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    return spec, data / "tiny", reports


def _set_stance(folder: Path, position: str, stance: str) -> None:
    path = folder / "positions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    [row] = [r for r in rows if r["position_id"] == position]
    row["stance"] = stance
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _workers() -> set[int]:
    """The warm worker processes below this one."""
    found = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if "parley.editions.warm" in " ".join(child.cmdline()):
                found.add(child.pid)
        except psutil.Error:
            pass
    return found


def _published(result) -> set[str]:
    return {o.briefing.name for o in result.outcomes if o.status == "published"}


@pytest.mark.slow
def test_editions_on_the_same_workers_render_only_what_changed(watched):
    spec, dossier, reports = watched
    seen: list[watch.Edition] = []
    workers: list[set[int]] = []
    good_spec = spec.read_text(encoding="utf-8")

    def on_edition(edition: watch.Edition) -> None:
        seen.append(edition)
        workers.append(_workers())
        if edition.number == 1:  # Northland's stance on further talks, +1 -> -1
            _set_stance(dossier, "p3", "-1")
        elif edition.number == 2:  # the spec broken by a typo
            os.kill(sorted(workers[-1])[0], signal.SIGKILL)  # and a worker killed while it waits
            spec.write_text(good_spec.replace("for_each:", "for_eche:", 1), encoding="utf-8")
        elif edition.number == 3:
            spec.write_text(good_spec, encoding="utf-8")  # mended

    why = watch.watch_spec(spec, workers=2, progress=False, echo=lambda _message: None, interval=0.1,
                           on_edition=on_edition, editions=4)
    assert why == watch.STOPPED
    assert [e.number for e in seen] == [1, 2, 3, 4]
    first, edited, broken, mended = seen
    assert first.result.exit_code == 0 and _published(first.result) == PAGES
    assert edited.result.exit_code == 0
    assert _published(edited.result) == {"actor-northland", "actor-southland", "issue-further_talks"}
    assert {o.reason for o in edited.result.outcomes if o.status == "unchanged"} == {"its records did not change"}
    assert len(workers[0]) == 2 and workers[1] == workers[0], "the second edition ran on the first one's workers"
    assert broken.result is None and "for_eche" in broken.error
    assert mended.result.exit_code == 0 and _published(mended.result) == set()  # nothing changed since edition 2
    assert len(workers[3]) == 2 and len(workers[3] & workers[0]) == 1, "the killed worker was replaced, the other kept"
    assert not _workers(), "the watch ended its workers"
    # what the watch published is what a new forced run publishes
    from tests.editions.test_changed import _page

    kept = {name: _page(reports, name) for name in PAGES}
    fresh = run_spec(spec, force=True, progress=False)
    assert fresh.exit_code == 0
    for name in sorted(PAGES):
        html, ipynb = _page(reports, name)
        assert ipynb == kept[name][1], f"{name}: the watch's notebook differs from a fresh run's"
        assert html == kept[name][0], f"{name}: the watch's page differs from a fresh run's"


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_the_command_ends_on_a_signal_and_leaves_nothing_running(watched, signum, status):
    spec, _dossier, _reports = watched
    process = subprocess.Popen([str(PARLEY), "run", str(spec), "--watch", "--only", "actor-midland", "-q", "--interval", "0.1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as a terminal's Ctrl-C reaches it
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 300
    while not any(line.startswith("watching ") for line in lines) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    assert any(line.startswith("edition 1: 1 rendered again, 0 unchanged, 0 not published") for line in lines), "".join(lines)
    below = [child.pid for child in psutil.Process(process.pid).children(recursive=True)]
    assert below, "the workers wait, warm, between editions"
    process.send_signal(signum)
    assert process.wait(timeout=60) == status, process.stderr.read()
    time.sleep(0.5)
    assert not [pid for pid in below if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]


def test_a_malformed_spec_exits_2_before_anything_starts(watched):
    spec, _dossier, _reports = watched
    spec.write_text("briefings: [{name: x}]\n", encoding="utf-8")
    done = subprocess.run([str(PARLEY), "run", str(spec), "--watch", "-q"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "notebook" in done.stderr


# --------------------------------------------------------------------------------------------
# what counts as a change, and when it has settled


def test_fingerprints_see_every_change_of_a_file_and_nothing_else(tmp_path):
    root = tmp_path / "dossier"
    (root / "__pycache__").mkdir(parents=True)
    table = root / "positions.csv"
    table.write_text("a\n", encoding="utf-8")
    before = watch.fingerprint([root, tmp_path / "spec.yml"])  # a missing file counts too
    (root / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    (root / "y.pyc").write_bytes(b"compiled")
    assert watch.fingerprint([root, tmp_path / "spec.yml"]) == before
    for change in (lambda: table.write_text("b\n", encoding="utf-8"),  # same size, new time
                   lambda: table.write_text("bb\n", encoding="utf-8"),
                   lambda: (root / "new.csv").write_text("", encoding="utf-8"),
                   lambda: (root / "new.csv").unlink(),
                   lambda: (tmp_path / "spec.yml").write_text("", encoding="utf-8")):
        time.sleep(0.01)
        change()
        now = watch.fingerprint([root, tmp_path / "spec.yml"])
        assert now != before
        before = now


def _waiting(roots, code, stop, interval=0.05):
    seen, code_seen = watch.fingerprint(roots), watch.fingerprint(code)
    answer: list = []
    thread = threading.Thread(target=lambda: answer.append(watch._next_change(roots, seen, code, code_seen, interval, stop)))
    thread.start()
    return thread, answer


def test_a_change_is_acted_on_once_no_change_is_under_way(tmp_path):
    root, code = tmp_path / "dossier", tmp_path / "code"
    root.mkdir()
    code.mkdir()
    stop = threading.Event()
    thread, answer = _waiting([root], [code], stop)
    time.sleep(0.3)
    assert thread.is_alive(), "nothing changed yet"
    (root / ".journal").mkdir()  # a multi-file change under way (parley.journal)
    (root / "statements.csv").write_text("half of it", encoding="utf-8")
    time.sleep(0.5)
    assert thread.is_alive(), "it must wait for the change to finish"
    (root / ".journal").rmdir()
    thread.join(timeout=10)
    assert not thread.is_alive() and answer == [None] and not stop.is_set()


def test_a_code_change_ends_the_wait_and_stop_ends_it_quietly(tmp_path):
    root, code = tmp_path / "dossier", tmp_path / "code"
    root.mkdir()
    code.mkdir()
    thread, answer = _waiting([root], [code], threading.Event())
    (code / "module.py").write_text("x = 1\n", encoding="utf-8")
    thread.join(timeout=10)
    assert answer == [watch.CODE_CHANGED]
    stop = threading.Event()
    thread, answer = _waiting([root], [code], stop)
    stop.set()
    thread.join(timeout=10)
    assert answer == [None]


def test_the_inputs_of_a_spec_are_its_notebooks_dossiers_and_seeds(watched):
    from parley.editions.spec import expand_spec

    spec, dossier, _reports = watched
    roots = watch.input_roots(spec, expand_spec(spec))
    assert roots == sorted({spec.resolve(), NOTEBOOKS / "actor_profile.ipynb", NOTEBOOKS / "issue_brief.ipynb", dossier,
                            dossier / "seeds"})
    assert set(watch.code_roots()) == {Path(watch.__file__).resolve().parents[1], watch.paths.TEMPLATES_DIR}
