"""parley.ingest.quotes: spans between quote marks, with exact offsets."""

from __future__ import annotations

import pytest

from parley.ingest.quotes import find_quotes
from parley.ingest.text import paragraphs


def spans(text: str) -> list[str]:
    quotes, problems = find_quotes(text, paragraphs(text))
    assert all(text[q.start : q.end] for q in quotes)
    return [text[q.start : q.end] for q in quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "no deal." Then "maybe."', ["no deal.", "maybe."]),
        ("He said “no deal,” and left.", ["no deal,"]),
        ("Elle a dit « non » hier.", ["non"]),
        ("He called it 'a farce' on Monday.", ["a farce"]),
        ("‘We will not,’ she said.", ["We will not,"]),
        ("Ukraine's allies don't agree; Russia's envoy won't say.", []),
        ("'It's the only line we have,' Marchuk said.", ["It's the only line we have,"]),
        ('"He called it \'a farce\'," she said.', ["He called it 'a farce',"]),
        ("'He said \"never\" twice,' she added.", ['He said "never" twice,']),
        ('A 5" screen and "" nothing.', []),
    ],
)
def test_quote_spans(text, expected):
    assert spans(text) == expected


def test_offsets_point_at_the_content_between_the_marks():
    text = 'Lavrov: "We will not allow it."\n'
    (quote,), _ = find_quotes(text, paragraphs(text))
    assert (quote.open_at, quote.start, quote.end, quote.close_at) == (8, 9, 30, 30)
    assert text[quote.open_at] == '"' and text[quote.close_at] == '"'


def test_a_quote_over_several_paragraphs_is_one_group():
    text = '"First part of it.\n"Second part," she said.\nNext.\n'
    quotes, problems = find_quotes(text, paragraphs(text))
    assert problems == []
    assert [text[q.start : q.end] for q in quotes] == ["First part of it.", "Second part,"]
    assert quotes[0].group == quotes[1].group == 0
    assert (quotes[0].part, quotes[1].part) == (0, 1)
    assert quotes[0].close_at is None


def test_unbalanced_double_marks_are_noted_with_line_and_column():
    text = 'Fine "quote" here.\nHe said "never closed.\nAnd a stray” mark.\n'
    quotes, problems = find_quotes(text, paragraphs(text))
    assert [text[q.start : q.end] for q in quotes] == ["quote", "never closed."]
    assert [q.truncated for q in quotes] == [False, True]
    assert [(p.line, p.column) for p in problems] == [(2, 9), (3, 12)]
    assert "never closed" in problems[0].message and "without an opening" in problems[1].message


def test_an_excerpt_cut_inside_a_quotation_is_a_truncated_quote():
    text = 'SYNTHETIC.\nShe said: "We are ready to talk about everything, including the hardest\n'
    quotes, problems = find_quotes(text, paragraphs(text))
    assert [text[q.start : q.end] for q in quotes] == ["We are ready to talk about everything, including the hardest"]
    assert quotes[0].truncated and quotes[0].close_at is None
    assert "truncated" in problems[0].message


def test_a_quotation_broken_by_a_line_break_closes_in_the_next_paragraph():
    text = 'SYNTHETIC.\nShe said "we will not sign\na pause," and left.\n'
    quotes, problems = find_quotes(text, paragraphs(text))
    assert problems == []
    assert [text[q.start : q.end] for q in quotes] == ["we will not sign\na pause,"]


def test_three_paragraph_wire_quote_is_one_group():
    text = 'SYNTHETIC.\n"One.\n"Two.\n"Three," she said.\n'
    quotes, problems = find_quotes(text, paragraphs(text))
    assert problems == []
    assert [q.group for q in quotes] == [0, 0, 0] and [q.part for q in quotes] == [0, 1, 2]
