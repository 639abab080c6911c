"""parley.ingest.attribution: who said each quotation, and the reported statements. SYNTHETIC texts."""

from __future__ import annotations

import pytest
from ingest_support import GOLD, article

from parley.ingest.attribution import analyse
from parley.ingest.evaluate import evaluate_article
from parley.ingest.lexicon import ActorEntry, Lexicon

LEXICON = Lexicon(
    actors={
        "lavrov": ActorEntry("lavrov", "Sergei Lavrov", "person", "russia", ("Sergei Lavrov", "Lavrov"), ("Russian foreign minister",)),
        "russia": ActorEntry("russia", "Russia", "state", "", ("Russia", "Moscow", "the Kremlin")),
    }
)


def speakers(text: str, lexicon: Lexicon | None = None) -> dict[str, str]:
    """Quoted text -> speaker name ('' when unattributed)."""
    found, items = analyse(text, lexicon)
    out = {e.text: found.name_of(e.speaker_key) for e in items if e.kind == "direct_quote"}
    for e in items:  # a short quotation inside a reported statement is part of that proposal
        out.update({text[s:end]: found.name_of(e.speaker_key) for s, end in e.quoted})
    return out


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        ('"We are ready," said Anna Petrenko.', "We are ready,", "Anna Petrenko"),
        ('"We are ready," Anna Petrenko told reporters.', "We are ready,", "Anna Petrenko"),
        ('Anna Petrenko said: "We are ready."', "We are ready.", "Anna Petrenko"),
        ('Anna Petrenko was optimistic: "We are ready."', "We are ready.", "Anna Petrenko"),
        ('Anna Petrenko has described the talks as "useful".', "useful", "Anna Petrenko"),
        ('For Anna Petrenko, "the talks are over."', "the talks are over.", "Anna Petrenko"),
        ('Anna Petrenko, a senior researcher at the Institute, explains that "nothing has changed."', "nothing has changed.", "Anna Petrenko"),
        ('Anna Petrenko, who asked for patience, added: "We wait."', "We wait.", "Anna Petrenko"),
        ('Saying that "nothing is agreed", Anna Petrenko left the room.', "nothing is agreed", ""),
        ('Saying that "nothing is agreed", Anna Petrenko said talks would resume.', "nothing is agreed", "Anna Petrenko"),
        ('The talks should bring a "lasting peace" and more trade.', "lasting peace", ""),
    ],
)
def test_speaker_patterns(text, quote, speaker):
    assert speakers("SYNTHETIC.\n" + text)[quote] == speaker


def test_split_quote_takes_the_attribution_between_its_parts():
    found = speakers('SYNTHETIC.\n"We are listening," Anna Petrenko said, "and nothing is agreed."')
    assert found == {"We are listening,": "Anna Petrenko", "and nothing is agreed.": "Anna Petrenko"}


def test_carry_over_pronouns_and_descriptions():
    text = (
        "SYNTHETIC.\n"
        "Kirill Varga, a Hungarian political scientist, explained the stakes.\n"
        '"The tragedy is that nobody listens. Nobody at all."\n'
        'Boris Halvorsen disagreed. "It is too early," he said.\n'
        'For the political scientist, "time is short."\n'
        'The talks should bring a "lasting peace".\n'
    )
    assert speakers(text) == {
        "The tragedy is that nobody listens. Nobody at all.": "Kirill Varga",  # carry-over from the sentence before
        "It is too early,": "Boris Halvorsen",  # he = subject of the previous sentence
        "time is short.": "Kirill Varga",  # the role learned from the appositive
        "lasting peace": "",  # a phrase inside a sentence that names no speaker
    }


def test_dossier_names_surnames_and_roles_resolve_to_actors():
    text = 'SYNTHETIC.\nThe Russian foreign minister said Moscow was "ready to talk". "Not at any price," Lavrov added.\n'
    found, items = analyse(text, LEXICON)
    quotes = [e for e in items if e.kind == "direct_quote"]
    assert [found.entities[e.speaker_key].actor_id for e in quotes] == ["lavrov", "lavrov"]


