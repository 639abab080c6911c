"""Briefings a principal reads, measured in Debian's headless Chromium: nothing clipped or overlapping,
and accessible.

Every shipped page (briefing, actor profile, issue brief, dataset QA) is rendered by render_briefing
for the seed dossier, the hostile dossier and a synthetic N=10,000 dossier, and the briefing and an
actor profile for a month of coded articles (15 actors, 15 issues); the catalogue is rendered from
a run history with a failed run. In the browser (tests/pagecheck.py):

- every table fits its column at 1280 and 1920 px, or scrolls in a region that shows it and that the
  keyboard reaches (tabindex, a name);
- no two text labels of any chart overlap, and none is cut off at the chart's edge (rotated labels
  are measured as rotated rectangles);
- axe-core (WCAG 2.1 A and AA) reports no serious or critical violation;
- every chart has a text alternative: a figure caption naming it, and the figure is labelled by it.

Screenshots of the seed briefing at both widths land in test-output/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pagecheck
from pagecheck import CHROMIUM, FLAGS
from pagecheck import isolate as _isolate
from parley import paths
from parley.data.synth import synthesize
from parley.report.render import render_briefing

OUTPUT = paths.PROJECT_ROOT / "test-output"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
WIDTHS = (1280, 1920)
ALL_PAGES = ("briefing", "actor_profile", "issue_brief", "dataset_qa")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _subjects(dossier: Path | str) -> dict[str, dict]:
    """Parameters naming a real subject of the dossier for the profile and the brief."""
    from parley.data.dossier import load_dossier

    loaded = load_dossier(dossier)
    states = loaded.actors.loc[loaded.actors["kind"].isin(["state", "bloc"]), "actor_id"]
    actor = (states if len(states) else loaded.actors["actor_id"]).iloc[0]
    return {"actor_profile": {"actor": str(actor)}, "issue_brief": {"issue": str(loaded.issues["issue_id"].iloc[0])}}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """``"<dossier>/<notebook>"`` → the rendered HTML page."""
    root = tmp_path_factory.mktemp("readable")
    month = synthesize(root / "month", statements=700, actors=15, issues=15, seed=3).path
    n10k = synthesize(root / "n10k", statements=10_000, actors=40, issues=12, seed=0).path
    plan = {"seed": (paths.DEFAULT_DOSSIER, ALL_PAGES), "hostile": (HOSTILE, ALL_PAGES), "n10k": (n10k, ALL_PAGES),
            "month": (month, ("briefing", "actor_profile"))}
    rendered = {}
    with pytest.MonkeyPatch.context() as mp:
        _isolate(mp, root)
        for key, (dossier, notebooks) in plan.items():
            subjects = _subjects(dossier)
            for notebook in notebooks:
                result = render_briefing(notebook, subjects.get(notebook, {}), dossier=str(dossier), out_dir=root / "pages" / key, progress=False)
                rendered[f"{key}/{notebook}"] = result.html
    rendered["catalogue"] = _catalogue(root / "reports")
    return rendered


def _catalogue(reports: Path) -> Path:
    """The catalogue page of a small run history: a current page, a replaced one and a failed run."""
    from parley.editions.catalogue import render_catalogue

    base = {"dossier_id": "riyadh_2025", "as_of": "2025-02-18", "notebook": "notebooks/briefing.ipynb", "version": "030225309433",
            "n_charts": 7, "seconds": 12.5}
    entries = [
        {**base, "name": "briefing", "status": "published", "seq": 1, "finished": "2025-02-18T06:15:30Z", "parameters": {"since": "2025-02-17"}},
        {**base, "name": "actor-russia", "status": "failed", "finished": "2025-02-18T06:16:02Z", "parameters": {"actor": "russia"},
         "error": "actor_profile.ipynb: cell 7 raised ParameterError"},
    ]
    reports.mkdir(parents=True, exist_ok=True)
    page = reports / "index.html"
    page.write_text(render_catalogue(entries, reports), encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def seen(pages, tmp_path_factory) -> dict[str, dict]:
    """Open every page at each width in one browser; return what it measured."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            for width in WIDTHS:
                # bypass_csp: the page's Content-Security-Policy rightly refuses injected scripts, and axe is one.
                context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
                for key, html in pages.items():
                    page = context.new_page()
                    page.route("**/*", _only(html.resolve().as_uri()))
                    page.goto(html.resolve().as_uri(), wait_until="load")
                    page.wait_for_function(
                        "Array.from(document.querySelectorAll('.parley-plot')).every(n => n.querySelector('.main-svg'))", timeout=60_000)
                    page.wait_for_timeout(300)
                    record = {"tables": pagecheck.table_fit(page), "overlaps": pagecheck.text_overlaps(page)}
                    if width == WIDTHS[0]:
                        record["axe"] = pagecheck.axe_violations(page)
                        record["charts"] = page.eval_on_selector_all(".parley-chart", """nodes => nodes.map(n => ({
                            caption: (n.querySelector('figcaption') || {}).textContent || '',
                            labelled: !!(n.getAttribute('aria-labelledby') || n.getAttribute('aria-label'))}))""")
                    if key == "seed/briefing":
                        page.screenshot(path=str(OUTPUT / f"readable-briefing-{width}.png"), full_page=True)
                    results[f"{key}@{width}"] = record
                    page.close()
                context.close()
        finally:
            browser.close()
    return results


def _only(url: str):
    """A route handler that lets the page's own file through and refuses every other request."""

    def route(request_route):
        if request_route.request.url == url:
            request_route.continue_()
        else:
            request_route.abort()

    return route


PAGE_KEYS = [f"{d}/{n}" for d in ("seed", "hostile", "n10k") for n in ALL_PAGES] + ["month/briefing", "month/actor_profile", "catalogue"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_table_fits_or_scrolls_visibly(seen, key, width):
    tables = seen[f"{key}@{width}"]["tables"]
    for table in tables:
        if table["scroll_width"] > table["box"] + 1:  # it must scroll: show it, and let the keyboard reach it
            assert table["overflow"] in ("auto", "scroll") and table["focusable"] and table["named"], table
            # headless Chromium hides scrollbars (a person's browser draws the styled one): the edge shadows show it too
            assert table["shadows"] or (table["scrollbar"] or 0) > 0, f"nothing shows that it scrolls: {table}"
        assert not table["clipped_by_main"], table
    if key == "seed/briefing":
        wide = [t for t in tables if t["scroll_width"] > t["box"] + 1]
        assert not wide, f"every column of every table of the seed briefing shows at {width} px: {wide}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_no_chart_label_overlaps_another_or_the_edge(seen, key, width):
    overlaps = {chart: pairs for chart, pairs in seen[f"{key}@{width}"]["overlaps"].items() if pairs}
    assert not overlaps, overlaps


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_axe_finds_no_serious_or_critical_violation(seen, key):
    violations = seen[f"{key}@{WIDTHS[0]}"]["axe"]
    assert not violations, [(v["id"], v["impact"], v["nodes"], v["targets"]) for v in violations]


@pytest.mark.parametrize("key", [k for k in PAGE_KEYS if k != "catalogue"])
def test_every_chart_has_a_text_alternative(seen, key):
    charts = seen[f"{key}@{WIDTHS[0]}"]["charts"]
    assert charts
    for chart in charts:
        assert chart["labelled"] and len(chart["caption"].strip()) > 20, chart
