"""parley.ingest.reported: clause finders in a registry, typed end rules. SYNTHETIC texts."""

from __future__ import annotations

import pytest

from parley.ingest.article import Article
from parley.ingest.reported import CLAUSE_FINDERS, AtComma, BeforeAccording, SentenceEnd, clause_end, reported
from parley.ingest.subjects import State, pairs


def statements(text: str) -> list[tuple[str, str]]:
    article = Article("SYNTHETIC.\n" + text + "\n")
    out = []
    for sentence in article.sentences:
        for item in reported(article, sentence, pairs(article, sentence, State()), State()):
            out.append((article.text[item.start : item.end], item.speaker.mention))
    return out


def test_every_finder_is_registered_once_by_name():
    names = [name for name, _ in CLAUSE_FINDERS]
    assert names == ["that", "bare", "object", "according", "before-attribution", "position"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna Varga warned that the truce would not hold.", ("the truce would not hold", "Anna Varga")),
        ("The truce will not hold, Anna Varga told reporters.", ("The truce will not hold", "Anna Varga")),
        ("The truce will not hold, according to Anna Varga.", ("The truce will not hold", "Anna Varga")),
        ("According to Anna Varga, the truce will not hold.", ("the truce will not hold", "Anna Varga")),
        ("Anna Varga has ruled out any compromise on the border.", ("has ruled out any compromise on the border", "Anna Varga")),
        ("One of Norway's objectives was to keep the talks going.", ("keep the talks going", "Norway")),
    ],
)
def test_each_finder_with_its_end_rule(text, expected):
    assert expected in statements(text)


def test_end_rules_are_typed_values():
    text = "SYNTHETIC.\nThe truce will not hold, Anna Varga said, and left; nobody followed.\n"
    article = Article(text)
    sentence = article.sentences[1]
    comma = text.index(",")
    assert clause_end(article, sentence, sentence.start, [], AtComma(comma)) == comma
    assert clause_end(article, sentence, sentence.start, [], SentenceEnd()) == text.index(";")
    according = Article("SYNTHETIC.\nThe truce will not hold, according to Anna Varga.\n")
    s = according.sentences[1]
    assert according.text[s.start : clause_end(according, s, s.start, [], BeforeAccording())] == "The truce will not hold"
    assert AtComma(3) == AtComma(3) and AtComma(3) != AtComma(4)
