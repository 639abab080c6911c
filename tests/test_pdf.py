"""The PDF edition: ``render_briefing(..., pdf=...)`` prints the page with Debian's headless Chromium.

Read back with pypdf: A4 and Letter sheets, every section heading and the key quotes on its pages,
page numbers in the footer, the provenance block on the last page, metadata set from the page.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from parley.report.render import render_briefing

pytestmark = [pytest.mark.browser, pytest.mark.slow]
#: Sheet sizes in points: ISO 216 A4 (210 × 297 mm) and US Letter (8.5 × 11 in).
A4_PT, LETTER_PT = (210 / 25.4 * 72, 297 / 25.4 * 72), (612.0, 792.0)
#: Chromium lays a sheet out in whole CSS pixels: a sheet may be up to one pixel (0.75 pt) off its paper.
SHEET_TOLERANCE_PT = 0.75


def _on_paper(page, size: tuple[float, float]) -> bool:
    box = page.mediabox
    return abs(float(box.width) - size[0]) <= SHEET_TOLERANCE_PT and abs(float(box.height) - size[1]) <= SHEET_TOLERANCE_PT


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
        assert all(_on_paper(page, size) for page in pages), [(p.mediabox.width, p.mediabox.height) for p in pages]


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
    assert "PROVENANCE" in pages[-1] and "Dataset version" in pages[-1]  # the heading as printed (the stylesheet sets it in capitals)
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


# --- a scheduled edition: pdf: in briefings.yml, through the worker and the publish step ---------

SCHED_FIXTURE = Path(__file__).resolve().parent / "notebooks" / "sched_fixture.ipynb"


def _spec(folder: Path, pdf_lines: str) -> Path:
    path = folder / "briefings.yml"
    path.write_text("defaults: {dossier: tiny, as_of: dossier, since: none" + pdf_lines + "}\nbriefings:\n"
                    f"  - name: quick-{{subject}}\n    notebook: {SCHED_FIXTURE}\n    for_each: {{subject: [one, two]}}\n"
                    "  - name: letter-one\n    notebook: " + str(SCHED_FIXTURE) + "\n    pdf: letter\n    parameters: {subject: three}\n",
                    encoding="utf-8")
    return path


def test_a_scheduled_edition_publishes_its_pdf_beside_the_page_and_links_it(tmp_path, tiny_dir, monkeypatch):
    from parley.editions.batch import run_spec
    from parley.editions.catalogue import read_catalogue

    if not Path(shutil.which("chromium") or "/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    shutil.copytree(tiny_dir, tmp_path / "data" / "tiny")
    reports = tmp_path / "reports"
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(reports))
    folder = reports / "tiny" / "2025-03-03"

    first = run_spec(_spec(tmp_path, ", pdf: true"), workers=2, progress=False)
    assert first.exit_code == 0, [(o.briefing.name, o.status, o.message) for o in first.outcomes]
    for name, pdf, size in (("quick-one", "quick-one.pdf", A4_PT), ("quick-two", "quick-two.pdf", A4_PT),
                            ("letter-one", "letter-one.letter.pdf", LETTER_PT)):
        record = json.loads((folder / f"{name}.run.json").read_text(encoding="utf-8"))
        assert record["pdf"] == f"tiny/2025-03-03/{pdf}"
        reader = PdfReader(str(folder / pdf))
        assert _on_paper(reader.pages[0], size), (name, reader.pages[0].mediabox)
        assert "done: " + record["parameters"]["subject"] in " ".join((p.extract_text() or "") for p in reader.pages)
    assert not list(folder.glob("quick-one.letter.pdf")) and not (folder / "letter-one.pdf").exists()
    assert not any((reports / ".staging").iterdir())  # nothing of the print left in staging
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert page.count(">PDF</a>") == 3 and 'href="tiny/2025-03-03/letter-one.letter.pdf"' in page
    assert all(entry.get("pdf") for entry in read_catalogue(reports))

    again = run_spec(_spec(tmp_path, ", pdf: true"), workers=1, progress=False)
    assert {o.status for o in again.outcomes} == {"unchanged"}

    # The spec stops asking for A4: the pages render again, and no PDF of an older run stays beside them.
    off = run_spec(_spec(tmp_path, ""), workers=1, progress=False)
    assert [o.status for o in off.outcomes] == ["published"] * 2 + ["unchanged"]
    assert not (folder / "quick-one.pdf").exists() and not (folder / "quick-two.pdf").exists()
    assert (folder / "letter-one.letter.pdf").is_file()
    assert json.loads((folder / "quick-one.run.json").read_text(encoding="utf-8"))["pdf"] is None
    assert (reports / "index.html").read_text(encoding="utf-8").count(">PDF</a>") == 1
