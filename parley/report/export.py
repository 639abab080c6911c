"""An executed notebook -> one self-contained HTML briefing page (nbconvert + our template).

The template lives in ``briefing_templates/parley/``; its ``conf.json`` registers
:class:`BriefingPreprocessor`, so the same page comes out of :func:`export_html` (what
:func:`parley.report.render.render_briefing` calls) and of plain nbconvert::

    jupyter nbconvert --to html --template parley \\
        --TemplateExporter.extra_template_basedirs=briefing_templates notebook.ipynb

(``--template briefing_templates/parley`` also works when run from the project root: nbconvert
looks a template name up relative to the working directory too.)

The preprocessor works on nbconvert's copy of the notebook, never on the run record. It

- gives every Plotly figure output (``application/vnd.plotly.v1+json``) a div id derived from its
  cell id and output index, and its JSON escaped so no string in it can close the ``<script>``
  element holding it;
- cleans every HTML and Markdown output through an allow-list (tables, text, links; no script,
  style, iframe, image or event handler), drops JavaScript and widget outputs and stderr streams;
- collects the h2/h3 headings for the table of contents, with the ids nbconvert gives them;
- picks the plotly.js bundle for the page's trace types (:mod:`parley.report.assets`) and computes the
  Content-Security-Policy hashes of the page's two scripts, so the browser itself refuses any
  other script and any network request.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import threading
from functools import lru_cache
from typing import Any

from nbconvert.preprocessors import Preprocessor

from parley import paths
from parley.report.whole import PLOTLY_MIMETYPE

TEMPLATE_NAME = "parley"
TEMPLATE_DIR = paths.TEMPLATES_DIR / TEMPLATE_NAME
CHART_SCRIPT = TEMPLATE_DIR / "static" / "parley.js"

#: Output mimetypes a briefing never shows: they run code or need a live kernel.
DROPPED_MIMETYPES = (
    "application/javascript",
    "text/javascript",
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)

_ALLOWED_TAGS = frozenset(
    """a abbr b blockquote br caption cite code col colgroup dd del details div dl dt em figcaption
    figure h1 h2 h3 h4 h5 h6 hr i ins kbd li mark ol p pre q s samp small span strong sub summary sup
    table tbody td tfoot th thead time tr u ul var wbr""".split()
)
_ALLOWED_ATTRIBUTES = {
    # role and aria-* are inert words for assistive technology; tabindex="0" lets a scroll region take focus.
    "*": ["class", "id", "title", "lang", "dir", "role", "aria-label", "aria-labelledby", "aria-describedby", "tabindex"],
    "a": ["href"],
    "td": ["colspan", "rowspan", "headers"],
    "th": ["colspan", "rowspan", "headers", "scope"],
    "col": ["span"],
    "colgroup": ["span"],
    "ol": ["start", "reversed"],
    "time": ["datetime"],
}
# Elements removed with everything inside them (bleach would keep their text).
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|template|noscript|iframe|object|embed|svg|math|textarea|select|title)\b.*?(?:</\1\s*>|\Z)",
    flags=re.IGNORECASE | re.DOTALL,
)
_NUMERIC_CELL = re.compile(r"<td>(\s*[-+\u2212]?(?:\d[\d,. \u202f]*)?\d(?:[eE][-+]?\d+)?\s*%?\s*|\s*(?:NaN|&lt;NA&gt;|None|nan)\s*)</td>")
_DATE_CELL = re.compile(r"<td>(\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\s*)</td>")
_HEADING = re.compile(r"<h([1-6])\b[^>]*?\bid=\"([^\"]*)\"[^>]*>(.*?)</h\1>", flags=re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ANCHOR_LINK = re.compile(r"<a class=\"anchor-link\"[^>]*>.*?</a>", flags=re.DOTALL)
_H1_LINE = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*$", flags=re.MULTILINE)


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """The allow-list above; ``tabindex`` only as ``0`` (reachable in reading order) or ``-1``."""
    if name not in _ALLOWED_ATTRIBUTES.get("*", []) and name not in _ALLOWED_ATTRIBUTES.get(tag, []):
        return False
    return name != "tabindex" or value in {"0", "-1"}


@lru_cache(maxsize=1)
def _cleaner():
    import bleach  # nbconvert's own sanitiser dependency

    return bleach.Cleaner(
        tags=_ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=["http", "https", "mailto"],
        strip=True,
        strip_comments=True,
    )


def sanitize_html(markup: str) -> str:
    """Keep only inert HTML: text, tables, lists, headings and links.

    Scripts, styles, frames, images, forms, inline SVG and every ``on*`` attribute go, and so
    does anything that could make the page load a resource. Table cells holding a number get
    the class ``parley-num`` (right-aligned by the stylesheet), cells holding an ISO date
    ``parley-date`` (kept on one line).
    """
    clean = _cleaner().clean(_DROP_WITH_CONTENT.sub("", markup))
    clean = _NUMERIC_CELL.sub(r'<td class="parley-num">\1</td>', clean)
    return _DATE_CELL.sub(r'<td class="parley-date">\1</td>', clean)


def script_safe_json(value: Any) -> str:
    """JSON text that can sit inside ``<script type="application/json">`` unharmed.

    ``<``, ``>`` and ``&`` only ever occur inside JSON strings, where ``\\u003c`` means the same
    character, so a value holding ``</script>`` or ``<!--`` cannot end or confuse the element.
    U+2028/U+2029 are escaped too.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def markdown_to_html(source: str) -> str:
    """Markdown rendered the way nbconvert renders markdown cells (same heading ids)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(source)


def headings(markup: str, levels=(2, 3)) -> list[dict[str, Any]]:
    """The headings of rendered markdown: ``[{"level", "id", "text"}]`` in document order."""
    found = []
    for level, anchor, inner in _HEADING.findall(markup):
        if int(level) in levels:
            text = html.unescape(_TAG.sub("", _ANCHOR_LINK.sub("", inner))).strip()
            found.append({"level": int(level), "id": html.unescape(anchor), "text": text})
    return found


def first_h1(nb) -> str | None:
    """Text of the first level-1 heading of the first markdown cell that has one."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _H1_LINE.search(cell.source)
            if match:
                return match.group(1).strip()
    return None


