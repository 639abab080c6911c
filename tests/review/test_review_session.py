"""parley.review.session: the review notebook's controller, end to end on a temporary dossier (no browser).

Every decision runs the CLI's real functions on real files; the tests read the CSVs back.
"""

from __future__ import annotations

import pytest
from review_support import SOURCE_ID

from parley.review.session import ReviewSession
from parley.data.validate import validate_dossier

TRUCE = "A truce is within reach if both sides keep talking,"
INVITED = "Ukraine will be invited to the next round."
CEASEFIRE = "There will be no ceasefire while foreign troops stand on Ukrainian soil,"
COFFEE = 'the delegations had "enjoyed the coffee."'


def open_at(session: ReviewSession, text: str) -> str:
    cid = next(cid for cid, row in session.rows.items() if row["text"] == text)
    session.dispatch({"do": "go", "to": cid})
    assert session.card.candidate_id == cid
    return cid


def statement(dossier, text: str) -> dict[str, str]:
    (row,) = [s for s in dossier.coded(SOURCE_ID) if s["text"] == text]
    return row


def test_opens_on_the_first_pending_proposal_in_text_order(review_dossier):
    session = ReviewSession(review_dossier.folder)
    assert session.source_id == SOURCE_ID
    state = session.state()
    assert state["counts"] == {"total": 5, "left": 5, "accepted": 0, "rejected": 0, "skipped": 0}
    starts = [m["start"] for m in state["marks"] if m["status"] == "pending"]
    assert starts == sorted(starts) and len(starts) == 5
    assert state["card"]["start"] == min(starts)
    assert state["text"][state["card"]["start"]:state["card"]["end"]] == state["card"]["text"]
    assert session.summary() == (f"Review of {SOURCE_ID} (Synthetic Wire, 2031-03-03): 5 proposal(s), 5 left, 0 accepted, 0 rejected; "
                                 "1 at confidence >= 0.80")


def test_accept_as_proposed_is_the_clis_accept(review_dossier):
    session = ReviewSession(review_dossier.folder, coder="tester")
    cid = open_at(session, CEASEFIRE)
    session.dispatch({"do": "accept", "seq": 4})
    assert session.message[0] == "info" and f"accepted {cid}" in session.message[1] and "4 left" in session.message[1]
    assert session.ack == 4
    row = statement(review_dossier, CEASEFIRE)
    assert (row["speaker_id"], row["on_behalf_of_id"], row["coder"]) == ("lavrov", "russia", "tester")
    positions = [(p["issue_id"], p["actor_id"], p["stance"]) for p in review_dossier.rows("positions") if p["statement_id"] == row["statement_id"]]
    assert positions == [("ceasefire", "russia", "-1"), ("peacekeeping_troops", "russia", "-1")]
    assert session.card.candidate_id != cid, "the next pending proposal opens"
    assert validate_dossier(review_dossier.folder) == []


def test_fixed_speaker_and_stance(review_dossier):
    session = ReviewSession(review_dossier.folder)
    open_at(session, TRUCE)  # nothing coded yet: the suggester leaves this stance blank
    assert session.card.positions[0].stance is None
    session.dispatch({"do": "accept"})
    assert session.message[0] == "error" and "has no stance" in session.message[1], "an unfinished position is refused, not dropped"
    session.dispatch({"do": "position", "stance": 1})
    session.dispatch({"do": "accept"})
    row = statement(review_dossier, TRUCE)
    assert [(p["issue_id"], p["stance"]) for p in review_dossier.rows("positions") if p["statement_id"] == row["statement_id"]] == [("ceasefire", "1")]
    open_at(session, INVITED)
    assert session.card.speaker_id == ""
    session.dispatch({"do": "speaker", "actor": "rubio"})
    session.dispatch({"do": "position", "stance": 2})
    session.dispatch({"do": "accept"})
    row = statement(review_dossier, INVITED)
    assert (row["speaker_id"], row["on_behalf_of_id"]) == ("rubio", "usa")
    assert [(p["issue_id"], p["stance"]) for p in review_dossier.rows("positions") if p["statement_id"] == row["statement_id"]] == [("ukraine_participation", "2")]


def test_a_new_speaker_with_a_party(review_dossier):
    session = ReviewSession(review_dossier.folder)
    open_at(session, COFFEE)
    session.dispatch({"do": "speaker", "new": "Anna Hotelier", "party": "usa"})
    session.dispatch({"do": "accept"})
    assert session.message[0] == "info", session.message
    row = statement(review_dossier, COFFEE)
    actor = next(a for a in review_dossier.rows("actors") if a["actor_id"] == row["speaker_id"])
    assert actor["name"] == "Anna Hotelier"
    assert row["on_behalf_of_id"] == "usa"


