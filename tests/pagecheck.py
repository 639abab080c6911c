"""What a reader would see wrong on a rendered page, measured in a real browser (Playwright page).

Not a test module: the browser tests call these on pages they opened.

- :func:`table_fit`: every table's width against the box that holds it, and whether a table that
  must scroll shows it (a visible scrollbar, a focusable region with a name);
- :func:`text_overlaps`: pairs of SVG text boxes of a chart that overlap (labels on top of each other);
- :func:`axe_violations`: axe-core's WCAG 2.1 A/AA violations (needs a context with ``bypass_csp=True``,
  since the page's Content-Security-Policy rightly refuses injected scripts).
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: Debian's chromium, and the flags every browser test launches it with (no network of its own).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def isolate(mp, root: Path) -> None:
    """Point reports, HOME and Jupyter's and IPython's settings into ``root`` (a ``pytest.MonkeyPatch``)."""
    mp.setenv("PARLEY_REPORTS_DIR", str(root / "reports"))
    mp.setenv("HOME", str(root / "home"))
    mp.setenv("JUPYTER_CONFIG_DIR", str(root / "jupyter-config"))
    mp.setenv("IPYTHONDIR", str(root / "ipython"))

#: axe-core rule tags checked: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Overlap below this many pixels in either direction is antialiasing, not a collision.
OVERLAP_TOLERANCE_PX = 1.5

_TABLE_FIT = """() => Array.from(document.querySelectorAll('main table')).map((table, index) => {
  const region = table.closest('.parley-scroll') || table.parentElement;
  const style = getComputedStyle(region);
  const scrolls = region.scrollWidth > region.clientWidth + 1;
  return {
    index, caption: (table.querySelector('caption') || table.closest('.parley-table-wrap')?.querySelector('.parley-caption') || {}).textContent || '',
    table: Math.round(table.getBoundingClientRect().width), scroll_width: region.scrollWidth, box: region.clientWidth,
    scrolls, overflow: style.overflowX, focusable: region.tabIndex >= 0,
    named: !!(region.getAttribute('aria-label') || region.getAttribute('aria-labelledby')),
    scrollbar: scrolls ? region.offsetHeight - region.clientHeight : null,
    shadows: style.backgroundImage.includes('gradient'),
    clipped_by_main: table.getBoundingClientRect().right > document.querySelector('main').getBoundingClientRect().right + 1
      && !scrolls,
  };
})"""

# Each drawn text as the four corners of its box on screen: getBBox in the text's own coordinates,
# carried through getScreenCTM, so a label rotated by -35 degrees is a rotated rectangle, not the
# (much larger) upright box around it.
_TEXT_BOXES = """(root) => {
  const texts = Array.from(root.querySelectorAll('.main-svg text')).filter(t => {
    if (!t.textContent.trim()) return false;
    if (t.closest('.hoverlayer')) return false;
    const style = getComputedStyle(t);
    if (style.display === 'none' || style.visibility === 'hidden' || +style.opacity === 0) return false;
    const box = t.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  });
  const frame = root.querySelector('.main-svg').getBoundingClientRect();
  return texts.map(t => {
    const b = t.getBBox(), m = t.getScreenCTM(), r = t.getBoundingClientRect();
    const corner = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
    return {text: t.textContent.slice(0, 60), cls: t.getAttribute('class') || '',
            corners: [corner(b.x, b.y), corner(b.x + b.width, b.y), corner(b.x + b.width, b.y + b.height), corner(b.x, b.y + b.height)],
            cut: r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 || r.bottom > frame.bottom + 1};
  });
}"""


def table_fit(page) -> list[dict]:
    """One row per table in the page's main column: widths, scrolling, keyboard reach."""
    return page.evaluate(_TABLE_FIT)


def _depth(a: list[list[float]], b: list[list[float]]) -> float:
    """How far two convex quadrilaterals overlap: the smallest overlap of their projections on the
    edge normals of both (separating axis theorem); 0 or less means apart."""
    depth = float("inf")
    for poly in (a, b):
        for i in range(4):
            (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % 4]
            nx, ny = y0 - y1, x1 - x0
            length = (nx * nx + ny * ny) ** 0.5
            if length == 0:
                continue
            nx, ny = nx / length, ny / length
            pa = [x * nx + y * ny for x, y in a]
            pb = [x * nx + y * ny for x, y in b]
            depth = min(depth, min(max(pa), max(pb)) - max(min(pa), min(pb)))
            if depth <= 0:
                return depth
    return depth


def overlaps(boxes: list[dict], tolerance: float = OVERLAP_TOLERANCE_PX) -> list[tuple[str, str, float]]:
    """Pairs of text boxes (``corners`` on screen) that overlap by more than ``tolerance`` pixels."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            depth = _depth(a["corners"], b["corners"])
            if depth > tolerance:
                found.append((a["text"], b["text"], round(depth, 1)))
    return found


def text_overlaps(page) -> dict[str, list[tuple[str, str, float]]]:
    """Per chart (its div id): pairs of its drawn text labels that overlap, and labels cut off at the
    chart's edge (paired with ``"<edge>"``)."""
    result = {}
    for plot in page.query_selector_all(".parley-plot"):
        boxes = plot.evaluate(_TEXT_BOXES)
        result[plot.get_attribute("id")] = overlaps(boxes) + [(box["text"], "<edge>", 0.0) for box in boxes if box["cut"]]
    return result


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the given impacts: rule id, impact, node count, first targets."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "targets": [n["target"] for n in v["nodes"][:3]], "help": v["help"]}
        for v in results.response["violations"] if v["impact"] in impacts
    ]
