"""The parley nbconvert template and its preprocessor (parley.report.export), on hand-made executed notebooks.

No kernel runs here: notebooks are built with nbformat and given outputs as a kernel would
(Plotly figures as ``application/vnd.plotly.v1+json``, DataFrames as ``text/html``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import plotly.express as px
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from parley import paths
from parley.report.export import PLOTLY_MIMETYPE, export_html, sanitize_html, script_safe_json

HOSTILE = "<script>alert(1)</script>"
BREAKOUT = "</script><script>alert(2)</script><!--"
CODE_MARKER = "this_code_must_not_show = 1"


def figure(title: str = "Stances", kind: str = "bar") -> dict:
    frame = pd.DataFrame({"actor": ["Alpha", "Beta"], "stance": [2, -1], "note": [HOSTILE, BREAKOUT]})
    if kind == "bar":
        fig = px.bar(frame, x="actor", y="stance", hover_data=["note"], title=title)
    else:
        fig = px.density_heatmap(frame, x="actor", y="stance", title=title)
    return json.loads(fig.to_json())


def code(cell_id: str, outputs: list, source: str = CODE_MARKER):
    cell = new_code_cell(source, outputs=outputs, execution_count=1)
    cell.id = cell_id
    return cell


def md(cell_id: str, source: str):
    cell = new_markdown_cell(source)
    cell.id = cell_id
    return cell


def chart(fig: dict):
    return new_output("display_data", data={PLOTLY_MIMETYPE: fig}, metadata={})


def html_output(markup: str):
    return new_output("execute_result", data={"text/html": markup, "text/plain": "text"}, execution_count=1)


def make_notebook(with_meta: bool = True, charts: int = 2):
    table = pd.DataFrame({"actor": ["Alpha", "Beta"], "stance": [2, -1], "note": [HOSTILE, "plain"]})
    cells = [
        md("title", "# Tiny page (synthetic)\n\nIntro paragraph."),
        code("params", [], 'dossier = "tiny"'),
        md("h-stances", "## Stances\n\nText."),
    ]
    if charts:
        cells.append(code("chart-a", [chart(figure("First </script> chart"))]))
    if charts > 1:
        cells.append(code("chart-b", [new_output("stream", name="stdout", text="before\n"), chart(figure("Second", "heatmap"))]))
    cells += [
        md("h-table", "### Table of stances"),
        code("table", [html_output(table.to_html())]),
        md("h-notes", "## Notes — what stays text"),
        code("notes", [new_output("stream", name="stdout", text=f"label {HOSTILE}\n"), new_output("stream", name="stderr", text="a warning nobody should read\n")]),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    if with_meta:
        nb.metadata["parley"] = {
            "title": "Tiny page (synthetic)",
            "dossier": "tiny",
            "dossier_title": "Tiny <dossier>",
            "as_of": "2025-03-03",
            "version": "abc123def456",
            "generated_at": "2026-01-02T03:04:05Z",
            "notebook": "tests/notebooks/tiny_briefing.ipynb",
            "parameters": {"dossier": "tiny", "label": HOSTILE},
            "sources": ["Synthetic source one", f"Hostile source {HOSTILE}"],
            "parley_version": "0.1.0",
        }
    return nb


def without_plotly_js(page: str) -> str:
    """The page with the inlined plotly.js bundle removed (it holds URLs and words like MathJax)."""
    return re.sub(r"<script>/\*\*\n\* plotly\.js.*?</script>", "<script>[plotly.js]</script>", page, count=1, flags=re.DOTALL)


@pytest.fixture(scope="module")
def page() -> str:
    return export_html(make_notebook(), "tiny_briefing")[0]


@pytest.fixture(scope="module")
def page_resources():
    return export_html(make_notebook(), "tiny_briefing")[1]


def test_no_code_and_no_prompts(page):
    assert CODE_MARKER not in page
    assert "In&nbsp;[" not in page and "Out[" not in page
    assert "jp-InputArea" not in page


def test_markdown_and_outputs_are_kept(page):
    assert "Intro paragraph." in page
    assert "before" in page  # stdout stays
    assert "a warning nobody should read" not in page  # stderr goes


def test_chart_divs_have_ids_from_cell_id_and_output_index(page):
    assert re.findall(r'<div class="parley-plot" id="([^"]+)"', page) == ["chart-chart-a-0", "chart-chart-b-1"]


def test_export_is_deterministic():
    first, _ = export_html(make_notebook(), "tiny_briefing")
    second, _ = export_html(make_notebook(), "tiny_briefing")
    assert first == second


def test_plotly_js_inlined_once_in_head_only_with_charts(page):
    banner = re.compile(r"<script>/\*\*\n\* plotly\.js[^\n]*v\d")
    assert len(banner.findall(page)) == 1
    assert banner.search(page).start() < page.index("</head>")
    chartless, resources = export_html(make_notebook(charts=0), "chartless")
    assert not banner.search(chartless)
    assert "<script" not in chartless
    assert resources["parley"]["n_charts"] == 0


def test_figure_json_cannot_close_its_script(page):
    body = without_plotly_js(page)
    assert "</script><script>alert" not in body
    assert "<!--" not in body
    # Exactly: plotly.js, two figure data blocks and the drawing script.
    assert len(re.findall(r"<script\b", body)) == 4
    blocks = re.findall(r'<script class="parley-figure" data-target="[^"]+" type="application/json">(.*?)</script>', body, flags=re.DOTALL)
    assert len(blocks) == 2
    assert "<" not in blocks[0]
    decoded = json.loads(blocks[0])
    assert decoded == figure("First </script> chart")  # the escaping loses nothing


def test_script_safe_json_round_trips_every_dangerous_character():
    value = {"t": "</script><!-- & > \u2028 \u2029 <\u2f8f>"}
    text = script_safe_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


def test_hostile_strings_in_outputs_stay_text(page):
    body = without_plotly_js(page)
    assert HOSTILE not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # table cell, stdout, parameters, sources


def test_hostile_html_and_markdown_outputs_are_cleaned():
    evil = (
        '<div class="ok"><script>alert(1)</script><img src="https://example.org/x.png" onerror="alert(1)">'
        '<a href="javascript:alert(1)">click</a><iframe src="https://example.org"></iframe>'
        '<style>body{background:url(https://example.org/bg.png)}</style><p onclick="alert(1)">kept text</p></div>'
    )
    nb = make_notebook(charts=0)
    nb.cells.append(code("evil-html", [html_output(evil)]))
    nb.cells.append(code("evil-md", [new_output("display_data", data={"text/markdown": f"## From output\n\nSaid {HOSTILE} with *emphasis*", "text/plain": "x"})]))
    nb.cells.append(code("evil-js", [new_output("display_data", data={"application/javascript": "alert(3)", "text/plain": "<js>"})]))
    page, resources = export_html(nb, "evil")
    for needle in ("alert(1)</script>", "onerror", "onclick", "javascript:", "<iframe", "<img", "example.org", "alert(3)", "<style>body"):
        assert needle not in page, needle
    assert "kept text" in page and "<em>emphasis</em>" in page
    assert {"level": 2, "id": "From-output", "text": "From output"} in resources["parley"]["toc"]


def test_sanitize_keeps_tables_and_marks_numbers():
    markup = pd.DataFrame({"actor": ["Alpha"], "stance": [-2], "share": ["12.5%"], "date": ["2025-02-18"]}).to_html()
    clean = sanitize_html(markup)
    assert '<table class="dataframe">' in clean and "<thead>" in clean and "<th>actor</th>" in clean
    assert '<td class="parley-num">-2</td>' in clean
    assert '<td class="parley-num">12.5%</td>' in clean
    assert '<td class="parley-date">2025-02-18</td>' in clean and "<td>Alpha</td>" in clean


def test_toc_lists_h2_and_h3_with_ids_that_exist(page):
    toc = re.search(r'<nav aria-label="Contents" class="parley-toc">(.*?)</nav>', page, flags=re.DOTALL).group(1)
    hrefs = re.findall(r'href="#([^"]+)"', toc)
    assert [text for text in re.findall(r'<a href="#[^"]+">([^<]+)</a>', toc)] == ["Stances", "Table of stances", "Notes — what stays text"]
    assert 'class="parley-toc-h3"' in toc
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    for href in hrefs:
        assert href in ids, href


def test_header_and_provenance_from_metadata(page):
    assert "<title>Tiny page (synthetic)</title>" in page
    assert re.search(r'<h1 class="parley-title">Tiny page \(synthetic\)</h1>', page)
    assert "Tiny &lt;dossier&gt;" in page and '<span class="parley-id">tiny</span>' in page
    assert '<time datetime="2025-03-03">2025-03-03</time>' in page
    assert "<code>abc123def456</code>" in page
    generated = re.findall(r'<time[^>]*id="parley-generated-at"[^>]*>([^<]*)</time>', page)
    assert generated == ["2026-01-02 03:04:05 UTC"]
    assert page.count("2026-01-02") == 2  # the datetime attribute and the text of that one element
    assert "tests/notebooks/tiny_briefing.ipynb" in page
    assert "<code>dossier = \"tiny\"</code>" in page
    assert "Synthetic source one" in page
    assert "Generated by parley 0.1.0" in page


def test_title_heading_is_not_repeated(page):
    assert page.count("Tiny page (synthetic)") == 2  # <title> and the header's <h1>
    assert len(re.findall(r"<h1\b", page)) == 1


def test_degrades_without_parley_metadata():
    page, _ = export_html(make_notebook(with_meta=False), "plain_notebook")
    assert '<h1 class="parley-title">Tiny page (synthetic)</h1>' in page  # from the first H1
    assert "parley-generated-at" not in page
    assert "Dataset version" not in page
    assert "<code>plain_notebook</code>" in page  # notebook name in the footer
    nb = make_notebook(with_meta=False)
    nb.cells = nb.cells[1:]  # no H1 at all: the name is the title
    page, _ = export_html(nb, "plain_notebook")
    assert '<h1 class="parley-title">plain_notebook</h1>' in page


def test_nothing_references_the_network(page):
    body = without_plotly_js(page)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", body)
    for needle in ("require.js", "require.min.js", "MathJax", "mermaid", "cdnjs", "jsdelivr", "unpkg", "<link"):
        assert needle not in body, needle


def test_csp_allows_exactly_the_inline_scripts(page):
    csp = re.search(r'<meta content="([^"]+)" http-equiv="Content-Security-Policy"/>', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    allowed = set(directives["script-src"].split())
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    assert len(scripts) == 2 and hashes == allowed


def test_partial_bundle_when_fetched(page_resources):
    from parley.report import assets

    expected = assets.choose_bundle({"bar", "histogram2d"}).name
    assert page_resources["parley"]["bundle"] == expected
    assert page_resources["parley"]["trace_types"] == ["bar", "histogram2d"]


def _executed_notebook_file(tmp_path: Path) -> Path:
    target = tmp_path / "executed.ipynb"
    nbformat.write(make_notebook(with_meta=False), target)
    return target


@pytest.mark.parametrize(
    "template_args",
    [
        ["--template", "parley", f"--TemplateExporter.extra_template_basedirs={paths.TEMPLATES_DIR}"],
        ["--template", "briefing_templates/parley"],
    ],
    ids=["basedirs", "path"],
)
def test_plain_nbconvert_cli_uses_the_template(tmp_path, template_args, monkeypatch):
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter-config"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    notebook = _executed_notebook_file(tmp_path)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", *template_args, str(notebook), "--output-dir", str(out)],
        cwd=paths.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    page = (out / "executed.html").read_text(encoding="utf-8")
    assert 'id="chart-chart-a-0"' in page and 'id="chart-chart-b-1"' in page
    assert CODE_MARKER not in page
    assert "parley-toc" in page
    assert "not able to be represented" not in result.stderr
