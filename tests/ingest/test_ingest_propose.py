"""parley.ingest.propose and lexicon: dossier speakers, issue and stance suggestions. SYNTHETIC texts."""

from __future__ import annotations

from parley.ingest.lexicon import ActorEntry, IssueEntry, Lexicon, load_lexicon
from parley.ingest.propose import propose_statements

LEXICON = Lexicon(
    actors={
        "lavrov": ActorEntry("lavrov", "Sergei Lavrov", "person", "russia", ("Sergei Lavrov", "Lavrov"), ("Russian foreign minister",)),
    },
    issues={
        "peacekeeping_troops": IssueEntry("peacekeeping_troops", "Troops", ("troops", "boots on the ground"), "No foreign troops at all", "Foreign troops deployed"),
        "ceasefire": IssueEntry("ceasefire", "Ceasefire", ("ceasefire", "truce"), "Reject a truce; keep fighting", "A truce now"),
    },
)


def test_known_speaker_is_an_actor_and_unknown_speaker_a_new_actor():
    text = 'SYNTHETIC.\n"No troops," Lavrov said. "A truce first," said Anna Petrenko.\n'
    first, second = propose_statements(text, LEXICON)
    assert (first.speaker_id, first.new_actor, first.speaker_name) == ("lavrov", "", "Sergei Lavrov")
    assert (second.speaker_id, second.new_actor) == ("", "Anna Petrenko")
    assert first.issues == ("peacekeeping_troops",) and second.issues == ("ceasefire",)
    assert all(text[p.char_start : p.char_end] == p.text for p in (first, second))


def test_lexicon_reads_aliases_roles_and_keywords_from_the_dossier(dossier):
    lexicon = load_lexicon(dossier.folder)
    assert lexicon.name_index["Lavrov"] == "lavrov"
    assert lexicon.role_index["foreign minister"] == ("lavrov",)
    assert "ceasefire" in lexicon.keyword_index["truce"]
    assert lexicon.resolve_name("Sergei V. Lavrov") == "lavrov"
    assert lexicon.resolve_name("the Kremlin") == "russia"
    assert lexicon.resolve_name("Anna Petrenko") is None


def test_lexicon_reads_what_is_coded_and_the_party_of_a_speaker(dossier):
    lexicon = load_lexicon(dossier.folder)
    assert lexicon.party_of("lavrov") == "russia" and lexicon.party_of("russia") == "russia" and lexicon.party_of("nobody") == ""
    assert [c.key for c in lexicon.coded] == []  # the tiny dossier's one statement has no position
