"""parley ingest / review / eval-extract: the CLI faces, run as the installed script runs them."""

from __future__ import annotations

import json

import pytest

from clihelp import cli_in_process
from ingest_support import GOLD, SEED_ARTICLE, SEED_GOLD, article

from parley.review.queue import read_candidates


def run_cli(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    return cli_in_process(args, monkeypatch, capsys)


@pytest.mark.parametrize("command", [["ingest"], ["review"], ["review", "accept"], ["review", "list"], ["eval-extract"]])
def test_every_command_has_help(command, monkeypatch, capsys):
    code, out, _ = run_cli([*command, "--help"], monkeypatch, capsys)
    assert code == 0 and "Usage: parley" in out


def test_eval_extract_json_has_the_four_scores(monkeypatch, capsys):
    code, out, _ = run_cli(["eval-extract", str(SEED_GOLD), str(SEED_ARTICLE), "--json"], monkeypatch, capsys)
    scores = json.loads(out)
    assert code == 0
    assert {"quote_exact_f1", "quote_overlap_f1", "speaker_accuracy", "reported_recall"} <= set(scores)
    assert scores["quote_exact_f1"] >= 0.95 and scores["speaker_accuracy"] >= 0.95 and scores["reported_recall"] >= 0.7


def test_eval_extract_text_report_lists_disagreements(monkeypatch, capsys):
    code, out, _ = run_cli(["eval-extract", str(GOLD / "moscow_multipara.csv"), str(article("moscow_multipara.txt"))], monkeypatch, capsys)
    assert code == 0
    assert "speaker accuracy" in out and "wrong speakers:" in out


def test_eval_extract_with_a_gold_of_another_article_exits_2(monkeypatch, capsys):
    code, _, err = run_cli(["eval-extract", str(SEED_GOLD), str(article("wire_geneva.txt"))], monkeypatch, capsys)
    assert code == 2 and "is this the gold file of this article?" in err


def test_ingest_then_review_from_the_command_line(dossier, monkeypatch, capsys):
    code, out, _ = run_cli(["ingest", str(article("wire_geneva.txt")), "--dossier", "tiny", "--published", "2031-02-20"], monkeypatch, capsys)
    assert code == 0 and "proposed" in out and "next: parley review list --dossier tiny" in out
    code, out, _ = run_cli(["review", "list", "--dossier", "tiny"], monkeypatch, capsys)
    assert code == 0 and "NEW:Hanna Kovalenko" in out
    # the suggested issue, stance, red line and confidences are on the line, as the queue holds them
    for row in read_candidates(dossier.folder):
        if row["stance"]:
            line = next(line for line in out.splitlines() if line.startswith(row["candidate_id"]))
            assert row["issues"].split("|")[0] in line and f"{int(row['stance']):+d}" in line and row["stance_confidence"] in line
            assert ("RED" in line) == (row["red_line"] == "true")
    target = next(r for r in read_candidates(dossier.folder) if r["text"] == "We have been very clear about this,")
    code, out, _ = run_cli(["review", "accept", target["candidate_id"], "--dossier", "tiny", "--issue", "peacekeeping_troops", "--stance", "-1"], monkeypatch, capsys)
    assert code == 0 and "accepted: statement s_" in out
    code, out, _ = run_cli(["review", "show", target["candidate_id"], "--dossier", "tiny"], monkeypatch, capsys)
    assert code == 0 and "[[We have been very clear about this,]]" in out
    code, _, err = run_cli(["review", "accept", target["candidate_id"], "--dossier", "tiny"], monkeypatch, capsys)
    assert code == 2 and "only pending candidates" in err


def test_ingest_bad_input_exits_2_with_the_message(dossier, tmp_path, monkeypatch, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    before = dossier.snapshot()
    code, out, err = run_cli(["ingest", str(empty), "--dossier", "tiny"], monkeypatch, capsys)
    assert code == 2 and "the file is empty" in err and "Traceback" not in err
    assert dossier.snapshot() == before
