"""parley.review.decisions: the review round trip, end to end, on a temporary dossier."""

from __future__ import annotations

import pytest
from ingest_support import article

from parley.errors import DossierInvalid, IngestError
from parley.review.queue import read_candidates
from parley.review.intake import ingest_article
from parley.review.decisions import Decision, accept, edit, list_candidates, reject, review_frame
from parley.data.validate import validate_dossier

WIRE = article("wire_geneva.txt")


def by_text(dossier, text: str) -> dict[str, str]:
    return next(row for row in read_candidates(dossier.folder) if row["text"] == text)


def test_review_round_trip(dossier):
    ingest_article(WIRE, "tiny", outlet="Wire", published="2031-02-20")
    pending = list_candidates("tiny")
    lavrov = by_text(dossier, "We have been very clear about this,")
    kovalenko = by_text(dossier, "Ukraine will not accept decisions about Ukraine taken without Ukraine,")
    noise = by_text(dossier, 'the talks were "going nowhere fast."')

    # accept a known speaker's quote: statement + position for his state, validated
    (statement_id,) = accept("tiny", [lavrov["candidate_id"]], Decision(issues=("peacekeeping_troops",), stance=-2, red_line=True, coder="tester"))
    statement = next(r for r in dossier.rows("statements") if r["statement_id"] == statement_id)
    assert (statement["speaker_id"], statement["on_behalf_of_id"], statement["kind"], statement["review_status"]) == ("lavrov", "russia", "direct_quote", "accepted")
    (report,) = [r for r in dossier.rows("reports") if r["statement_id"] == statement_id]
    assert (report["date_reported"], report["coder"], report["attribution_cue"], report["completeness"]) == ("2031-02-20", "tester", "Lavrov told", "verbatim")
    text = WIRE.read_bytes().decode()
    assert text[int(report["char_start"]) : int(report["char_end"])] == report["text"]
    (position,) = [r for r in dossier.rows("positions") if r["statement_id"] == statement_id]
    assert (position["actor_id"], position["issue_id"], position["stance"], position["red_line"]) == ("russia", "peacekeeping_troops", "-2", "true")

    # accept a new speaker: a new actor is added
    (second,) = accept("tiny", [kovalenko["candidate_id"][:8]], Decision(stance=2))
    actor = next(r for r in dossier.rows("actors") if r["actor_id"] == "hanna_kovalenko")
    assert (actor["name"], actor["kind"], actor["aliases"]) == ("Hanna Kovalenko", "person", "Hanna Kovalenko|Kovalenko")
    assert (actor["participation"], actor["parent_id"]) == ("outside_voice", "")  # no party given: never counted as one
    assert next(r for r in dossier.rows("statements") if r["statement_id"] == second)["speaker_id"] == "hanna_kovalenko"

    # reject: remembered, and never proposed again
    reject("tiny", [noise["candidate_id"]], note="anonymous, no position")
    assert by_text(dossier, 'the talks were "going nowhere fast."')["status"] == "rejected"
    again = ingest_article(WIRE, "tiny")
    assert again.proposed == []
    statuses = {row["candidate_id"]: row["status"] for row in read_candidates(dossier.folder)}
    assert sorted(statuses.values()).count("accepted") == 2 and len(statuses) == len(pending)
    assert validate_dossier(dossier.folder) == []

    # decided candidates cannot be decided again
    with pytest.raises(IngestError, match="only pending candidates"):
        accept("tiny", [lavrov["candidate_id"]])
    with pytest.raises(IngestError, match="is accepted"):
        reject("tiny", [lavrov["candidate_id"]])


def test_a_change_the_validator_rejects_is_rolled_back(dossier):
    ingest_article(WIRE, "tiny", published="2031-02-20")
    row = by_text(dossier, "We have been very clear about this,")
    before = dossier.snapshot()
    # said after it was reported: the validator's date-order check refuses the statement
    with pytest.raises(DossierInvalid, match="nothing was changed"):
        accept("tiny", [row["candidate_id"]], Decision(date_said="2031-03-01"))
    assert dossier.snapshot() == before
    assert by_text(dossier, "We have been very clear about this,")["status"] == "pending"


