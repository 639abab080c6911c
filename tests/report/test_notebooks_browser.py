"""Every shipped notebook, rendered by render_briefing on the seed dossier and opened in Debian's
headless Chromium through Playwright: every chart drawn with content, no console error, no
request leaving the page, contents links that land, and a print layout that keeps charts whole.
Screenshots and PDFs go to test-output/ for a person to look at. Also: two renders of the same
inputs are identical apart from the one generation timestamp."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from pagecheck import CHROMIUM, FLAGS
from pagecheck import isolate as _isolate
from parley import paths
from parley.report.notebooks import NOTEBOOKS
from parley.report.render import render_briefing

OUTPUT = paths.PROJECT_ROOT / "test-output"
PLOTLY = "application/vnd.plotly.v1+json"
#: Printable height of an A4 page at 96 dpi with the default 1 cm margins, in CSS pixels.
A4_PRINTABLE_PX = 1047

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        _isolate(mp, tmp_path_factory.mktemp("shipped"))
        yield {name: render_briefing(name, progress=False) for name in NOTEBOOKS}


@pytest.fixture(scope="module")
def seen(rendered, tmp_path_factory):
    """Open each page once in one browser; return what it saw, per notebook."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    results = {}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            for name, result in rendered.items():
                url = result.html.resolve().as_uri()
                record = {"console_errors": [], "page_errors": [], "refused": [], "dialogs": []}

                page = context.new_page()
                page.route("**/*", _router(url, record))
                page.on("console", lambda m, r=record: m.type == "error" and r["console_errors"].append(m.text))
                page.on("pageerror", lambda e, r=record: r["page_errors"].append(str(e)))
                page.on("dialog", lambda d, r=record: (r["dialogs"].append(d.message), d.dismiss()))
                page.goto(url, wait_until="load")
                page.wait_for_function(
                    "Array.from(document.querySelectorAll('.parley-plot')).every(n => n.querySelector('.main-svg'))", timeout=30_000)
                page.wait_for_timeout(300)
                # A chart "has content" when plotly drew at least one trace, or an annotation that
                # explains why there is nothing to draw. A bare empty figure has neither.
                record["plots"] = page.eval_on_selector_all(".parley-plot", """nodes => nodes.map(n => ({
                    id: n.id,
                    traces: n.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length,
                    notes: n.querySelectorAll('.annotation-text').length,
                    title: (n.querySelector('.gtitle') || {}).textContent || ''}))""")
                page.screenshot(path=str(OUTPUT / f"{name}-screen.png"), full_page=True)
                record["toc"] = page.eval_on_selector_all(
                    ".parley-toc a", "links => links.map(a => [a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))])")
                record["wide"] = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 2")
                page.emulate_media(media="print")
                record["print"] = page.eval_on_selector_all(".parley-chart", """nodes => nodes.map(n => ({
                    avoid: ['avoid', 'avoid-page'].includes(getComputedStyle(n).breakInside),
                    height: n.getBoundingClientRect().height}))""")
                record["pdf"] = page.pdf(path=str(OUTPUT / f"{name}.pdf"), format="A4", print_background=True)
                page.close()
                results[name] = record
        finally:
            context.close()
    return results


def _router(url: str, record: dict):
    """Let the page's own file through; refuse and record anything else."""

    def route(request_route):
        if request_route.request.url == url:
            request_route.continue_()
        else:
            record["refused"].append(request_route.request.url)
            request_route.abort()

    return route


def _plotly_outputs(ipynb: Path) -> int:
    nb = nbformat.read(str(ipynb), as_version=4)
    return sum(PLOTLY in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_every_chart_is_drawn_with_content(name, rendered, seen):
    plots = seen[name]["plots"]
    assert len(plots) == _plotly_outputs(rendered[name].ipynb) == rendered[name].n_charts > 0
    empty = [p for p in plots if p["traces"] == 0 and p["notes"] == 0]
    assert not empty, f"charts drawn with neither a trace nor an explanatory note: {empty}"
    assert all(p["title"].strip() for p in plots), "every chart has a title a reader understands"


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_no_console_error_no_request_no_dialog(name, seen):
    record = seen[name]
    assert record["console_errors"] == [] and record["page_errors"] == []
    assert record["refused"] == [], "the page asked the network for something"
    assert record["dialogs"] == []


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_contents_links_resolve_and_layout_fits(name, seen):
    toc = seen[name]["toc"]
    assert len(toc) >= 4
    assert all(found for _, found in toc), [href for href, found in toc if not found]
    assert seen[name]["wide"], "nothing wider than the window"


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_print_keeps_charts_whole(name, seen):
    charts = seen[name]["print"]
    assert charts and all(c["avoid"] for c in charts), "charts must not break across pages"
    assert all(c["height"] <= A4_PRINTABLE_PX for c in charts), [c["height"] for c in charts]
    pdf = seen[name]["pdf"]
    assert pdf[:5] == b"%PDF-" and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1


def test_two_renders_are_identical_apart_from_the_generation_time(tmp_path, monkeypatch):
    _isolate(monkeypatch, tmp_path)
    first = render_briefing("briefing", progress=False)
    html_a, ipynb_a = first.html.read_text(encoding="utf-8"), first.ipynb.read_bytes()
    second = render_briefing("briefing", progress=False)
    assert (second.html, second.ipynb) == (first.html, first.ipynb)
    stamp = re.compile(r'<time datetime="[^"]*" id="parley-generated-at">[^<]*</time>')
    html_b = second.html.read_text(encoding="utf-8")
    assert len(stamp.findall(html_a)) == 1
    assert stamp.sub("", html_a) == stamp.sub("", html_b)
    assert ipynb_a == second.ipynb.read_bytes()
