"""Tests for parley.briefing: parameter checks of open_briefing, and every section the notebooks
call, on the seed dossier (plain briefing, actor profile, issue brief, dataset QA) and on a
hostile copy of the tiny dossier."""

from __future__ import annotations

import inspect
import re

import pandas as pd
import plotly.graph_objects as go
import pytest
from analysis_fixtures import SEED_DIR, TINY_TEXT, figure_strings, load, set_cells

import parley.briefing as pb
from parley.report import sections, sections_qa
from parley import analysis
from parley.report.display import HTMLBlock, Table
from parley.errors import DossierNotFound, ParameterError

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"

#: Section calls of each notebook, in order (notebooks/*.ipynb).
PLAIN = ["header", "bluf", "key_judgments", "seat_chart", "stance_heatmap", "stance_table", "trajectory_chart", "bargaining_chart", "bargaining_table",
         "red_lines_table", "deal_blockers_table", "alignment_chart", "alignment_table", "timeline_chart", "watch_list", "key_quotes",
         "quote_board", "outside_views", "what_changed", "stance_shift_chart", "changes_table", "sources_appendix"]
ACTOR = ["header", "actor_card", "actor_issue_chart", "actor_positions", "trajectory_chart", "red_lines_table", "deal_blockers_table", "alignment_chart",
         "alignment_table", "timeline_chart", "actor_events", "key_quotes", "quote_board", "what_changed", "stance_shift_chart", "changes_table"]
ISSUE = ["header", "issue_card", "bargaining_chart", "bargaining_table", "issue_positions", "trajectory_chart", "red_lines_table", "deal_blockers_table",
         "issue_judgments", "key_quotes", "quote_board", "outside_views", "what_changed", "stance_shift_chart", "changes_table"]
QA = ["header", "table_counts", "coverage_chart", "verification", "sources_appendix", "review_status", "gaps", "new_statements_table"]

RETURNS = {"HTMLBlock": HTMLBlock, "Table": Table, "go.Figure": go.Figure}


def _sections() -> dict[str, object]:
    """Public functions of parley.briefing that take a BriefingView."""
    return {name: f for name, f in inspect.getmembers(pb, inspect.isfunction)
            if f.__module__ in (sections.__name__, sections_qa.__name__) and not name.startswith("_") and list(inspect.signature(f).parameters) == ["b"]}


def _html(output) -> str:
    return output._repr_html_()


# --- open_briefing: parameters --------------------------------------------------------------

def test_defaults_take_the_declared_as_of_and_no_subject(tiny_dir):
    briefing = pb.open_briefing(tiny_dir)
    assert briefing.as_of == pd.Timestamp("2025-03-03")
    assert (briefing.since, briefing.actor, briefing.issue, briefing.baseline) == (None, None, None, None)
    assert briefing.top_n == 12


