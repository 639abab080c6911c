"""Tests of parley.data.dossier: typed frames, version hash, source texts, raw reading of CSVs."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from parley.data.dossier import Dossier, dataset_version, load_dossier, read_raw_table
from parley.errors import DossierInvalid, DossierNotFound
from parley.data.schema import TABLES, read_schema


TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def tiny():
    return load_dossier(TINY)


def test_load_gives_one_typed_frame_per_table(tiny):
    assert isinstance(tiny, Dossier)
    assert (tiny.id, tiny.title) == ("tiny", "Tiny synthetic dossier for Parley's tests")
    assert tiny.counts() == {"sources": 1, "actors": 5, "actor_members": 0, "issues": 2, "statements": 3, "reports": 3, "positions": 3, "events": 2,
                             "event_updates": 0, "event_parties": 5, "judgments": 1, "judgment_support": 2}
    for name in TABLES:
        assert list(tiny.table(name).columns) == tiny.schema.tables[name].field_names
    assert str(tiny.positions["stance"].dtype) == "Int64"
    assert tiny.positions["stance"].tolist() == [-2, 2, 1]
    assert tiny.positions["red_line"].tolist() == [True, False, False]
    assert tiny.reports["date_reported"].iloc[0] == pd.Timestamp("2025-03-03")
    assert tiny.actors.set_index("actor_id")["participation"].to_dict() == {
        "northland": "party", "southland": "party", "midland": "mediator", "varga": "official", "hollis": "official"}
    assert pd.isna(tiny.events.set_index("event_id").loc["lakeside_talks", "date"])  # unknown stays empty
    assert pd.isna(tiny.statements["speaker_id"].iloc[2])


def test_source_text_matches_every_report(tiny):
    text = tiny.source_text("tiny_001")
    assert text.startswith("SYNTHETIC TEST TEXT")
    for row in tiny.reports.itertuples():
        assert text[row.char_start:row.char_end] == row.text
    assert tiny.source_path("tiny_001") == tiny.path / "seeds" / "tiny_001.txt"
    with pytest.raises(KeyError, match="no source 'nope'"):
        tiny.source_text("nope")


def test_table_rejects_unknown_names(tiny):
    with pytest.raises(KeyError, match="tables are sources"):
        tiny.table("quotes")


def test_version_is_stable_and_follows_the_data(tiny_copy, tiny):
    assert load_dossier(tiny_copy).version == tiny.version  # the folder's place does not matter
    assert re.fullmatch("[0-9a-f]{12}", tiny.version)
    notes = tiny_copy / "actors.csv"
    notes.write_text(notes.read_text(encoding="utf-8").replace("Host of the Midtown talks.", "Host of the talks."), encoding="utf-8")
    assert dataset_version(read_schema(tiny_copy)) != tiny.version


def test_invalid_dossier_is_refused_with_all_problems(tiny_copy):
    positions = tiny_copy / "positions.csv"
    positions.write_text(positions.read_text(encoding="utf-8").replace(",-2,true,", ",-3,maybe,"), encoding="utf-8")
    with pytest.raises(DossierInvalid) as caught:
        load_dossier(tiny_copy)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "stance"), (2, "red_line")]
    assert "positions.csv, row 2, field stance" in str(caught.value)
    loaded = load_dossier(tiny_copy, validate=False)  # for tools that repair data
    assert loaded.positions["stance"].iloc[0] == -3


def test_missing_table_is_refused_even_without_validation(tiny_copy):
    (tiny_copy / "events.csv").unlink()
    with pytest.raises(DossierInvalid, match="events.csv: file missing"):
        load_dossier(tiny_copy, validate=False)


def test_missing_dossier(tmp_path):
    with pytest.raises(DossierNotFound):
        load_dossier(tmp_path / "absent")


def test_read_raw_table_keeps_strings_and_empty_cells(tiny_dir):
    schema = read_schema(tiny_dir)
    frame, problems = read_raw_table(schema, schema.tables["reports"])
    assert problems == []
    assert set(frame.dtypes.astype(str)) <= {"str", "object", "string"}
    assert frame["char_start"].tolist() == ["278", "448", "495"]
    statements, _ = read_raw_table(schema, schema.tables["statements"])
    assert statements["speaker_id"].tolist() == ["varga", "hollis", ""]


@pytest.mark.parametrize(
    ("content", "code", "row"),
    [
        (b"\xef\xbb\xbfevent_id,actor_id,role\nmidtown_talks,midland,host\n", "bom", 1),
        (b"event_id,actor_id,role\nmidtown_talks,midland,h\xf4te\n", "encoding", 2),
        (b"", "empty-file", None),
        (b'event_id,actor_id,role\n"midtown_talks,midland,host\n', "csv-parse", None),
    ],
    ids=["bom", "latin-1", "empty", "unclosed-quote"],
)
def test_read_raw_table_reports_unreadable_files(tiny_copy, content, code, row):
    (tiny_copy / "event_parties.csv").write_bytes(content)
    schema = read_schema(tiny_copy)
    frame, problems = read_raw_table(schema, schema.tables["event_parties"])
    assert [(p.file, p.row, p.code) for p in problems] == [("event_parties.csv", row, code)]
    assert (frame is not None) == (code == "bom")


def test_source_text_keeps_crlf_so_offsets_hold(tiny_copy):
    """A seed with Windows line ends: offsets count the CR too, as the validator and ingest do."""
    from parley.data.dossier import load_dossier

    dossier = load_dossier(tiny_copy, validate=False)
    source_id = dossier.sources["source_id"].iloc[0]
    path = dossier.source_path(source_id)
    path.write_bytes(b"line one\r\nline two\r\n")
    fresh = load_dossier(tiny_copy, validate=False)
    assert fresh.source_text(source_id) == "line one\r\nline two\r\n"
