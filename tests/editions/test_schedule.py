"""parley.editions.spec: the batch spec's shape, its dates, its expansions and its error messages."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from parley.errors import SpecError
from parley.editions.spec import PREVIOUS, expand_spec, load_spec, resolve_date

FIXTURE_NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "sched_fixture.ipynb"
TODAY = dt.date(2025, 3, 10)


@pytest.fixture
def data_dir(tmp_path, tiny_dir, monkeypatch):
    """A data folder holding the tiny dossier as ``tiny``."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(tiny_dir, folder / "tiny")
    monkeypatch.setenv("PARLEY_DATA_DIR", str(folder))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(tmp_path / "reports"))
    return folder


def write_spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefings.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def expand(tmp_path: Path, text: str, **kwargs):
    return expand_spec(write_spec(tmp_path, text), today=kwargs.pop("today", TODAY), **kwargs)


# --- expansion ---------------------------------------------------------------------------------

def test_expands_actors_by_kind_issues_and_plain_entries_in_order(tmp_path, data_dir):
    briefings = expand(tmp_path, """
        defaults: {dossier: tiny, as_of: dossier, since: previous}
        briefings:
          - notebook: briefing
          - name: actor-{actor}
            notebook: actor_profile
            for_each:
              actor: {from: actors, where: {kind: state}}
          - notebook: issue_brief
            for_each: {issue: issues}
    """)
    assert [b.name for b in briefings] == [
        "briefing", "actor-northland", "actor-southland", "actor-midland", "issue_brief-border_line", "issue_brief-further_talks"]
    profile = briefings[1]
    assert profile.parameters == {"actor": "northland"}
    assert (profile.dossier, profile.dossier_id, profile.as_of, profile.since) == ("tiny", "tiny", "2025-03-03", PREVIOUS)
    assert profile.notebook.name == "actor_profile.ipynb" and profile.notebook_name == "actor_profile"
    assert {"since", "baseline"} <= set(profile.declared)  # compared with the previous published run too


def test_explicit_id_list_and_parameters_defaults_apply_only_where_declared(tmp_path, data_dir):
    briefings = expand(tmp_path, f"""
        defaults:
          dossier: tiny
          parameters: {{top_n: 5}}
        briefings:
          - notebook: actor_profile
            for_each: {{actor: [varga, hollis]}}
          - notebook: {FIXTURE_NOTEBOOK}
            parameters: {{subject: x, sleep_s: 1}}
    """)
    assert [(b.name, b.parameters) for b in briefings] == [
        ("actor_profile-varga", {"top_n": 5, "actor": "varga"}),
        ("actor_profile-hollis", {"top_n": 5, "actor": "hollis"}),
        ("sched_fixture", {"subject": "x", "sleep_s": 1}),  # the fixture has no top_n: the default is not applied
    ]


def test_notebook_and_dossier_paths_are_relative_to_the_spec(tmp_path, data_dir):
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "quick.ipynb").write_bytes(FIXTURE_NOTEBOOK.read_bytes())
    briefings = expand(tmp_path, """
        briefings:
          - notebook: nb/quick.ipynb
            dossier: data/tiny
            as_of: 2025-03-01
    """)
    assert briefings[0].notebook == (tmp_path / "nb" / "quick.ipynb").resolve()
    assert briefings[0].dossier == str((data_dir / "tiny").resolve()) and briefings[0].dossier_id == "tiny"
    assert briefings[0].as_of == "2025-03-01"  # YAML reads the bare date as a date; it comes back as ISO text


@pytest.mark.parametrize(("value", "expected"), [
    ("today", "2025-03-10"), ("yesterday", "2025-03-09"), ("today-7d", "2025-03-03"), ("today - 2w", "2025-02-24"),
    ("today+1d", "2025-03-11"), ("2025-01-31", "2025-01-31"), (dt.date(2024, 2, 29), "2024-02-29"),
])
def test_relative_and_absolute_dates(value, expected):
    assert resolve_date(value, TODAY) == expected


