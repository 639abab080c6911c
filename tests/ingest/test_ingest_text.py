"""parley.ingest.text: reading articles, refusing bad ones, paragraphs and sentences."""

from __future__ import annotations

import pytest

from parley.errors import IngestError
from parley.ingest.quotes import find_quotes, mask
from parley.ingest.text import MAX_ARTICLE_BYTES, check_english, decode_article, is_hard_wrapped, paragraphs, read_article, sentences


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 news".encode("latin-1"), "not UTF-8"),
        (b"SYNTHETIC text with a bell \x07 inside", "control character"),
        (b"12345 67890 !!!", "no words"),
        (b"<!DOCTYPE html><html><body><p>SYNTHETIC page</p></body></html>", "markup"),
        (b"<?xml version='1.0'?><article>SYNTHETIC</article>", "markup"),
        (b"{\\rtf1\\ansi SYNTHETIC text}", "markup"),
        (b"<div><p>SYNTHETIC one.</p><p>Two.</p><p>Three.</p><br><p>Four.</p></div>", "markup"),
    ],
)
def test_bad_bytes_are_refused_with_a_clear_message(data, words):
    with pytest.raises(IngestError, match=words):
        decode_article(data, "article.txt")


def test_a_5_mb_text_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"SYNTHETIC filler sentence said nobody. " * (5_000_000 // 38))
    assert path.stat().st_size > MAX_ARTICLE_BYTES
    with pytest.raises(IngestError, match="too large"):
        read_article(path)


def test_text_is_kept_exactly_with_crlf_and_bom():
    data = '\ufeffSYNTHETIC headline\r\n"Quoted," he said.\r\n'.encode()
    text = decode_article(data)
    assert text == data.decode("utf-8")  # no newline translation, no BOM stripping: offsets stay exact


def test_non_english_text_is_refused():
    catalan = (
        "Els Estats Units i Rússia s'han assegut per primera vegada en tres anys a una taula de negociació "
        "a l'Aràbia Saudita, i han preparat el terreny per a una futura reunió entre els dos presidents. "
        "El ministre d'Exteriors rus ha dit que les converses han estat constructives i que continuaran."
    )
    with pytest.raises(IngestError, match="does not look like English"):
        check_english(catalan, "ca.txt")
    check_english("The talks were useful, the minister said on Tuesday, and they will continue next week in Riyadh. " * 3)


def test_one_line_is_one_paragraph():
    text = "Headline\nFirst paragraph. Two sentences.\n\nSecond paragraph.\n"
    assert [text[b.start : b.end] for b in paragraphs(text)] == ["Headline", "First paragraph. Two sentences.", "Second paragraph."]


def test_hard_wrapped_text_keeps_paragraphs_whole():
    text = "The minister said on Tuesday that the\ntalks would go on.\n    \"We will\ncontinue,\" he said.\n"
    assert is_hard_wrapped(text)
    blocks = [text[b.start : b.end] for b in paragraphs(text)]
    assert blocks == ["The minister said on Tuesday that the\ntalks would go on.", '"We will\ncontinue," he said.']


def test_sentences_never_split_inside_a_quotation():
    text = 'He said: "We want peace. But not at any price." Then he left. Mr. Smith stayed.'
    blocks = paragraphs(text)
    quotes, _ = find_quotes(text, blocks)
    masked = mask(text, quotes)
    assert len(masked) == len(text)
    found = [text[s.start : s.end] for s in sentences(masked, blocks)]
    assert found == ['He said: "We want peace. But not at any price."', "Then he left.", "Mr. Smith stayed."]


def test_a_word_in_angle_brackets_is_not_markup():
    text = decode_article(b"SYNTHETIC. The draft, marked <p> for provisional, was read out; Lavrov said it was <unclear>.\n")
    assert "<p>" in text
