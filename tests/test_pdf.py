"""The PDF edition: ``render_briefing(..., pdf=...)`` prints the page with Debian's headless Chromium.

Read back with pypdf: A4 and Letter sheets, every section heading and the key quotes on its pages,
page numbers in the footer, the provenance block on the last page, metadata set from the page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from parley.report.render import render_briefing

pytestmark = [pytest.mark.browser, pytest.mark.slow]
A4_PT, LETTER_PT = (595, 842), (612, 792)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    if not Path(shutil.which("chromium") or "/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    root = tmp_path_factory.mktemp("pdf")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARLEY_REPORTS_DIR", str(root / "reports"))
        mp.setenv("HOME", str(root / "home"))
        mp.setenv("SOURCE_DATE_EPOCH", "1739865600")  # 2025-02-18T08:00:00Z
        a4 = render_briefing("briefing", out_dir=root / "a4", progress=False, pdf="a4")
        letter = render_briefing("briefing", out_dir=root / "letter", progress=False, pdf="letter")
    return a4, letter


def _text(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def test_pdf_is_written_beside_the_page_on_the_paper_asked_for(editions):
    a4, letter = editions
    assert a4.pdf == a4.html.with_suffix(".pdf") and letter.pdf == letter.html.with_suffix(".letter.pdf")
    for rendered, size in ((a4, A4_PT), (letter, LETTER_PT)):
        pages = PdfReader(str(rendered.pdf)).pages
        assert len(pages) >= 3
        box = pages[0].mediabox
        assert abs(float(box.width) - size[0]) < 2 and abs(float(box.height) - size[1]) < 2, (box.width, box.height)


def test_pdf_pages_hold_the_sections_the_quotes_and_page_numbers(editions):
    import nbformat

    a4, _ = editions
    pages = _text(a4.pdf)
    whole = " ".join(" ".join(p.split()) for p in pages)
    for heading in ("Bottom line up front", "Key judgments", "Who is at the table", "Where everyone stands", "Red lines and deal blockers",
                    "Key quotes", "What changed", "Sources"):
        assert heading in whole, heading
    assert "We will not allow it and it is not acceptable." in whole  # a key quote, verbatim
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {total}" in " ".join(text.split()), f"sheet {number} has no page number"
    assert "Provenance" in pages[-1] and "Dataset version" in pages[-1]
    assert nbformat.read(str(a4.ipynb), as_version=4).metadata["parley"]["version"] in pages[-1]


def test_pdf_metadata_comes_from_the_page_not_the_clock(editions):
    a4, letter = editions
    for rendered in (a4, letter):
        meta = PdfReader(str(rendered.pdf)).metadata
        assert meta["/Title"] == "Situation briefing"
        assert meta["/CreationDate"] == meta["/ModDate"] == "D:20250218080000+00'00'"


def test_charts_are_vector_not_pictures(editions):
    a4, _ = editions
    reader = PdfReader(str(a4.pdf))
    images = sum(len(page.images) for page in reader.pages)
    assert images == 0, "Chromium printed the Plotly SVG as vector paths and text"
    assert any("Who is at the table, and who is not" in text for text in _text(a4.pdf))  # a chart title, as text