def test_since_relative_to_as_of_and_as_of_override(tmp_path, data_dir):
    text = """
        defaults: {dossier: tiny, as_of: today-1d}
        briefings:
          - notebook: briefing
            since: as_of-7d
          - notebook: dataset_qa
            since: none
    """
    first, second = expand(tmp_path, text)
    assert (first.as_of, first.since) == ("2025-03-09", "2025-03-02")
    assert second.since == ""
    overridden = expand(tmp_path, text, as_of="2025-03-05")
    assert overridden[0].as_of == "2025-03-05" and overridden[0].since == "2025-02-26"


def test_only_keeps_named_briefings(tmp_path, data_dir):
    briefings = expand(tmp_path, """
        defaults: {dossier: tiny}
        briefings:
          - notebook: issue_brief
            for_each: {issue: issues}
    """, only=["issue_brief-further_talks"])
    assert [b.name for b in briefings] == ["issue_brief-further_talks"]


def test_the_shipped_spec_expands(monkeypatch):
    """briefings.yml: the main briefing, a profile per state or bloc, a brief per issue, the QA."""
    monkeypatch.delenv("PARLEY_DATA_DIR", raising=False)
    root = Path(__file__).resolve().parents[2]
    briefings = expand_spec(root / "briefings.yml", today=TODAY)
    names = [b.name for b in briefings]
    assert names[0] == "briefing" and names[-1] == "dataset_qa"
    assert "actor-russia" in names and "actor-usa" in names and "actor-lavrov" not in names
    assert sum(name.startswith("issue-") for name in names) >= 10
    assert {b.as_of for b in briefings} == {"2025-03-10"} and {b.since for b in briefings} == {PREVIOUS}


def test_pdf_option_of_the_entry_or_the_defaults(tmp_path, data_dir):
    briefings = expand(tmp_path, """
        defaults: {dossier: tiny, as_of: dossier, pdf: true}
        briefings:
          - notebook: briefing
          - notebook: dataset_qa
            pdf: letter
          - name: actor-{actor}
            notebook: actor_profile
            pdf: false
            for_each: {actor: [northland]}
    """)
    assert [(b.name, b.pdf) for b in briefings] == [("briefing", "a4"), ("dataset_qa", "letter"), ("actor-northland", "")]
    assert [b.pdf for b in expand(tmp_path, "defaults: {dossier: tiny}\nbriefings:\n  - notebook: briefing\n")] == [""]


