"""parley.ingest.mentions and parley.ingest.article: frozen results, independent of sentence order. SYNTHETIC texts."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from parley.ingest.article import Article
from parley.ingest.lexicon import ActorEntry, Lexicon
from parley.ingest.mentions import Entity, Mention

LEXICON = Lexicon(actors={"lavrov": ActorEntry("lavrov", "Sergei Lavrov", "person", "russia", ("Sergei Lavrov", "Lavrov"), ("Russian foreign minister",))})

PARAGRAPHS = [
    "Varga met the envoys in Oslo on Monday.",
    "Kirill Okafor, a Hungarian political scientist, was not surprised.",
    '"Nothing has moved," Varga said after the meeting.',
    "The Russian foreign minister said the talks would go on.",
    "Ms. Lindqvist listened.",
]


def facts(text: str) -> dict[str, tuple[bool, frozenset[str]]]:
    article = Article(text, LEXICON)
    return {key: (e.person, e.roles) for key, e in article.entities.items()}


def test_what_is_learned_of_an_entity_does_not_depend_on_the_order_of_paragraphs():
    seen = {frozenset(facts("SYNTHETIC.\n" + "\n".join(order) + "\n").items()) for order in itertools.permutations(PARAGRAPHS)}
    assert len(seen) == 1
    learned = dict(next(iter(seen)))
    assert learned["n:Varga"][0]  # a lone surname that speaks is a person, before and after it speaks
    assert learned["n:Kirill Okafor"] == (True, frozenset({"hungarian political scientist", "scientist"}))
    assert learned["n:Lindqvist"][0]  # "Ms." makes a person


def test_entities_and_mentions_are_frozen():
    article = Article("SYNTHETIC.\nVarga said the talks would go on.\n", LEXICON)
    entity = article.entity("n:Varga")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entity.person = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        article.entities["n:Varga"] = Entity("n:Varga", "Varga")  # type: ignore[index]
    assert all(isinstance(m, Mention) for m in article.mentions)
    assert article.entity("a:lavrov").roles >= {"russian foreign minister", "minister"}  # a dossier actor, even unnamed


def test_mentions_are_found_through_public_lookups():
    text = "SYNTHETIC.\nThe researcher Anna Varga, a senior fellow, said so.\n"
    article = Article(text)
    name = article.mention_starting_at(text.index("Anna"))
    assert name is not None and name.kind == "name" and article.mention_ending_at(name.end) == name
    assert article.entity(name.key).roles >= {"researcher", "senior fellow"}
