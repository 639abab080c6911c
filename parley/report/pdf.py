"""The PDF edition of a briefing: the page printed by headless Chromium, beside its HTML.

Chromium prints the page's own print stylesheet (contents hidden, charts kept whole, tables
unscrolled) with a footer on every sheet (the briefing's title, its dataset version and "page n of
m"); the provenance block ends the document, so it closes the last page. Plotly draws SVG, which
Chromium prints as vector paths and text. Chromium stamps the PDF with the wall-clock time; the
metadata is rewritten (pypdf) to the page's own generation time, so the same page gives the same
dates and title.

Headless Chromium is Debian's ``/usr/bin/chromium`` (``PARLEY_CHROMIUM`` overrides), driven by
Playwright; it is never downloaded.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import tempfile
from pathlib import Path

from parley import paths
from parley.errors import RenderError
from parley.fileio import write_atomic

#: Paper sizes offered (:data:`parley.paths.PDF_PAPERS`), by the name the CLI and the spec use → (width, height).
#: A4 is given in millimetres, as ISO 216 defines it: Playwright's ``format="A4"`` is 8.27 × 11.7 inches, which
#: Chromium prints as 595.9 × 842.9 pt, a point taller than A4 (595.3 × 841.9 pt); 210 × 297 mm prints within one
#: CSS pixel (0.75 pt, Chromium's layout unit) of it. Letter is exact in inches.
PAPERS = dict(zip(paths.PDF_PAPERS, (("210mm", "297mm"), ("8.5in", "11in")), strict=True))
DEFAULT_PAPER = paths.PDF_PAPERS[0]
#: Sheet margins; the bottom one holds the footer line.
MARGINS = {"top": "14mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_VERSION = re.compile(r"<dt>Dataset version</dt><dd><code>([^<]*)</code>")
_GENERATED = re.compile(r'id="parley-generated-at"[^>]*datetime="([^"]+)"|datetime="([^"]+)" id="parley-generated-at"')


def chromium_path() -> str:
    """Debian's Chromium (or ``PARLEY_CHROMIUM``); a clear error when it is not installed."""
    candidate = os.environ.get("PARLEY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(candidate).exists():
        raise RenderError(f"no Chromium at {candidate} to print the PDF with: install it (apt-get install -y chromium) or set PARLEY_CHROMIUM")
    return candidate


def check_paper(paper: str | bool | None) -> str:
    """``"a4"`` or ``"letter"`` from what a user wrote (``true`` means A4); raises ValueError otherwise."""
    if paper is True or paper is None:
        return DEFAULT_PAPER
    key = str(paper).strip().lower()
    if key not in PAPERS:
        raise ValueError(f"paper {paper!r} is not one of {', '.join(PAPERS)}")
    return key


#: What a spec's ``pdf:`` may say: true (A4), false (no PDF), or a paper's name.
SPEC_VALUES = ("true", "false", *PAPERS)


def spec_paper(value: object) -> str:
    """The paper a spec's ``pdf:`` asks for, ``""`` for none (missing or false); ValueError naming
    what is allowed otherwise."""
    if value is None or value is False:
        return ""
    text = "true" if value is True else str(value).strip().lower()
    if text not in SPEC_VALUES:
        raise ValueError(f"{value!r} is not a PDF option; allowed: {', '.join(SPEC_VALUES)} (true means A4)")
    return {"true": DEFAULT_PAPER, "false": ""}.get(text, text)


def footer_template(title: str, version: str) -> str:
    """Chromium's footer on every sheet: title and dataset version left, "page n of m" right."""
    left = html.escape(title) + (f" · data {html.escape(version)}" if version else "")
    return ('<div style="font-family: system-ui, sans-serif; font-size: 7.5pt; color: #444; width: 100%; margin: 0 14mm; '
            'display: flex; justify-content: space-between;">'
            f'<span>{left}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def write_pdf(html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str] | None = None, *, paper: str = DEFAULT_PAPER) -> Path:
    """Print a rendered briefing page to PDF with headless Chromium; return the PDF's path.

    Parameters
    ----------
    html_path
        The self-contained HTML page (as :func:`parley.report.render.render_briefing` writes it).
    pdf_path
        Where to write; default beside the page, ``<name>.pdf`` (``<name>.letter.pdf`` for Letter).
    paper
        ``"a4"`` or ``"letter"``.

    Raises
    ------
    RenderError
        Chromium is missing, the page's charts do not draw, or printing fails. Nothing is written then.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    paper = check_paper(paper)
    source = Path(html_path).resolve()
    target = Path(pdf_path) if pdf_path is not None else paths.pdf_beside(source, paper)
    text = source.read_text(encoding="utf-8")
    title = html.unescape(m.group(1).strip()) if (m := _TITLE.search(text)) else source.stem
    version = m.group(1) if (m := _VERSION.search(text)) else ""
    url = source.as_uri()
    with tempfile.TemporaryDirectory(prefix="parley-pdf-") as profile, sync_playwright() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(profile, executable_path=chromium_path(), headless=True,
                                                                    args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 900})
        except PlaywrightError as exc:
            raise RenderError(f"{source.name}: Chromium would not start to print the PDF ({str(exc).splitlines()[0]})") from None
        try:
            page = context.new_page()
            # The page is self-contained: any request but its own file is refused.
            page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
            page.goto(url, wait_until="load")
            page.wait_for_function("Array.from(document.querySelectorAll('.parley-plot')).every(n => n.querySelector('.main-svg'))",
                                   timeout=60_000)
            page.emulate_media(media="print")
            # Charts were drawn for the screen's column; redraw them at the sheet's width.
            page.evaluate("() => window.Plotly && Array.from(document.querySelectorAll('.parley-plot')).forEach(p => Plotly.Plots.resize(p))")
            page.wait_for_timeout(300)
            width, height = PAPERS[paper]
            data = page.pdf(width=width, height=height, print_background=True, display_header_footer=True, margin=MARGINS,
                            header_template="<span></span>", footer_template=footer_template(title, version))
        except PlaywrightError as exc:
            raise RenderError(f"{source.name}: printing the PDF failed ({str(exc).splitlines()[0]})") from None
        finally:
            context.close()
    write_atomic(target, _stamp(data, title, _generated_at(text)))
    return target


def _generated_at(text: str) -> dt.datetime | None:
    match = _GENERATED.search(text)
    if not match:
        return None
    stamp = match.group(1) or match.group(2)
    try:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def _stamp(data: bytes, title: str, moment: dt.datetime | None) -> bytes:
    """The PDF with its metadata set: title, producer, and the page's generation time as dates."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    when = (moment or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)).strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.metadata = {"/Title": title, "/Producer": "parley (Chromium print)", "/Creator": "parley", "/CreationDate": when, "/ModDate": when}
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
