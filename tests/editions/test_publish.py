"""parley.editions (batch, worker, records, catalogue, locks): parallel runs, publish only what is whole, faults, locks, run records, catalogue.

Every test renders into its own reports folder (PARLEY_REPORTS_DIR) from a copy of the tiny
dossier (PARLEY_DATA_DIR), with the synthetic fixture notebook tests/notebooks/sched_fixture.ipynb
(faults on demand: raise, kill_kernel, sleep, silent) or the shipped briefing notebook.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import pytest

from parley.editions import warm
from parley.editions.batch import run_spec
from parley.editions.catalogue import read_catalogue
from parley.editions.locks import RunLocked, clean_staging
from parley.report.render import render_briefing
from parley.report.whole import ALLOW_EMPTY_TAG, IncompleteBriefing, check_whole

FIXTURE = Path(__file__).resolve().parents[1] / "notebooks" / "sched_fixture.ipynb"
PARLEY = Path(sys.executable).parent / "parley"
AS_OF = "2025-03-03"  # the tiny dossier's own as-of
PUBLISHED_SUFFIXES = (".html", ".ipynb", ".positions.csv", ".edition.json", ".run.json")


@pytest.fixture
def env(tmp_path, tiny_dir, monkeypatch):
    """Private data and reports folders; returns the reports folder."""
    data = tmp_path / "data"
    shutil.copytree(tiny_dir, data / "tiny")
    reports = tmp_path / "reports"
    monkeypatch.setenv("PARLEY_DATA_DIR", str(data))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(reports))
    return reports


def write_spec(folder: Path, body: str, name: str = "spec.yml") -> Path:
    path = folder / name
    header = "defaults: {dossier: tiny, as_of: dossier, since: previous}\nbriefings:\n"
    path.write_text(header + textwrap.dedent(body).replace("FIXTURE", str(FIXTURE)), encoding="utf-8")
    return path


def quick_spec(folder: Path, subjects: list[str], name: str = "spec.yml", **parameters) -> Path:
    """One fixture briefing per subject (named quick-<subject>), all with the same parameters."""
    extra = "".join(f"\n      {key}: {json.dumps(value)}" for key, value in parameters.items())
    return write_spec(folder, f"""
  - name: quick-{{subject}}
    notebook: FIXTURE
    for_each:
      subject: {json.dumps(subjects)}
    parameters:
      fault: ''{extra}
