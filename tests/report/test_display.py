"""Tests for parley.report.display: escaped HTML tables and blocks, each with a plain-text twin."""

from __future__ import annotations

import pandas as pd
import pytest

from parley.report.display import HTMLBlock, Table, bullets, esc, one_line, plural, plural_phrase

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "actor": ["Northland", SCRIPT, "Midland & co"],
        "stance": pd.array([2, -1, None], dtype="Int64"),
        "score": [0.5, 2.0, float("nan")],
        "red_line": [True, False, True],
        "date": pd.to_datetime(["2025-03-03", None, "2025-03-10"]),
        "hidden": ["x", "y", "z"],
    })


COLUMNS = {"actor": "Actor", "stance": "Stance", "score": "Score", "red_line": "Red line", "date": "Date"}


def test_table_escapes_cells_headers_and_caption(frame):
    table = Table(frame, {**COLUMNS, "actor": "Actor <name>"}, caption="Cap <i>")
    html = table._repr_html_().replace("<wbr>", "")  # break opportunities inside long unbroken runs
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Midland &amp; co" in html
    assert "Actor &lt;name&gt;" in html
    assert "Cap &lt;i&gt;" in html and "<i>" not in html


def test_table_keeps_only_named_columns_in_order_without_index(frame):
    table = Table(frame, {"stance": "Stance", "actor": "Actor"})
    assert list(table.frame.columns) == ["Stance", "Actor"]
    html = table._repr_html_()
    assert "hidden" not in html and ">x<" not in html
    assert html.index(">Stance</th>") < html.index(">Actor</th>")
    assert html.count("<th ") == 2  # no index column


def test_table_formats_cells_for_people(frame):
    table = Table(frame, COLUMNS)
    rows = table.frame.to_dict("records")
    assert rows[0] == {"Actor": "Northland", "Stance": 2, "Score": "+0.50", "Red line": "yes", "Date": "2025-03-03"}
    assert rows[1]["Score"] == "2" and rows[1]["Red line"] == "" and rows[1]["Date"] == "—"
    assert rows[2]["Stance"] == "—" and rows[2]["Score"] == "—"


def test_text_twin_holds_caption_and_numbers(frame):
    text = repr(Table(frame, COLUMNS, caption="Positions"))
    lines = text.splitlines()
    assert lines[0] == "Positions"
    assert "Actor" in lines[1] and "Stance" in lines[1]
    assert "Northland" in lines[2] and "+0.50" in lines[2] and "2025-03-03" in lines[2]
    assert SCRIPT in text  # plain text is not HTML: the raw value, unescaped
    assert len(lines) == 1 + 1 + len(frame)


def test_cut_rows_are_counted_in_the_caption(frame):
    table = Table(frame, COLUMNS, caption="Positions", max_rows=2)
    assert len(table.frame) == 2
    assert "Positions (1 more row not shown)" in table._repr_html_()
    assert repr(table).splitlines()[0] == "Positions (1 more row not shown)"
    assert "Midland" not in repr(table)


def test_cut_rows_are_counted_even_without_a_caption(frame):
    table = Table(frame, COLUMNS, max_rows=1)
    assert "(2 more rows not shown)" in table._repr_html_()
    assert repr(table).splitlines()[0].strip() == "(2 more rows not shown)"


def test_no_caption_and_no_cut_gives_a_bare_table(frame):
    table = Table(frame, COLUMNS)
    assert "parley-caption" not in table._repr_html_()
    assert repr(table).splitlines()[0].split()[0] == "Actor"


def test_empty_frame_shows_the_empty_sentence(frame):
    table = Table(frame.iloc[0:0], COLUMNS, caption="Red lines", empty="No red lines <yet>.")
    assert table._repr_html_() == '<p class="parley-empty">Red lines: No red lines &lt;yet&gt;.</p>'
    assert repr(table) == "Red lines: No red lines <yet>."
    assert repr(Table(frame.iloc[0:0], COLUMNS)) == "Nothing to show."


def test_table_refuses_a_column_the_frame_lacks(frame):
    with pytest.raises(KeyError):
        Table(frame, {"missing": "Missing"})


def test_no_random_ids_in_the_markup(frame):
    first = Table(frame, COLUMNS, caption="c")._repr_html_()
    second = Table(frame.copy(), COLUMNS, caption="c")._repr_html_()
    assert first == second
    assert " id=" not in first


def test_html_block_has_both_faces():
    block = HTMLBlock("<p>x &amp; y</p>", "x & y")
    assert block._repr_html_() == "<p>x &amp; y</p>"
    assert repr(block) == "x & y"


