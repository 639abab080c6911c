"""parley.ingest.evaluate_suggestions: issue and stance scores, honest by leave-one-out. SYNTHETIC texts."""

from __future__ import annotations

from parley.ingest.evaluate import GoldRow
from parley.ingest.lexicon import IssueEntry, Lexicon
from parley.ingest.propose import propose_statements
from parley.ingest.suggest import Coded

TEXT = (
    "SYNTHETIC TEST ARTICLE: written for Parley's tests; not real reporting.\n"
    'Anna Varga said: "We will never accept foreign troops on our soil."\n'
    'Boris Lind said: "The summit should take place next month."\n'
    'Clara Moss said: "The striped animals of the city deserve safer roads."\n'
)
ISSUES = {
    "troops": IssueEntry("troops", "Foreign troops", ("troops", "soldiers"), "No foreign troops", "Foreign troops deployed"),
    "summit": IssueEntry("summit", "Leaders' summit", ("summit",), "Oppose a summit", "Hold a summit soon"),
    "zebra": IssueEntry("zebra", "Zebra crossings", ("zebra",), "No zebra crossings", "Zebra crossings everywhere"),
}


def _gold(quote: str, issue: str, stance: str) -> GoldRow:
    return GoldRow(2, "direct", quote, "x", TEXT.index(quote), issue, stance)


def test_scores_follow_the_gold_columns():
    from parley.ingest.evaluate_suggestions import score_suggestions

    lexicon = Lexicon(issues=ISSUES)
    gold = [
        _gold("We will never accept foreign troops on our soil.", "troops", "oppose"),
        _gold("The summit should take place next month.", "summit", "support"),
        _gold("The striped animals of the city deserve safer roads.", "other", "unclear"),  # left out of both scores
    ]
    scores = score_suggestions(gold, propose_statements(TEXT, lexicon), lexicon, TEXT)
    assert (scores["issue_rows"], scores["stance_rows"]) == (2, 2)
    assert scores["issue_top1_accuracy"] == 1.0 and scores["stance_direction_accuracy"] == 1.0
    assert scores["wrong_suggestion_rate"] == 0.0 and scores["stance_coverage"] == 1.0


def test_leave_one_out_never_suggests_a_statement_from_itself():
    from parley.ingest.evaluate_suggestions import suggest_rows

    quote = "The striped animals of the city deserve safer roads."
    start = TEXT.index(quote)
    # the only example of "zebra" is this very statement: seen, it is suggested; left out, it is not
    coded = (
        Coded("s1", "Foreign soldiers will stay out of the country", "", "troops", -2),
        Coded("s2", "No foreign soldiers, ever, in the country", "", "troops", -2),
        Coded("s3", "The leaders should meet at a summit in May", "", "summit", 1),
        Coded("s4", "A summit of the leaders in May would help", "", "summit", 1),
        Coded("s5", quote, "", "zebra", 2, "", "", "src", start, start + len(quote)),
    )
    lexicon = Lexicon(issues=ISSUES, coded=coded)
    gold = [_gold(quote, "zebra", "support")]
    proposals = propose_statements(TEXT, lexicon)
    seen = suggest_rows(gold, proposals, lexicon, TEXT, leave_one_out=False)[0]
    honest = suggest_rows(gold, proposals, lexicon, TEXT, leave_one_out=True)[0]
    assert seen.issues[:1] == ("zebra",) and seen.issue_confidence > honest.issue_confidence
    assert honest.issues[:1] != ("zebra",)
