"""Tests of parley.data.validate: the bad-input corpus (tests/fixtures/bad/cases.yml) and unit checks."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

import yaml
from badcorpus import SECRET, _read_rows, _replace, _set, apply_mutations
from clihelp import cli_in_process

from parley.data.dossier import read_raw_table
from parley.errors import Problem
from parley.data.schema import TABLES, read_schema
from parley.data.validate import CHECKS, check_dossier, validate_dossier, validate_tables

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
CASES = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))


def _run_cli(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    return cli_in_process(args, monkeypatch, capsys)


# -- the corpus ---------------------------------------------------------------------------------


def test_corpus_is_large_and_distinct():
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))
    bad = [case for case in CASES if case["expect"] != "ok"]
    assert len(bad) >= 25
    assert len({(c["expect"]["file"], c["expect"]["code"], c["expect"]["field"]) for c in bad}) >= 25


def test_tiny_csvs_survive_the_csv_round_trip(tiny_dir):
    # `set` and friends rewrite files with the csv module: that alone must change nothing.
    for file in sorted(tiny_dir.glob("*.csv")):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(_read_rows(file))
        assert buffer.getvalue() == file.read_text(encoding="utf-8"), file.name


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_bad_input(case, tiny_copy, monkeypatch, capsys):
    apply_mutations(tiny_copy, case["mutate"])
    problems = validate_dossier(tiny_copy)
    code, out, err = _run_cli(["validate", str(tiny_copy)], monkeypatch, capsys)
    assert "Traceback" not in out + err
    expect = case["expect"]
    if expect == "ok":
        assert problems == []
        assert code == 0 and " OK (version " in out
        return
    shown = "\n".join(map(str, problems))
    hits = [
        p for p in problems
        if (p.file, p.row, p.field, p.code) == (expect["file"], expect["row"], expect["field"], expect["code"]) and expect["message"] in p.message
    ]
    assert len(hits) == 1, f"expected {expect}, got:\n{shown}"
    allowed = {expect["code"], *case.get("collateral", [])}
    assert {p.code for p in problems} <= allowed, f"unexpected problems:\n{shown}"
    assert code == 2
    assert str(hits[0]) in err.splitlines()
    for secret in [SECRET, *case.get("absent", [])]:  # never shown: not in a problem, not on the terminal
        assert secret not in out + err and secret not in shown
    assert err.splitlines()[-1].startswith(f"error: tiny: {len(problems)} problem")
    _same_in_one_thread(tiny_copy)


def _same_in_one_thread(folder: Path) -> None:
    """The checks run beside each other (``parley validate``) give the problems, in the order, that
    they give one after another (``load_dossier``)."""
    from parley.errors import DossierInvalid, DossierNotFound

    try:
        schema = read_schema(folder)
    except (DossierInvalid, DossierNotFound):
        return  # a broken descriptor: no table is checked either way
    read = {name: read_raw_table(schema, table)[0] for name, table in schema.tables.items()}
    raw = {name: frame for name, frame in read.items() if frame is not None}
    assert validate_tables(schema, raw, beside=True) == validate_tables(schema, raw, beside=False)


# -- units --------------------------------------------------------------------------------------


def _raw(folder: Path):
    schema = read_schema(folder)
    raw = {}
    for name in TABLES:
        frame, problems = read_raw_table(schema, schema.tables[name])
        assert problems == []
        raw[name] = frame
    return schema, raw


def test_tiny_and_seed_dossier_are_valid(tiny_dir):
    assert validate_dossier(tiny_dir) == []
    assert validate_dossier("riyadh_2025") == []


def test_validate_tables_reports_all_problems_at_once(tiny_copy):
    _set(tiny_copy, "positions.csv", 2, "stance", "7")
    _set(tiny_copy, "actors.csv", 3, "kind", "nation")
    _set(tiny_copy, "statements.csv", 4, "date_said", "yesterday")
    schema, raw = _raw(tiny_copy)
    problems = validate_tables(schema, raw)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [
        ("actors.csv", 3, "kind", "enum"),
        ("statements.csv", 4, "date_said", "type"),
        ("positions.csv", 2, "stance", "range"),
    ]  # sorted by table order of the schema, then row
    assert [p.value for p in problems] == ["nation", "yesterday", "7"]  # as written in the file


def test_row_numbers_follow_the_spreadsheet_not_the_frame_index(tiny_copy):
    # Row 2 holds a value spanning three lines and row 3 is followed by a blank line, so frame
    # index + 2 is right for rows 2-3 only; the problems must still name rows 3 and 5.
    _set(tiny_copy, "actors.csv", 2, "notes", "one,\ntwo\nthree")
    _replace(tiny_copy, "actors.csv", "Host of the Midtown talks.\n", "Host of the Midtown talks.\n\n")
    _set(tiny_copy, "actors.csv", 3, "kind", "nation")
    _set(tiny_copy, "actors.csv", 6, "kind", "tribe")  # varga, after the blank line: spreadsheet row 6
    problems = validate_dossier(tiny_copy)
    located = [(p.row, p.field, p.code) for p in problems]
    assert located == [(3, "kind", "enum"), (5, None, "blank-row"), (6, "kind", "enum")]
    assert problems[0].message.endswith("(row 3 starts on line 5 of the file)")
    assert problems[2].message.endswith("(row 6 starts on line 8 of the file)")
    assert pd.read_csv(tiny_copy / "actors.csv", dtype=str).index[-2] + 2 != 6  # pandas' index alone would be wrong


def test_rows_wider_than_the_header_are_reported_once_each(tiny_copy):
    # pandas would silently turn the first column into the index and shift every value left.
    parties = tiny_copy / "event_parties.csv"
    lines = parties.read_text(encoding="utf-8").splitlines()
    parties.write_text("\n".join([lines[0]] + [line + "," for line in lines[1:]]) + "\n", encoding="utf-8")
    problems = validate_dossier(tiny_copy)
    assert [(p.file, p.row, p.code) for p in problems] == [("event_parties.csv", row, "field-count") for row in range(2, 7)]
    assert problems[0].message.startswith("row has 4 fields, the header has 3")


def test_empty_text_is_reported_once(tiny_copy):
    _set(tiny_copy, "reports.csv", 2, "text", "")
    assert [(p.row, p.field, p.code) for p in validate_dossier(tiny_copy)] == [(2, "text", "required")]


def test_missing_dossier_folder_is_a_problem_not_an_exception(tmp_path):
    problems = validate_dossier(tmp_path / "nowhere")
    assert [(p.file, p.code) for p in problems] == [("datapackage.json", "dossier-missing")]
    assert "no such dossier folder" in problems[0].message


def test_every_problem_is_a_located_problem(tiny_copy):
    _set(tiny_copy, "judgments.csv", 2, "confidence", "certain")
    (problem,) = validate_dossier(tiny_copy)
    assert isinstance(problem, Problem)
    assert problem.as_dict() == {
        "file": "judgments.csv",
        "row": 2,
        "field": "confidence",
        "value": "certain",
        "message": "not an allowed value; allowed: low, moderate, high",
        "code": "enum",
    }


def test_enums_come_from_the_schema_not_the_code(tiny_copy):
    # Widen an enum in the descriptor: the validator follows without a code change.
    descriptor = tiny_copy / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"bloc",', '"bloc",\n"nation",', 1), encoding="utf-8")
    _set(tiny_copy, "actors.csv", 3, "kind", "nation")
    assert validate_dossier(tiny_copy) == []


def test_empty_optional_foreign_key_is_allowed(tiny_copy):
    _set(tiny_copy, "judgments.csv", 2, "issue_id", "")
    _set(tiny_copy, "statements.csv", 2, "on_behalf_of_id", "")
    assert validate_dossier(tiny_copy) == []


def test_check_dossier_counts_and_version(tiny_dir):
    result = check_dossier(tiny_dir)
    assert result.ok and result.name == "tiny"
    assert result.counts == {"sources": 1, "actors": 5, "actor_members": 0, "issues": 2, "statements": 3, "reports": 3, "positions": 3, "events": 2,
                             "event_updates": 0, "event_parties": 5, "judgments": 1, "judgment_support": 2,
                             "analyst_notes": 1}
    assert len(result.version) == 12


def test_load_dossier_refuses_what_validate_reports(tiny_copy):
    from parley import load_dossier
    from parley.errors import DossierInvalid

    _set(tiny_copy, "positions.csv", 3, "stance", "3")
    with pytest.raises(DossierInvalid) as caught:
        load_dossier(tiny_copy)
    assert caught.value.problems == validate_dossier(tiny_copy)


def test_checks_are_registered_in_order():
    names = [check.__name__ for check in CHECKS]
    assert names[:2] == ["_header", "_cells"]
    assert {"_primary_keys", "_foreign_keys", "_sources", "_spans", "_date_order", "_coverage", "_nonempty"} <= set(names)
