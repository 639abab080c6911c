"""parley.ingest.suggest: issue and stance suggestions that learn from the dossier. SYNTHETIC texts."""

from __future__ import annotations

import pytest

from parley.ingest.lexicon import IssueEntry
from parley.ingest.suggest import ISSUE_THRESHOLD, STANCE_THRESHOLD, Coded, Suggester, polarity

ISSUES = {
    "troops": IssueEntry("troops", "Foreign troops in Ukraine", ("troops", "boots on the ground", "peacekeepers"), "No foreign troops in Ukraine", "Foreign troops deployed in Ukraine", "Deployment of foreign troops."),
    # a scale that runs "the other way": +2 is a refusal (no recognition)
    "territory": IssueEntry("territory", "Occupied territory", ("territory", "territories", "occupation", "recognise"), "Russian control of the territory recognised", "No recognition of any occupation; full territorial integrity", "Status of occupied land."),
    "summit": IssueEntry("summit", "Leaders' summit", ("summit", "meeting of the presidents"), "Oppose a summit", "Hold a summit soon", "A meeting of leaders."),
}
CODED = [
    Coded("s1", "Moscow will never accept Western troops on Ukrainian soil", "", "troops", -2, "northland"),
    Coded("s2", "European peacekeepers should be deployed quickly", "", "troops", 2, "westland"),
    Coded("s3", "We will never recognise the occupied territories as theirs", "", "territory", 2, "eastland"),
    Coded("s4", "The summit should take place next month", "", "summit", 1, "westland"),
    Coded("s5", "A summit now would be premature and useless", "", "summit", -1, "northland"),
]


def test_issues_come_from_the_issues_own_words_before_anything_is_coded():
    cold = Suggester(ISSUES, ())
    suggestion = cold.suggest("There will be no boots on the ground, the minister said")
    assert suggestion.issues[:1] == ("troops",) and suggestion.issue_confidence >= ISSUE_THRESHOLD


def test_the_stance_follows_the_way_each_issue_runs():
    suggester = Suggester(ISSUES, CODED)
    refusal = suggester.stance_for("Kyiv will never recognise the annexation of its territory", "", "territory")
    assert refusal[0] is not None and refusal[0] > 0  # a refusal that is +2 on this scale
    veto = suggester.stance_for("We will not accept any foreign troops", "", "troops")
    assert veto[0] is not None and veto[0] < 0


def test_suggestions_learn_from_what_is_coded():
    text = "a summit would be premature and useless now"
    cold = Suggester(ISSUES, ()).suggest(text)
    warm = Suggester(ISSUES, CODED).suggest(text)
    assert warm.issues[:1] == ("summit",)
    assert warm.issue_confidence > cold.issue_confidence
    assert warm.stance is not None and warm.stance < 0 and warm.stance_confidence >= STANCE_THRESHOLD


def test_an_unrelated_sentence_gets_no_suggestion_rather_than_a_wrong_one():
    suggestion = Suggester(ISSUES, CODED).suggest("The weather in Geneva was mild on Tuesday")
    assert suggestion.issues == () and suggestion.stance is None and suggestion.stance_label == "unclear"


def test_many_at_once_equals_one_by_one():
    suggester = Suggester(ISSUES, CODED)
    items = [("We will never accept troops", "", "northland", "said"), ("The summit should be soon", "", "", ""), ("Mild weather", "", "", "")]
    assert suggester.suggest_many(items) == [suggester.suggest(*item) for item in items]


@pytest.mark.parametrize(
    ("text", "cue", "expected"),
    [
        ("We will not allow it", "", -1),
        ("We want the war to end", "", 1),
        ("Nothing about Ukraine without Ukraine", "", 1),
        ("the recovery of all the territory", "has ruled out", -1),
        ("has ruled out the recovery of the territory", "has ruled out", -1),
    ],
)
def test_polarity(text, cue, expected):
    assert polarity(text, cue) == expected


def test_neutral_is_suggested_once_the_analyst_has_coded_it():
    """SYNTHETIC: three coded 0s on the summit make 0 a class; a like statement is suggested 0, not + or −."""
    neutral = [
        Coded("n1", "We take no side on whether the presidents should meet", "", "summit", 0, "southland"),
        Coded("n2", "Our government has no view yet on a meeting of the presidents", "", "summit", 0, "southland"),
        Coded("n3", "It is too early to take a position on the summit, we take no side", "", "summit", 0, "midland"),
    ]
    text = "We take no side on a meeting of the presidents, it is too early"
    assert Suggester(ISSUES, CODED).stance_for(text, "", "summit")[0] != 0  # nothing coded 0: never suggested
    suggester = Suggester(ISSUES, CODED + neutral)
    stance, label, confidence = suggester.stance_for(text, "", "summit")
    assert (stance, label) == (0, "neutral") and confidence >= STANCE_THRESHOLD
    assert suggester.stance_for("A summit now would be premature and useless", "", "summit")[0] < 0  # the others keep their sign
