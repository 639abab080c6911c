"""Checks of the seed dossier data/riyadh_2025, coded from the seed article.

These tests hold the curated data to its promises independently of ``parley.data.validate``: every
statement points at the exact characters of the seed, every gold quotation is covered at its gold
offsets, keys resolve, enums hold, and the dossier carries enough substance for a briefing (actors,
issues, events, supported judgments, deal blockers with red lines on both sides).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest

from parley import load_dossier
from parley.data.schema import TABLES

GOLD_FILE = Path(__file__).parents[1] / "fixtures" / "gold" / "seed-quotes-gold.csv"
GOLD_KIND = {"direct": {"direct_quote"}, "reported": {"reported_speech", "assessment"}}


@pytest.fixture(scope="module")
def dossier():
    return load_dossier("riyadh_2025", validate=False)


@pytest.fixture(scope="module")
def seed_text(dossier):
    (source_id,) = dossier.sources["source_id"].tolist()
    return dossier.source_text(source_id)


@pytest.fixture(scope="module")
def gold():
    with GOLD_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _filled(series: pd.Series) -> pd.Series:
    return series.dropna().astype(str)


# ---------------------------------------------------------------- files and provenance


@pytest.mark.parametrize("table", TABLES)
def test_csv_is_plain_utf8_lf_with_schema_header(dossier, table):
    raw = (dossier.path / dossier.schema.tables[table].path).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM"
    assert b"\r" not in raw, "CR line endings"
    header = next(csv.reader([raw.decode("utf-8").split("\n", 1)[0]]))
    assert header == dossier.schema.tables[table].field_names


def test_source_hash_matches_seed_file(dossier):
    row = dossier.sources.iloc[0]
    assert hashlib.sha256(dossier.source_path(row["source_id"]).read_bytes()).hexdigest() == row["sha256"]
    assert pd.isna(row["author"]) and pd.isna(row["url"]), "author and url are unknown: keep them empty"


def test_every_report_text_equals_seed_at_its_offsets(dossier, seed_text):
    for row in dossier.reports.itertuples():
        assert row.char_end == row.char_start + len(row.text), row.report_id
        assert seed_text[row.char_start : row.char_end] == row.text, row.report_id


def test_every_statement_has_its_one_report_in_the_seed(dossier):
    # One article: each utterance is reported once, and counted once.
    assert dossier.reports["statement_id"].value_counts().eq(1).all()
    assert set(dossier.reports["statement_id"]) == set(dossier.statements["statement_id"])


def test_attribution_cues_are_verbatim(dossier, seed_text):
    for row in dossier.reports.dropna(subset=["attribution_cue"]).itertuples():
        assert row.attribution_cue in seed_text, row.report_id


def test_gold_file_is_the_annotation_it_claims(gold, seed_text):
    assert len(gold) == 34
    assert sum(g["kind"] == "direct" for g in gold) == 22
    for g in gold:
        start = int(g["char_start"])
        assert seed_text[start : start + len(g["quote_text"])] == g["quote_text"]


def test_every_gold_quote_is_a_statement_at_the_gold_offsets(dossier, gold):
    by_span = {(row.text, row.char_start): row for row in dossier.utterances.itertuples()}
    missing = [g["quote_text"][:40] for g in gold if (g["quote_text"], int(g["char_start"])) not in by_span]
    assert not missing
    for g in gold:
        row = by_span[(g["quote_text"], int(g["char_start"]))]
        assert row.kind in GOLD_KIND[g["kind"]], row.statement_id
        assert pd.isna(row.speaker_id) == (g["speaker"] == "UNATTRIBUTED"), row.statement_id


def test_event_evidence_lies_in_the_seed(dossier, seed_text):
    for row in dossier.events.itertuples():
        assert 0 <= row.evidence_start < row.evidence_end <= len(seed_text), row.event_id
        assert seed_text[row.evidence_start : row.evidence_end].strip(), row.event_id


# ---------------------------------------------------------------- keys and enums


def test_foreign_keys_resolve(dossier):
    actors = set(dossier.actors["actor_id"])
    issues = set(dossier.issues["issue_id"])
    statements = set(dossier.statements["statement_id"])
    checks = [
        (_filled(dossier.actors["parent_id"]), actors),
        (_filled(dossier.statements["speaker_id"]), actors),
        (_filled(dossier.statements["on_behalf_of_id"]), actors),
        (dossier.reports["source_id"], set(dossier.sources["source_id"])),
        (dossier.reports["statement_id"], statements),
        (dossier.actor_members["group_id"], actors),
        (dossier.actor_members["member_id"], actors),
        (dossier.positions["statement_id"], statements),
        (dossier.positions["issue_id"], issues),
        (dossier.positions["actor_id"], actors),
        (dossier.events["source_id"], set(dossier.sources["source_id"])),
        (dossier.event_parties["event_id"], set(dossier.events["event_id"])),
        (dossier.event_parties["actor_id"], actors),
        (_filled(dossier.judgments["issue_id"]), issues),
        (dossier.judgment_support["judgment_id"], set(dossier.judgments["judgment_id"])),
        (dossier.judgment_support["statement_id"], statements),
    ]
    for values, allowed in checks:
        assert set(values) <= allowed, set(values) - allowed


@pytest.mark.parametrize("table", TABLES)
def test_enums_and_required_fields_hold(dossier, table):
    frame = dossier.table(table)
    for field in dossier.schema.tables[table].fields:
        if field.required:
            assert frame[field.name].notna().all(), field.name
        if field.enum:
            assert set(_filled(frame[field.name])) <= set(field.enum), field.name


def test_positions_belong_to_the_party_spoken_for(dossier):
    merged = dossier.positions.merge(dossier.statements, on="statement_id")
    spoken_for = merged.dropna(subset=["on_behalf_of_id"])
    assert (spoken_for["actor_id"] == spoken_for["on_behalf_of_id"]).all()
    assert merged["stance"].between(-2, 2).all()


# ---------------------------------------------------------------- substance for a briefing


def test_counts_are_enough_for_a_briefing(dossier):
    counts = dossier.counts()
    assert counts["actors"] >= 12
    assert counts["issues"] >= 10
    assert counts["events"] >= 6
    assert 3 <= counts["judgments"] <= 5
    support = dossier.judgment_support.groupby("judgment_id").size()
    assert support.reindex(dossier.judgments["judgment_id"]).fillna(0).ge(2).all()
    assert sorted(dossier.judgments["rank"]) == list(range(1, counts["judgments"] + 1))


@pytest.mark.parametrize("actor", ["russia", "usa", "ukraine"])
def test_main_parties_hold_positions_on_several_issues(dossier, actor):
    assert dossier.positions.loc[dossier.positions["actor_id"] == actor, "issue_id"].nunique() >= 3


def test_red_lines_stand_against_opposed_demands_on_both_sides(dossier):
    positions = dossier.positions
    red = positions.loc[positions["red_line"]]
    holders = set()
    for line in red.itertuples():
        opposed = positions.loc[
            (positions["issue_id"] == line.issue_id)
            & (positions["actor_id"] != line.actor_id)
            & (positions["stance"] * line.stance < 0)
        ]
        if not opposed.empty:
            holders.add(line.actor_id)
    assert {"russia", "ukraine"} <= holders


# ---------------------------------------------------------------- who takes part how


def test_participation_is_classified_from_the_seed_text(dossier):
    participation = dossier.actors.set_index("actor_id")["participation"]
    assert set(participation[participation == "party"].index) == {"usa", "russia", "ukraine", "eu", "europe", "nato"}
    # "Lesia Ogryzko, a Ukrainian researcher at the European Council on Foreign Relations";
    # "Russian political scientist Kirill Shamiev": outside voices, as is the think tank.
    assert set(participation[participation == "outside_voice"].index) == {"ogryzko", "shamiev", "ecfr"}
    assert set(participation[participation == "mediator"].index) == {"saudi_arabia", "turkey"}  # hosts
    assert participation["us_russia_talks"] == "joint"
    officials = dossier.actors.loc[dossier.actors["participation"] == "official"]
    parents = officials["parent_id"].map(participation)
    assert parents.isin(["party", "mediator"]).all(), officials.loc[~parents.isin(["party", "mediator"]), "actor_id"].tolist()


def test_joint_speaker_codes_its_positions_for_each_member(dossier):
    assert sorted(dossier.actor_members.loc[dossier.actor_members["group_id"] == "us_russia_talks", "member_id"]) == ["russia", "usa"]
    joint = dossier.statements.loc[dossier.statements["speaker_id"] == "us_russia_talks", "statement_id"]
    holders = dossier.positions.loc[dossier.positions["statement_id"].isin(joint)].groupby("statement_id")["actor_id"].agg(frozenset)
    assert len(holders) == 4
    assert all(h == frozenset({"usa", "russia"}) for h in holders)
    assert "us_russia_talks" not in set(dossier.positions["actor_id"])


def test_officials_speak_for_their_party(dossier):
    from parley.data.model import speaks_for

    spoken = dict(zip(dossier.statements["statement_id"], speaks_for(dossier.statements, dossier.actors)))
    assert spoken["s01_lavrov_heard_each_other"] == "russia"
    assert spoken["s24_rubio_eu_table"] == "usa"
    assert spoken["s13_ogryzko_tragedy"] == "ogryzko"  # an outside voice speaks for herself
    assert spoken["s22_biden_pariah"] == "usa"  # an official with no on_behalf_of_id: their party