# --- errors name the entry and the field ---------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("briefings: []", ["briefings.yml, field briefings", "non-empty list"]),
    ("briefings:\n  - notebook: briefng", ["entry 1 (briefng), field notebook", "no notebook 'briefng'", "briefing"]),
    ("briefings:\n  - notebook: briefing\n    top_n: 3", ["entry 1 (briefing), field top_n", "unknown entry field", "under 'parameters:'"]),
    ("briefings:\n  - notebook: briefing\n  - notebook: briefing\n    parameters: {top_m: 3}",
     ["entry 2 (briefing), field parameters.top_m", "no parameter 'top_m'", "top_n (int"]),
    ("briefings:\n  - notebook: briefing\n    parameters: {top_n: 'five'}", ["field parameters.top_n", "'five' is text", "top_n: int"]),
    ("briefings:\n  - notebook: briefing\n    parameters: {top_n: 0}",
     ["briefings.yml, entry 1 (briefing), field parameters.top_n", "0 is not allowed for top_n", "allowed: a whole number of at least 1"]),
    ("defaults: {dossier: tiny, parameters: {top_n: -3}}\nbriefings:\n  - notebook: actor_profile\n    for_each: {actor: [varga]}",
     ["briefings.yml, defaults, field parameters.top_n", "-3 is not allowed for top_n", "at least 1"]),
    ("briefings:\n  - notebook: briefing\n    as_of: 2025-02-30", ["entry 1 (briefing), field as_of", "'2025-02-30' is not a calendar date"]),
    ("briefings:\n  - notebook: briefing\n    as_of: next tuesday", ["field as_of", "'next tuesday' is not a date", "today-7d"]),
    ("briefings:\n  - notebook: briefing\n    as_of: 2025-03-01\n    since: 2025-03-02", ["field since", "after as_of 2025-03-01"]),
    ("briefings:\n  - notebook: briefing\n    dossier: nowhere", ["field dossier", "no dossier 'nowhere'", "tiny"]),
    ("briefings:\n  - notebook: actor_profile\n    for_each: {actor: [varga, nobody]}",
     ["entry 1 (actor_profile), field for_each.actor", "'nobody' not in the actors of tiny", "hollis"]),
    ("briefings:\n  - notebook: actor_profile\n    parameters: {actor: ../../etc/passwd}",
     ["entry 1 (actor_profile), field parameters.actor", "'../../etc/passwd' is not in the actors of tiny", "hollis"]),
    ("briefings:\n  - notebook: issue_brief\n    parameters: {issue: " + "x" * 300 + "}", ["field parameters.issue", "xxx… is not in the issues of tiny"]),
    ("briefings:\n  - notebook: actor_profile\n    for_each: {actor: people}", ["field for_each.actor", "'people' is not a table", "actors"]),
    ("briefings:\n  - notebook: actor_profile\n    for_each: {actor: {from: actors, where: {rank: 1}}}",
     ["field for_each.actor.where.rank", "no column 'rank'", "kind"]),
    ("briefings:\n  - notebook: actor_profile\n    for_each: {actor: {from: actors, where: {kind: planet}}}", ["field for_each.actor", "expands to nothing"]),
    ("briefings:\n  - notebook: briefing\n    for_each: {actor: actors}", ["field for_each.actor", "has no parameter 'actor'"]),
    ("briefings:\n  - name: profile\n    notebook: actor_profile\n    for_each: {actor: actors}", ["entry 1 (profile), field name", "must contain {actor}"]),
    ("briefings:\n  - name: Main Briefing\n    notebook: briefing", ["field name", "'Main Briefing' is not a slug"]),
    ("briefings:\n  - notebook: briefing\n  - notebook: briefing", ["entry 2 (briefing), field name", "already the name of a briefing from briefings.yml, entry 1"]),
    ("briefings:\n  - notebook: briefing\n    parameters: {baseline: x.csv}", ["field parameters.baseline", "the runner sets baseline itself"]),
    ("briefings:\n  - notebook: briefing\n    parameters: {as_of: 2025-01-01}", ["field parameters.as_of", "as a field of the entry"]),
    ("briefings:\n  - notebook: dataset_qa\n    actor: russia", ["entry 1 (dataset_qa), field actor", "unknown entry field"]),
    ("defaults: {as_of: today}\nbriefing:\n  - notebook: briefing", ["field briefing", "unknown top level field"]),
    ("briefings:\n  - [briefing]", ["briefings.yml, entry 1", "expected a mapping"]),
    ("briefings: [\n", ["briefings.yml: not valid YAML"]),
    ("briefings:\n  - notebook: briefing\n    pdf: a3", ["entry 1 (briefing), field pdf", "'a3' is not a PDF option", "a4, letter"]),
    ("defaults: {dossier: tiny, pdf: yes please}\nbriefings:\n  - notebook: briefing", ["briefings.yml, defaults, field pdf", "'yes please'"]),
])
def test_bad_specs_name_the_entry_and_the_field(tmp_path, data_dir, text, expected):
    text = "defaults: {dossier: tiny}\n" + text if not text.startswith("defaults") else text
    with pytest.raises(SpecError) as caught:
        expand(tmp_path, text)
    message = str(caught.value)
    for part in expected:
        assert part in message, message