def csp_hash(script: str) -> str:
    """The ``'sha256-…'`` source a Content-Security-Policy needs to allow one inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def chart_div_id(cell, cell_index: int, output_index: int) -> str:
    """Deterministic id of a chart's div: the cell id (or position) and the output index."""
    cell_key = cell.get("id") or f"cell{cell_index}"
    return f"chart-{cell_key}-{output_index}"


def chart_caption(figure: dict) -> str:
    """What a chart shows, in words, for readers who cannot see it: its title and subtitle as plain
    text (Plotly's ``<br>`` and markup removed, entities decoded; the template escapes it again)."""
    title = (figure.get("layout") or {}).get("title") or {}
    if isinstance(title, str):
        title = {"text": title}
    subtitle = title.get("subtitle") or {}
    parts = [title.get("text") or "", subtitle.get("text") if isinstance(subtitle, dict) else ""]
    plain = [html.unescape(_TAG.sub(" ", (part or "").replace("<br>", " "))).strip() for part in parts]
    plain = [" ".join(part.split()) for part in plain if part.strip()]
    sentence = ". ".join(part.rstrip(".") for part in plain)
    return f"Chart: {sentence}." if sentence else "Chart."


def trace_types(figure: dict) -> set[str]:
    """Trace types a figure draws (a trace without ``type`` is a scatter)."""
    return {(trace.get("type") or "scatter") for trace in figure.get("data") or [] if isinstance(trace, dict)}


def page_title(nb, resources) -> str:
    meta = nb.metadata.get("parley") or {}
    name = (resources.get("metadata") or {}).get("name") or "Briefing"
    return meta.get("title") or nb.metadata.get("title") or first_h1(nb) or name


class BriefingPreprocessor(Preprocessor):
    """Prepare nbconvert's copy of an executed notebook for the ``parley`` template.

    Adds ``resources["parley"]``: ``title``, ``toc``, ``n_charts``, ``trace_types``, ``bundle``,
    ``plotly_js``, ``chart_js`` and ``csp`` (the Content-Security-Policy of the page).
    """

    def preprocess(self, nb, resources):
        title = page_title(nb, resources)
        self._drop_title_heading(nb, title)
        toc: list[dict[str, Any]] = []
        types: set[str] = set()
        n_charts = 0
        for cell_index, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                toc.extend(headings(markdown_to_html(cell.source)))
                continue
            if cell.cell_type != "code":
                continue
            kept = []
            for output_index, output in enumerate(cell.get("outputs", [])):
                kind = _prepare_output(output, cell, cell_index, output_index, toc, types)
                if kind is not None:
                    kept.append(output)
                    n_charts += kind == "chart"
            cell.outputs = kept
        resources["parley"] = {"title": title, "toc": toc, "n_charts": n_charts, "trace_types": sorted(types), **_page_scripts(n_charts, types)}
        return nb, resources

    @staticmethod
    def _drop_title_heading(nb, title: str) -> None:
        """Remove the first H1 when it repeats the page title the header already shows."""
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            match = _H1_LINE.search(cell.source)
            if match:
                if match.group(1).strip() == title:
                    cell.source = (cell.source[: match.start()] + cell.source[match.end() :]).strip("\n")
                return