""", name)


def folder_of(reports: Path) -> Path:
    return reports / "tiny" / AS_OF


def snapshot(reports: Path) -> dict[str, bytes]:
    """Every file at a published path, by name."""
    folder = folder_of(reports)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def assert_nothing_partial(reports: Path) -> None:
    """Published folders hold only complete published files (and kept failed notebooks)."""
    for path in folder_of(reports).iterdir():
        assert path.name.endswith(PUBLISHED_SUFFIXES) and not path.name.startswith("."), f"unexpected file at a published path: {path.name}"


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(PARLEY), "run", *args], capture_output=True, text=True, timeout=600, **kwargs)


# --- check_whole -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory, tiny_dir_module):
    """One real render of the fixture notebook: (executed notebook, page)."""

    out = tmp_path_factory.mktemp("rendered")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PARLEY_DATA_DIR", str(tiny_dir_module.parent))
        result = render_briefing(FIXTURE, {"subject": "whole"}, out_dir=out, dossier="tiny", as_of=AS_OF, progress=False)
    return result.ipynb, result.html


@pytest.fixture(scope="module")
def tiny_dir_module(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data") / "tiny"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "tiny", folder)
    return folder


def mutated(rendered, tmp_path, change_notebook=None, change_page=None):
    ipynb, html = rendered
    nb = nbformat.read(ipynb, as_version=4)
    page = html.read_text(encoding="utf-8")
    if change_notebook:
        change_notebook([c for c in nb.cells if c.cell_type == "code"])
    if change_page:
        page = change_page(page)
    nbformat.write(nb, tmp_path / "x.ipynb")
    (tmp_path / "x.html").write_text(page, encoding="utf-8")
    return tmp_path / "x.ipynb", tmp_path / "x.html"


def test_a_real_render_is_whole(rendered):
    assert check_whole(*rendered) == 1


def test_a_page_missing_its_chart_is_not_whole(rendered, tmp_path):
    files = mutated(rendered, tmp_path, change_page=lambda page: page.replace('<div class="parley-plot"', '<div class="gone"', 1))
    with pytest.raises(IncompleteBriefing, match=r"made 1 chart\(s\) but the page holds 0 chart div"):
        check_whole(*files)


def test_a_truncated_page_is_not_whole(rendered, tmp_path):
    files = mutated(rendered, tmp_path, change_page=lambda page: page[: len(page) // 2])
    with pytest.raises(IncompleteBriefing, match="truncated"):
        check_whole(*files)


def test_a_section_without_its_output_is_not_whole_unless_tagged(rendered, tmp_path):
    def silence_last(cells):
        cells[-1].outputs = []

    files = mutated(rendered, tmp_path, change_notebook=silence_last)
    with pytest.raises(IncompleteBriefing, match=r"code cell 9, id sched-12 \('None if fault == \"silent\".*produced no output"):
        check_whole(*files)

    def silence_and_allow(cells):
        cells[-1].outputs = []
        cells[-1].metadata["tags"] = [ALLOW_EMPTY_TAG]

    assert check_whole(*mutated(rendered, tmp_path, change_notebook=silence_and_allow)) == 1


def test_an_error_output_or_a_cell_that_never_ran_is_not_whole(rendered, tmp_path):
    def add_error(cells):
        cells[3].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="synthetic", traceback=[])]

    with pytest.raises(IncompleteBriefing, match="raised ValueError: synthetic"):
        check_whole(*mutated(rendered, tmp_path, change_notebook=add_error))

    def never_ran(cells):
        cells[-1].execution_count = None
        cells[-1].outputs = []

    with pytest.raises(IncompleteBriefing, match="never ran"):
        check_whole(*mutated(rendered, tmp_path, change_notebook=never_ran))


# --- a batch ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_twelve_briefings_in_parallel_all_publish_and_rerunning_is_idempotent(env, tmp_path):
    subjects = [f"s{i:02d}" for i in range(12)]
    spec = quick_spec(tmp_path, subjects)
    result = run_spec(spec, workers=2, progress=False)
    assert result.exit_code == 0, [(o.briefing.name, o.status, o.message) for o in result.outcomes]
    assert [o.status for o in result.outcomes] == ["published"] * 12
    folder = folder_of(env)
    for subject in subjects:
        name = f"quick-{subject}"
        assert check_whole(folder / f"{name}.ipynb", folder / f"{name}.html") == 1
        record = json.loads((folder / f"{name}.run.json").read_text())
        assert record["parameters"]["subject"] == subject and record["status"] == "published" and record["n_charts"] == 1
        assert (env / record["record_dir"] / "positions.csv").read_text().startswith("actor_id,issue_id,stance,red_line")
        assert (env / record["log"]).is_file()
    assert_nothing_partial(env)
    assert not any((env / ".staging").iterdir())
    catalogue = read_catalogue(env)
    assert sorted(e["name"] for e in catalogue) == sorted(f"quick-{s}" for s in subjects)
    assert len({e["seq"] for e in catalogue}) == 12

    before = snapshot(env)
    again = run_spec(spec, workers=2, progress=False)
    assert again.exit_code == 0 and {o.status for o in again.outcomes} == {"unchanged"}, \
        [(o.briefing.name, o.status, o.message) for o in again.outcomes]  # (a code edit between the runs re-renders)
    assert snapshot(env) == before
    assert len(read_catalogue(env)) == 12

    page = (env / "index.html").read_text()
    editions, runs = page.split("<h2>Every run</h2>")
    assert runs.count('href="tiny/2025-03-03/quick-') == 12 and runs.count("parley-state parley-state-current") == 12
    assert editions.count('<details class="parley-edition"') == 1 and editions.count('href="tiny/2025-03-03/quick-') == 12
    assert "<script" not in page and "src=" not in page and 'href="http' not in page  # self-contained, nothing to fetch


@pytest.fixture(params=["cold", "warm"])
def kernels(request, monkeypatch):
    """A fresh kernel per page, or warm workers keeping one kernel across pages (PARLEY_KERNELS)."""
    monkeypatch.setenv("PARLEY_KERNELS", request.param)
    return request.param


@pytest.mark.slow
def test_faults_keep_the_last_good_page_and_publish_nothing_partial(env, tmp_path, kernels):
    names = ["quick-raise", "quick-kill_kernel", "quick-silent", "quick-ok"]
    first = run_spec(quick_spec(tmp_path, ["raise", "kill_kernel", "silent", "ok"]), workers=2, progress=False)
    assert first.exit_code == 0
    good = snapshot(env)

    # the same four briefings; three of them now fail, each its own way
    entries = "".join(f"""
  - name: quick-{fault}
    notebook: FIXTURE
    parameters: {{subject: {fault}, fault: {fault}}}
