"""A first edition's "What changed" counts its changes without listing them: the counts equal those
of the full diff against no baseline, for the whole page and for every actor and issue subject."""

from pathlib import Path

import pandas as pd
import pytest

from parley import load_dossier
from parley.analysis.editions import changes_about, diff_editions, edition_of, first_edition_counts
from parley.analysis.evidence import default_as_of
from parley.data.synth import synthesize

ROOT = Path(__file__).resolve().parents[2]


def _subjects(dossier):
    actors, issues = dossier.actors["actor_id"].tolist(), dossier.issues["issue_id"].tolist()
    return [(None, None), ("no-such-actor", None), (None, "no-such-issue")] + [(a, None) for a in actors] + [(None, i) for i in issues] + [
        (a, i) for a in actors[:3] for i in issues[:3]]


def _assert_counts_equal_the_diff(dossier, as_of):
    diff = diff_editions(None, edition_of(dossier, as_of), dossier, as_of)
    assert not diff.empty
    for actor, issue in _subjects(dossier):
        listed = changes_about(diff, actor, issue)["change"].value_counts(sort=False).to_dict()
        counted = first_edition_counts(dossier, as_of, actor, issue)
        assert list(counted.items()) == [(k, int(v)) for k, v in listed.items()], (actor, issue)


@pytest.mark.parametrize("name", ["seed", "tiny"])
def test_counts_of_the_shipped_and_tiny_dossiers(name, tiny_dir):
    dossier = load_dossier(ROOT / "data" / "riyadh_2025" if name == "seed" else tiny_dir)
    _assert_counts_equal_the_diff(dossier, default_as_of(dossier))


def test_counts_of_a_synthetic_dossier_at_two_dates(tmp_path):
    dossier = load_dossier(synthesize(tmp_path / "synth", statements=600, actors=14, issues=5, seed=3).path)
    as_of = default_as_of(dossier)
    _assert_counts_equal_the_diff(dossier, as_of)
    _assert_counts_equal_the_diff(dossier, as_of - pd.Timedelta(days=20))  # fewer statements known, some reports not yet