def test_reject_skip_and_what_is_left(review_dossier):
    session = ReviewSession(review_dossier.folder)
    cid = open_at(session, COFFEE)
    session.dispatch({"do": "reject"})
    assert next(r for r in review_dossier.queue() if r["candidate_id"] == cid)["status"] == "rejected"
    first = session.card.candidate_id
    session.dispatch({"do": "skip"})
    assert session.card.candidate_id != first and session.state()["counts"]["skipped"] == 1
    assert session.state()["counts"]["left"] == 4, "skipping is not deciding"
    for _ in range(3):
        session.dispatch({"do": "skip"})
    assert session.card.candidate_id == first, "skipped proposals come round again once the others are seen"


def test_errors_are_the_clis_messages_and_change_nothing(review_dossier):
    session = ReviewSession(review_dossier.folder)
    before = review_dossier.tiny.snapshot()
    session.dispatch({"do": "speaker", "actor": "lavrof"})
    assert session.message == ("error", "speaker 'lavrof' is not an actor of the dossier; choose one from the list or add a new one")
    session.dispatch({"do": "position", "stance": 3})
    assert session.message == ("error", "stance 3 is not allowed; use an integer from -2 to 2")
    session.dispatch({"do": "position", "issue": "nato"})
    assert session.message[0] == "error" and "issue 'nato' is not in the dossier" in session.message[1]
    session.dispatch({"do": "frobnicate"})
    assert session.message[0] == "error" and "unknown action 'frobnicate'" in session.message[1]
    assert review_dossier.tiny.snapshot() == before


def test_selection_moves_the_span_or_makes_a_new_proposal(review_dossier):
    session = ReviewSession(review_dossier.folder)
    text = session.source.text
    cid = open_at(session, CEASEFIRE)
    start = text.index("no ceasefire")
    session.dispatch({"do": "span", "start": start, "end": start + len("no ceasefire")})
    assert session.state()["card"]["text"] == "no ceasefire" and session.state()["card"]["moved"]
    session.dispatch({"do": "accept"})
    assert statement(review_dossier, "no ceasefire")["char_start"] == str(start)
    assert next(r for r in review_dossier.queue() if r["candidate_id"] == cid)["status"] == "accepted"
    begin = text.index("Reporting by")
    session.dispatch({"do": "span", "start": begin, "end": begin + len("Reporting by Synthetic Wire staff"), "new": True})
    assert session.message[0] == "info", session.message
    assert session.state()["card"]["text"] == "Reporting by Synthetic Wire staff"
    assert session.state()["card"]["kind"] == "reported_speech" and session.state()["card"]["speaker"] == ""
    assert session.state()["counts"]["total"] == 6
    session.dispatch({"do": "span", "start": 5, "end": 3})
    assert session.message[0] == "error" and "outside source" in session.message[1]


def test_high_confidence_proposals_are_listed_then_accepted(review_dossier):
    session = ReviewSession(review_dossier.folder, high_confidence=0.85)
    ready = session.high_confidence_ready()
    texts = sorted(session.rows[cid]["text"] for cid in ready)
    assert texts == [CEASEFIRE]  # the truce's stance is left blank by the suggester: not ready
    session.dispatch({"do": "bulk", "step": "open"})
    assert session.state()["bulk"]["open"] and len(session.state()["bulk"]["ready"]) == 1
    assert review_dossier.rows("positions") == [], "opening the list decides nothing"
    session.dispatch({"do": "bulk", "step": "confirm"})
    assert session.message[0] == "info" and "accepted 1 high-confidence" in session.message[1]
    assert {s["text"] for s in review_dossier.coded(SOURCE_ID)} == {CEASEFIRE}
    assert not session.state()["bulk"]["open"]
    assert validate_dossier(review_dossier.folder) == []


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_bad_threshold_is_refused(review_dossier, threshold):
    from parley.errors import IngestError

    with pytest.raises(IngestError, match="high_confidence"):
        ReviewSession(review_dossier.folder, high_confidence=threshold)


def test_adding_from_the_notebook_goes_to_the_dossiers_add_service(review_dossier):
    session = ReviewSession(review_dossier.folder)
    assert session.state()["enums"]["event_status"], "the add form's lists come from datapackage.json"
    before = review_dossier.tiny.snapshot()
    session.dispatch({"do": "add", "what": "treaty", "fields": {}})
    assert session.message == ("error", "cannot add 'treaty'; add one of actor, issue, event")
    session.dispatch({"do": "add", "what": "event", "fields": {"title": "Vienna talks"}, "evidence": {"start": 10, "end": 5}})
    assert session.message[0] == "error" and "outside source" in session.message[1]
    session.dispatch({"do": "add", "what": "event", "fields": {"title": "Vienna talks"}})
    assert session.message == ("error", "add event: select the words of the article that report it first (they are its evidence)")
    session.dispatch({"do": "add", "what": "actor", "fields": {"name": "Lavrov"}})
    assert session.message[0] == "error" and "already actor 'lavrov'" in session.message[1]  # the add service's own message
    assert review_dossier.tiny.snapshot() == before


