"""Tests for parley.analysis.seats: who sat at which table, the defining table, and actors' parties."""

from __future__ import annotations

import pandas as pd
from analysis_fixtures import SECOND_SOURCE, add_rows, add_second_source, day, load, seed, set_cells, write_table  # noqa: F401 (seed is a fixture)

from parley.analysis import party_of, seats, table_event, table_parties


def _event(event_id: str, date: str, status: str, source_id: str = "tiny_001") -> dict:
    return {"event_id": event_id, "date": date, "kind": "talks", "title": event_id.replace("_", " ").title(), "place": "", "status": status,
            "source_id": source_id, "evidence_start": "0", "evidence_end": "10"}


def test_party_of_a_person_is_their_state(tiny_dir):
    party = party_of(load(tiny_dir).actors)
    assert party["hollis"] == "northland"
    assert party["varga"] == "southland"
    assert party["northland"] == "northland"
    assert party["midland"] == "midland"


def test_party_of_climbs_several_levels(tiny_copy):
    add_rows(tiny_copy, "actors", [
        {"actor_id": "hollis_aide", "name": "Aide to Hollis", "kind": "person", "parent_id": "hollis"},
        {"actor_id": "aide_driver", "name": "Driver of the aide", "kind": "person", "parent_id": "hollis_aide"},
    ])
    party = party_of(load(tiny_copy).actors)
    assert party["hollis_aide"] == "northland"
    assert party["aide_driver"] == "northland"


def test_seed_ministers_count_for_their_states(seed):
    party = party_of(seed.actors)
    assert (party["rubio"], party["lavrov"], party["zelensky"], party["dmitriev"]) == ("usa", "russia", "ukraine", "russia")
    assert party["shamiev"] == "shamiev"  # speaks for himself


def test_seats_rows_ordered_by_date_then_role_then_name(tiny_dir):
    table = seats(load(tiny_dir))
    assert list(table.columns) == ["event_id", "event", "date", "status", "place", "actor_id", "actor", "kind", "role"]
    assert list(zip(table["event_id"], table["actor_id"], table["role"])) == [
        ("midtown_talks", "northland", "participant"),
        ("midtown_talks", "southland", "participant"),
        ("midtown_talks", "midland", "host"),
        ("lakeside_talks", "northland", "participant"),  # undated: last
        ("lakeside_talks", "southland", "participant"),
    ]
    first = table.iloc[0]
    assert (first["event"], first["date"], first["status"], first["actor"], first["kind"]) == (
        "Northland–Southland talks in Midtown", day("2025-03-03"), "held", "Northland", "state")


def test_seats_respect_as_of_through_source_publication(tiny_copy):
    add_second_source(tiny_copy, published="2025-03-10")
    add_rows(tiny_copy, "events", [_event("later_call", "2025-03-09", "held", SECOND_SOURCE)])
    add_rows(tiny_copy, "event_parties", [{"event_id": "later_call", "actor_id": "midland", "role": "participant"}])
    dossier = load(tiny_copy)
    assert "later_call" in set(seats(dossier)["event_id"])
    assert "later_call" in set(seats(dossier, day("2025-03-10"))["event_id"])
    assert "later_call" not in set(seats(dossier, day("2025-03-09"))["event_id"])


def test_an_event_from_a_source_of_unknown_date_is_always_known(tiny_copy):
    set_cells(tiny_copy, "sources", "source_id", "tiny_001", published="")
    assert len(seats(load(tiny_copy), day("2000-01-01"))) == 5


def test_table_event_is_the_latest_held_event(tiny_dir):
    assert table_event(load(tiny_dir)) == "midtown_talks"  # Lakeside is only planned


def test_table_event_prefers_an_event_that_left_someone_out(tiny_copy):
    add_rows(tiny_copy, "actors", [{"actor_id": "westland", "name": "Westland", "kind": "state"}])
    add_rows(tiny_copy, "events", [_event("later_call", "2025-03-09", "held")])
    add_rows(tiny_copy, "event_parties", [
        {"event_id": "later_call", "actor_id": "northland", "role": "participant"},
        {"event_id": "later_call", "actor_id": "midland", "role": "participant"},
        {"event_id": "midtown_talks", "actor_id": "westland", "role": "excluded"},
    ])
    dossier = load(tiny_copy)
    assert table_event(dossier) == "midtown_talks"
    assert table_parties(dossier) == {"participant": ["northland", "southland"], "host": ["midland"], "excluded": ["westland"]}


def test_table_event_without_exclusions_is_the_latest_then_the_largest(tiny_copy):
    add_rows(tiny_copy, "events", [_event("later_call", "2025-03-09", "held"), _event("same_day_pair", "2025-03-09", "held")])
    add_rows(tiny_copy, "event_parties", [
        {"event_id": "later_call", "actor_id": "northland", "role": "participant"},
        {"event_id": "later_call", "actor_id": "midland", "role": "participant"},
        {"event_id": "later_call", "actor_id": "southland", "role": "participant"},
        {"event_id": "same_day_pair", "actor_id": "northland", "role": "participant"},
        {"event_id": "same_day_pair", "actor_id": "midland", "role": "participant"},
    ])
    dossier = load(tiny_copy)
    assert table_event(dossier) == "later_call"  # later than Midtown; three participants beat two on the same day
    assert table_event(dossier, day("2025-03-03")) == "later_call"  # known at 3 March: same source
    assert table_parties(dossier, event_id="midtown_talks")["host"] == ["midland"]


def test_no_held_event_means_no_table(tiny_copy):
    set_cells(tiny_copy, "events", "event_id", "midtown_talks", status="cancelled")
    dossier = load(tiny_copy)
    assert table_event(dossier) is None
    assert table_parties(dossier) == {"participant": [], "host": [], "excluded": []}


def test_no_events_at_all(tiny_copy):
    write_table(tiny_copy, "event_parties", [])
    write_table(tiny_copy, "events", [])
    dossier = load(tiny_copy)
    assert seats(dossier).empty
    assert table_event(dossier) is None


def test_seed_table_is_riyadh_with_europe_and_ukraine_left_out(seed):
    assert table_event(seed) == "riyadh_talks"
    parties = table_parties(seed)
    assert sorted(parties["participant"]) == ["lavrov", "rubio", "russia", "usa"]
    assert parties["host"] == ["saudi_arabia"]
    assert sorted(parties["excluded"]) == ["eu", "europe", "ukraine"]
    table = seats(seed)
    assert table["date"].iloc[0] == pd.Timestamp("2025-02-18")
    assert table["date"].isna().sum() == len(seed.event_parties.loc[seed.event_parties["event_id"].isin(
        seed.events.loc[seed.events["date"].isna(), "event_id"])])
