"""Hostile data: text fields full of markup, template syntax, right-to-left text, emoji and a 5,000-character quote.

The dossier in ``tests/fixtures/hostile/`` is valid data (ids are safe slugs, every quote sits at
its offsets) whose every text field is an attack or an oddity; ``regenerate.py`` beside it holds
the strings. What an analyst's dossier contains is shown as text, never run as code:

1. ``parley validate`` accepts it (hostile text is still valid data);
2. every section of :mod:`parley.briefing`, for a briefing, an actor profile and an issue brief,
   escapes it: no ``<script>``, ``<img>``, ``<svg>`` or ``<a>`` from the data in any HTML output
   or Plotly string, and each string reads back exactly once-decoded;
3. the rendered briefing page, opened in Chromium, opens no dialog, runs no script from the data,
   shows the strings as text, draws every chart, logs no console error, sends no request, and
   keeps its layout inside the viewport (the long quote and a 600-character word wrap).
"""

from __future__ import annotations

import html
import importlib.util
import inspect
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import plotly.graph_objects as go
import pytest

import parley.briefing as pb
from parley.display import HTMLBlock

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
OUTPUT_DIR = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _strings_module():
    spec = importlib.util.spec_from_file_location("hostile_strings", HOSTILE / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


H = _strings_module()
#: Tags no section ever writes on purpose: one of these in an output came from the data.
FOREIGN_TAG = re.compile(r"<\s*/?\s*(script|img|svg|a|iframe|object|embed|style|link|meta)\b", re.IGNORECASE)


# --- 1. valid data ---------------------------------------------------------------------------

def test_hostile_dossier_is_valid_data() -> None:
    """Markup and odd scripts in text fields are data, not errors: ``parley validate`` exits 0."""
    parley = Path(sys.executable).with_name("parley")
    command = [str(parley)] if parley.exists() else [sys.executable, "-m", "parley"]
    result = subprocess.run([*command, "validate", str(HOSTILE)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hostile OK" in result.stdout


def test_hostile_fixture_is_what_it_claims() -> None:
    """The seed is marked synthetic, holds the 5,000-character quote, and the CSVs carry every attack."""
    seed = (HOSTILE / "seeds" / H.SEED_FILE).read_text(encoding="utf-8")
    assert seed.splitlines()[0] == "SYNTHETIC TEST TEXT — hostile strings, not a real article"
    assert len(H.LONG_QUOTE) == 5000 and H.LONG_QUOTE in seed
    tables = "".join(path.read_text(encoding="utf-8") for path in HOSTILE.glob("*.csv"))
    for needle in [*H.MARKUP_ATTACKS, H.JINJA, H.JINJA_RAW, H.MD_HEADING, H.MD_BOLD, H.MD_LINK, H.ENTITIES,
                   H.PLOTLY_MARKUP, H.ARABIC, H.HEBREW, H.EMOJI, H.RLO, H.UNBROKEN]:
        assert needle.replace('"', '""') in tables or needle in tables, f"no table carries {needle[:40]!r}"


# --- 2. every section escapes ----------------------------------------------------------------

def _sections() -> list[str]:
    """Public section functions of parley.briefing: ``def name(b: Briefing)``."""
    names = []
    for name, function in inspect.getmembers(pb, inspect.isfunction):
        if name.startswith("_") or function.__module__ != pb.__name__:
            continue
        parameters = list(inspect.signature(function).parameters.values())
        if len(parameters) == 1 and parameters[0].annotation in ("Briefing", pb.Briefing):
            names.append(name)
    return sorted(names)


SECTIONS = _sections()
#: View → open_briefing arguments. The actor and issue are the ones whose names are attacks.
VIEWS = {
    "briefing": dict(since="2025-03-03"),
    "actor_profile": dict(actor="northland", require="actor"),
    "issue_brief": dict(issue="border_line", require="issue"),
}


def _applies(view: str, section: str) -> bool:
    if section.startswith("actor_"):
        return view == "actor_profile"
    if section.startswith("issue_"):
        return view == "issue_brief"
    return True


@pytest.fixture(scope="module")
def briefings() -> dict[str, pb.Briefing]:
    return {view: pb.open_briefing(str(HOSTILE), **arguments) for view, arguments in VIEWS.items()}


def _figure_strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a figure's JSON with its path (``data[0].customdata[3]``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _figure_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _figure_strings(item, f"{path}[{index}]")
    elif hasattr(value, "tolist"):  # numpy arrays of labels
        yield from _figure_strings(value.tolist(), path)


def test_sections_are_found() -> None:
    """The section list is read from the module; a rename must not silently shrink it."""
    assert len(SECTIONS) >= 30, SECTIONS
    for expected in ("header", "bluf", "key_quotes", "stance_heatmap", "quote_board", "actor_issue_chart", "issue_card"):
        assert expected in SECTIONS


@pytest.mark.parametrize("view, section", [(v, s) for v in VIEWS for s in SECTIONS if _applies(v, s)])
def test_section_output_escapes_hostile_text(briefings, view: str, section: str) -> None:
    """No markup from the data survives into a section's HTML or Plotly strings."""
    output = getattr(pb, section)(briefings[view])
    if isinstance(output, go.Figure):
        strings = list(_figure_strings(output.to_plotly_json()))
        foreign = [(where, text[:160]) for where, text in strings if FOREIGN_TAG.search(text)]
        assert not foreign, f"{section} ({view}): Plotly would draw markup from the data: {foreign[:5]}"
        data_markup = [(where, text[:160]) for where, text in strings if "<b>bold</b>" in text]
        assert not data_markup, f"{section} ({view}): Plotly tags from the data left unescaped: {data_markup[:5]}"
        templates = [(where, text) for where, text in strings if where.endswith(("hovertemplate", "texttemplate")) and
                     any(token in text for token in ("pwned", "alert(", "7*7", H.ARABIC, H.HEBREW))]
        assert not templates, f"{section} ({view}): data inside a hover template (Plotly would expand %{{…}} in it): {templates[:3]}"
    else:
        assert isinstance(output, HTMLBlock), f"{section} returned {type(output).__name__}"
        markup = output._repr_html_()
        found = FOREIGN_TAG.findall(markup)
        assert not found, f"{section} ({view}): raw tags {found} from the data in HTML: {markup[:600]}"
        assert "&amp;amp;amp;" not in markup, f"{section} ({view}): escaped twice"


@pytest.mark.parametrize("view", list(VIEWS))
def test_hostile_strings_reach_outputs_as_text(briefings, view: str) -> None:
    """Not vacuous: the attacks do reach the outputs, escaped exactly once (they read back verbatim)."""
    b = briefings[view]
    markup, figure_text = [], []
    for section in SECTIONS:
        if not _applies(view, section):
            continue
        output = getattr(pb, section)(b)
        if isinstance(output, go.Figure):
            figure_text += [html.unescape(text) for _, text in _figure_strings(output.to_plotly_json())]
        else:
            markup.append(output._repr_html_())
    shown = html.unescape("\n".join(markup))
    for needle in (H.SCRIPT, H.IMG, H.BREAKOUT, H.JINJA, H.MD_BOLD, H.ARABIC, H.EMOJI):
        assert needle in shown, f"{view}: {needle!r} never shown as text in any HTML section"
    assert any(H.SCRIPT in text for text in figure_text), f"{view}: no chart label or hover shows {H.SCRIPT!r} as text"
    if view == "briefing":
        assert H.ENTITIES in shown, "HTML entities in the data must be escaped once (shown as typed), not decoded"
        assert H.LONG_QUOTE in shown, "the 5,000-character quote is shown whole in the key quotes"
