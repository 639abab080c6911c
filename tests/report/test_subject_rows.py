"""The quote board and the key quotes of every kind of page (briefing, actor profile, issue brief) pick
their rows by position: what they show equals the same figure or table built from a copy of the
rows the page is about, on a synthetic dossier (invented texts) large enough for every cap."""

from __future__ import annotations

import pytest

import parley.briefing as pb
from parley import analysis
from parley.data.model import NEGOTIATING, negotiating
from parley.data.synth import synthesize
from parley.figures import create_quote_board


@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    return synthesize(tmp_path_factory.mktemp("rows") / "rows", statements=3000, actors=14, issues=4, seed=11).path


@pytest.mark.parametrize("subject", ["briefing", "actor", "issue"])
def test_quote_board_and_key_quotes_of_each_page_equal_those_of_a_copy(dossier, subject):
    first = pb.open_briefing(dossier, baseline="none")
    kwargs = {"briefing": {}, "actor": {"actor": first.dossier.actors["actor_id"].iloc[0]},
              "issue": {"issue": first.dossier.issues["issue_id"].iloc[1]}}[subject]
    b = pb.open_briefing(dossier, baseline="none", **kwargs)
    evidence = b.evidence
    copy = evidence if b.actor else evidence.loc[negotiating(evidence, b.dossier.actors)]
    if b.actor:
        copy = copy.loc[copy["actor_id"] == b.actor]
    if b.issue:
        copy = copy.loc[copy["issue_id"] == b.issue]
    assert 0 < len(copy) < len(evidence) or subject == "briefing"
    assert pb.quote_board(b).to_json() == create_quote_board(copy, max_actors=max(b.top_n, 12)).to_json()
    quotes = copy.loc[copy["kind"] == "direct_quote"]
    if not b.actor:
        quotes = quotes.loc[quotes["participation"].isin(NEGOTIATING)]
    shown = analysis.key_quotes(b.dossier, b.as_of, top_n=b.top_n, actors=[b.actor] if b.actor else None,
                                issues=[b.issue] if b.issue else None, participation=None if b.actor else NEGOTIATING)
    assert len(shown) == min(b.top_n, quotes["statement_id"].nunique())
    assert set(shown["statement_id"]) <= set(quotes["statement_id"])
    assert "parley-quote" in pb.key_quotes(b).markup
