"""A stance trajectory over three dates, drawn in a real browser (Debian's headless Chromium
through Playwright): the shipped issue brief rendered by render_briefing on the tiny dossier plus
synthetic statements on two later dates; every mark of each party's line is drawn, and hovering a
mark shows the words said that day."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from analysis_fixtures import SECOND_SOURCE, SECOND_TEXT, add_rows, add_second_source, add_third_source, position, report_row, statement

from parley import paths
from parley.report.render import render_briefing

from test_notebooks_browser import CHROMIUM, FLAGS, _isolate, _router

OUTPUT = paths.PROJECT_ROOT / "test-output"
STEP_BY_STEP = "can be discussed, step by step."

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def three_dates(tmp_path_factory):
    """Tiny dossier: the border said on 3 March (both sides), on 4 March (Northland moves to +1) and
    on 10 March (Southland moves to −1, its red line dropped)."""
    import shutil as sh

    root = tmp_path_factory.mktemp("trajectory")
    folder = root / "data" / "tiny"
    sh.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "tiny", folder)
    add_third_source(folder)
    add_second_source(folder, published="2025-03-10")
    assert SECOND_TEXT.count(STEP_BY_STEP) == 1
    said = statement("u1", STEP_BY_STEP, speaker_id="varga", on_behalf_of_id="southland", said="2025-03-10", reported="2025-03-10",
                     source_id=SECOND_SOURCE)
    add_rows(folder, "statements", [said])
    add_rows(folder, "reports", [report_row(said)])
    add_rows(folder, "positions", [position("pu1", "u1", "border_line", "southland", -1)])
    with pytest.MonkeyPatch.context() as mp:
        _isolate(mp, root)
        yield render_briefing("issue_brief", {"issue": "border_line"}, dossier=str(folder), progress=False)


def test_a_trajectory_over_three_dates_draws_every_mark_and_hovers_the_words(three_dates, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    url = three_dates.html.resolve().as_uri()
    record = {"refused": [], "console_errors": []}
    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
                                                                args=FLAGS, viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.route("**/*", _router(url, record))
            page.on("console", lambda m: m.type == "error" and record["console_errors"].append(m.text))
            page.goto(url, wait_until="load")
            page.wait_for_function("Array.from(document.querySelectorAll('.parley-plot')).every(n => n.querySelector('.main-svg'))",
                                   timeout=30_000)
            plot = page.evaluate_handle("""() => Array.from(document.querySelectorAll('.parley-plot'))
                .find(n => ((n.querySelector('.gtitle') || {}).textContent || '').includes('stances over time'))""")
            assert plot.as_element() is not None, "the trajectory chart is on the page"
            lines = plot.evaluate("""n => n.data.filter(t => t.mode === 'lines+markers').map(t => ({name: t.name, x: t.x.map(String)}))""")
            marks = plot.evaluate("n => n.querySelectorAll('.scatterlayer .trace .points path.point').length")
            plot.as_element().scroll_into_view_if_needed()
            plot.as_element().screenshot(path=str(OUTPUT / "trajectory-three-dates.png"))
            box = plot.evaluate("""n => { const p = Array.from(n.querySelectorAll('.scatterlayer .trace .points path.point')).pop();
                                          const r = p.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }""")
            page.mouse.move(*box)
            page.wait_for_timeout(400)
            hover = page.evaluate("() => Array.from(document.querySelectorAll('.hoverlayer .hovertext')).map(h => h.textContent).join(' | ')")
        finally:
            context.close()
    dates = sorted({x[:10] for line in lines for x in line["x"]})
    assert dates == ["2025-03-03", "2025-03-04", "2025-03-10"]
    by_name = {line["name"]: [x[:10] for x in line["x"]] for line in lines}
    assert by_name == {"Northland": ["2025-03-03", "2025-03-04"], "Southland": ["2025-03-03", "2025-03-10"]}
    assert marks == 4, "one drawn mark per day a statement set the stance"
    assert "2025-03-10" in hover or "2025-03-04" in hover, hover
    assert "step by step" in hover or "old map" in hover, hover
    assert not record["refused"] and not record["console_errors"]
