"""parley.ingest.match: a new article's proposal recognised as another outlet's report of a statement.

Every text here is SYNTHETIC, written for these tests (no real reporting), and none is the seed's:
the matcher must work on outlets it has never seen.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from ingest_support import article

from parley.cli import main
from parley.data.validate import validate_dossier
from parley.errors import IngestError
from parley.ingest.match import KnownReport, fold, match_report, similarity
from parley.review.decisions import Decision, PositionSpec, accept
from parley.review.intake import ingest_article
from parley.review.queue import read_candidates

QUOTE = "There will be no foreign contingents on Ukrainian soil, under any flag."

#: SYNTHETIC: a second outlet, the day after, reporting Lavrov's words with other marks and a dash.
SECOND_OUTLET = """SYNTHETIC TEST ARTICLE: written for Parley's tests; not real reporting.
Moscow rules out foreign troops
MOSCOW (Other Outlet) — Russia will not accept Western soldiers in Ukraine, its foreign minister said on Thursday.
‘There will be no foreign contingents on Ukrainian soil — under any flag’, Lavrov told journalists in Geneva.
Lavrov also said that sanctions relief was not on the table.
"""

#: SYNTHETIC: a third outlet's excerpt, cut off inside the quotation (no closing mark).
TRUNCATED_OUTLET = """SYNTHETIC TEST ARTICLE: written for Parley's tests; not real reporting.
Talks in Geneva end without a date for the next round
Sergei Lavrov, the Russian foreign minister, said the envoys had spoken for five hours.
Lavrov later added on television: "There will be no foreign contingents on Ukrainian soil, under any flag and
"""


@pytest.mark.parametrize("wording, basis", [
    ("“There will be no foreign contingents on Ukrainian soil — under any flag”", "near-identical"),  # other marks, a dash
    ("THERE WILL BE NO FOREIGN CONTINGENTS ON UKRAINIAN SOIL UNDER ANY FLAG", "near-identical"),    # case, no punctuation
    ("There will be no foreign contingents on Ukrainian soil, under any", "overlapping"),           # truncated by a word
    ("no foreign contingents on Ukrainian soil", "overlapping"),                                     # a partial quote
    ("We said it plainly: there will be no foreign contingents on Ukrainian soil, under any flag. Not now.", "overlapping"),
])
def test_other_wordings_of_one_utterance_score_high(wording, basis):
    score, found = similarity(wording, QUOTE)
    assert score >= 80 and found == basis, (wording, score, found)


@pytest.mark.parametrize("wording", [
    "We are ready to discuss the future of European security with everyone.",  # the same speaker, another statement
    "Ukrainian soil",                                                            # too few words to align on
    "there will be talks",
])
def test_other_statements_score_low(wording):
    assert similarity(wording, QUOTE)[0] < 80


def test_fold_unifies_quote_marks_dashes_and_accents():
    assert fold("«Très» — ‘bien’, “Zelenskyy’s” plan…") == "tres bien zelenskyy's plan"


def _known(**changes) -> KnownReport:
    values = {"statement_id": "s_lavrov", "speaker_id": "lavrov", "party_id": "russia", "date": "2031-02-20", "text": QUOTE, "source_id": "wire"}
    return KnownReport(**{**values, **changes})


def test_match_needs_the_same_speaker_and_close_dates():
    text = "There will be no foreign contingents on Ukrainian soil"
    match = match_report(text, "lavrov", "russia", "2031-02-22", [_known()])
    assert match is not None and match.statement_id == "s_lavrov" and match.score >= 80
    assert "another report of s_lavrov" in match.describe()
    assert match_report(text, "rubio", "usa", "2031-02-22", [_known()]) is None             # another speaker
    assert match_report(text, "lavrov", "russia", "2031-04-01", [_known()]) is None         # weeks later: not the same utterance
    assert match_report(text, "lavrov", "russia", "", [_known()]) is not None               # an unknown date does not exclude


def test_without_the_speaker_only_near_identical_words_match():
    assert match_report(QUOTE.replace(",", ""), "", "", "2031-02-20", [_known()]) is not None
    assert match_report("no foreign contingents on Ukrainian soil", "", "", "2031-02-20", [_known()]) is None
    # another official of the same party: near-identical only, and the statement's own speaker wins a tie
    both = [_known(statement_id="s_zakharova", speaker_id="zakharova"), _known()]
    assert match_report(QUOTE, "lavrov", "russia", "2031-02-20", both).statement_id == "s_lavrov"


def test_best_match_is_deterministic():
    reports = [_known(statement_id="s_b", text=QUOTE + " Never."), _known(statement_id="s_a")]
    first = match_report(QUOTE, "lavrov", "russia", "2031-02-20", reports)
    assert first.statement_id == "s_a" and first == match_report(QUOTE, "lavrov", "russia", "2031-02-20", list(reversed(reports)))


def _coded_quote(dossier) -> str:
    ingest_article(article("wire_geneva.txt"), "tiny", outlet="Wire", published="2031-02-20")
    row = next(r for r in read_candidates(dossier.folder) if r["text"] == QUOTE)
    (statement_id,) = accept("tiny", [row["candidate_id"]], Decision(positions=(PositionSpec("peacekeeping_troops", -2, True),)))
    return statement_id


def _second(dossier, tmp_path, text: str, outlet: str, published: str) -> list[dict[str, str]]:
    path = tmp_path / f"{outlet}.txt"
    path.write_text(text, encoding="utf-8")
    result = ingest_article(path, "tiny", outlet=outlet, published=published)
    return [r for r in read_candidates(dossier.folder) if r["source_id"] == result.source_id]


def test_another_outlets_report_is_accepted_as_a_report_not_a_statement(dossier, tmp_path):
    statement_id = _coded_quote(dossier)
    rows = _second(dossier, tmp_path, SECOND_OUTLET, "Other Outlet", "2031-02-21")
    (report,) = [r for r in rows if r["report_of"]]
    assert (report["report_of"], report["report_match"], int(report["report_score"]) >= 90) == (statement_id, "near-identical", True)
    assert [r for r in rows if "sanctions relief" in r["text"]][0]["report_of"] == ""  # Lavrov's other statement: new

    statements_before = len(dossier.rows("statements"))
    result = CliRunner().invoke(main, ["review", "accept", "-d", "tiny", report["candidate_id"]])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"accepted: another report of {statement_id}"
    assert len(dossier.rows("statements")) == statements_before
    reports = [r for r in dossier.rows("reports") if r["statement_id"] == statement_id]
    assert sorted(r["source_id"] for r in reports) == ["other_outlet_2031_02_21", "wire_2031_02_20"]
    assert len([r for r in dossier.rows("positions") if r["statement_id"] == statement_id]) == 1  # its positions, not new ones
    assert validate_dossier(dossier.folder) == []


def test_a_truncated_excerpt_is_matched_and_the_reviewer_may_code_it_anew(dossier, tmp_path):
    statement_id = _coded_quote(dossier)
    (row,) = [r for r in _second(dossier, tmp_path, TRUNCATED_OUTLET, "Third", "2031-02-20") if r["report_of"]]
    assert row["report_of"] == statement_id and "truncated" in row["flags"]
    with pytest.raises(IngestError, match=rf"proposed as another report of {statement_id} .*--new-statement"):
        accept("tiny", [row["candidate_id"]], Decision(positions=(PositionSpec("peacekeeping_troops", -1),)))
    (new,) = accept("tiny", [row["candidate_id"]], Decision(new_statement=True, positions=(PositionSpec("peacekeeping_troops", -1),)))
    assert new != statement_id and new in {r["statement_id"] for r in dossier.rows("statements")}
    assert validate_dossier(dossier.folder) == []


def test_review_list_says_which_statement(dossier, tmp_path):
    statement_id = _coded_quote(dossier)
    _second(dossier, tmp_path, SECOND_OUTLET, "Other Outlet", "2031-02-21")
    listed = CliRunner().invoke(main, ["review", "list", "-d", "tiny", "--source", "other_outlet_2031_02_21"])
    assert listed.exit_code == 0 and f"another report of {statement_id} (near-identical, score" in listed.output
