"""The living-dossier model end to end, on SYNTHETIC articles (tests/fixtures/living/, every name invented).

Each article is ingested with the real ``ingest_article``; the spans a test codes are found by
their words (``find_evidence``), queued with ``add_candidate`` unless the extractor proposed them
already, and accepted through ``review accept`` (``decisions.accept``), the validator and the
crash-safe transaction, as a person would code them. Then the analysis and the briefing read it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import parley.briefing as pb
from parley import analysis
from parley.data.dossier import load_dossier
from parley.data.model import corroboration_label
from parley.data.validate import validate_dossier
from parley.errors import DossierInvalid
from parley.review import add_actor, add_alias, add_event, add_issue, add_note, find_evidence, update_event
from parley.review.decisions import Decision, PositionSpec, accept
from parley.review.evidence import EvidenceError
from parley.review.intake import add_candidate, ingest_article
from parley.review.queue import read_candidates

LIVING = Path(__file__).resolve().parent / "fixtures" / "living"
WIRE, DAILY, REPRINT, BLOG = "wire", "daily", "reprint", "blog"
VARGA_WIRE = "is not for sale and never will be,"
VARGA_DAILY = "is not for sale, not now and not in the future,"


@pytest.fixture
def living(tiny_copy):
    """The tiny dossier with the four synthetic Lakeside articles registered."""
    for source_id, name, extra in (
        (WIRE, "wire_lakeside.txt", {"outlet": "Synthetic Wire", "kind": "wire", "reliability": "B"}),
        (DAILY, "daily_lakeside.txt", {"outlet": "Fictional Daily"}),
        (REPRINT, "reprint_lakeside.txt", {"outlet": "Reprint Herald", "origin": "Synthetic Wire"}),
        (BLOG, "liveblog_lakeside.txt", {"outlet": "Fictional Daily", "kind": "live_blog"}),
    ):
        ingest_article(LIVING / name, tiny_copy, published="2025-03-10", source_id=source_id, **extra)
    assert validate_dossier(tiny_copy) == []
    return tiny_copy


def queue(folder: Path, source_id: str, words: str, occurrence: int | None = None) -> str:
    """The pending candidate of the span of ``words`` (the extractor's, else one queued now)."""
    span = find_evidence(folder, source_id, words, occurrence)
    queued = [r for r in read_candidates(folder) if (r["source_id"], int(r["char_start"]), int(r["char_end"])) == (source_id, span.start, span.end)]
    return queued[0]["candidate_id"] if queued else add_candidate(folder, source_id, span.start, span.end, kind="direct_quote")


def code(folder: Path, source_id: str, words: str, decision: Decision, occurrence: int | None = None) -> str:
    """Accept the span of ``words`` in ``source_id`` with ``decision``; returns the statement id."""
    (statement_id,) = accept(folder, [queue(folder, source_id, words, occurrence)], decision)
    return statement_id


def parley(*args: str) -> subprocess.CompletedProcess:
    """The real ``parley`` command (its entry point maps errors to exit codes)."""
    return subprocess.run([sys.executable, "-m", "parley", *args], capture_output=True, text=True, timeout=300)


def test_an_official_added_on_behalf_of_a_party_speaks_for_it(living):
    first = code(living, WIRE, "a ceasefire first, then a line on the map.",
                 Decision(new_actor="Dara Quell", on_behalf_of="northland", positions=(PositionSpec("further_talks", 1),)))
    dossier = load_dossier(living)
    quell = dossier.actors.set_index("actor_id").loc["dara_quell"]
    assert (quell["participation"], quell["parent_id"]) == ("official", "northland")  # the party became his parent
    # His next statement, coded with no on-behalf-of at all, counts for Northland too.
    second = code(living, WIRE, "keep sanctions on Southland's arms trade while insisting that Midland must be at the table.",
                  Decision(speaker="dara_quell", positions=(PositionSpec("border_line", 1),)))
    dossier = load_dossier(living)
    statements = dossier.statements.set_index("statement_id")
    assert statements.loc[second, "on_behalf_of_id"] == "northland"
    holders = dossier.positions.loc[dossier.positions["statement_id"].isin([first, second]), "actor_id"]
    assert set(holders) == {"northland"}
    briefing = pb.open_briefing(living, as_of="2025-03-10")
    assert "Dara Quell" not in set(pb.stance_table(briefing).frame["Party"])


def test_a_joint_statement_codes_the_position_for_each_member(living):
    joint = add_actor(living, {"name": "Northland and Southland", "kind": "group", "members": "northland|southland"})
    assert load_dossier(living).actors.set_index("actor_id").loc[joint, "participation"] == "joint"
    statement = code(living, WIRE, "will keep the Lakeside channel open at every level.", Decision(speaker=joint, positions=(PositionSpec("further_talks", 2),)))
    positions = load_dossier(living).positions
    assert sorted(positions.loc[positions["statement_id"] == statement, "actor_id"]) == ["northland", "southland"]


def test_two_outlets_reporting_one_utterance_count_once_with_both_outlets(living):
    statement = code(living, WIRE, VARGA_WIRE, Decision(speaker="varga", positions=(PositionSpec("border_line", -2, True),)))
    again = code(living, DAILY, VARGA_DAILY, Decision(report_of=statement, completeness="translation"))
    assert again == statement
    dossier = load_dossier(living)
    assert len(dossier.reports.loc[dossier.reports["statement_id"] == statement]) == 2
    utterance = dossier.utterances.set_index("statement_id").loc[statement]
    assert (utterance["n_reports"], utterance["n_outlets"], utterance["n_origins"]) == (2, 2, 2)
    assert utterance["text"] == VARGA_WIRE  # the wire's verbatim words stand for it (a translation ranks after)
    quotes = analysis.key_quotes(dossier, pd.Timestamp("2025-03-10"), actors=["southland"])
    assert list(quotes["statement_id"]).count(statement) == 1
    label = corroboration_label(*quotes.set_index("statement_id").loc[statement, ["outlets", "n_outlets", "n_origins"]])
    assert label == "reported by Fictional Daily, Synthetic Wire — 2 outlets, 2 independent origins"
    briefing = pb.open_briefing(living, as_of="2025-03-10", since="2025-03-09")
    assert label in repr(pb.key_quotes(briefing))
    assert analysis.new_statements(dossier, pd.Timestamp("2025-03-09"), pd.Timestamp("2025-03-10"))["statement_id"].tolist().count(statement) == 1


def test_a_republished_wire_story_adds_an_outlet_not_an_origin(living):
    statement = code(living, WIRE, VARGA_WIRE, Decision(speaker="varga", positions=(PositionSpec("border_line", -2, True),)))
    code(living, DAILY, VARGA_DAILY, Decision(report_of=statement))
    code(living, REPRINT, VARGA_WIRE, Decision(report_of=statement))  # the same words: Synthetic Wire copy on Reprint Herald
    utterance = load_dossier(living).utterances.set_index("statement_id").loc[statement]
    assert (utterance["n_reports"], utterance["n_outlets"], utterance["n_origins"]) == (3, 3, 2)
    assert corroboration_label(utterance["outlets"], utterance["n_outlets"], utterance["n_origins"]) == (
        "reported by Fictional Daily, Reprint Herald, Synthetic Wire — 3 outlets, 2 independent origins")


def test_a_statement_with_two_positions_keeps_each_stance(living):
    sanctions = add_issue(living, label="Arms-trade sanctions", description="Sanctions on Southland's arms trade.",
                          minus2_means="Lift them all", plus2_means="Keep and widen them", source_id=WIRE, evidence="keep sanctions on Southland's arms trade")
    midland = add_issue(living, label="Midland at the table", description="Whether Midland takes part.", minus2_means="Midland kept out",
                        plus2_means="Midland a full party")
    statement = code(living, WIRE, "keep sanctions on Southland's arms trade while insisting that Midland must be at the table.",
                     Decision(new_actor="Dara Quell", on_behalf_of="northland",
                              positions=(PositionSpec(sanctions, 2, True), PositionSpec(midland, 2, False, "only once a ceasefire holds"))))
    matrix = analysis.stance_matrix(load_dossier(living)).set_index(["actor_id", "issue_id"])
    assert matrix.loc[("northland", sanctions), ["stance", "red_line", "statement_id"]].tolist() == [2, True, statement]
    assert matrix.loc[("northland", midland), ["stance", "red_line", "condition"]].tolist() == [2, False, "only once a ceasefire holds"]


def test_the_cli_takes_several_positions(living):
    candidate = queue(living, WIRE, "a ceasefire first, then a line on the map.")
    result = parley("review", "accept", candidate, "-d", str(living), "--speaker", "hollis",
                    "--position", "further_talks:1::after a ceasefire", "--position", "border_line:2:redline")
    assert result.returncode == 0, result.stderr
    positions = load_dossier(living).positions
    positions = positions.loc[positions["statement_id"].str.startswith("s_wire_")].set_index("issue_id")
    assert positions.loc["further_talks", ["actor_id", "stance", "condition"]].tolist() == ["northland", 1, "after a ceasefire"]
    assert positions.loc["border_line", ["stance", "red_line"]].tolist() == [2, True]
    bad = parley("review", "accept", candidate, "-d", str(living), "--position", "further_talks")
    assert bad.returncode == 2 and "ISSUE:STANCE" in bad.stderr and "Traceback" not in bad.stderr


def test_a_live_blog_entry_may_be_dated_after_the_blog_but_an_article_may_not(living):
    words = "ready to sit down in Lakeside today."
    statement = code(living, BLOG, words, Decision(speaker="varga", date_said="2025-03-11", date_reported="2025-03-11"))
    report = load_dossier(living).reports.set_index("statement_id").loc[statement]
    assert report["date_reported"] == pd.Timestamp("2025-03-11")  # the entry's date, a day after the blog was first published
    assert validate_dossier(living) == []
    candidate = queue(living, WIRE, "a ceasefire first, then a line on the map.")
    with pytest.raises(DossierInvalid, match="only a live_blog's entries may be dated later"):
        accept(living, [candidate], Decision(speaker="hollis", date_reported="2025-03-11"))
    assert validate_dossier(living) == []  # rolled back


def test_an_event_added_by_the_words_of_its_source(living):
    with pytest.raises(EvidenceError) as ambiguous:
        add_event(living, {"title": "Lakeside round", "kind": "talks", "parties": "northland|southland"}, source_id=WIRE, evidence="in Lakeside on Tuesday")
    message = str(ambiguous.value)
    assert "occurs 2 times in source wire; choose one with --occurrence N" in message
    assert "meet [in Lakeside on Tuesday], officials" in message and "meeting [in Lakeside on Tuesday] would" in message
    with pytest.raises(EvidenceError) as missing:
        add_event(living, {"title": "Lakeside round"}, source_id=WIRE, evidence="due to meet in Lakesde on Tusday")
    assert "is not in source wire" in str(missing.value) and "due to meet in Lakeside on Tuesday" in str(missing.value)
    event_id = add_event(living, {"title": "Lakeside round", "kind": "talks", "parties": "northland|southland", "hosts": "midland"},
                         source_id=WIRE, evidence="in Lakeside on Tuesday", occurrence=1)
    dossier = load_dossier(living)
    event = dossier.events.set_index("event_id").loc[event_id]
    text = dossier.source_text(WIRE)
    assert text[event["evidence_start"]:event["evidence_end"]] == event["evidence"] == "in Lakeside on Tuesday"
    assert text[event["evidence_start"] - 8:event["evidence_start"]] == "to meet "  # the first occurrence
    assert event["status"] == "planned"
    assert sorted(dossier.event_parties.loc[dossier.event_parties["event_id"] == event_id, "role"]) == ["host", "participant", "participant"]
    # The live blog's later entry postpones it: a status change with the source that says so.
    update_event(living, event_id, "postponed", source_id=BLOG, evidence="have been postponed to 20 March", date="2025-03-20", date_reported="2025-03-11")
    dossier = load_dossier(living)
    before = analysis.timeline(dossier, pd.Timestamp("2025-03-10")).set_index("event_id").loc[event_id]
    after = analysis.timeline(dossier, pd.Timestamp("2025-03-11")).set_index("event_id").loc[event_id]
    assert (before["status"], after["status"], after["date"]) == ("planned", "postponed", pd.Timestamp("2025-03-20"))
    changes = analysis.event_changes(dossier, pd.Timestamp("2025-03-10"), pd.Timestamp("2025-03-11"))
    assert changes.set_index("event_id").loc[event_id, "change"] == "now postponed"


def test_actors_and_aliases_are_added_by_name(living):
    actor_id = add_actor(living, name="Dara Quell", parent_id="northland", roles="deputy envoy", source_id=WIRE, evidence="Dara Quell")
    actor = load_dossier(living).actors.set_index("actor_id").loc[actor_id]
    assert (actor["participation"], actor["parent_id"], actor["roles"]) == ("official", "northland", "deputy envoy")
    assert "Evidence: wire characters" in actor["notes"]
    add_alias(living, actor_id, "Quell", source_id=WIRE, occurrence=1)
    assert load_dossier(living).actors.set_index("actor_id").loc[actor_id, "aliases"] == "Dara Quell|Quell"
    with pytest.raises(EvidenceError, match="is not in source wire"):
        add_alias(living, actor_id, "D. Quell", source_id=WIRE)


def test_parley_add_on_the_command_line(living):
    ambiguous = parley("add", "event", "-d", str(living), "--title", "Lakeside round", "--kind", "talks", "--source", WIRE, "--evidence", "in Lakeside on Tuesday")
    assert ambiguous.returncode == 2 and "--occurrence N" in ambiguous.stderr and "Traceback" not in ambiguous.stderr
    ok = parley("add", "event", "-d", str(living), "--title", "Lakeside round", "--kind", "talks", "--party", "northland",
                "--source", WIRE, "--evidence", "in Lakeside on Tuesday", "--occurrence", "2")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "added: event lakeside_round"
    status = parley("add", "status", "lakeside_round", "postponed", "-d", str(living), "--source", BLOG,
                    "--evidence", "postponed to 20 March", "--date-reported", "2025-03-11")
    assert status.returncode == 0, status.stderr
    actor = parley("add", "actor", "JD Quill", "-d", str(living), "--parent", "northland")
    assert actor.returncode == 0 and "added: actor jd_quill" in actor.stdout
    assert load_dossier(living).actors.set_index("actor_id").loc["jd_quill", "participation"] == "official"
    wrong = parley("add", "status", "lakeside_round", "moved", "-d", str(living), "--source", BLOG, "--evidence", "postponed to 20 March")
    assert wrong.returncode == 2 and "event status 'moved' is not allowed" in wrong.stderr
    assert validate_dossier(living) == []


def test_parley_add_note_puts_the_analysts_bottom_line_on_that_editions_page(tiny_copy):
    text = "SYNTHETIC NOTE for tests: Southland has not answered.\nWatch the planned talks."
    added = parley("add", "note", text, "-d", str(tiny_copy), "--as-of", "2025-03-03", "--author", "B. Analyst (synthetic)", "--written-on", "2025-03-03")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "added: note note_2025_03_03_briefing"
    note = pb.analyst_note(pb.open_briefing(tiny_copy, as_of="2025-03-03"))
    assert "B. Analyst (synthetic), written 2025-03-03" in note.markup and "Southland has not answered." in note.markup
    assert pb.analyst_note(pb.open_briefing(tiny_copy, as_of="2025-03-03"), notebook="actor_profile") is None
    again = add_note(tiny_copy, as_of="2025-03-03", author="C. Analyst (synthetic)", written_on="2025-03-03", text="SYNTHETIC NOTE: a second view.")
    assert again == "note_2025_03_03_briefing_2"
    notes = load_dossier(tiny_copy).analyst_notes.set_index("note_id")
    assert notes.loc["note_2025_03_03_briefing", "text"] == text  # kept as written, line break too
    assert validate_dossier(tiny_copy) == []


def test_add_note_declares_the_notes_table_in_a_dossier_that_has_none(tiny_copy):
    import json

    package = tiny_copy / "datapackage.json"
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "analyst_notes"]
    package.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (tiny_copy / "analyst_notes.csv").unlink()
    with pytest.raises(DossierInvalid, match="field written_on"):  # nothing is declared or created when the change is bad
        add_note(tiny_copy, as_of="2025-03-10", author="B. Analyst (synthetic)", written_on="last week", text="SYNTHETIC NOTE")
    assert not (tiny_copy / "analyst_notes.csv").exists() and "analyst_notes" not in package.read_text(encoding="utf-8")
    note_id = add_note(tiny_copy, as_of="2025-03-10", notebook="issue_brief", author="B. Analyst (synthetic)", written_on="2025-03-10",
                       text="SYNTHETIC NOTE for tests: the border issue is stuck.")
    assert note_id == "note_2025_03_10_issue_brief"
    assert validate_dossier(tiny_copy) == []
    briefing = pb.open_briefing(tiny_copy, as_of="2025-03-10", issue="border_line")
    assert "the border issue is stuck" in pb.analyst_note(briefing, notebook="issue_brief").markup