def test_parameters_are_parsed_and_kept(tiny_dir):
    briefing = pb.open_briefing(tiny_dir, as_of="2025-03-04", since="2025-03-01", actor=" southland ", issue="border_line", top_n=3)
    assert (briefing.as_of, briefing.since) == (pd.Timestamp("2025-03-04"), pd.Timestamp("2025-03-01"))
    assert (briefing.actor, briefing.issue, briefing.top_n) == ("southland", "border_line", 3)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (dict(as_of="2025-13-01"), r"as_of='2025-13-01' is not a date; use ISO 8601 YYYY-MM-DD"),
        (dict(as_of="3 March 2025"), r"as_of='3 March 2025' is not a date"),
        (dict(since="yesterday"), r"since='yesterday' is not a date"),
        (dict(as_of="2025-03-03", since="2025-03-04"), r"since='2025-03-04' is after as_of=2025-03-03; since must be the earlier date"),
        (dict(since="2025-03-04"), r"since='2025-03-04' is after as_of=2025-03-03"),  # against the declared as-of date
        (dict(actor="eastland"), r"actor='eastland' is not an actor of this dossier; valid ids: hollis, midland, northland, southland, varga$"),
        (dict(issue="water"), r"issue='water' is not an issue of this dossier; valid ids: border_line, further_talks$"),
        (dict(top_n=0), r"top_n=0 must be a whole number of at least 1"),
        (dict(top_n=-3), r"top_n=-3 must be a whole number"),
        (dict(top_n="5"), r"top_n='5' must be a whole number"),
        (dict(top_n=True), r"top_n=True must be a whole number"),
        (dict(require="actor"), r"this notebook needs actor=<id>; valid ids: hollis, midland, northland, southland, varga$"),
        (dict(require="issue", actor="varga"), r"this notebook needs issue=<id>; valid ids: border_line, further_talks$"),
        (dict(baseline="/nonexistent/positions.csv"), r"baseline='/nonexistent/positions.csv': no such file; give the edition.json of a published edition, or none"),
    ],
)
def test_bad_parameters_raise_parameter_errors_that_say_what_is_allowed(tiny_dir, parameters, message):
    with pytest.raises(ParameterError, match=message):
        pb.open_briefing(tiny_dir, **parameters)


def test_unknown_actor_on_the_seed_lists_the_valid_ids():
    with pytest.raises(ParameterError) as caught:
        pb.open_briefing("riyadh_2025", actor="putinn")
    listed = str(caught.value).split("valid ids: ")[1].split(", ")
    assert "putin" in listed and "russia" in listed and len(listed) == 21
    assert listed == sorted(listed)
    assert caught.value.exit_code == 2


