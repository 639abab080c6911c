"""The review notebook in real JupyterLab and headless Chromium: an article coded by keyboard.

JupyterLab serves a copy of ``notebooks/review.ipynb`` whose parameters point at a temporary tiny
dossier with the SYNTHETIC article ``synthetic_vienna.txt`` in its queue. The test runs all cells,
then works only with the keyboard inside the review widget, as an analyst would:

- the Rubio truce quote: accepted as proposed (``a``);
- the "American envoy" quote, proposed without a speaker: speaker fixed to Rubio (``f``, type, Enter),
  stance +2 (``5``), accepted;
- Lavrov's ceasefire/troops quote: two positions with their own stances (−1 on the ceasefire, −2
  and a red line on troops: ``]``, ``1``, ``l``), accepted;
- Lavrov's "useful" talks, reported again: marked as another report of the utterance the dossier
  already holds from its own seed (``o``, type its id, Enter), accepted;
- the hotel's "enjoyed the coffee.": rejected (``r``).

Then ``parley validate`` passes and the CSVs hold exactly those decisions. Screenshots land in
``test-output/review-*.png`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from review_support import KNOWN_UTTERANCE, build_review_dossier
from labserver import needs_chromium, open_lab_page, run_all_cells, running_lab

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "review.ipynb"
OUTPUT_DIR = ROOT / "test-output"
RUN_TIMEOUT = 180_000  # ms

USEFUL = 'the talks had been "useful" and would go on next week'


def served_copy(target: Path, parameters: dict[str, str]) -> Path:
    """The review notebook without outputs, ``parameters`` set after its own defaults (as papermill injects them)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "parameters" in cell.metadata.get("tags", []):
                cell.source += "\n" + "\n".join(f"{name}: str = {json.dumps(value)}  # set by the test" for name, value in parameters.items())
    nbformat.write(nb, target)
    return target


@pytest.fixture
def review_lab(tmp_path: Path):
    """JupyterLab serving the review notebook set to a temporary dossier; yields (base_url, notebook name, dossier)."""
    dossier = build_review_dossier(tmp_path / "work")
    serve_dir = tmp_path / "serve"
    serve_dir.mkdir()
    served_copy(serve_dir / "review.ipynb", {"dossier": str(dossier.folder), "source": dossier.source_id, "coder": "lab-test"})
    with running_lab(tmp_path, serve_dir) as base_url:
        yield base_url, "review.ipynb", dossier


