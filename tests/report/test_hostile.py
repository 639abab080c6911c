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
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import plotly.graph_objects as go
import pytest

import parley.briefing as pb
from parley.report import sections, sections_qa
from parley.report.display import HTMLBlock

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
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
    """Public section functions of parley.briefing: ``def name(b: BriefingView)``."""
    names = []
    for name, function in inspect.getmembers(pb, inspect.isfunction):
        if name.startswith("_") or function.__module__ not in (sections.__name__, sections_qa.__name__):
            continue
        parameters = list(inspect.signature(function).parameters.values())
        if len(parameters) == 1 and parameters[0].annotation in ("BriefingView", pb.BriefingView):
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
def briefings() -> dict[str, pb.BriefingView]:
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


# --- 3. the rendered page in a real browser --------------------------------------------------

#: Notebook → extra parameters; each page is rendered from the hostile dossier.
PAGES = {
    "briefing": {"since": "2025-03-03"},
    "actor_profile": {"actor": "northland"},
    "issue_brief": {"issue": "border_line"},
    "dataset_qa": {},
}
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Runs before any script of the page: counts alert/confirm/prompt calls (the real ones still fire,
#: so Playwright's dialog event sees them too).
TRAP_SCRIPT = """
window.__trapped = [];
for (const name of ['alert', 'confirm', 'prompt']) {
    const original = window[name].bind(window);
    window[name] = (...args) => { window.__trapped.push(name + ': ' + String(args[0])); return original(...args); };
}
"""
#: What the page holds after load: traps, injected elements, layout, and the text of the long quote's block.
INSPECT_SCRIPT = """([longStart, unbroken]) => {
    const width = window.innerWidth;
    const all = [...document.querySelectorAll('body *')];
    const blockOf = (needle) => {
        const hits = all.filter(e => e.children.length === 0 && e.textContent.includes(needle));
        return hits.map(e => { const r = e.getBoundingClientRect(); return {tag: e.tagName, left: r.left, right: r.right, width: r.width, height: r.height}; });
    };
    return {
        pwned: typeof window.__pwned,
        trapped: window.__trapped || [],
        injected: {
            img_x: document.querySelectorAll('img[src="x"]').length,
            svg_onload: document.querySelectorAll('svg[onload]').length,
            js_links: [...document.querySelectorAll('a[href]')].filter(a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
            data_scripts: [...document.scripts].filter(s => /^\\s*(alert\\(|window\\.__pwned)/.test(s.text)).map(s => s.text.slice(0, 80)),
            on_attributes: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.outerHTML.slice(0, 120)),
        },
        scroll_width: document.documentElement.scrollWidth,
        width: width,
        long_quote: blockOf(longStart),
        unbroken: blockOf(unbroken),
        blocks: {  // the hand-built HTML sections (escaped by parley.report.display.esc, not by pandas)
            quotes: [...document.querySelectorAll('.parley-quotes')].map(e => e.innerText).join('\\n'),
            facts: [...document.querySelectorAll('.parley-facts')].map(e => e.innerText).join('\\n'),
            lists: [...document.querySelectorAll('.parley-list')].map(e => e.innerText).join('\\n'),
        },
        plots: document.querySelectorAll('.parley-plot').length,
        drawn: [...document.querySelectorAll('.parley-plot')].filter(p => p.querySelector('.main-svg')).length,
    };
}"""


@pytest.fixture(scope="module")
def rendered_pages(tmp_path_factory) -> dict:
    """Each notebook rendered by ``parley.report.render.render_briefing`` from the hostile dossier."""
    from parley.report.render import render_briefing

    root = tmp_path_factory.mktemp("hostile-render")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARLEY_REPORTS_DIR", str(root / "reports"))
        mp.setenv("HOME", str(root / "home"))
        mp.setenv("JUPYTER_CONFIG_DIR", str(root / "jupyter-config"))
        mp.setenv("IPYTHONDIR", str(root / "ipython"))
        return {name: render_briefing(name, {"dossier": str(HOSTILE), **extra}, out_dir=root / name, progress=False)
                for name, extra in PAGES.items()}


@pytest.fixture(scope="module")
def seen_pages(rendered_pages, tmp_path_factory) -> dict:
    """Open each rendered page once in Chromium and record what happened and what it shows."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    OUTPUT_DIR.mkdir(exist_ok=True)
    seen = {}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900}, timeout=60_000,
        )
        try:
            context.add_init_script(TRAP_SCRIPT)
            for name, result in rendered_pages.items():
                url = result.html.resolve().as_uri()
                record = {"dialogs": [], "console_errors": [], "page_errors": [], "requests": []}
                page = context.new_page()
                page.route("**/*", _only(url, record["requests"]))
                page.on("dialog", lambda dialog, record=record: (record["dialogs"].append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
                page.on("console", lambda message, record=record: message.type == "error" and record["console_errors"].append(message.text))
                page.on("pageerror", lambda error, record=record: record["page_errors"].append(str(error)))
                page.goto(url, wait_until="load", timeout=60_000)
                page.wait_for_function("[...document.querySelectorAll('.parley-plot')].every(p => p.querySelector('.main-svg'))", timeout=30_000)
                record.update(page.evaluate(INSPECT_SCRIPT, [H.LONG_QUOTE[:60], H.UNBROKEN]))
                record["text"] = page.inner_text("body")
                record["title"] = page.title()
                page.screenshot(path=str(OUTPUT_DIR / ("hostile.png" if name == "briefing" else f"hostile-{name}.png")), full_page=True)
                page.close()
                seen[name] = record
        finally:
            context.close()
    return seen


def _only(url: str, refused: list[str]):
    """Route handler: let the page's own file through, refuse and record any other request."""

    def route(request_route) -> None:
        if request_route.request.url == url:
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    return route


def _executed_charts(ipynb: Path) -> int:
    import nbformat

    nb = nbformat.read(ipynb, as_version=4)
    return sum(PLOTLY_MIME in output.get("data", {}) for cell in nb.cells if cell.cell_type == "code" for output in cell.get("outputs", []))


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", list(PAGES))
def test_no_script_from_the_data_runs(seen_pages, name: str) -> None:
    """No dialog, no trapped alert, ``window.__pwned`` never set, nothing injected into the DOM."""
    record = seen_pages[name]
    assert record["dialogs"] == [], f"a dialog opened: {record['dialogs']}"
    assert record["trapped"] == [], f"alert/confirm/prompt called: {record['trapped']}"
    assert record["pwned"] == "undefined", "a payload from the data ran and set window.__pwned"
    injected = record["injected"]
    assert injected == {"img_x": 0, "svg_onload": 0, "js_links": 0, "data_scripts": [], "on_attributes": []}, injected
    assert record["requests"] == [], f"the page asked for something beyond itself (e.g. <img src=x>): {record['requests']}"
    assert record["console_errors"] == [] and record["page_errors"] == [], (record["console_errors"], record["page_errors"])


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", list(PAGES))
def test_hostile_strings_show_as_text(seen_pages, name: str) -> None:
    """The reader sees the attacks verbatim, as the analyst typed them."""
    text = seen_pages[name]["text"]
    for needle in (H.SCRIPT, H.IMG, H.JINJA):
        assert needle in text, f"{name}: {needle!r} is not visible as text"
    if name == "briefing":
        for needle in (H.BREAKOUT, H.MD_BOLD, H.MD_LINK, H.ENTITIES, H.ARABIC, H.HEBREW, H.EMOJI, H.LONG_QUOTE, H.UNBROKEN):
            assert needle in text, f"briefing: {needle[:60]!r} is not visible as text"
        blocks = seen_pages[name]["blocks"]
        assert H.STATEMENTS["s1"][3] in blocks["quotes"], "the key quote holding <script> is shown verbatim"
        assert f"Hostile synthetic dossier {H.SCRIPT} {H.JINJA}" in blocks["facts"], "the dossier title is shown verbatim"
        assert f"{H.IMG} talks in Midtown {H.JINJA}" in blocks["lists"], "the event title in the bottom line is shown verbatim"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", list(PAGES))
def test_every_chart_is_drawn(rendered_pages, seen_pages, name: str) -> None:
    record = seen_pages[name]
    expected = _executed_charts(rendered_pages[name].ipynb)
    assert record["plots"] == record["drawn"] == expected == rendered_pages[name].n_charts > 0


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", list(PAGES))
def test_layout_holds(seen_pages, name: str) -> None:
    """The page never scrolls sideways; the 5,000-character quote and a 600-character word wrap."""
    record = seen_pages[name]
    assert record["scroll_width"] <= record["width"] + 2, f"page scrolls sideways: {record['scroll_width']} > {record['width']}"
    # Wide tables may scroll inside their own box (the template's choice); a single string may not set their width.
    for block in record["long_quote"] + record["unbroken"]:
        assert block["width"] <= record["width"] * 0.8, f"{block} does not wrap: as wide as the window ({record['width']} px)"
    if name == "briefing":
        assert record["long_quote"], "the long quote is on the page"
        assert max(b["height"] for b in record["long_quote"]) > 200, "the 5,000-character quote wraps over many lines"
        assert record["unbroken"], "the 600-character word is on the page (sources appendix, URL)"