def test_actor_issue_and_event_added_from_the_notebook_are_in_the_dossier(review_dossier):
    session = ReviewSession(review_dossier.folder)
    text = session.source.text
    # an outside voice named in the article, the words that name him as evidence
    start = text.index("A spokesman for the hotel")
    session.dispatch({"do": "add", "what": "actor", "fields": {"name": "Hotel spokesman", "kind": "person"},
                      "evidence": {"start": start, "end": start + len("A spokesman for the hotel")}})
    assert session.message == ("info", "added actor hotel_spokesman (evidence: “A spokesman for the hotel”)"), session.message
    actor = next(r for r in review_dossier.rows("actors") if r["actor_id"] == "hotel_spokesman")
    assert actor["participation"] == "outside_voice" and f"characters {start}–" in actor["notes"]
    assert "hotel_spokesman" in {a["id"] for a in session.state()["actors"]}, "the speaker list has the new actor at once"
    session.dispatch({"do": "add", "what": "issue", "fields": {"label": "Next round venue", "description": "Where talks go on",
                                                                "minus2_means": "only Moscow", "plus2_means": "anywhere"}})
    assert session.message == ("info", "added issue next_round_venue") and "next_round_venue" in session.issues
    # "talks" is in the article more than once: the selection says which occurrence is the evidence
    second = text.index("talks", text.index("talks") + 1)
    session.dispatch({"do": "add", "what": "event", "fields": {"title": "Vienna talks, next round", "kind": "talks", "status": "planned",
                                                                "parties": "russia|usa"}, "evidence": {"start": second, "end": second + len("talks")}})
    assert session.message[0] == "info", session.message
    (event,) = [r for r in review_dossier.rows("events") if r["event_id"] == "vienna_talks_next_round"]
    assert (event["source_id"], event["evidence_start"], event["evidence"]) == (SOURCE_ID, str(second), "talks")
    assert sorted(r["actor_id"] for r in review_dossier.rows("event_parties") if r["event_id"] == "vienna_talks_next_round") == ["russia", "usa"]
    assert validate_dossier(review_dossier.folder) == []


def test_two_positions_each_with_its_own_stance_red_line_and_condition(review_dossier):
    session = ReviewSession(review_dossier.folder)
    open_at(session, CEASEFIRE)
    assert [p.issue_id for p in session.card.positions] == ["ceasefire", "peacekeeping_troops"]
    session.dispatch({"do": "position", "position": 1, "stance": -2, "red_line": "toggle", "condition": "while foreign troops stay"})
    session.dispatch({"do": "accept"})
    assert session.message[0] == "info", session.message
    row = statement(review_dossier, CEASEFIRE)
    positions = sorted((p["issue_id"], p["actor_id"], p["stance"], p["red_line"], p["condition"]) for p in review_dossier.rows("positions")
                       if p["statement_id"] == row["statement_id"])
    assert positions == [("ceasefire", "russia", "-1", "false", ""), ("peacekeeping_troops", "russia", "-2", "true", "while foreign troops stay")]


def test_another_report_of_a_known_utterance_adds_a_report_not_a_statement(review_dossier):
    from review_support import KNOWN_UTTERANCE

    session = ReviewSession(review_dossier.folder)
    useful = 'the talks had been "useful" and would go on next week'
    open_at(session, useful)
    assert [u["id"] for u in session.state()["utterances"]][:1] == [KNOWN_UTTERANCE], "the same speaker's utterances come first"
    statements_before = review_dossier.rows("statements")
    session.dispatch({"do": "report_of", "statement": KNOWN_UTTERANCE})
    session.dispatch({"do": "accept"})
    assert session.message == ("info", f"accepted {next(c for c, r in session.rows.items() if r['text'] == useful)} as another report of {KNOWN_UTTERANCE}; 4 left")
    assert review_dossier.rows("statements") == statements_before
    reports = [r for r in review_dossier.rows("reports") if r["statement_id"] == KNOWN_UTTERANCE]
    assert sorted(r["source_id"] for r in reports) == sorted(["tiny_seed", SOURCE_ID])
    assert validate_dossier(review_dossier.folder) == []
    session.dispatch({"do": "report_of", "statement": "s_nothing"})
    assert session.message == ("error", "statement 's_nothing' is not in the dossier")
