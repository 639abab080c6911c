"""A rendered briefing in a real browser: Debian's headless Chromium driven by Playwright.

The page is the tiny fixture notebook rendered by render_briefing (a real kernel). Chromium
starts with a fresh profile in a temporary folder and the flags that keep it off the network;
every request the page makes is recorded, and anything but the page's own file is refused.
Screenshots and the PDF land in test-output/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parley import paths
from parley.report.render import render_briefing

from pagecheck import CHROMIUM, FLAGS
from test_render import TINY_NB, isolate

OUTPUT = paths.PROJECT_ROOT / "test-output"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, root)
        yield render_briefing(TINY_NB, progress=False)


@pytest.fixture(scope="module")
def visit(rendered, tmp_path_factory):
    """Open the page once; return what the browser saw."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    page_url = rendered.html.resolve().as_uri()
    seen = {"console_errors": [], "page_errors": [], "requests": [], "refused": [], "dialogs": []}
    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": 1280, "height": 900}
        )
        try:
            def route(request_route):
                url = request_route.request.url
                seen["requests"].append(url)
                if url == page_url:
                    request_route.continue_()
                else:
                    seen["refused"].append(url)
                    request_route.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda message: message.type == "error" and seen["console_errors"].append(message.text))
            page.on("pageerror", lambda error: seen["page_errors"].append(str(error)))
            page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
            page.goto(page_url, wait_until="load")
            page.wait_for_function(
                "Array.from(document.querySelectorAll('.parley-plot')).every(n => n.querySelector('.main-svg'))", timeout=15_000
            )
            page.wait_for_timeout(300)
            seen["plots"] = page.eval_on_selector_all(".parley-plot", "nodes => nodes.map(n => [n.id, n.querySelectorAll('.main-svg').length])")
            seen["table_text"] = page.eval_on_selector_all("table.dataframe td", "cells => cells.map(c => c.textContent)")
            seen["chart_title"] = page.text_content(".parley-plot .gtitle")
            page.screenshot(path=str(OUTPUT / "briefing-screen.png"), full_page=True)
            seen["toc"] = []
            for link in page.query_selector_all(".parley-toc a"):
                href = link.get_attribute("href")
                link.click()
                page.wait_for_timeout(100)
                seen["toc"].append((href, page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")))
            page.emulate_media(media="print")
            page.screenshot(path=str(OUTPUT / "briefing-print.png"), full_page=True)
            seen["toc_visible_in_print"] = page.is_visible(".parley-toc")
            seen["pdf"] = page.pdf(path=str(OUTPUT / "briefing.pdf"), format="A4", print_background=True)
        finally:
            context.close()
    return seen


def test_every_chart_is_drawn(visit):
    assert visit["plots"] and all(svgs > 0 for _, svgs in visit["plots"]), visit["plots"]
    assert [div_id for div_id, _ in visit["plots"]] == ["chart-stance-chart-0"]


def test_no_console_errors(visit):
    assert visit["console_errors"] == []
    assert visit["page_errors"] == []


def test_no_request_leaves_the_page(visit, rendered):
    assert visit["refused"] == []
    assert visit["requests"] == [rendered.html.resolve().as_uri()]


def test_hostile_strings_stay_inert_text(visit):
    assert visit["dialogs"] == []
    assert "<script>alert(1)</script>" in visit["table_text"]
    assert "</script><script>alert(2)</script>" in visit["table_text"]
    assert "</script>" in visit["chart_title"]  # drawn as text by plotly.js


def test_toc_links_reach_their_headings(visit):
    hrefs = [href for href, _ in visit["toc"]]
    assert len(hrefs) == 3
    for href, target in visit["toc"]:
        assert target and href == f"#{target}", (href, target)


def test_print_hides_the_toc_and_pdf_works(visit):
    assert visit["toc_visible_in_print"] is False
    assert visit["pdf"][:5] == b"%PDF-"
    assert len(visit["pdf"]) > 20_000
    assert (OUTPUT / "briefing-screen.png").stat().st_size > 10_000
    text = (OUTPUT / "briefing.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b", text)) >= 1