class Review:
    """The widget in the page, driven by keyboard only."""

    def __init__(self, page, shots: Path):
        self.page, self.shots, self.count = page, shots, 0
        self.root = page.locator(".parley-review")

    def shot(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.shots / f"review-{self.count:02d}-{name}.png"))

    def settle(self) -> None:
        """Wait until the kernel has answered every action sent so far (the widget's state carries a counter)."""
        self.page.wait_for_timeout(150)
        self.page.wait_for_function("() => { const s = document.querySelector('.parley-review'); return s && s.dataset.busy === '0'; }", timeout=30_000)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.settle()

    def type_and_choose(self, key: str, text: str) -> None:
        """Focus a searchable list by its shortcut, type, and take the first match with Enter."""
        self.page.keyboard.press(key)
        self.page.keyboard.type(text, delay=20)
        self.page.wait_for_timeout(100)
        self.page.keyboard.press("Enter")
        self.settle()

    def card_text(self) -> str:
        return self.root.locator("[data-testid=quote]").inner_text()

    def open_card(self, text: str, limit: int = 10) -> None:
        """Press ``j`` until the open card shows ``text``."""
        for _ in range(limit):
            if self.card_text() == text:
                return
            self.press("j")
        pytest.fail(f"no card with {text!r}; last card: {self.card_text()!r}")

    def message(self) -> str:
        node = self.root.locator("[data-testid=message]")
        return node.inner_text() if node.count() else ""


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_an_article_coded_by_keyboard_in_jupyterlab(review_lab, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    base_url, name, dossier = review_lab
    before_positions = dossier.rows("positions")
    OUTPUT_DIR.mkdir(exist_ok=True)
    with sync_playwright() as playwright, open_lab_page(playwright, base_url, tmp_path / "chromium", name,
                                                        {"width": 1500, "height": 1000}) as lab:
        page = lab.page
        try:
            run_all_cells(page)
            page.wait_for_selector(".parley-review [data-testid=card], .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']", timeout=RUN_TIMEOUT)
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
            assert not errors, errors
            review = Review(page, OUTPUT_DIR)
            review.root.scroll_into_view_if_needed()
            review.root.focus()
            review.settle()
            review.shot("opened")
            assert "5 left" in review.root.locator("[data-testid=counts]").inner_text()

            # 1. accepted with the proposed speaker and issue; the stance given by one key (nothing is
            #    coded yet and the poles do not settle it, so the suggester leaves it blank)
            review.open_card("A truce is within reach if both sides keep talking,")
            review.press("4")
            review.press("a")
            assert "accepted" in review.message(), review.message()

            # 2. speaker fixed, stance set
            review.open_card("Ukraine will be invited to the next round.")
            review.type_and_choose("f", "rubio")
            review.press("5")
            review.shot("speaker-fixed")
            review.press("a")
            assert "accepted" in review.message(), review.message()

            # 3. two positions, each its own stance: troops -2 and a red line
            review.open_card("There will be no ceasefire while foreign troops stand on Ukrainian soil,")
            review.press("]", "1", "l")
            review.shot("two-positions")
            review.press("a")
            assert "accepted" in review.message(), review.message()

            # 4. another report of an utterance the dossier holds already
            review.open_card(USEFUL)
            review.type_and_choose("o", KNOWN_UTTERANCE)
            review.shot("another-report")
            review.press("a")
            assert f"as another report of {KNOWN_UTTERANCE}" in review.message(), review.message()

            # 5. rejected
            review.open_card('the delegations had "enjoyed the coffee."')
            review.press("r")
            assert "rejected" in review.message(), review.message()
            review.shot("done")
            counts = review.root.locator("[data-testid=counts]").inner_text()
        except Exception:
            page.screenshot(path=str(OUTPUT_DIR / "review-failure.png"))
            raise

    assert not lab.page_errors, lab.page_errors
    assert not lab.outside_requests, lab.outside_requests
    result = subprocess.run([sys.executable, "-m", "parley", "validate", str(dossier.folder)], capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")})
    assert result.returncode == 0, result.stdout + result.stderr
    statements = {s["text"]: s for s in dossier.coded(dossier.source_id)}
    positions = sorted((p["statement_id"], p["issue_id"], p["actor_id"], p["stance"], p["red_line"]) for p in dossier.rows("positions"))
    truce = statements["A truce is within reach if both sides keep talking,"]
    invited = statements["Ukraine will be invited to the next round."]
    ceasefire = statements["There will be no ceasefire while foreign troops stand on Ukrainian soil,"]
    assert (truce["speaker_id"], truce["on_behalf_of_id"], truce["coder"]) == ("rubio", "usa", "lab-test")
    assert (invited["speaker_id"], invited["on_behalf_of_id"]) == ("rubio", "usa")
    assert (ceasefire["speaker_id"], ceasefire["on_behalf_of_id"]) == ("lavrov", "russia")
    assert positions == sorted([
        (truce["statement_id"], "ceasefire", "usa", "1", "false"),
        (invited["statement_id"], "ukraine_participation", "usa", "2", "false"),
        (ceasefire["statement_id"], "ceasefire", "russia", "-1", "false"),
        (ceasefire["statement_id"], "peacekeeping_troops", "russia", "-2", "true"),
        *[(p["statement_id"], p["issue_id"], p["actor_id"], p["stance"], p["red_line"]) for p in before_positions],
    ])
    statuses = {r["text"]: r["status"] for r in dossier.queue()}
    assert statuses['the delegations had "enjoyed the coffee."'] == "rejected"
    useful = statements[USEFUL]
    assert useful["statement_id"] == KNOWN_UTTERANCE, "another report of the utterance, not a new one"
    assert set(statements) == {truce["text"], invited["text"], ceasefire["text"], USEFUL}
    assert {s["statement_id"] for s in dossier.rows("statements")} == {KNOWN_UTTERANCE, truce["statement_id"], invited["statement_id"], ceasefire["statement_id"]}
    assert "0 left of 5 · 4 accepted · 1 rejected" in counts, counts