def test_missing_spec_file(tmp_path):
    with pytest.raises(SpecError, match="no such spec file"):
        load_spec(tmp_path / "nowhere.yml")


def test_explicit_field_on_a_notebook_without_that_parameter(tmp_path, data_dir):
    notebook = tmp_path / "no_since.ipynb"
    import nbformat

    nb = nbformat.read(FIXTURE_NOTEBOOK, as_version=4)
    parameters = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    parameters.source = "\n".join(line for line in parameters.source.splitlines() if not line.startswith("since"))
    nbformat.write(nb, notebook)
    # a default since does not apply to it ...
    assert expand(tmp_path, f"defaults: {{since: previous, dossier: tiny}}\nbriefings:\n  - notebook: {notebook}")[0].since == ""
    # ... but an explicit one is an error
    with pytest.raises(SpecError, match=r"entry 1 \(.*no_since.ipynb\), field since: notebook no_since.ipynb has no since parameter"):
        expand(tmp_path, f"briefings:\n  - notebook: {notebook}\n    dossier: tiny\n    since: 2025-01-01")


def test_cli_lists_the_expansion_and_refuses_a_bad_spec_with_status_2(tmp_path, data_dir):
    import subprocess
    import sys

    parley = Path(sys.executable).parent / "parley"
    good = write_spec(tmp_path, "defaults: {dossier: tiny, as_of: dossier}\nbriefings:\n  - notebook: issue_brief\n    for_each: {issue: issues}\n")
    listed = subprocess.run([str(parley), "run", str(good), "--list"], capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["issue_brief-border_line", "issue_brief-further_talks"]
    assert "as_of=2025-03-03" in listed.stdout and "issue=further_talks" in listed.stdout

    bad = write_spec(tmp_path, "defaults: {dossier: tiny}\nbriefings:\n  - notebook: issue_brief\n    for_each: {issue: [border_line, borderline]}\n")
    refused = subprocess.run([str(parley), "run", str(bad)], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: briefings.yml, entry 1 (issue_brief), field for_each.issue: 'borderline' not in the issues of tiny")
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "reports").exists()


def test_ids_under_parameters_are_checked_with_one_read_of_their_table(tmp_path, data_dir, monkeypatch):
    import parley.data.tables as tables

    reads = []
    real = tables.read_raw_table
    monkeypatch.setattr(tables, "read_raw_table", lambda schema, table: reads.append(table.name) or real(schema, table))
    body = "".join(f"  - {{name: p{i}, notebook: actor_profile, parameters: {{actor: {'varga' if i % 2 else 'northland'}}}}}\n" for i in range(200))
    briefings = expand(tmp_path, "defaults: {dossier: tiny}\nbriefings:\n" + body)
    assert [b.parameters["actor"] for b in briefings[:2]] == ["northland", "varga"]
    assert reads.count("actors") <= 1, reads


def test_a_long_spec_inspects_each_notebook_once_and_parses_the_descriptor_once(tmp_path, data_dir, monkeypatch):
    import papermill

    import parley.data.schema as schema

    calls = {"inspect": 0, "descriptor": 0}
    real_inspect, real_read = papermill.inspect_notebook, schema._load_descriptor

    def inspect(*args, **kwargs):
        calls["inspect"] += 1
        return real_inspect(*args, **kwargs)

    def load(*args, **kwargs):
        calls["descriptor"] += 1
        return real_read(*args, **kwargs)

    monkeypatch.setattr(papermill, "inspect_notebook", inspect)
    monkeypatch.setattr(schema, "_load_descriptor", load)
    body = "".join(f"  - {{name: b{i}, notebook: {'briefing' if i % 2 else 'dataset_qa'}}}\n" for i in range(300))
    briefings = expand(tmp_path, "defaults: {dossier: tiny}\nbriefings:\n" + body)
    assert len(briefings) == 300
    assert calls["inspect"] <= 2 and calls["descriptor"] <= 1, calls
