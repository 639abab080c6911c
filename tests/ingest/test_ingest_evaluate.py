"""parley.ingest.evaluate: scores against gold files, and the seed's own scores."""

from __future__ import annotations

import csv

import pytest
from ingest_support import SEED_ARTICLE, SEED_GOLD

from parley.errors import IngestError
from parley.ingest.evaluate import GoldRow, evaluate_article, load_gold, score, speaker_matches
from parley.ingest.lexicon import load_lexicon
from parley.ingest.propose import Proposal
from parley.paths import PROJECT_ROOT


def test_seed_scores_meet_the_goals():
    scores = evaluate_article(SEED_GOLD, SEED_ARTICLE)
    assert scores["gold_direct"] == 22 and scores["gold_reported"] == 12
    assert scores["quote_exact_f1"] >= 0.95
    assert scores["quote_overlap_f1"] >= scores["quote_exact_f1"]
    assert scores["speaker_accuracy"] >= 0.95
    assert scores["reported_recall"] >= 0.7


def test_seed_scores_with_the_seed_dossier():
    dossier = PROJECT_ROOT / "data" / "riyadh_2025"
    if not (dossier / "actors.csv").is_file():
        pytest.skip("the seed dossier is not there")
    scores = evaluate_article(SEED_GOLD, SEED_ARTICLE, load_lexicon(dossier))
    assert scores["quote_exact_f1"] >= 0.95
    assert scores["speaker_accuracy"] >= 0.95
    assert scores["reported_recall"] >= 0.7


def proposal(start: int, text: str, kind: str = "direct_quote", speaker: str = "", mention: str = "") -> Proposal:
    return Proposal(kind, start, start + len(text), text, "", speaker, "", mention, "", "cue", (), None, "unclear", False, 0.5, 0.0)


def test_score_arithmetic():
    gold = [
        GoldRow(2, "direct", "abc", "Anna Petrenko", 0),
        GoldRow(3, "direct", "xyz", "UNATTRIBUTED", 10),
        GoldRow(4, "reported", "0123456789", "Anna Petrenko", 20),
    ]
    proposals = [
        proposal(0, "abc", speaker="Petrenko"),  # exact, right speaker (surname)
        proposal(9, "-xyz", speaker="Boris Halvorsen"),  # overlap only, wrong speaker
        proposal(40, "spurious"),
        proposal(18, "--0123456", kind="reported_speech"),  # covers 7/10 of the gold, 7/9 inside it
    ]
    scores = score(gold, proposals)
    assert scores["quote_exact_precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert scores["quote_exact_recall"] == 0.5
    assert scores["quote_overlap_recall"] == 1.0
    assert scores["speaker_accuracy"] == 0.5
    assert scores["reported_recall"] == 1.0
    assert [e["text"] for e in scores["errors"]["wrong_speakers"]] == ["xyz"]


def test_reported_recall_needs_substantial_overlap():
    gold = [GoldRow(2, "reported", "0123456789", "X", 100)]
    assert score(gold, [proposal(100, "0123", kind="reported_speech")])["reported_recall"] == 0.0  # under half the gold
    assert score(gold, [proposal(60, "x" * 40 + "0123456789" + "y" * 30, kind="assessment")])["reported_recall"] == 0.0  # the proposal is mostly elsewhere


def test_unattributed_matches_only_no_speaker_and_descriptions_count():
    assert speaker_matches("UNATTRIBUTED", proposal(0, "a"))
    assert speaker_matches("UNATTRIBUTED", proposal(0, "a", mention="they"))
    assert not speaker_matches("UNATTRIBUTED", proposal(0, "a", speaker="Lavrov"))
    assert speaker_matches("senior European diplomat", proposal(0, "a", mention="A senior European diplomat"))
    assert speaker_matches("Kiril Dmitriev", proposal(0, "a", speaker="Kirill Dmitriev"))


def test_gold_for_another_article_is_refused(tmp_path):
    path = tmp_path / "gold.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["quote_text", "kind", "speaker", "char_start"])
        writer.writerow(["not in the article", "direct", "X", "3"])
    with pytest.raises(IngestError, match="row 2, field quote_text: not found at char_start 3"):
        load_gold(path, "SYNTHETIC text")


def test_gold_with_missing_columns_or_bad_values_is_refused(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("quote_text,kind\nabc,direct\n", encoding="utf-8")
    with pytest.raises(IngestError, match="missing column"):
        load_gold(path, "abc")
    path.write_text("quote_text,kind,speaker,char_start\nabc,quote,X,0\n", encoding="utf-8")
    with pytest.raises(IngestError, match="field kind: 'quote' is not allowed"):
        load_gold(path, "abc")
