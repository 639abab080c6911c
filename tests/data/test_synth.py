"""parley.data.synth and `parley synth`: the generated dossier is valid, its offsets hold, and a seed fixes every byte.

Dossiers here are small (a few hundred statements); the benchmark (make bench) generates the big ones.
No timing assertions.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.data.dossier import load_dossier
from parley.errors import ParameterError
from parley.data.schema import TABLES, read_schema
from parley.data.synth import SYNTHETIC_MARK, synthesize
from parley.data.validate import validate_dossier

SEED_SCHEMA = Path(__file__).resolve().parents[2] / "data" / "riyadh_2025" / "datapackage.json"


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return synthesize(tmp_path_factory.mktemp("synth") / "small", statements=600, actors=20, issues=6, seed=3).path


def test_generated_dossier_is_valid(small):
    assert validate_dossier(small) == []


def test_counts_follow_the_arguments(small):
    dossier = load_dossier(small)
    assert len(dossier.statements) == 600
    assert len(dossier.actors) == 20
    assert len(dossier.issues) == 6
    assert dossier.reports["source_id"].value_counts().max() <= 80  # about 50 statements per source text
    assert len(dossier.sources) == 12


def test_every_statement_and_event_span_is_its_source_text(small):
    dossier = load_dossier(small)
    for row in dossier.reports.itertuples():
        assert dossier.source_text(row.source_id)[row.char_start:row.char_end] == row.text
    for row in dossier.events.itertuples():
        assert dossier.source_text(row.source_id)[row.evidence_start:row.evidence_end] == row.evidence
    for row in dossier.events.itertuples():
        passage = dossier.source_text(row.source_id)[row.evidence_start:row.evidence_end]
        assert passage.startswith("The ") and row.title in passage


def test_direct_quotes_stand_between_quote_marks_in_the_text(small):
    dossier = load_dossier(small)
    quotes = dossier.reports.loc[dossier.reports["completeness"] == "verbatim"]
    assert len(quotes) > 100
    for row in quotes.head(50).itertuples():
        text = dossier.source_text(row.source_id)
        assert text[row.char_start - 1] == "\u201c" and text[row.char_end] == "\u201d"
        assert text[: row.char_start].rstrip(" \u201c").endswith(row.attribution_cue)


def test_texts_and_tables_are_marked_synthetic(small):
    dossier = load_dossier(small)
    for source_id in dossier.sources["source_id"]:
        assert dossier.source_text(source_id).startswith(SYNTHETIC_MARK)
    assert dossier.sources["notes"].str.startswith("SYNTHETIC").all()
    assert dossier.title.startswith("SYNTHETIC")


def test_descriptor_is_the_seed_schema_with_its_own_name_and_seeds(small):
    descriptor = json.loads((small / "datapackage.json").read_text(encoding="utf-8"))
    seed = json.loads(SEED_SCHEMA.read_text(encoding="utf-8"))
    assert descriptor["resources"] == [r for r in seed["resources"] if r["name"] in TABLES]  # no optional tables (analyst notes)
    assert descriptor["name"] != seed["name"] and descriptor["name"] == "synth_n600_a20_i6_s3"
    assert descriptor["parley"]["seeds_dir"] == "seeds"
    assert descriptor["parley"]["synthetic"] == {"statements": 600, "actors": 20, "issues": 6, "seed": 3}
    assert read_schema(small).seeds_dir == (small / "seeds").resolve()


def test_realistic_shape(small):
    dossier = load_dossier(small)
    statements, positions, actors = dossier.statements, dossier.positions, dossier.actors
    assert set(statements["kind"]) == {"direct_quote", "reported_speech", "assessment"}
    assert statements["speaker_id"].isna().any() and statements["speaker_id"].notna().mean() > 0.8
    people = actors.loc[actors["kind"] == "person"]
    assert people["parent_id"].notna().mean() > 0.5 and {"state", "bloc", "organisation"} <= set(actors["kind"])
    assert positions["red_line"].any() and positions["condition"].notna().any()
    assert set(positions["stance"].unique()) == {-2, -1, 0, 1, 2}
    assert set(dossier.event_parties["role"]) == {"participant", "host", "excluded"}
    assert set(dossier.judgments["judgment_id"]) == set(dossier.judgment_support["judgment_id"])
    utterances = dossier.utterances
    assert (utterances["date_said"].dropna() <= utterances.loc[utterances["date_said"].notna(), "date_reported"]).all()
    # Some utterances are reported again by the next source, some of those by wire copy (one origin, two outlets).
    assert utterances["n_reports"].max() == 2 and 0.01 < (utterances["n_reports"] > 1).mean() < 0.1
    assert (utterances["n_outlets"] > utterances["n_origins"]).any() and (utterances["n_origins"] == 2).any()
    assert set(actors["participation"]) == {"party", "official", "outside_voice", "joint"}
    # A few speakers say much more than the rest, as in real coverage.
    by_speaker = statements["speaker_id"].value_counts()
    assert by_speaker.iloc[0] > 5 * by_speaker.median()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    first = synthesize(tmp_path / "a", statements=200, actors=10, issues=4, seed=7).path
    second = synthesize(tmp_path / "b", statements=200, actors=10, issues=4, seed=7).path
    other = synthesize(tmp_path / "c", statements=200, actors=10, issues=4, seed=8).path
    assert digest(first) == digest(second)
    assert digest(first)["statements.csv"] != digest(other)["statements.csv"]


def test_regenerating_replaces_a_synthetic_dossier(tmp_path):
    target = tmp_path / "again"
    synthesize(target, statements=100, actors=6, issues=2, seed=1)
    synthesize(target, statements=50, actors=6, issues=2, seed=1)
    assert len(pd.read_csv(target / "statements.csv")) == 50
    assert validate_dossier(target) == []


def test_refuses_to_replace_a_folder_that_is_not_synthetic(tmp_path):
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ParameterError, match="not a synthetic dossier"):
        synthesize(keep, statements=100, actors=6, issues=2)
    assert (keep / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("arguments", [{"statements": 9}, {"actors": 3}, {"issues": 0}, {"seed": -1}, {"statements": 10.5}])
def test_counts_out_of_range_are_refused(tmp_path, arguments):
    with pytest.raises(ParameterError, match="expected a whole number"):
        synthesize(tmp_path / "x", **{"statements": 100, "actors": 6, "issues": 2, **arguments})


def test_smallest_dossier_is_valid(tmp_path):
    path = synthesize(tmp_path / "least", statements=10, actors=4, issues=1, seed=0).path
    assert validate_dossier(path) == []
    # Every table holds rows but the two synth leaves empty (no joint speakers, no status updates).
    assert all(len(load_dossier(path).table(name)) > 0 for name in TABLES if name not in ("actor_members", "event_updates"))


def test_cli_prints_the_folder_last_and_counts_on_stderr(tmp_path):
    out = tmp_path / "cli"
    result = CliRunner().invoke(main, ["synth", "--statements", "120", "--actors", "8", "--issues", "3", "--seed", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out)
    assert "120 statements" in result.stderr
    assert validate_dossier(out) == []


def test_cli_refuses_bad_counts_with_a_message(tmp_path):
    result = CliRunner().invoke(main, ["synth", "--statements", "5", "--out", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert "statements=5" in str(result.exception) or "statements=5" in result.output


def test_joint_speakers_and_event_updates(small):
    """The living-dossier parts scale tests exercise: a joint speaker's positions coded per member, events changing status."""
    dossier = load_dossier(small)
    joint = dossier.actors.loc[dossier.actors["participation"] == "joint", "actor_id"]
    assert len(joint) >= 1 and set(dossier.actor_members["group_id"]) == set(joint)
    members = {group: set(rows["member_id"]) for group, rows in dossier.actor_members.groupby("group_id")}
    spoken = dossier.statements.loc[dossier.statements["speaker_id"].isin(joint)]
    assert len(spoken) >= len(joint)
    for row in spoken.itertuples():
        held = dossier.positions.loc[dossier.positions["statement_id"] == row.statement_id]
        assert set(held["actor_id"]) <= members[row.speaker_id] and not held["actor_id"].isin(joint).any()
    assert dossier.positions.loc[dossier.positions["statement_id"].isin(spoken["statement_id"]), "actor_id"].nunique() >= 2
    updates = dossier.event_updates
    assert len(updates) >= 1 and set(updates["status"]) <= {"held", "postponed", "cancelled"}
    assert set(updates["event_id"]) <= set(dossier.events.loc[dossier.events["status"] == "planned", "event_id"])
    for row in updates.itertuples():
        assert dossier.source_text(row.source_id)[row.evidence_start:row.evidence_end] == row.evidence
        assert row.evidence.endswith(f"was {row.status}.") or (row.status == "held" and row.evidence.endswith("took place."))
