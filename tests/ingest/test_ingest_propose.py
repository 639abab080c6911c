"""parley.ingest.propose and lexicon: dossier speakers, issue and stance suggestions. SYNTHETIC texts."""

from __future__ import annotations

import pytest

from parley.ingest.lexicon import ActorEntry, IssueEntry, Lexicon, load_lexicon
from parley.ingest.propose import propose_statements, suggest_issues, suggest_stance

LEXICON = Lexicon(
    actors={
        "lavrov": ActorEntry("lavrov", "Sergei Lavrov", "person", "russia", ("Sergei Lavrov", "Lavrov"), ("Russian foreign minister",)),
    },
    issues={
        "peacekeeping_troops": IssueEntry("peacekeeping_troops", "Troops", ("troops", "boots on the ground")),
        "ceasefire": IssueEntry("ceasefire", "Ceasefire", ("ceasefire", "truce")),
    },
)


def test_known_speaker_is_an_actor_and_unknown_speaker_a_new_actor():
    text = 'SYNTHETIC.\n"No troops," Lavrov said. "A truce first," said Anna Petrenko.\n'
    first, second = propose_statements(text, LEXICON)
    assert (first.speaker_id, first.new_actor, first.speaker_name) == ("lavrov", "", "Sergei Lavrov")
    assert (second.speaker_id, second.new_actor) == ("", "Anna Petrenko")
    assert first.issues == ("peacekeeping_troops",) and second.issues == ("ceasefire",)
    assert all(text[p.char_start : p.char_end] == p.text for p in (first, second))


def test_issue_keywords_weigh_phrases_more_and_fall_back_on_the_sentence():
    assert suggest_issues("no boots on the ground and no truce", "", LEXICON) == ["peacekeeping_troops"]
    assert suggest_issues("no troops and no truce", "", LEXICON) == ["ceasefire", "peacekeeping_troops"]
    assert suggest_issues("useful", "the talks on a ceasefire were useful", LEXICON) == ["ceasefire"]
    assert suggest_issues("useful", "nothing relevant here", LEXICON) == []
    assert suggest_issues("troops", "", Lexicon.empty()) == []


@pytest.mark.parametrize(
    ("text", "stance", "label", "red_line"),
    [
        ("We will never, under any circumstances, accept foreign troops", -2, "oppose", True),
        ("Russia will not accept the deployment", -1, "oppose", False),
        ("We want the war to end", 1, "support", False),
        ("We must have guarantees", 2, "support", False),
        ("We will talk if the shelling stops", 1, "conditional", False),
        ("The weather was mild", None, "unclear", False),
    ],
)
def test_stance_suggestion(text, stance, label, red_line):
    suggested, suggested_label, suggested_red_line, confidence = suggest_stance(text)
    assert (suggested, suggested_label, suggested_red_line) == (stance, label, red_line)
    assert 0 < confidence < 0.5  # a suggestion for a person to check, never presented as sure


def test_lexicon_reads_aliases_roles_and_keywords_from_the_dossier(dossier):
    lexicon = load_lexicon(dossier.folder)
    assert lexicon.name_index["Lavrov"] == "lavrov"
    assert lexicon.role_index["foreign minister"] == ("lavrov",)
    assert "ceasefire" in lexicon.keyword_index["truce"]
    assert lexicon.resolve_name("Sergei V. Lavrov") == "lavrov"
    assert lexicon.resolve_name("the Kremlin") == "russia"
    assert lexicon.resolve_name("Anna Petrenko") is None