def test_baseline_without_the_needed_columns_is_refused(tiny_dir, tmp_path):
    baseline = tmp_path / "positions.csv"
    baseline.write_text("actor_id,issue_id,stance\nnorthland,border_line,2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"positions.csv' lacks column\(s\) red_line"):
        pb.open_briefing(tiny_dir, baseline=str(baseline))


def test_unknown_dossier_is_not_a_parameter_error(tmp_path):
    with pytest.raises(DossierNotFound):
        pb.open_briefing(tmp_path / "no_such_dossier")


# --- sections on the seed -------------------------------------------------------------------

@pytest.fixture(scope="module")
def plain():
    return pb.open_briefing(SEED_DIR)


@pytest.fixture(scope="module")
def russia():
    return pb.open_briefing(SEED_DIR, actor="russia", require="actor")


@pytest.fixture(scope="module")
def troops():
    return pb.open_briefing(SEED_DIR, issue="peacekeeping_troops", require="issue")


def test_every_section_is_called_by_some_notebook_list():
    assert set(_sections()) == set(PLAIN) | set(ACTOR) | set(ISSUE) | set(QA)


@pytest.mark.parametrize(("kind", "name"), [("plain", n) for n in PLAIN] + [("russia", n) for n in ACTOR]
                         + [("troops", n) for n in ISSUE] + [("plain", n) for n in QA])
def test_each_section_returns_what_it_declares(request, kind, name):
    briefing = request.getfixturevalue(kind)
    section = getattr(pb, name)
    output = section(briefing)
    expected = RETURNS[inspect.signature(section).return_annotation]
    assert isinstance(output, expected), f"{name} returned {type(output).__name__}"
    if isinstance(output, HTMLBlock):
        assert _html(output) and repr(output)
    else:
        assert output.layout.title.text


@pytest.mark.parametrize(("subject", "names"), [({}, PLAIN + QA), ({"actor": "russia"}, ACTOR), ({"issue": "peacekeeping_troops"}, ISSUE)],
                         ids=["briefing", "actor", "issue"])
def test_sections_hold_up_on_a_view_before_any_data(subject, names):
    briefing = pb.open_briefing(SEED_DIR, as_of="2025-01-01", **subject)
    assert briefing.matrix.empty and briefing.table_event is None
    for name in names:
        section = getattr(pb, name)
        output = section(briefing)
        assert isinstance(output, RETURNS[inspect.signature(section).return_annotation]), name
    assert repr(pb.key_quotes(briefing)) == "No direct quotes on the record."
    assert pb.stance_heatmap(briefing).layout.annotations[0].text.startswith("No positions")


def test_header_names_the_view_and_the_data_version(plain, russia, troops):
    text = repr(pb.header(plain))
    assert "As of: 2025-02-18" in text
    assert f"Data version: {plain.dossier.version}" in text
    assert "Holds: 35 statements (utterances) in 35 reports, 41 positions, 21 actors, 13 issues, 7 events, 1 source" in text
    assert "Compared with: —" in text
    assert "Actor: Russia (russia)" in repr(pb.header(russia))
    assert "Issue: European/NATO troops in Ukraine (peacekeeping_troops)" in repr(pb.header(troops))
    assert repr(plain) == text and plain._repr_html_() == pb.header(plain).markup


def test_bluf_says_who_met_and_who_was_left_out(plain):
    lines = repr(pb.bluf(plain)).splitlines()
    assert lines[0] == ("- United States (Marco Rubio), Russia (Sergei Lavrov) met at US–Russia talks in Riyadh on 2025-02-18, "
                        "hosted by Saudi Arabia; European Union, European states, Ukraine were left out.")
    assert lines[1] == "- 3 red lines on the record: Ukraine on Europe at the table and Occupied territories; Russia on European/NATO troops in Ukraine."
    # Parties only: Ogryzko's call for European troops (an outside voice) no longer counts against Russia's red line.
    assert lines[2].startswith("- 2 deal blockers; the widest: Ukraine's red line on Europe at the table (+2 (strongly for)) against Russia")
    assert lines[3].startswith("- Watch: ")
    assert lines[4].startswith("- Key judgment: ")


def test_stance_table_holds_the_parties_with_outlets_and_dates(plain):
    table = pb.stance_table(plain)
    matrix = analysis.stance_matrix(plain.dossier, plain.as_of)
    assert len(matrix) == 30 and len(table.frame) == 22  # 8 positions of outside voices left for "Outside views"
    assert set(table.frame["Party"]) == {"United States", "Russia", "Ukraine"}
    assert set(table.frame["Reported by"]) == {"ARA"} and "Statement" not in table.frame.columns
    assert "Latest stance of each party on each issue" in repr(table)
    outside = pb.outside_views(plain).frame
    assert len(outside) == 8 and set(outside["Voice"]) == {"Lesia Ogryzko", "Kirill Shamiev"}
    assert set(outside["Takes part as"]) == {"outside voice"}
    assert set(outside["Reported by"]) == {"reported by ARA — 1 outlet, 1 independent origin"}


def test_actor_profile_keeps_to_the_actor(russia):
    lines = pb.red_lines_table(russia).frame
    assert list(lines["Actor"]) == ["Russia"]
    blockers = pb.deal_blockers_table(russia).frame
    assert len(blockers) == 1
    assert ((blockers["Red line held by"] == "Russia") | (blockers["Against"] == "Russia")).all()
    assert len(pb.actor_positions(russia).frame) == 9
    assert "On the record: 2 statements as speaker; positions on 9 issues" in repr(pb.actor_card(russia))
    edges = pb.alignment_table(russia).frame
    assert ((edges.iloc[:, 0] == "Russia") | (edges.iloc[:, 1] == "Russia")).all()
    assert set(pb.actor_events(russia).frame["Event"]) == {
        "US–Russia talks in Riyadh", "Trump–Putin meeting", "Formal opening of US–Russia consultations"}


def test_issue_brief_keeps_to_the_issue(troops):
    space = pb.bargaining_table(troops).frame
    assert list(space["Issue"]) == ["European/NATO troops in Ukraine"]
    positions = pb.issue_positions(troops).frame
    assert list(zip(positions["Actor"], positions["Stance"])) == [("Russia", -2)]  # the researcher is an outside view
    assert list(positions["Side"]) == ["at the table"]
    assert list(pb.outside_views(troops).frame["Voice"]) == ["Lesia Ogryzko"]
    chart = pb.bargaining_chart(troops)
    assert {t.name for t in chart.data} == {"at the table"}
    assert "−2 means: No European or NATO troops in Ukraine in any form" in repr(pb.issue_card(troops))


def test_key_quotes_are_verbatim_with_their_offsets(troops):
    block = pb.key_quotes(troops)
    quotes = analysis.key_quotes(troops.dossier, troops.as_of, top_n=troops.top_n, issues=["peacekeeping_troops"], participation=("party",))
    reports = troops.dossier.reports.set_index("report_id")
    assert len(quotes) == 1
    html = _html(block)
    for q in quotes.itertuples():
        row = reports.loc[q.report_id]
        source = troops.dossier.source_text(row["source_id"])
        assert source[row["char_start"]:row["char_end"]] == q.text
        assert f"characters {row['char_start']}–{row['char_end']} of ARA</small>" in html
        assert f'<small title="{q.statement_id}">' in html  # the id one hover away, not in the reader's way
        assert f"“{q.text}”" in repr(block)
        assert "reported by ARA — 1 outlet, 1 independent origin" in repr(block)
    assert html.count("parley-redline") == 1  # Lavrov's red line


def test_what_changed_without_a_comparison_says_so(plain):
    text = repr(pb.what_changed(plain))
    assert text.startswith("No earlier edition to compare with")
    assert "- red line added: 3" in text and "- new position: 27" in text and "- new statement: 35" in text
    shifts = pb.stance_shift_chart(plain)
    assert len(shifts.data) == 0 and "nothing to compare with" in shifts.layout.title.text


def test_what_changed_since_a_date(tiny_dir):
    briefing = pb.open_briefing(tiny_dir, since="2025-03-02")
    text = repr(pb.what_changed(briefing))
    assert text.splitlines()[0] == "Since the dossier as known on 2025-03-02:"
    assert "- red line added: 1" in text and "- new position: 2" in text and "- new statement: 3" in text
    assert "- new event: 2" in text
    assert len(pb.changes_table(briefing).frame) == 3
    assert len(pb.stance_shift_chart(briefing).data) == 3
    nothing_new = pb.open_briefing(tiny_dir, since="2025-03-03")
    assert "Nothing changed" in repr(pb.what_changed(nothing_new))
    assert repr(pb.changes_table(nothing_new)) == "Stance changes: No stance changed."


def test_baseline_from_an_earlier_run_drives_the_changes(tiny_dir, tmp_path):
    baseline = tmp_path / "positions.csv"
    baseline.write_text("actor_id,issue_id,stance,red_line\nnorthland,border_line,1,false\nsouthland,border_line,-2,true\n"
                        "northland,further_talks,1,false\n", encoding="utf-8")
    briefing = pb.open_briefing(tiny_dir, baseline=str(baseline))
    assert "Compared with: the previous published run" in repr(pb.header(briefing))
    changes = pb.changes_table(briefing).frame
    assert list(zip(changes["Change"], changes["Actor"], changes["Before"], changes["Now"])) == [("stance shift", "Northland", 1, 2)]
    text = repr(pb.what_changed(briefing))
    assert text.splitlines()[0] == "Since the previous published run:"
    assert "- stance shift: 1" in text and "new statement" not in text  # an old run kept positions only


def test_judgments_made_after_the_as_of_date_stay_out(tiny_dir):
    # The tiny dossier's only judgment is dated 3 March.
    on_the_day = pb.open_briefing(tiny_dir, as_of="2025-03-03", issue="border_line")
    assert "Key judgment: A border settlement" in repr(pb.bluf(on_the_day))
    assert len(pb.key_judgments(on_the_day).frame) == 1
    assert len(pb.issue_judgments(on_the_day).frame) == 1
    day_before = pb.open_briefing(tiny_dir, as_of="2025-03-02", issue="border_line")
    assert "Key judgment" not in repr(pb.bluf(day_before))
    assert pb.key_judgments(day_before).frame.empty
    assert pb.issue_judgments(day_before).frame.empty


def test_dataset_qa_sections(plain):
    assert "All 35 reports of 35 statements verify" in repr(pb.verification(plain))
    counts = pb.table_counts(plain).frame
    assert dict(zip(counts["Table"], counts["Rows"])) == plain.dossier.counts()
    sources = pb.sources_appendix(plain)
    lines = {column: [cell.split("\ue000") for cell in sources.frame[column]] for column in sources.frame.columns}
    assert lines == {
        "Outlet, published, author": [["ARA", "2025-02-18", "author unknown"]],
        "Title, language": [["Russia and US move closer as they decide Ukraine's future", "en, translated from ca"]],
        "Origin, kind, reliability (A–F)": [["own reporting", "article", "reliability not graded"]],
        "URL": [["no URL"]],
        "Reported, verified, text hash": [["35 statements", "35 of 35 reports verified", "SHA-256 a566862e0c9f"]],
    }
    assert 'title="ara_2025_02_18"' in _html(sources)  # the id one hover away
    assert len(pb.new_statements_table(plain).frame) == 35


def test_sources_table_folds_a_graded_wire_source_into_its_cells(tiny_copy):
    set_cells(tiny_copy, "sources", "source_id", "tiny_001", origin="AFP", reliability="B", author="A. Writer (synthetic)",
              url="https://example.org/synthetic/" + "x" * 60, language="fr", translated_from="")
    block = pb.sources_appendix(pb.BriefingView(load(tiny_copy), pd.Timestamp("2025-03-03")))
    (row,) = [dict(zip(block.frame.columns, (cell.split("\ue000") for cell in cells))) for cells in block.frame.itertuples(index=False)]
    assert row["Origin, kind, reliability (A–F)"] == ["AFP", "article", "reliability B"]
    assert row["Outlet, published, author"] == ["Synthetic Gazette (fictional)", "2025-03-03", "A. Writer (synthetic)"]
    assert row["URL"] == ["https://example.org/synthetic/" + "x" * 60]
    assert row["Title, language"][1] == "fr"  # not translated: no "translated from"
    assert row["Reported, verified, text hash"][:2] == ["3 statements", "3 of 3 reports verified"]
    assert '<td class="parley-token">https://example.org/' in _html(block)  # the long URL may break anywhere, so the column stays narrow


def test_verification_names_the_statements_that_fail(tiny_copy):
    set_cells(tiny_copy, "reports", "statement_id", "s2", text="a line that reflects the facts on the ground!")
    dossier = load(tiny_copy)  # the validator would refuse this copy: build the briefing by hand
    block = pb.verification(pb.BriefingView(dossier, pd.Timestamp("2025-03-03")))
    assert repr(block) == "1 of 3 reports do not match their source: r2_tiny"
    assert 'class="parley-alert"' in _html(block)


def test_gaps_list_silent_actors_and_statements_without_position(tiny_dir):
    gaps = pb.gaps(pb.open_briefing(tiny_dir)).frame
    assert sorted(gaps["Id"]) == ["midland"]  # Midland neither speaks nor holds a position; every statement has one


# --- the analyst's bottom line --------------------------------------------------------------

def test_analyst_note_is_shown_for_its_edition_and_marked_as_the_analysts(tiny_dir):
    block = pb.analyst_note(pb.open_briefing(tiny_dir, as_of="2025-03-10"))
    html = _html(block)
    assert html.startswith('<div class="parley-analyst" role="note" aria-label="Analyst\'s bottom line">')
    assert "<strong>Analyst's bottom line</strong> — A. Analyst (synthetic), written 2025-03-10" in html
    assert "SYNTHETIC NOTE for tests" in html
    assert repr(block).startswith("Analyst's bottom line (A. Analyst (synthetic), written 2025-03-10): SYNTHETIC NOTE")


def test_no_analyst_note_for_another_edition_nor_in_a_dossier_without_one(tiny_dir, plain):
    assert pb.analyst_note(pb.open_briefing(tiny_dir, as_of="2025-03-11")) is None  # the note is for 2025-03-10 only
    assert pb.analyst_note(pb.open_briefing(tiny_dir, as_of="2025-03-10"), notebook="actor_profile") is None
    assert pb.analyst_note(plain) is None  # the seed carries no analyst's note: none is made up


def test_a_dossier_that_does_not_declare_the_notes_table_still_loads(tiny_copy):
    import json

    package = tiny_copy / "datapackage.json"
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "analyst_notes"]
    package.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    (tiny_copy / "analyst_notes.csv").unlink()
    briefing = pb.open_briefing(tiny_copy, as_of="2025-03-10")
    assert briefing.dossier.analyst_notes.empty and pb.analyst_note(briefing) is None


