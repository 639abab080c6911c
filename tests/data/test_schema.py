"""Tests of parley.data.schema, and of the data package descriptors themselves (declared once, valid)."""

from __future__ import annotations

import json

import frictionless
import pytest

from parley import paths
from parley.errors import DossierInvalid, DossierNotFound
from parley.data.schema import OPTIONAL_TABLES, PACKAGE_FILE, TABLES, read_schema

SEED_DOSSIER = paths.PROJECT_ROOT / "data" / paths.DEFAULT_DOSSIER


def test_read_schema_parses_tables_keys_and_constraints(tiny_dir):
    schema = read_schema(tiny_dir)
    assert schema.name == "tiny"
    assert list(schema.tables) == list(TABLES) + list(OPTIONAL_TABLES)  # tiny declares the optional analyst_notes
    statements = schema.tables["statements"]
    assert statements.path == "statements.csv"
    assert statements.primary_key == ("statement_id",)
    assert [(fk.fields, fk.resource, fk.reference_fields) for fk in statements.foreign_keys] == [
        (("speaker_id",), "actors", ("actor_id",)),
        (("on_behalf_of_id",), "actors", ("actor_id",)),
    ]
    reports = schema.tables["reports"]
    assert [(fk.fields, fk.resource) for fk in reports.foreign_keys] == [(("statement_id",), "statements"), (("source_id",), "sources")]
    assert reports.by_name["completeness"].enum == ["verbatim", "translation", "partial", "truncated", "paraphrase"]
    assert schema.tables["actors"].by_name["participation"].enum == ["party", "official", "mediator", "outside_voice", "joint"]
    assert schema.tables["actor_members"].primary_key == ("group_id", "member_id")
    assert schema.tables["sources"].by_name["reliability"].enum == list("ABCDEF")
    assert "postponed" in schema.tables["event_updates"].by_name["status"].enum
    assert schema.tables["event_parties"].primary_key == ("event_id", "actor_id")
    stance = schema.tables["positions"].by_name["stance"]
    assert (stance.type, stance.required, stance.constraints["minimum"], stance.constraints["maximum"]) == ("integer", True, -2, 2)
    assert schema.tables["judgments"].by_name["likelihood"].enum == [
        "almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely", "almost certain",
    ]
    assert schema.tables["positions"].by_name["red_line"].true_values == ("true",)


def test_seeds_dir_is_relative_to_the_dossier(tiny_dir):
    assert read_schema(tiny_dir).seeds_dir == tiny_dir / "seeds"
    assert read_schema(SEED_DOSSIER).seeds_dir == paths.SEEDS_DIR


def test_missing_folder_and_descriptor_raise_not_found(tmp_path):
    with pytest.raises(DossierNotFound, match="no such dossier folder"):
        read_schema(tmp_path / "absent")
    with pytest.raises(DossierNotFound, match=f"{PACKAGE_FILE}: missing"):
        read_schema(tmp_path)


def test_broken_descriptor_raises_invalid(tiny_copy):
    descriptor = tiny_copy / PACKAGE_FILE
    descriptor.write_text("{ not json", encoding="utf-8")
    with pytest.raises(DossierInvalid, match="not valid UTF-8 JSON"):
        read_schema(tiny_copy)
    data = json.loads((paths.PROJECT_ROOT / "tests/fixtures/tiny" / PACKAGE_FILE).read_text(encoding="utf-8"))
    data["resources"] = [r for r in data["resources"] if r["name"] != "events"]
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DossierInvalid, match="resources events missing"):
        read_schema(tiny_copy)


def test_schema_is_declared_once(tiny_dir):
    # The tiny fixture copies the seed dossier's resources verbatim: one schema, two datasets.
    real = read_schema(SEED_DOSSIER).descriptor
    tiny = read_schema(tiny_dir).descriptor
    assert tiny["resources"] == real["resources"]
    assert set(tiny) == set(real)
    assert set(tiny["parley"]) == set(real["parley"])


@pytest.mark.parametrize("folder", [SEED_DOSSIER, paths.PROJECT_ROOT / "tests/fixtures/tiny"], ids=["riyadh_2025", "tiny"])
def test_keys_refer_to_declared_fields(folder):
    schema = read_schema(folder)
    for table in schema.tables.values():
        assert set(table.primary_key) <= set(table.field_names), table.name
        for fk in table.foreign_keys:
            assert set(fk.fields) <= set(table.field_names), table.name
            assert set(fk.reference_fields) <= set(schema.tables[fk.resource].field_names), table.name


@pytest.mark.parametrize("folder", [SEED_DOSSIER, paths.PROJECT_ROOT / "tests/fixtures/tiny"], ids=["riyadh_2025", "tiny"])
def test_frictionless_accepts_the_dossier(folder):
    report = frictionless.validate(str(folder / PACKAGE_FILE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_check_can_fail(tiny_copy):
    positions = tiny_copy / "positions.csv"
    positions.write_text(positions.read_text(encoding="utf-8").replace(",southland,-2,", ",westland,-2,", 1), encoding="utf-8")
    report = frictionless.validate(str(tiny_copy / PACKAGE_FILE))
    assert not report.valid
    assert report.flatten(["rowNumber", "type"]) == [[2, "foreign-key"]]


def test_every_table_and_field_is_documented():
    descriptor = read_schema(SEED_DOSSIER).descriptor
    for resource in descriptor["resources"]:
        assert resource.get("description"), resource["name"]
        for spec in resource["schema"]["fields"]:
            assert spec.get("description", "").strip(), f"{resource['name']}.{spec['name']}"