""" for fault in ["raise", "kill_kernel", "silent"])
    spec = write_spec(tmp_path, entries + """
  - name: quick-ok
    notebook: FIXTURE
    parameters: {subject: ok, fault: '', sleep_s: 0.5}
""", name="faults.yml")
    result = run_spec(spec, workers=2, progress=False)
    statuses = {o.briefing.name: o.status for o in result.outcomes}
    assert statuses == {"quick-raise": "failed", "quick-kill_kernel": "failed", "quick-silent": "failed", "quick-ok": "published"}
    assert result.exit_code == 1
    messages = {o.briefing.name: o.message for o in result.outcomes}
    assert "RuntimeError: synthetic failure" in messages["quick-raise"]
    assert "DeadKernelError" in messages["quick-kill_kernel"] or "died" in messages["quick-kill_kernel"].lower()
    assert "produced no output" in messages["quick-silent"]

    after = snapshot(env)
    for name in names[:3]:
        for suffix in PUBLISHED_SUFFIXES:
            assert after[name + suffix] == good[name + suffix], f"{name}{suffix} changed after a failed run"
    for name in ("quick-raise", "quick-silent"):
        kept = folder_of(env) / f"{name}.failed.ipynb"
        assert kept.is_file(), f"{name}: the failed run's notebook is kept for diagnosis"
        nbformat.read(kept, as_version=4)  # complete, readable
    # a kernel killed mid-run leaves its parameterised notebook with the error on top (papermill writes
    # nothing when the kernel dies); its log says what happened, and it is not mistaken for a kernel
    # that failed to start
    stub = nbformat.read(str(folder_of(env) / "quick-kill_kernel.failed.ipynb"), as_version=4)
    assert "Execution failed: DeadKernelError" in stub.cells[0].source
    log = env / "logs" / "tiny" / AS_OF / "quick-kill_kernel.log"
    assert "DeadKernelError" in log.read_text() and "retrying" not in log.read_text()
    assert after["quick-ok.html"] != good["quick-ok.html"]
    assert_nothing_partial(env)
    assert not any((env / ".staging").iterdir())

    failures = [e for e in read_catalogue(env) if e["status"] == "failed"]
    assert all(e["log"] and (env / e["log"]).is_file() for e in failures)
    assert sorted(e["name"] for e in failures) == sorted(names[:3])
    page = (env / "index.html").read_text()
    editions, runs = page.split("<h2>Every run</h2>")
    assert "<strong>3 briefings failed in their latest run</strong>" in page and runs.count("parley-state parley-state-failed") == 3
    assert editions.count("latest run failed:") == 3 and "3 failing" in editions

    # the next good run publishes again and removes the failed notebook
    fixed = run_spec(quick_spec(tmp_path, ["raise"], name="fixed.yml"), workers=1, progress=False)
    assert fixed.exit_code == 0 and not (folder_of(env) / "quick-raise.failed.ipynb").exists()


@pytest.mark.slow
def test_a_cell_past_the_time_limit_fails_only_its_page(env, tmp_path, kernels, monkeypatch):
    """A page whose cell would sleep five minutes is interrupted at the cell time limit and fails
    with a message naming the cell and the limit; the page after it, on the same worker (a new
    kernel when warm), publishes; the run takes nowhere near the five minutes."""
    monkeypatch.setenv("PARLEY_CELL_TIMEOUT", "3")
    spec = write_spec(tmp_path, """
  - name: quick-asleep
    notebook: FIXTURE
    parameters: {subject: asleep, fault: sleep, sleep_s: 300}
  - name: quick-ok
    notebook: FIXTURE
    parameters: {subject: ok, fault: ''}