def _prepare_output(output, cell, cell_index: int, output_index: int, toc: list, types: set) -> str | None:
    """Ready one output for the page: ``"chart"`` (a Plotly figure, given its div id and escaped
    JSON), ``"keep"`` (sanitised HTML, headings added to ``toc``) or ``None`` (dropped: stderr,
    or nothing the page can show)."""
    if output.output_type == "stream" and output.get("name") != "stdout":
        return None
    if output.output_type not in ("display_data", "execute_result"):
        return "keep"
    data = output.get("data", {})
    figure = data.get(PLOTLY_MIMETYPE)
    if isinstance(figure, dict):
        output.data = {PLOTLY_MIMETYPE: figure}
        output.metadata["parley"] = {
            "div_id": chart_div_id(cell, cell_index, output_index),
            "figure_json": script_safe_json(figure),
            "caption": chart_caption(figure),
        }
        types |= trace_types(figure)
        return "chart"
    data.pop(PLOTLY_MIMETYPE, None)
    for mimetype in DROPPED_MIMETYPES:
        data.pop(mimetype, None)
    if "text/html" in data:
        data["text/html"] = sanitize_html(_text(data["text/html"]))
        toc.extend(headings(data["text/html"]))
    elif "text/markdown" in data:
        rendered = sanitize_html(markdown_to_html(_text(data.pop("text/markdown"))))
        data["text/html"] = rendered
        toc.extend(headings(rendered))
    return "keep" if data else None


def _page_scripts(n_charts: int, types: set[str]) -> dict[str, Any]:
    """The scripts a page inlines (plotly.js, the smallest bundle holding its traces, and the
    chart loader) and the Content-Security-Policy that allows exactly them."""
    from parley.report.assets import choose_bundle

    chart_js = CHART_SCRIPT.read_text(encoding="utf-8") if n_charts else ""
    bundle = choose_bundle(types) if n_charts else None
    plotly_js = bundle.text if bundle else ""
    scripts = [csp_hash(text) for text in (plotly_js, chart_js) if text]
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + (" ".join(scripts) if scripts else "'none'"),
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "font-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return {"bundle": bundle.name if bundle else None, "plotly_js": plotly_js, "chart_js": chart_js, "csp": csp}


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def briefing_exporter():
    """An ``HTMLExporter`` using the ``parley`` template, inputs and prompts excluded.

    ``NbConvertBase.display_data_priority`` puts the Plotly mimetype first (the template draws it
    in ``data_other``).
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.NbConvertBase.display_data_priority = [
        PLOTLY_MIMETYPE,
        "text/html",
        "application/pdf",
        "text/latex",
        "image/svg+xml",
        "image/png",
        "image/jpeg",
        "text/markdown",
        "text/plain",
    ]
    config.TemplateExporter.extra_template_basedirs = [str(paths.TEMPLATES_DIR)]
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    exporter = HTMLExporter(config=config, template_name=TEMPLATE_NAME)
    return exporter


def export_html(nb, name: str | None = None) -> tuple[str, dict]:
    """Render an executed notebook as a briefing page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook; it is not modified.
    name
        The notebook's name, the title's last fallback.

    Returns
    -------
    (str, dict)
        The page and nbconvert's resources (``resources["parley"]`` says what the page holds).
    """
    resources = {"metadata": {"name": name or "Briefing"}}
    body, resources = _exporter().from_notebook_node(nb, resources=resources)
    return body, resources


_threads = threading.local()
#: Exporters :func:`warm_up` made and ran once, each for the next thread that exports without one of its own.
_warmed: list = []


def warm_up() -> None:
    """Make an exporter and export a small page with it now (a batch worker, while its kernel
    starts): its template and the templates it includes compiled, the regular expressions and the
    HTML entity table of the sanitiser and the Markdown renderer built, so the first real page pays
    none of it. The exporter goes to the next thread that exports (the worker warms up on a thread
    of its own and exports on its main thread)."""
    exporter = briefing_exporter()
    exporter.from_notebook_node(_sample_page(), resources={"metadata": {"name": "warm-up"}})
    _warmed.append(exporter)


def _sample_page():
    """A notebook with what a briefing's page holds: a Markdown heading, an HTML table and text with
    entities, Markdown output, a Plotly chart, printed text."""
    import nbformat

    html_table = "<h2>Table &amp; notes</h2><table><tr><th>A</th></tr><tr><td>&lt;b&gt; &eacute; &#8212;</td></tr></table>"
    chart = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"title": {"text": "Chart"}}}
    cell = nbformat.v4.new_code_cell("", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": html_table, "text/plain": "table"}),
        nbformat.v4.new_output("display_data", data={"text/markdown": "### Heading\n\n*some* **text** &amp; [a link](https://example.org)"}),
        nbformat.v4.new_output("display_data", data={PLOTLY_MIMETYPE: chart, "text/plain": "chart"}),
        nbformat.v4.new_output("stream", name="stdout", text="printed\n"),
    ])
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm-up\n\n## Section &amp; more"), cell])


def _exporter():
    """This thread's :func:`briefing_exporter`, made once (or taken from :func:`warm_up`): its Jinja
    environment and compiled template serve every page the thread exports (a batch worker's pages,
    a test session's), the same page as a new exporter would write (``tests/editions/test_warm.py``
    compares them)."""
    exporter = getattr(_threads, "exporter", None)
    if exporter is None:
        try:
            warmed = _warmed.pop()
        except IndexError:
            warmed = None
        exporter = _threads.exporter = warmed or briefing_exporter()
    return exporter