# --- hostile data ---------------------------------------------------------------------------

@pytest.fixture
def hostile(tiny_copy):
    """The tiny dossier with markup in a quote, a name, a label, an event title and a judgment.

    The quote no longer matches its source, so this copy is loaded without the validator."""
    set_cells(tiny_copy, "reports", "statement_id", "s1", text=SCRIPT)
    set_cells(tiny_copy, "actors", "actor_id", "southland", name=IMG)
    set_cells(tiny_copy, "issues", "issue_id", "border_line", label="<b>Border</b>")
    set_cells(tiny_copy, "events", "event_id", "midtown_talks", title=SCRIPT)
    set_cells(tiny_copy, "judgments", "judgment_id", "border_deal_unlikely", text=SCRIPT)
    return load(tiny_copy)


@pytest.mark.parametrize(("subject", "names"), [({}, PLAIN + QA), ({"actor": "southland"}, ACTOR), ({"issue": "border_line"}, ISSUE)],
                         ids=["briefing", "actor", "issue"])
def test_no_section_lets_markup_through(hostile, subject, names):
    briefing = pb.BriefingView(hostile, pd.Timestamp("2025-03-03"), since=pd.Timestamp("2025-03-02"), **subject)
    shown_escaped = False
    for name in names:
        output = getattr(pb, name)(briefing)
        strings = figure_strings(output) if isinstance(output, go.Figure) else [_html(output)]
        for string in strings:
            assert not re.search(r"<script|<img|<b>Border", string), f"{name} shows raw markup: {string[:200]}"
        shown_escaped |= any("&lt;script&gt;" in s for s in strings)
    assert shown_escaped


def test_key_quote_card_escapes_a_hostile_quote(hostile):
    block = pb.key_quotes(pb.BriefingView(hostile, pd.Timestamp("2025-03-03")))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _html(block)
    assert "<script" not in _html(block)
    assert SCRIPT in repr(block)  # the text twin is plain text, not HTML


def test_tiny_text_is_synthetic():
    assert TINY_TEXT.startswith("SYNTHETIC TEST TEXT")


def test_profile_of_a_spokesperson_shows_the_positions_their_words_express():
    import parley.briefing as pb

    lavrov = pb.open_briefing(actor="lavrov")
    table = pb.actor_positions(lavrov)
    assert "statements express (for Russia)" in repr(table)
    assert set(table.frame["Issue"]) >= {"European/NATO troops in Ukraine", "Ukraine in NATO"}
    assert "We will not allow it and it is not acceptable." in repr(table)
    assert len(pb.actor_issue_chart(lavrov).data) > 0
