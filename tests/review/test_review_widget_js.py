"""The widget's ES module in headless Chromium, without JupyterLab: offsets, drawing, keys.

``parley/review/static/review.js`` is imported as it ships and rendered with a recording model
(``get`` / ``on`` / ``send``: the three calls anywidget gives it). A selection made in the browser
is sent back as code-point offsets that must equal Python's for the same words, also across
characters outside the Basic Multilingual Plane (UTF-16 surrogate pairs), combining marks and line breaks.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from parley.review.widgets import STATIC

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")

#: SYNTHETIC text: astral characters before and inside the spans, a combining accent, a line break.
TEXT = "SYNTHETIC 😀 test.\nThe envoy 𝐀 said: “Caf\u0301e talks 🤝 were useful” and left.\nPeskov said nothing."

HARNESS = """
async (args) => {
  const module = await import("data:text/javascript;base64," + args.source);
  window.sent = [];
  let state = args.state, listeners = [];
  const model = {
    get: (name) => name === "state" ? state : undefined,
    on: (event, fn) => listeners.push(fn), off: () => {},
    send: (message) => window.sent.push(message),
  };
  window.setState = (next) => { state = next; listeners.forEach((fn) => fn()); };
  const el = document.createElement("div");
  document.body.append(el);
  module.default.render({ model, el });
  // Select code points [start, end) of the text view, as a mouse drag would.
  window.selectPoints = (start, end) => {
    const view = document.querySelector("[data-testid=text]");
    const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
    const points = [];
    let seen = 0, node;
    while ((node = walker.nextNode())) {
      let unit = 0;
      for (const ch of node.data) { points.push([node, unit]); unit += ch.length; seen++; }
      points.push([node, unit]);  // the position after the node's last character
      points.pop();
    }
    const at = (n) => { if (n < points.length) return points[n]; const last = points[points.length - 1]; return [last[0], last[0].data.length]; };
    const range = document.createRange();
    range.setStart(...at(start));
    range.setEnd(...at(end));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    view.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
  };
  return module.segments(args.state.text, args.state.marks).map((s) => [s.start, s.end, s.text]);
}
"""


def state(marks: list[dict], card: dict | None = None) -> dict:
    return {"source": {"id": "synthetic", "title": "SYNTHETIC", "outlet": "", "published": ""}, "text": TEXT, "marks": marks,
            "current": None, "card": card, "active_position": 0, "actors": [{"id": "peskov", "label": "Dmitry Peskov (person)"}],
            "parties": [], "issues": [], "utterances": [], "kinds": ["direct_quote", "reported_speech", "assessment"],
            "counts": {"total": 1, "left": 1, "accepted": 0, "rejected": 0, "skipped": 0},
            "bulk": {"open": False, "threshold": 0.8, "ready": []}, "message": {"level": "info", "text": ""}, "ack": 0}


def card(start: int, end: int) -> dict:
    return {"id": "c_1", "kind": "direct_quote", "start": start, "end": end, "text": TEXT[start:end], "moved": False, "confidence": 0.9,
            "method": "cue", "cue": "", "mention": "", "speaker": "", "speaker_label": "", "proposed_speaker": "", "new_actor": "",
            "new_actor_party": "", "on_behalf_of": None, "default_on_behalf": "", "default_on_behalf_label": "", "positions": [],
            "report_of": "", "note": ""}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def mount(page, initial: dict) -> list:
    source = base64.b64encode((STATIC / "review.js").read_bytes()).decode()
    page.set_content("<!doctype html><meta charset=utf-8><body></body>")
    return page.evaluate(HARNESS, {"source": source, "state": initial})


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("words", ["Caf\u0301e talks 🤝 were useful", "𝐀 said", "😀 test.\nThe envoy", "Peskov said nothing."])
def test_a_selection_round_trips_as_code_point_offsets(page, words):
    start = TEXT.index(words)
    quote = TEXT.index("Caf")
    mount(page, state([{"id": "c_1", "start": quote, "end": quote + 25, "status": "pending", "current": True}], card(quote, quote + 25)))
    page.evaluate("([s, e]) => window.selectPoints(s, e)", [start, start + len(words)])
    bar = page.locator("[data-testid=selection]").inner_text()
    assert f"Selected {start}..{start + len(words)}" in bar
    page.locator(".parley-review").focus()
    page.keyboard.press("e")
    assert page.evaluate("window.sent") == [{"do": "span", "start": start, "end": start + len(words), "new": False, "seq": 1}]
    assert TEXT[start:start + len(words)] == words


@pytest.mark.browser
@needs_chromium
def test_marks_are_drawn_in_place_and_the_text_is_the_source_text(page):
    quote = TEXT.index("Caf")
    marks = [{"id": "c_1", "start": quote, "end": quote + 25, "status": "pending", "current": True},
             {"id": "s_2", "start": TEXT.index("Peskov"), "end": len(TEXT), "status": "coded", "current": False}]
    segments = mount(page, state(marks, card(quote, quote + 25)))
    assert "".join(text for _, _, text in segments) == TEXT
    assert [(s, e) for s, e, _ in segments] == [(0, quote), (quote, quote + 25), (quote + 25, TEXT.index("Peskov")), (TEXT.index("Peskov"), len(TEXT))]
    view = page.locator("[data-testid=text]")
    assert view.evaluate("v => v.textContent") == TEXT
    assert page.locator("[data-testid=text] mark.pr-current").inner_text() == TEXT[quote:quote + 25]
    assert page.locator("[data-testid=text] mark.pr-coded").count() == 1


@pytest.mark.browser
@needs_chromium
def test_keys_send_actions_and_typing_in_a_field_does_not(page):
    quote = TEXT.index("Caf")
    mount(page, state([{"id": "c_1", "start": quote, "end": quote + 25, "status": "pending", "current": True}], card(quote, quote + 25)))
    root = page.locator(".parley-review")
    root.focus()
    for key in ["a", "r", "s", "j", "k", "1", "5", "l", "p"]:
        page.keyboard.press(key)
    sent = page.evaluate("window.sent")
    assert [m["do"] for m in sent] == ["accept", "reject", "skip", "go", "go", "position", "position", "position", "add_position"]
    assert [m.get("stance") for m in sent[5:7]] == [-2, 2]
    page.keyboard.press("f")
    page.keyboard.type("pesk")
    page.keyboard.press("Enter")
    assert page.evaluate("window.sent")[-1] == {"do": "speaker", "actor": "peskov", "seq": len(sent) + 1}, "typing 'pesk' sent no shortcut"
    assert json.dumps(page.evaluate("window.sent")).count("accept") == 1


@pytest.mark.browser
@needs_chromium
def test_the_add_panel_writes_the_dossier_through_the_add_service(page, review_dossier):
    """The browser's "+" form, filled and sent as it ships, carried out by a real session: the actor is in actors.csv."""
    from parley.data.validate import validate_dossier
    from parley.review.session import ReviewSession

    session = ReviewSession(review_dossier.folder)
    text = session.source.text
    words = "A spokesman for the hotel"
    start = text.index(words)
    source = base64.b64encode((STATIC / "review.js").read_bytes()).decode()
    page.set_content("<!doctype html><meta charset=utf-8><body></body>")
    page.evaluate(HARNESS, {"source": source, "state": session.state()})
    page.evaluate("([s, e]) => window.selectPoints(s, e)", [start, start + len(words)])
    page.locator(".parley-review").focus()
    page.keyboard.press("+")
    page.locator("[data-testid=add] [data-add=name]").fill("Hotel spokesman")
    page.locator("[data-testid=add] [data-add=kind]").select_option("person")
    page.locator("[data-testid=add] [data-add=name]").press("Enter")
    (action,) = [m for m in page.evaluate("window.sent") if m["do"] == "add"]
    assert (action["what"], action["fields"]["name"], action["evidence"]) == ("actor", "Hotel spokesman", {"start": start, "end": start + len(words)})
    session.dispatch(action)
    assert session.message == ("info", f"added actor hotel_spokesman (evidence: “{words}”)"), session.message
    assert any(r["actor_id"] == "hotel_spokesman" for r in review_dossier.rows("actors"))
    assert validate_dossier(review_dossier.folder) == []
    page.evaluate("(next) => window.setState(next)", session.state())
    assert page.locator("[data-testid=add]").count() == 0, "the form closes once the actor is added"