def test_bullets_keep_item_markup_and_escape_the_title():
    block = bullets(["<strong>2 red lines</strong> on the record", f"quote: {esc(SCRIPT)}"], title="Bottom <line>")
    html = block._repr_html_()
    assert html.startswith("<p><strong>Bottom &lt;line&gt;</strong></p><ul")
    assert "<li><strong>2 red lines</strong> on the record</li>" in html
    assert "<script>" not in html
    assert repr(block) == f"Bottom <line>\n- 2 red lines on the record\n- quote: {SCRIPT}"


def test_bullets_without_title():
    block = bullets(["one", "two"])
    assert block._repr_html_() == '<ul class="parley-list"><li>one</li><li>two</li></ul>'
    assert repr(block) == "- one\n- two"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "—"), (pd.NA, "—"), (pd.NaT, "—"), (float("nan"), "—"), (pd.Timestamp("2025-02-18"), "2025-02-18"),
     ('<a href="x">', "&lt;a href=&quot;x&quot;&gt;"), (3, "3")],
)
def test_esc(value, shown):
    assert esc(value) == shown


def test_a_paragraph_break_inside_a_quotation_shows_as_a_break_never_as_backslash_n():
    quote = 'We are not a bargaining chip.\n"Our partners know this <b>,'  # SYNTHETIC, stored verbatim
    table = Table(pd.DataFrame({"text": [quote]}), {"text": "Quote"})
    html = table._repr_html_()
    assert "chip.<br>&quot;Our partners" in html and "&lt;b&gt;" in html and "\\n" not in html
    assert "chip. ¶ \"Our partners" in repr(table)
    assert esc(quote).count("<br>") == 1 and one_line("a\r\n\r\nb") == "a ¶ b"


def test_table_sits_in_a_named_keyboard_reachable_scroll_region(frame):
    html = Table(frame, COLUMNS, caption="Positions <now>")._repr_html_()
    assert '<div class="parley-scroll" role="region" tabindex="0" aria-label="Positions &lt;now&gt;">' in html
    assert '<th scope="col" class="parley-text">Actor</th>' in html
    bare = Table(frame, COLUMNS)._repr_html_()
    assert 'aria-label="Table: Actor, Stance, Score, Red line, Date"' in bare


def test_cells_carry_their_kind_so_they_wrap_or_stay_whole(frame):
    tokens = frame.assign(url=["https://example.org/a/very/long/path/without/spaces", None, "x"])
    html = Table(tokens, {**COLUMNS, "url": "URL"})._repr_html_()
    assert '<td class="parley-num">2</td>' in html  # stance: right-aligned, one line
    assert '<td class="parley-date">2025-03-03</td>' in html
    assert '<td class="parley-token">https://example.org/a/very/long/path/without/spaces</td>' in html
    assert '<td class="parley-text">Northland</td>' in html


def test_hover_keeps_an_id_one_hover_away(frame):
    html = Table(frame, COLUMNS, hover={"actor": "hidden"})._repr_html_()
    assert '<td class="parley-text" title="x">Northland</td>' in html
    assert ">x<" not in html  # the id is not a column


@pytest.mark.parametrize(("count", "noun", "text"), [
    (1, "source", "1 source"), (0, "source", "0 sources"), (3, "red line", "3 red lines"), (2, "party", "2 parties"),
    (2, "day", "2 days"), (1204, "statement", "1,204 statements"), (2, "box", "2 boxes"),
])
def test_plural(count, noun, text):
    assert plural(count, noun) == text


def test_plural_irregular_and_phrases():
    assert plural(2, "person", "people") == "2 people"
    assert plural_phrase(3, "red line added") == "3 red lines added"
    assert plural_phrase(1, "red line dropped") == "1 red line dropped"
    assert plural_phrase(2, "position withdrawn") == "2 positions withdrawn"
    assert plural_phrase(0, "stance shift") == "0 stance shifts"
    assert plural_phrase(2, "new statement") == "2 new statements"


def test_a_cell_of_several_lines_breaks_only_at_its_lines_and_inside_long_runs():
    """Lines of one cell (the Sources table folds origin, kind and reliability into one) stay whole
    words; only a run of 17+ characters without a space or a break gets break opportunities."""
    cells = pd.DataFrame({"facts": ["own reporting\narticle\nreliability not graded", "see\nhttps://example.org/" + "a" * 40]})
    html = Table(cells, {"facts": "Facts"})._repr_html_()
    assert "own reporting<br>article<br>reliability not graded" in html
    assert "see<br>https://exam<wbr>" in html
