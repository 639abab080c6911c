"""The catalogue page groups runs as editions: by dossier, then edition date (newest first), each
edition with its what-changed headline and its pages; a failing page says why and which good page
is still served. Built from a real catalogue.jsonl and real files, rendered by the real template."""

from __future__ import annotations

import json
import re

from parley.editions.catalogue import group_editions
from parley.editions.catalogue import render_catalogue


def _publish(reports, seq: int, as_of: str, name: str, *, current: bool, changes: str, finished: str) -> dict:
    folder = reports / "tiny" / as_of
    folder.mkdir(parents=True, exist_ok=True)
    entry = {"seq": seq, "status": "published", "dossier_id": "tiny", "dossier": "tiny", "name": name, "notebook": name.split("-")[0],
             "parameters": {}, "as_of": as_of, "version": f"v{seq}", "finished": finished, "seconds": 1.0, "n_charts": 1, "changes": changes,
             "html": f"tiny/{as_of}/{name}.html", "run_json": f"tiny/{as_of}/{name}.run.json", "record_dir": f"tiny/runs/{name}/{seq:05d}"}
    if current:
        (folder / f"{name}.html").write_text("<html></html>", encoding="utf-8")
        (folder / f"{name}.run.json").write_text(json.dumps({"seq": seq}), encoding="utf-8")
    return entry


def test_the_catalogue_groups_editions_newest_first_and_says_what_a_failure_left_served(tmp_path):
    reports = tmp_path / "reports"
    entries = [
        _publish(reports, 1, "2025-03-03", "briefing", current=False, changes="first edition", finished="2025-03-03T06:00:00Z"),
        _publish(reports, 2, "2025-03-03", "briefing", current=True, changes="new statement: 1 · stance shift: 1", finished="2025-03-03T09:00:00Z"),
        _publish(reports, 3, "2025-03-03", "actor_profile-varga", current=True, changes="no change", finished="2025-03-03T09:01:00Z"),
        {"seq": None, "status": "failed", "dossier_id": "tiny", "name": "actor_profile-varga", "notebook": "actor_profile", "parameters": {},
         "as_of": "2025-03-03", "version": "v4", "error": "RuntimeError: synthetic failure", "finished": "2025-03-03T10:00:00Z"},
        {**_publish(reports, 5, "2025-03-05", "briefing", current=True, changes="new event: 1", finished="2025-03-05T06:00:00Z"),
         "parameters": {"since": "2025-03-03", "baseline": str(reports / "tiny/runs/briefing/00002/edition.json")},
         "since": "2025-03-03", "previous_seq": 2},
    ]
    page = render_catalogue(entries, reports)
    sections = re.findall(r'<details class="parley-edition"( open)?>\s*<summary><strong class="parley-date">([0-9-]+)</strong>', page)
    assert sections == [(" open", "2025-03-05"), ("", "2025-03-03")]  # newest open, older ones one click away
    assert "What changed: new event: 1" in page and "What changed: new statement: 1 · stance shift: 1" in page
    assert '<a href="tiny/2025-03-05/briefing.html">briefing</a>' in page
    failed = page[page.index("latest run failed"):][:400]
    assert "RuntimeError: synthetic failure" in failed
    assert 'Still served: <a href="tiny/2025-03-03/actor_profile-varga.html">the good page of run 3</a>' in failed
    assert "1 earlier run(s) of this page replaced" in page  # briefing seq 1, under seq 2
    assert "baseline=edition of 2025-03-03 (run 2)" in page and "00002/edition.json" not in page  # not a long path


def test_group_editions_puts_the_briefing_first_and_counts_failures():
    rows = [{"dossier_id": "d", "as_of": "2025-01-02", "name": "issue-x", "notebook": "issue_brief", "state": "failed"},
            {"dossier_id": "d", "as_of": "2025-01-02", "name": "briefing", "notebook": "briefing", "state": "current", "changes": "no change"},
            {"dossier_id": "d", "as_of": "2025-01-01", "name": "briefing", "notebook": "briefing", "state": "current", "changes": "first edition"}]
    grouped = group_editions(rows)
    assert [e.as_of for e in grouped["d"]] == ["2025-01-02", "2025-01-01"]
    newest = grouped["d"][0]
    assert [p.name for p in newest.pages] == ["briefing", "issue-x"] and newest.n_failing == 1 and newest.headline == "no change"
    assert newest.pages[1].served is None