def test_accept_is_all_or_nothing_across_candidates(dossier):
    ingest_article(WIRE, "tiny", published="2031-02-20")
    good = by_text(dossier, "We have been very clear about this,")["candidate_id"]
    before = dossier.snapshot()
    with pytest.raises(IngestError, match="no candidate 'c_nope'"):
        accept("tiny", [good, "c_nope"])
    with pytest.raises(IngestError, match="not in the dossier"):
        accept("tiny", [good], Decision(issues=("no_such_issue",)))
    with pytest.raises(IngestError, match="not an actor"):
        accept("tiny", [good], Decision(speaker="nobody"))
    assert dossier.snapshot() == before


def test_a_source_without_date_needs_a_reported_date(dossier):
    ingest_article(WIRE, "tiny")
    row = by_text(dossier, "We have been very clear about this,")
    with pytest.raises(IngestError, match="--date-reported"):
        accept("tiny", [row["candidate_id"]])
    (statement_id,) = accept("tiny", [row["candidate_id"]], Decision(date_reported="2031-02-21"))
    assert next(r for r in dossier.rows("reports") if r["statement_id"] == statement_id)["date_reported"] == "2031-02-21"


def test_edit_moves_offsets_rereading_the_text_and_reopens_rejected(dossier):
    ingest_article(WIRE, "tiny", published="2031-02-20")
    row = by_text(dossier, "There will be no foreign contingents on Ukrainian soil, under any flag.")
    start = int(row["char_start"])
    edited = edit("tiny", row["candidate_id"], char_end=start + 30, issues=["peacekeeping_troops"], stance=-2)
    assert edited["text"] == WIRE.read_bytes().decode()[start : start + 30]
    assert (edited["issues"], edited["stance"]) == ("peacekeeping_troops", "-2")
    with pytest.raises(IngestError, match="outside source"):
        edit("tiny", row["candidate_id"], char_end=10**6)
    with pytest.raises(IngestError, match="not an actor"):
        edit("tiny", row["candidate_id"], speaker_id="nobody")
    reject("tiny", [row["candidate_id"]])
    assert edit("tiny", row["candidate_id"], status="pending")["status"] == "pending"


def test_review_frame_shows_context(dossier):
    ingest_article(WIRE, "tiny")
    frame = review_frame("tiny")
    assert len(frame) == len(list_candidates("tiny"))
    assert frame["context"].str.contains(r"\[\[We have been very clear about this,\]\]", regex=True).any()


def test_a_moved_span_is_accepted_in_one_transaction(dossier):
    ingest_article(WIRE, "tiny", outlet="Wire", published="2031-02-20")
    row = by_text(dossier, "There will be no foreign contingents on Ukrainian soil, under any flag.")
    text = WIRE.read_bytes().decode()
    start = text.index("no foreign contingents")
    span = (start, start + len("no foreign contingents on Ukrainian soil"))
    before = dossier.snapshot()
    # the acceptance fails after the move: nothing of it stays, not even the new offsets
    with pytest.raises(IngestError, match="not in the dossier"):
        accept("tiny", [row["candidate_id"]], Decision(span=span, kind="reported_speech", issues=("no_such_issue",), stance=1))
    assert dossier.snapshot() == before
    with pytest.raises(IngestError, match="for one candidate"):
        accept("tiny", [row["candidate_id"], by_text(dossier, "We have been very clear about this,")["candidate_id"]], Decision(span=span))
    (statement_id,) = accept("tiny", [row["candidate_id"]], Decision(span=span, kind="reported_speech", issues=("peacekeeping_troops",), stance=-2))
    (report,) = [r for r in dossier.rows("reports") if r["statement_id"] == statement_id]
    assert (report["char_start"], report["char_end"], report["text"]) == (str(span[0]), str(span[1]), "no foreign contingents on Ukrainian soil")
    assert next(r for r in dossier.rows("statements") if r["statement_id"] == statement_id)["kind"] == "reported_speech"
    queued = next(r for r in read_candidates(dossier.folder) if r["candidate_id"] == row["candidate_id"])
    assert (queued["status"], queued["char_start"], queued["text"]) == ("accepted", str(span[0]), report["text"])
    assert validate_dossier(dossier.folder) == []