def test_anonymous_sources_are_described_not_named():
    found, items = analyse('SYNTHETIC.\nA senior European diplomat, who asked not to be named, said the talks were "going nowhere".\n')
    (statement,) = items  # the quoted words are part of the reported statement: one proposal
    assert statement.quoted and statement.speaker_key is None
    assert statement.speaker_mention.lower().startswith("a senior european diplomat")


def test_unknown_people_become_entities_with_their_full_name():
    found, items = analyse('SYNTHETIC.\nHanna Kovalenko, a spokeswoman, spoke first. "No," Kovalenko said.\n')
    (quote,) = [e for e in items if e.kind == "direct_quote"]
    entity = found.entities[quote.speaker_key]
    assert (entity.name, entity.actor_id, entity.person) == ("Hanna Kovalenko", None, True)


@pytest.mark.parametrize(
    ("text", "statement", "speaker"),
    [
        ("Anna Petrenko warned that the ceasefire would not hold.", "the ceasefire would not hold", "Anna Petrenko"),
        ("Anna Petrenko said the ceasefire would not hold.", "the ceasefire would not hold", "Anna Petrenko"),
        ("According to Anna Petrenko, the ceasefire will not hold.", "the ceasefire will not hold", "Anna Petrenko"),
        ("The ceasefire will not hold, Anna Petrenko told reporters.", "The ceasefire will not hold", "Anna Petrenko"),
        ("Anna Petrenko has ruled out any compromise on the border.", "has ruled out any compromise on the border", "Anna Petrenko"),
        ("Anna Petrenko has described the talks as a waste of time.", "has described the talks as a waste of time", "Anna Petrenko"),
        ("Anna Petrenko told the BBC the ceasefire would not hold.", "the ceasefire would not hold", "Anna Petrenko"),
        ("Anna Petrenko said in a statement on Tuesday that talks would resume.", "talks would resume", "Anna Petrenko"),
        ("Anna Petrenko accused Moscow of dragging its feet.", "accused Moscow of dragging its feet", "Anna Petrenko"),
    ],
)
def test_reported_statements(text, statement, speaker):
    found, items = analyse("SYNTHETIC.\n" + text)
    reported = [(e.text, found.name_of(e.speaker_key)) for e in items if e.kind != "direct_quote"]
    assert (statement, speaker) in reported


def test_a_reported_clause_that_runs_into_a_quotation_is_left_to_the_quotation():
    found, items = analyse('SYNTHETIC.\nAnna Petrenko insisted that the plan would be "a direct threat to our sovereignty".\n')
    assert [e.kind for e in items] == ["direct_quote"]


def test_a_quoted_word_inside_a_reported_clause_stays_part_of_it():
    found, items = analyse("SYNTHETIC.\nAnna Petrenko said Ukraine would 'never' accept a deal made behind its back.\n")
    (statement,) = items  # one proposal, not two
    assert (statement.kind, statement.text) == ("reported_speech", "Ukraine would 'never' accept a deal made behind its back")
    assert [found.text[s:e] for s, e in statement.quoted] == ["never"]


def test_boilerplate_is_not_read():
    text = "SYNTHETIC.\nRelated: Petrenko says 'no deal' as talks stall\nAnna Petrenko said talks would resume.\nReporting by Jane Doe; Editing by John Roe\n"
    found, items = analyse(text)
    assert [e.kind for e in items] == ["reported_speech"]


SYNTHETIC_ARTICLES = [
    "wire_geneva", "curly_brussels", "british_single", "moscow_multipara", "wire_blank_lines", "ap_statements", "europe_paris",
    "washington_summit", "wire_multipara_truncated", "live_blog_labels", "wire_scare_quotes", "two_speakers",
]


@pytest.mark.parametrize("name", SYNTHETIC_ARTICLES)
def test_synthetic_articles_score_against_their_gold(name):
    scores = evaluate_article(GOLD / f"{name}.csv", article(f"{name}.txt"))
    assert scores["quote_exact_f1"] == 1.0
    assert scores["speaker_accuracy"] >= 0.8  # moscow_multipara: 5 of 6 ("One of them ... added:" is left unattributed)
    assert scores["reported_recall"] == 1.0
