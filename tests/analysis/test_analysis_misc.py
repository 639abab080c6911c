"""Tests for the smaller analysis modules: timeline, coverage, quotes and evidence."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_fixtures import (  # noqa: F401 (seed is a fixture)
    SECOND_SOURCE, TINY_TEXT, add_rows, add_second_source, day, load, position, seed, set_as_of, set_cells, set_statements, statement,
)

from parley.analysis import (
    coverage, default_as_of, key_quotes, parse_date, positions_with_evidence, review_status, source_coverage, timeline,
    verify_statements, watch_list,
)
from parley.analysis.evidence import EVIDENCE_COLUMNS
from parley.analysis.quotes import QUOTE_COLUMNS
from parley.errors import ParameterError

BORDER = "The border is not for sale, not now and not ever,"
LINE = "a line that reflects the facts on the ground."
MEET = "Both sides agreed to meet again in Lakeside next month"
MET = "Delegations from Northland and Southland met in Midtown on Monday"


def _event(event_id: str, date: str, status: str, source_id: str = "tiny_001") -> dict:
    return {"event_id": event_id, "date": date, "kind": "talks", "title": event_id.replace("_", " ").title(), "place": "", "status": status,
            "source_id": source_id, "evidence_start": "0", "evidence_end": "10"}


# --- timeline -------------------------------------------------------------------------------

def test_timeline_lists_dated_events_first_with_their_parties(tiny_dir):
    events = timeline(load(tiny_dir))
    assert list(events.columns) == ["event_id", "date", "kind", "title", "place", "status", "participants", "hosts", "excluded", "source_id"]
    assert list(events["event_id"]) == ["midtown_talks", "lakeside_talks"]
    midtown = events.iloc[0]
    assert (midtown["participants"], midtown["hosts"], midtown["excluded"]) == ("Northland, Southland", "Midland", "")
    assert pd.isna(events.iloc[1]["date"])


@pytest.fixture
def planned(tiny_copy):
    """Tiny dossier (as of 3 March) with planned events before, on and after the as-of date."""
    add_rows(tiny_copy, "events", [
        _event("planned_past", "2025-03-01", "planned"),
        _event("planned_today", "2025-03-03", "planned"),
        _event("planned_later", "2025-03-20", "planned"),
        _event("planned_sooner", "2025-03-10", "planned"),
        _event("cancelled_later", "2025-03-21", "cancelled"),
    ])
    return load(tiny_copy)


def test_timeline_orders_by_date_and_keeps_every_status(planned):
    assert list(timeline(planned)["event_id"]) == [
        "planned_past", "midtown_talks", "planned_today", "planned_sooner", "planned_later", "cancelled_later", "lakeside_talks"]


def test_watch_list_keeps_what_is_ahead_and_undated(planned):
    watch = watch_list(planned, day("2025-03-03"))
    assert list(watch["event_id"]) == ["planned_past", "planned_today", "planned_sooner", "planned_later", "lakeside_talks"]
    assert (watch["status"] == "planned").all()
    # a plan whose date has passed stays on the list, flagged, first: it should have happened by now
    assert list(watch.loc[watch["overdue"], "event_id"]) == ["planned_past"]


def test_watch_list_without_as_of_keeps_every_plan(planned):
    assert set(watch_list(planned)["event_id"]) == {"planned_past", "planned_today", "planned_sooner", "planned_later", "lakeside_talks"}


def test_watch_list_on_seed_holds_the_undated_plans(seed):
    watch = watch_list(seed, default_as_of(seed))
    assert set(watch["event_id"]) == {"trump_putin_summit", "us_russia_consultations", "us_delegation_kyiv"}
    assert "zelensky_riyadh_trip" not in set(watch["event_id"])  # cancelled


# --- coverage -------------------------------------------------------------------------------

@pytest.fixture
def chatty(tiny_copy):
    """Varga 3 statements (2 direct, 1 reported), Hollis 2, Midland 1, unattributed 1."""
    rows = [
        statement("v1", BORDER, speaker_id="varga"), statement("v2", BORDER, speaker_id="varga"),
        statement("v3", LINE, speaker_id="varga", kind="reported_speech"),
        statement("h1", LINE, speaker_id="hollis"), statement("h2", MET, speaker_id="hollis", kind="reported_speech"),
        statement("m1", MET, speaker_id="midland", kind="assessment"),
        statement("u1", MEET, kind="reported_speech"),
    ]
    set_statements(tiny_copy, rows, [position("p_v1", "v1", "border_line", "southland", -2)])
    return load(tiny_copy)


def test_coverage_counts_statements_per_speaker_and_kind(chatty):
    counts = coverage(chatty)
    assert list(counts.columns) == ["speaker", "kind", "statements"]
    assert list(zip(counts["speaker"], counts["kind"], counts["statements"])) == [
        ("Ana Varga", "direct_quote", 2), ("Ana Varga", "reported_speech", 1),
        ("Piet Hollis", "direct_quote", 1), ("Piet Hollis", "reported_speech", 1),
        ("Midland", "assessment", 1),  # ties of one statement: by name
        ("unattributed", "reported_speech", 1),
    ]


def test_coverage_sums_the_rest_as_others(chatty):
    counts = coverage(chatty, top_n=2)
    assert list(dict.fromkeys(counts["speaker"])) == ["Ana Varga", "Piet Hollis", "others (2 speakers)"]
    others = counts.loc[counts["speaker"] == "others (2 speakers)"]
    assert dict(zip(others["kind"], others["statements"])) == {"assessment": 1, "reported_speech": 1}
    assert counts["statements"].sum() == len(chatty.statements)


def test_coverage_top_n_larger_than_speakers_has_no_others(chatty):
    counts = coverage(chatty, top_n=10)
    assert not counts["speaker"].str.startswith("others").any()
    assert counts["statements"].sum() == 7


def test_verify_statements_passes_on_the_fixture(tiny_dir):
    checked = verify_statements(load(tiny_dir))
    assert list(checked.columns) == ["report_id", "statement_id", "source_id", "verified"]
    assert checked["verified"].all() and len(checked) == 3


def test_verify_statements_detects_a_tampered_text(tiny_copy):
    set_cells(tiny_copy, "reports", "statement_id", "s2", text="a line that reflects the facts on the ground!")
    checked = verify_statements(load(tiny_copy)).set_index("statement_id")["verified"]
    assert checked.to_dict() == {"s1": True, "s2": False, "s3": True}


def test_verify_statements_detects_shifted_offsets(tiny_copy):
    set_cells(tiny_copy, "reports", "statement_id", "s1", char_start="279", char_end="328")
    checked = verify_statements(load(tiny_copy)).set_index("statement_id")["verified"]
    assert not checked["s1"] and checked["s2"]


def test_verify_statements_on_the_seed(seed):
    assert verify_statements(seed)["verified"].all()


def test_source_coverage_counts_per_source(tiny_copy):
    add_second_source(tiny_copy)
    set_cells(tiny_copy, "reports", "statement_id", "s2", text="tampered")
    row = source_coverage(load(tiny_copy)).set_index("source_id")
    assert row.loc["tiny_001", ["statements", "positions", "events", "verified"]].tolist() == [3, 3, 2, 2]
    assert row.loc[SECOND_SOURCE, ["statements", "positions", "events", "verified"]].tolist() == [0, 0, 0, 0]


def test_review_status_counts_per_status_and_coder(tiny_copy):
    set_cells(tiny_copy, "statements", "statement_id", "s3", review_status="pending", coder="second coder")
    counts = review_status(load(tiny_copy))
    assert sorted(zip(counts["review_status"], counts["coder"], counts["statements"])) == [
        ("accepted", "test author", 2), ("pending", "second coder", 1)]


# --- key quotes -----------------------------------------------------------------------------

@pytest.fixture
def quotable(tiny_copy):
    """Direct quotes with weights: red line > |stance| > recency > place in the source."""
    add_second_source(tiny_copy)
    rows = [
        statement("mild_early", BORDER, speaker_id="varga", said="2025-03-01", reported="2025-03-03"),
        statement("strong_early", LINE, speaker_id="hollis", said="2025-03-01", reported="2025-03-03"),
        statement("strong_late", "never give up the northern villages", speaker_id="hollis", said="2025-03-10", reported="2025-03-10", source_id=SECOND_SOURCE),
        statement("red_mild", MET, speaker_id="varga", said="2025-03-01", reported="2025-03-03"),
        statement("reported", MEET, kind="reported_speech", said="2025-03-10", reported="2025-03-10"),
        statement("two_issues", "can be discussed, step by step.", speaker_id="varga", said="2025-03-10", reported="2025-03-10", source_id=SECOND_SOURCE),
    ]
    positions = [
        position("p_mild_early", "mild_early", "border_line", "southland", -1),
        position("p_strong_early", "strong_early", "border_line", "northland", 2),
        position("p_strong_late", "strong_late", "border_line", "northland", 2),
        position("p_red_mild", "red_mild", "further_talks", "southland", 1, red_line=True),
        position("p_reported", "reported", "further_talks", "northland", 2, red_line=True),
        position("p_two_border", "two_issues", "border_line", "southland", 1),
        position("p_two_talks", "two_issues", "further_talks", "southland", 1),
    ]
    set_statements(tiny_copy, rows, positions)
    return load(tiny_copy)


def test_key_quotes_order_red_line_then_strength_then_recency(quotable):
    quotes = key_quotes(quotable)
    assert list(quotes["statement_id"]) == ["red_mild", "strong_late", "strong_early", "two_issues", "mild_early"]
    assert list(quotes.columns) == QUOTE_COLUMNS
    assert quotes.set_index("statement_id").loc["red_mild", "outlets"] == "Synthetic Gazette (fictional)"


def test_key_quotes_are_direct_quotes_each_once_with_all_their_issues(quotable):
    quotes = key_quotes(quotable).set_index("statement_id")
    assert "reported" not in quotes.index
    assert quotes.loc["two_issues", "issues"] == "Border line, Further talks"
    assert quotes.loc["red_mild", "red_line"]
    assert quotes.loc["strong_late", "text"] == "never give up the northern villages"
    assert quotes.loc["strong_late", "speaker"] == "Piet Hollis" and quotes.loc["strong_late", "actor"] == "Northland"


def test_key_quotes_top_n_and_filters(quotable):
    assert list(key_quotes(quotable, top_n=2)["statement_id"]) == ["red_mild", "strong_late"]
    assert set(key_quotes(quotable, actors=["northland"])["statement_id"]) == {"strong_early", "strong_late"}
    assert set(key_quotes(quotable, issues=["further_talks"])["statement_id"]) == {"red_mild", "two_issues"}
    assert key_quotes(quotable, actors=["midland"]).empty


def test_key_quotes_respect_as_of(quotable):
    assert "strong_late" not in set(key_quotes(quotable, day("2025-03-05"))["statement_id"])
    assert key_quotes(quotable, day("2025-02-01")).empty


# --- evidence -------------------------------------------------------------------------------

def test_positions_with_evidence_joins_statement_actor_issue_and_source(tiny_dir):
    evidence = positions_with_evidence(load(tiny_dir))
    assert list(evidence.columns) == EVIDENCE_COLUMNS
    assert list(evidence["position_id"]) == ["p1", "p2", "p3"]  # same day: source order
    first = evidence.iloc[0]
    assert first["source"] == "Synthetic Gazette (fictional): Northland and Southland talk, but not about the border"
    assert first["text"] == TINY_TEXT[first["char_start"]:first["char_start"] + len(first["text"])]
    assert first["kind"] == "direct_quote" and first["date"] == day("2025-03-03")


def test_positions_with_evidence_names_an_unknown_outlet(tiny_copy):
    set_cells(tiny_copy, "sources", "source_id", "tiny_001", outlet="")
    assert positions_with_evidence(load(tiny_copy))["source"].iloc[0].startswith("unknown outlet: ")


@pytest.mark.parametrize("value", ["2025-02-30", "18/02/2025", "yesterday", "2025-2-18x"])
def test_parse_date_rejects_non_iso_dates(value):
    with pytest.raises(ParameterError, match=r"as_of=.* is not a date; use ISO 8601 YYYY-MM-DD"):
        parse_date(value, "as_of")


def test_parse_date_accepts_iso_dates_and_empty():
    assert parse_date("2025-02-18", "as_of") == pd.Timestamp("2025-02-18")
    assert parse_date(" 2025-02-18 ", "as_of") == pd.Timestamp("2025-02-18")
    assert parse_date(pd.Timestamp("2025-02-18 13:45"), "as_of") == pd.Timestamp("2025-02-18")
    assert parse_date("", "as_of") is None
    assert parse_date(None, "as_of") is None


def test_default_as_of_is_the_declared_date(tiny_copy):
    set_as_of(tiny_copy, "2025-03-09")
    assert default_as_of(load(tiny_copy)) == pd.Timestamp("2025-03-09")


def test_default_as_of_falls_back_to_the_latest_report(tiny_copy):
    set_as_of(tiny_copy, None)
    set_cells(tiny_copy, "reports", "statement_id", "s2", date_reported="2025-03-07")
    assert default_as_of(load(tiny_copy)) == pd.Timestamp("2025-03-07")


def test_seed_default_as_of(seed):
    assert default_as_of(seed) == pd.Timestamp("2025-02-18")
