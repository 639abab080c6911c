"""Editions: what a published view showed (parley.data.edition, parley.analysis.editions), and
"What changed" as a diff of editions record kind by record kind (parley.analysis.differs); the
baseline a page finds in the catalogue (parley.report.baseline); on the tiny dossier plus
synthetic additions and on the seed."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from analysis_fixtures import SEED_DIR, THIRD_SOURCE, add_third_source, day, load, seed, set_cells  # noqa: F401 (seed: a fixture)

import parley.briefing as pb
from parley.analysis.editions import RECORD_KINDS, diff_editions, edition_of, headline
from parley.data.edition import EDITION_FORMAT, read_edition, write_edition
from parley.report.baseline import find_baseline
from parley.errors import ParameterError

def test_an_edition_reads_back_equal_and_writes_the_same_bytes(tiny_copy, tmp_path):
    dossier = load(tiny_copy)
    edition = edition_of(dossier, day("2025-03-03"))
    assert list(edition.records) == list(RECORD_KINDS)
    path = write_edition(edition, tmp_path / "a.edition.json")
    again = write_edition(edition_of(load(tiny_copy), day("2025-03-03")), tmp_path / "b.edition.json")
    assert path.read_bytes() == again.read_bytes()
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == EDITION_FORMAT and payload["version"] == dossier.version and payload["as_of"] == "2025-03-03"
    read = read_edition(path)
    for kind, frame in edition.records.items():
        assert read.records[kind].equals(frame), kind
    assert diff_editions(read, edition, dossier, day("2025-03-03")).empty
    assert "could follow" not in path.read_text(encoding="utf-8")  # words stay in the dossier: an edition keeps fingerprints


def test_a_same_day_rerun_after_a_data_edit_lists_exactly_what_was_added(tiny_copy, tmp_path):
    as_of = day("2025-03-05")
    published = write_edition(edition_of(load(tiny_copy), as_of), tmp_path / "briefing.edition.json")
    add_third_source(tiny_copy)  # all of it reported before the edition's date: a date filter finds none of it
    dossier = load(tiny_copy)
    diff = diff_editions(read_edition(published), edition_of(dossier, as_of), dossier, as_of)
    assert set(zip(diff["change"], diff["id"])) == {
        ("new outlet", "Synthetic Courier (fictional)"), ("new source", THIRD_SOURCE), ("new statement", "t1"),
        ("new report", "r_s2_courier"), ("stance shift", "northland:border_line"), ("new event", "hollis_briefing"),
        ("event status changed", "lakeside_talks"),
        ("judgment due for review", "border_deal_unlikely"),  # written 3 March; the border statement came on the 4th
    }
    report = diff.set_index("change").loc["new report"]
    assert report["what"].startswith("Synthetic Courier (fictional) reports Piet Hollis: “a line that reflects the facts on the ground.”")
    assert report["detail"] == "reported 2025-03-04; independent origins 1 → 2 (corroboration up)"
    shift = diff.set_index("change").loc["stance shift"]
    assert shift["detail"].startswith("+2 → +1: ") and "could follow the old map" in shift["detail"]
    assert diff.set_index("change").loc["event status changed", "detail"] == "planned → cancelled"
    assert headline(diff).startswith("new outlet: 1 · new source: 1 · new statement: 1 · new report: 1 · stance shift: 1")


def test_the_briefing_shows_the_same_diff_from_the_baseline_file(tiny_copy, tmp_path):
    published = write_edition(edition_of(load(tiny_copy), day("2025-03-05")), tmp_path / "briefing.edition.json")
    add_third_source(tiny_copy)
    briefing = pb.open_briefing(tiny_copy, as_of="2025-03-05", baseline=str(published))
    text = repr(pb.what_changed(briefing))
    assert "- new statement: 1" in text and "Piet Hollis: “could follow the old map in places”" in text
    assert "- stance shift: 1" in text and "- new event: 1" in text and "- event status changed: 1" in text
    assert [tuple(r) for r in pb.changes_table(briefing).frame[["Change", "Actor", "Before", "Now"]].itertuples(index=False)] == [
        ("stance shift", "Northland", 2, 1)]
    southland = pb.open_briefing(tiny_copy, as_of="2025-03-05", baseline=str(published), actor="southland")
    assert "new statement" not in repr(pb.what_changed(southland))  # the page of another actor lists none of it


def test_withdrawn_and_revised_records_are_listed(tiny_copy, tmp_path):
    as_of = day("2025-03-03")
    published = read_edition(write_edition(edition_of(load(tiny_copy), as_of), tmp_path / "e.edition.json"))
    set_cells(tiny_copy, "statements", "statement_id", "s3", review_status="rejected")
    set_cells(tiny_copy, "judgments", "judgment_id", "border_deal_unlikely", likelihood="likely")
    dossier = load(tiny_copy)
    diff = diff_editions(published, edition_of(dossier, as_of), dossier, as_of)
    found = set(zip(diff["change"], diff["id"]))
    assert ("statement withdrawn", "s3") in found and ("position withdrawn", "northland:further_talks") in found
    assert ("judgment revised", "border_deal_unlikely") in found
    assert diff.set_index("change").loc["judgment revised", "detail"] == "unlikely (moderate) → likely (moderate)"


def test_a_judgment_is_due_for_review_when_its_issue_hears_more(tiny_copy, tmp_path):
    add_third_source(tiny_copy, published="2025-03-05", reported="2025-03-05")
    dossier = load(tiny_copy)
    on_the_day = pb.open_briefing(tiny_copy, as_of="2025-03-03")
    assert pb.key_judgments(on_the_day).frame["Review"].tolist() == [""]
    later = pb.open_briefing(tiny_copy, as_of="2025-03-05", baseline="none")
    table = pb.key_judgments(later).frame
    assert table["Written"].tolist() == ["2025-03-03"]
    assert table["Review"].tolist() == ["review due: 1 statement(s) on its issue reported since 2025-03-03"]
    assert "1 key judgment(s) due for review" in repr(pb.bluf(later))
    diff = diff_editions(edition_of(dossier, day("2025-03-03")), edition_of(dossier, day("2025-03-05")), dossier, day("2025-03-05"))
    assert ("judgment due for review", "border_deal_unlikely") in set(zip(diff["change"], diff["id"]))


def test_a_judgment_already_due_at_the_baseline_is_no_change_of_a_later_edition(tiny_copy):
    add_third_source(tiny_copy)  # its border statement is reported on 4 March, after the judgment of 3 March
    dossier = load(tiny_copy)
    diff = diff_editions(edition_of(dossier, day("2025-03-05")), edition_of(dossier, day("2025-03-09")), dossier, day("2025-03-09"))
    assert diff.empty  # still due, but already due in the edition compared with: nothing changed
    table = pb.key_judgments(pb.open_briefing(tiny_copy, as_of="2025-03-09", baseline="none")).frame
    assert table["Review"].tolist() == ["review due: 1 statement(s) on its issue reported since 2025-03-03"]  # the page still says so


def test_an_overdue_planned_event_is_flagged(tiny_copy):
    set_cells(tiny_copy, "events", "event_id", "lakeside_talks", date="2025-03-04")
    on_time = pb.open_briefing(tiny_copy, as_of="2025-03-04")
    assert pb.watch_list(on_time).frame["Status"].tolist() == [""]
    late = pb.open_briefing(tiny_copy, as_of="2025-03-09")
    assert pb.watch_list(late).frame["Status"].tolist() == ["overdue: the date has passed, still listed as planned"]
    assert "Overdue: Next round in Lakeside (planned for 2025-03-04)" in repr(pb.bluf(late))


def test_the_default_view_is_the_latest_date_and_the_period_comes_from_the_data(tiny_copy):
    add_third_source(tiny_copy, published="2025-03-12", reported="2025-03-12")
    briefing = pb.open_briefing(tiny_copy)
    assert briefing.as_of == day("2025-03-12")
    header = repr(pb.header(briefing))
    assert "Period: 2025-03-03 – 2025-03-12" in header and "As of: 2025-03-12\n" in header
    earlier = repr(pb.header(pb.open_briefing(tiny_copy, as_of="2025-03-03")))
    assert "As of: 2025-03-03 (the dossier holds data up to 2025-03-12" in earlier


def _entry(seq: int, as_of: str, version: str, record_dir: str, **extra) -> dict:
    return {"seq": seq, "status": "published", "dossier_id": "tiny", "name": "briefing", "notebook": "briefing", "parameters": {},
            "as_of": as_of, "version": version, "record_dir": record_dir, **extra}


def test_a_notebook_finds_its_baseline_edition_in_the_catalogue(tiny_copy, tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(reports))
    before = load(tiny_copy)
    record = reports / "tiny" / "runs" / "briefing" / "00001"
    record.mkdir(parents=True)
    write_edition(edition_of(before, day("2025-03-03")), record / "edition.json")
    (reports / "catalogue.jsonl").write_text(json.dumps(_entry(1, "2025-03-03", before.version, "tiny/runs/briefing/00001")) + "\n")
    # nothing changed since that edition: the same view compares with nothing before it
    assert pb.open_briefing(tiny_copy, notebook="briefing").compared_with is None
    add_third_source(tiny_copy)
    found = pb.open_briefing(tiny_copy, notebook="briefing")
    assert found.compared_with.describe() == f"the edition of 2025-03-03 (run 1, data version {before.version})"
    assert set(found.diff["id"]) >= {"t1", "hollis_briefing", "northland:border_line"}
    assert pb.open_briefing(tiny_copy, notebook="briefing", baseline="none").compared_with is None
    assert pb.open_briefing(tiny_copy, notebook="actor_profile", actor="varga").compared_with is None  # another page


def test_find_baseline_takes_the_last_run_of_the_edition_before(tmp_path):
    for seq in (1, 2, 3):
        (tmp_path / f"r{seq}").mkdir()
        (tmp_path / f"r{seq}" / "edition.json").write_text("{}")
    entries = [_entry(1, "2025-03-01", "v1", "r1"), _entry(3, "2025-03-03", "v2", "r3"), _entry(2, "2025-03-03", "v1", "r2"),
               _entry(4, "2025-03-09", "v2", "gone"), {**_entry(5, "2025-03-05", "v2", "r3"), "status": "failed"},
               {**_entry(6, "2025-03-05", "v2", "r3"), "name": "other"}]
    pick = lambda **kw: find_baseline(entries, dossier_id="tiny", reports=tmp_path, name="briefing", **kw)  # noqa: E731
    # a same-day re-run (after a data edit or forced) keeps the edition before: it never loses what changed
    assert pick(as_of="2025-03-03")["seq"] == 1
    assert pick(as_of="2025-03-04")["seq"] == 3   # the last run of the 3 March edition (seq 3 after seq 2)
    assert pick(as_of="2025-03-10")["seq"] == 3   # the 9 March record is gone: the edition before it; failed runs never count
    assert pick(as_of="2025-03-01") is None       # a first edition compares with nothing


def test_a_bad_baseline_file_says_what_it_is(tmp_path):
    bad = tmp_path / "x.edition.json"
    bad.write_text('{"format": "other/9"}', encoding="utf-8")
    with pytest.raises(ParameterError, match=r"format 'other/9', expected 'parley-edition/1'"):
        read_edition(bad)
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"is not an edition file"):
        read_edition(bad)


def test_the_seed_edition_is_small_and_covers_every_kind(seed, tmp_path):
    edition = edition_of(seed, day("2025-02-18"))
    path = write_edition(edition, tmp_path / "seed.edition.json")
    assert path.stat().st_size < 20_000
    assert {k: len(v) for k, v in edition.records.items()} == {
        "sources": 1, "actors": 18, "statements": 35, "reports": 35, "positions": 30, "events": 7, "judgments": 5}
    assert set(pd.read_csv(SEED_DIR / "statements.csv")["statement_id"]) == set(edition.records["statements"]["statement_id"])