""", name="asleep.yml")
    started = time.monotonic()
    result = run_spec(spec, workers=1, progress=False)
    assert time.monotonic() - started < 150
    statuses = {o.briefing.name: o.status for o in result.outcomes}
    assert statuses == {"quick-asleep": "failed", "quick-ok": "published"} and result.exit_code == 1
    message = next(o.message for o in result.outcomes if o.briefing.name == "quick-asleep")
    assert "ran longer than the cell time limit of 3 s (PARLEY_CELL_TIMEOUT" in message and "code cell" in message, message
    kept = nbformat.read(folder_of(env) / "quick-asleep.failed.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert_nothing_partial(env)


def test_a_bad_cell_time_limit_is_refused_before_anything_runs(env, tmp_path, monkeypatch):
    monkeypatch.setenv("PARLEY_CELL_TIMEOUT", "ten")
    done = subprocess.run([str(PARLEY), "run", str(quick_spec(tmp_path, ["a"])), "-q"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "PARLEY_CELL_TIMEOUT='ten': not a number of seconds" in done.stderr
    assert "Traceback" not in done.stderr and not (env / "tiny").exists()


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _start_sleeping_batch(env: Path, tmp_path: Path):
    """Publish three quick briefings, then start a run re-rendering them with kernels that sleep."""
    import psutil

    assert run_spec(quick_spec(tmp_path, ["a", "b", "c"]), workers=2, progress=False).exit_code == 0
    good = snapshot(env)
    markers = tmp_path / "markers"
    markers.mkdir()
    spec = quick_spec(tmp_path, ["a", "b", "c"], name="sleepy.yml", fault="sleep", sleep_s=300, marker=str(markers))
    runner = subprocess.Popen([str(PARLEY), "run", str(spec), "--workers", "2", "--quiet"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: len(list(markers.glob("*.pid"))) == 2, 120, "two kernels to reach their sleeping cell")
    kernels = [int(p.read_text()) for p in markers.glob("*.pid")]
    tree = [child.pid for child in psutil.Process(runner.pid).children(recursive=True)]
    assert set(kernels) <= set(tree)
    return runner, good, tree


@pytest.mark.slow
def test_sigterm_mid_batch_stops_workers_and_kernels_and_publishes_nothing(env, tmp_path, kernels):
    runner, good, tree = _start_sleeping_batch(env, tmp_path)
    import psutil

    niceness = sorted(psutil.Process(int(p.read_text())).nice() for p in (tmp_path / "markers").glob("*.pid"))
    # warm: the second worker and its kernel yield to the first while both start (the first page comes out sooner)
    assert niceness == ([0, warm.LATER_WORKER_NICE] if kernels == "warm" else [0, 0]), niceness
    runner.send_signal(signal.SIGTERM)
    out, err = runner.communicate(timeout=120)
    assert runner.returncode == 128 + signal.SIGTERM, err
    assert "cancelled" in out
    _wait_for(lambda: not any(_alive(pid) for pid in tree), 30, "every worker and kernel to exit")
    assert snapshot(env) == good
    assert_nothing_partial(env)
    assert not (env / ".staging").exists() or not any(p.is_dir() for p in (env / ".staging").iterdir())


@pytest.mark.slow
def test_sigkill_mid_batch_leaves_the_last_good_pages_and_the_next_run_cleans_up(env, tmp_path):
    runner, good, tree = _start_sleeping_batch(env, tmp_path)
    runner.kill()
    runner.communicate(timeout=60)
    # the workers get a parent-death signal and stop their kernels themselves
    _wait_for(lambda: not any(_alive(pid) for pid in tree), 60, "orphaned workers and kernels to exit")
    assert snapshot(env) == good
    assert_nothing_partial(env)
    leftovers = [p for p in (env / ".staging").iterdir() if p.is_dir()]
    assert leftovers, "a SIGKILLed run cannot clean its staging folder; the next run does"

    result = run_cli(str(quick_spec(tmp_path, ["a"], name="next.yml")), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "removed leftovers of an interrupted run" in result.stderr
    assert not any(p.exists() for p in leftovers)


def test_clean_staging_keeps_the_folder_of_a_live_run(env):
    from filelock import FileLock

    staging = env / ".staging"
    (staging / "run-1").mkdir(parents=True)
    (staging / "run-1" / "junk.html").write_text("<html>half")
    (staging / "run-2").mkdir()
    with FileLock(str(staging / "run-2.lock")):
        removed = clean_staging(env)
    assert removed == [staging / "run-1"]
    assert not (staging / "run-1").exists() and (staging / "run-2").is_dir()


# --- locks -----------------------------------------------------------------------------------

def test_a_second_run_on_the_same_outputs_exits_with_a_clear_message(env, tmp_path):
    from parley.fileio import claim_outputs

    spec = quick_spec(tmp_path, ["a", "b"])
    with claim_outputs(env / ".locks", {f"tiny/{AS_OF}/quick-b"}):  # what another run holds
        with pytest.raises(RunLocked, match=r"another parley run is writing tiny/2025-03-03/quick-b .*this run wrote nothing.*--wait"):
            run_spec(spec, workers=1, progress=False)
        result = run_cli(str(spec), "--quiet")
        assert result.returncode == 3
        assert "error: another parley run is writing tiny/2025-03-03/quick-b" in result.stderr
    assert not folder_of(env).exists()  # nothing was written, not even quick-a
    assert not (env / "catalogue.jsonl").exists()


@pytest.mark.slow
def test_a_second_run_can_wait_for_the_first(env, tmp_path):
    from parley.fileio import claim_outputs

    spec = quick_spec(tmp_path, ["a"])
    claimed, release = threading.Event(), threading.Event()

    def first_run():  # holds quick-a's output for a second, as a running batch would
        with claim_outputs(env / ".locks", {f"tiny/{AS_OF}/quick-a"}):
            claimed.set()
            release.wait(10)

    holder = threading.Thread(target=first_run)
    holder.start()
    claimed.wait(10)
    threading.Timer(1.0, release.set).start()
    started = time.monotonic()
    try:
        result = run_spec(spec, workers=1, wait=60, progress=False)
    finally:
        holder.join()
    assert time.monotonic() - started >= 0.9  # it did wait
    assert [o.status for o in result.outcomes] == ["published"]


# --- what changed ----------------------------------------------------------------------------

@pytest.mark.slow
def test_what_changed_is_a_diff_of_editions_and_a_rerun_never_loses_it(env, tmp_path):
    spec = write_spec(tmp_path, "  - notebook: briefing\n")
    first = run_spec(spec, workers=1, progress=False)
    assert first.exit_code == 0
    record_1 = first.outcomes[0].record
    assert record_1["parameters"]["since"] == "" and record_1["parameters"]["baseline"] == "none"
    assert record_1["previous_seq"] is None and record_1["changes"] == "first edition"
    assert "No earlier edition to compare with" in (folder_of(env) / "briefing.html").read_text()

    # the next day's edition, before anything new is coded: nothing changed since the first
    next_day = "2025-03-04"
    second = run_spec(spec, workers=1, progress=False, as_of=next_day)
    record_2 = second.outcomes[0].record
    assert record_2["previous_seq"] == record_1["seq"] and record_2["since"] == AS_OF and record_2["changes"] == "no change"
    assert Path(record_2["parameters"]["baseline"]) == (env / record_1["record_dir"] / "edition.json").resolve()

    # a data edit on an utterance of 3 March: Northland moves from +2 to +1 on the border, Southland
    # drops its red line. A date filter ("since 3 March") finds none of it; the diff of editions does.
    positions = Path(os.environ["PARLEY_DATA_DIR"]) / "tiny" / "positions.csv"
    text = positions.read_text()
    text = text.replace("p2,s2,border_line,northland,2,false", "p2,s2,border_line,northland,1,false")
    text = text.replace("p1,s1,border_line,southland,-2,true", "p1,s1,border_line,southland,-2,false")
    positions.write_text(text)
    third = run_spec(spec, workers=1, progress=False, as_of=next_day)
    assert third.exit_code == 0 and third.outcomes[0].status == "published"
    record_3 = third.outcomes[0].record
    assert record_3["version"] != record_1["version"] and record_3["previous_seq"] == record_1["seq"]
    page = (env / "tiny" / next_day / "briefing.html").read_text()
    assert f"Since the edition of 2025-03-03 (run {record_1['seq']}, data version {record_1['version']}):" in page
    assert "stance shift: 1" in page and "red line dropped: 1" in page
    assert record_3["changes"] == "red line dropped: 1 · stance shift: 1"
    executed = nbformat.read(env / "tiny" / next_day / "briefing.ipynb", as_version=4)
    table = next(o for c in executed.cells if "changes_table" in c.source for o in c.outputs)
    shown = table["data"]["text/plain"]
    assert "stance shift" in shown and "Northland" in shown and "red line dropped" in shown and "Southland" in shown
    assert "northland,border_line,1,false" in (env / "tiny" / next_day / "briefing.positions.csv").read_text()

    # the same data again: nothing to do; forced, the same day's re-run still compares with 3 March
    assert run_spec(spec, workers=1, progress=False, as_of=next_day).outcomes[0].status == "unchanged"
    forced = run_spec(spec, workers=1, progress=False, as_of=next_day, force=True).outcomes[0].record
    assert forced["previous_seq"] == record_1["seq"] and forced["changes"] == record_3["changes"]
    assert [e["seq"] for e in read_catalogue(env)] == [record_1["seq"], record_2["seq"], record_3["seq"], forced["seq"]]

    # a page changed behind the catalogue's back is not "unchanged": it renders again
    (env / "tiny" / next_day / "briefing.html").write_text("<html>edited by hand</html>", encoding="utf-8")
    again = run_spec(spec, workers=1, progress=False, as_of=next_day).outcomes[0]
    assert again.status == "published" and "edited by hand" not in (env / "tiny" / next_day / "briefing.html").read_text()

    # a render by hand (parley render, make briefing) never changes the published edition or the catalogue; with
    # an empty baseline it finds the same edition to compare with in the catalogue, so it says the same
    folder = env / "tiny" / next_day
    published = {p.name: p.read_bytes() for p in folder.iterdir()}
    catalogue = (env / "catalogue.jsonl").read_bytes()
    draft = render_briefing("briefing", dossier="tiny", as_of=next_day, progress=False)
    assert draft.html == folder / "briefing.draft.html" and draft.draft_of
    assert {name: (folder / name).read_bytes() for name in published} == published
    assert (env / "catalogue.jsonl").read_bytes() == catalogue
    text = draft.html.read_text()
    assert f"Since the edition of 2025-03-03 (run {record_1['seq']}, data version {record_1['version']}):" in text
    assert "stance shift: 1" in text and "red line dropped: 1" in text
    assert run_spec(spec, workers=1, progress=False, as_of=next_day).outcomes[0].status == "unchanged"


# --- kernel start retry ----------------------------------------------------------------------

@pytest.mark.slow
def test_a_kernel_that_fails_to_start_is_retried_once(env, tmp_path, monkeypatch):
    """A kernelspec whose first launch dies at once stands in for the ZMQ port race (papermill #511)."""
    kernel_dir = tmp_path / "jupyter" / "kernels" / "python3"
    kernel_dir.mkdir(parents=True)
    launcher = tmp_path / "flaky_kernel.py"
    launcher.write_text(textwrap.dedent(f"""
        import pathlib, runpy, sys
        first = pathlib.Path({str(tmp_path / 'launched-once')!r})
        if not first.exists():
            first.write_text("")
            sys.exit(1)
        sys.argv = ["ipykernel_launcher", *sys.argv[1:]]
        runpy.run_module("ipykernel_launcher", run_name="__main__")
    """))
    (kernel_dir / "kernel.json").write_text(json.dumps(
        {"argv": ["python", str(launcher), "-f", "{connection_file}"], "display_name": "flaky", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # searched before the environment's own kernels
    result = run_spec(quick_spec(tmp_path, ["a"]), workers=1, progress=False)
    outcome = result.outcomes[0]
    assert outcome.status == "published", outcome.message
    assert outcome.record["attempts"] == 2
    assert "retrying once" in outcome.log.read_text()
    assert (tmp_path / "launched-once").exists()


@pytest.mark.slow
def test_a_run_killed_between_publishing_steps_is_reconciled_by_the_next(env, tmp_path):
    spec = quick_spec(tmp_path, ["a"])
    first = run_spec(spec, workers=1, progress=False)
    record = first.outcomes[0].record
    history = env / record["record_dir"]
    catalogue = env / "catalogue.jsonl"

    # killed after the page and run.json were replaced, before the catalogue line: the run is catalogued
    catalogue.write_text("")
    # killed after the history record was renamed into place, before the page was replaced: it is dropped
    torn = history.parent / "00099"
    shutil.copytree(history, torn)
    (torn / "run.json").write_text(json.dumps({**record, "seq": 99, "record_dir": "tiny/runs/quick-a/00099"}))

    again = run_spec(spec, workers=1, progress=False)
    assert [o.status for o in again.outcomes] == ["unchanged"]
    assert [e["seq"] for e in read_catalogue(env)] == [record["seq"]]
    assert not torn.exists() and history.is_dir()


# --- determinism of the run record -----------------------------------------------------------

@pytest.mark.slow
def test_two_runs_of_the_same_inputs_publish_the_same_run_record(env, tmp_path):
    spec = quick_spec(tmp_path, ["a"])
    notebooks = []
    for _ in range(2):  # two processes, two pids, two staging folders
        result = run_cli(str(spec), "--quiet", "--force", "-j", "1")
        assert result.returncode == 0, result.stderr[-2000:]
        notebooks.append((folder_of(env) / "quick-a.ipynb").read_text(encoding="utf-8"))
    assert ".staging" not in notebooks[0] and "run-" not in json.loads(notebooks[0])["metadata"]["papermill"]["output_path"]
    assert json.loads(notebooks[0])["metadata"]["papermill"]["output_path"] == f"reports/tiny/{AS_OF}/quick-a.ipynb"
    assert notebooks[0] == notebooks[1]


#: `parley run` with a disk that is full for the logs folder (write_atomic refuses with ENOSPC there).
FULL_DISK_FOR_LOGS = textwrap.dedent(
    """
    import errno, os, sys
    import parley.editions.records as records

    real = records.write_atomic
    def write_atomic(path, data):
        if f"{os.sep}logs{os.sep}" in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data)
    records.write_atomic = write_atomic
    sys.argv = ["parley", *sys.argv[1:]]
    from parley import cli
    cli.run()
    """
)


@pytest.mark.slow
def test_a_full_disk_while_writing_a_log_exits_2_naming_the_log(env, tmp_path):
    spec = quick_spec(tmp_path, ["a"])
    result = subprocess.run([sys.executable, "-c", FULL_DISK_FOR_LOGS, "run", str(spec), "--quiet", "-j", "1"],
                            capture_output=True, text=True, timeout=600)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2, result.stderr[-2000:]
    assert f"tiny/{AS_OF}/quick-a.log: No space left on device; the log of quick-a (published) was not kept" in result.stderr
    assert (folder_of(env) / "quick-a.html").is_file()  # the briefing itself is published, whole
