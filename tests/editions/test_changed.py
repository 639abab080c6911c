"""Only what changed: after a data edit ``parley run`` renders again exactly the pages whose slice of
the dossier changed (parley.editions.slices), and every page it keeps as unchanged is what a fresh
render of the edited dossier gives, apart from its generation time and the dataset version it names.

Real runs of the shipped actor_profile and issue_brief notebooks on a copy of the tiny dossier (3
actor profiles, 2 issue briefs), the second edition compared with the first (a baseline edition).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from parley.data.dossier import load_dossier
from parley.editions import inputs, slices
from parley.editions.batch import format_summary, run_spec
from parley.editions.spec import expand_spec

PARLEY = Path(sys.executable).parent / "parley"
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EDITION = "2025-03-03"  # the tiny dossier's date; the first edition is the day before
PAGES = {"actor-northland", "actor-southland", "actor-midland", "issue-border_line", "issue-further_talks"}


def _spec(folder: Path, notebooks: Path = NOTEBOOKS) -> Path:
    path = folder / "spec.yml"
    path.write_text(textwrap.dedent(f"""\
        defaults: {{dossier: tiny, as_of: today, since: previous}}
        briefings:
          - name: actor-{{actor}}
            notebook: {notebooks / 'actor_profile.ipynb'}
            for_each:
              actor: {{from: actors, where: {{kind: [state]}}}}
          - name: issue-{{issue}}
            notebook: {notebooks / 'issue_brief.ipynb'}
            for_each:
              issue: issues
        """), encoding="utf-8")
    return path


@pytest.fixture
def edition(tmp_path, tiny_dir, monkeypatch):
    """A copy of the tiny dossier, its spec, and two published editions (the second compares with the first)."""
    data, reports = tmp_path / "data", tmp_path / "reports"
    shutil.copytree(tiny_dir, data / "tiny")
    monkeypatch.setenv("PARLEY_DATA_DIR", str(data))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(reports))
    copies = tmp_path / "notebooks"  # the shipped notebooks, copied: step 4 edits one
    copies.mkdir()
    for name in ("actor_profile.ipynb", "issue_brief.ipynb"):
        shutil.copyfile(NOTEBOOKS / name, copies / name)
    spec = _spec(tmp_path, copies)
    for today in ("2025-03-02", EDITION):
        result = run_spec(spec, today=today, progress=False)
        assert result.exit_code == 0, format_summary(result)
        assert {o.briefing.name for o in result.outcomes if o.status == "published"} == PAGES
    return spec, data / "tiny", reports


def _edit(folder: Path, table: str, key: str, column: str, value: str, **more: str) -> None:
    """Set ``column`` (and ``more``) of the row ``key`` (first column) of ``table`` in place."""
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    hit = [row for row in rows if row[fields[0]] == key]
    assert len(hit) == 1
    hit[0].update({column: value, **more})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _page(reports: Path, name: str) -> tuple[str, str]:
    """A published page's HTML and notebook, without what differs between two renders of the same
    view: its generation time, and the dataset version it names as its own (the data it was
    rendered from; the version the edition it compares with names stays)."""
    folder = reports / "tiny" / EDITION
    record = json.loads((folder / f"{name}.run.json").read_text(encoding="utf-8"))
    own = re.compile(r"(?<!data version )" + re.escape(record["version"]))
    html = (folder / f"{name}.html").read_text(encoding="utf-8")
    html = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(Z| UTC)", "GENERATED", html)  # the page's generation time
    ipynb = (folder / f"{name}.ipynb").read_text(encoding="utf-8")
    return own.sub("VERSION", html), own.sub("VERSION", ipynb)


def _run_edited(spec: Path, reports: Path, expected: set[str]) -> None:
    """Run the edition again (the CLI): exactly ``expected`` render again, each page kept unchanged
    is what a forced fresh render of the edited dossier gives."""
    done = subprocess.run([str(PARLEY), "run", str(spec), "--today", EDITION, "-q"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split()[0]: line.split()[2] for line in done.stdout.splitlines() if line.split() and line.split()[0] in PAGES}
    assert {name for name, status in rows.items() if status == "published"} == expected, done.stdout
    unchanged = PAGES - expected
    assert {name for name, status in rows.items() if status == "unchanged"} == unchanged, done.stdout
    assert f"rendered again ({len(expected)}): " in done.stdout and "its records changed" in done.stdout
    assert f"unchanged ({len(unchanged)}): " in done.stdout and "its records did not change" in done.stdout
    kept = {name: _page(reports, name) for name in unchanged}
    fresh = run_spec(spec, today=EDITION, only=sorted(unchanged), force=True, progress=False)
    assert fresh.exit_code == 0 and {o.reason for o in fresh.outcomes} == {"forced (--force)"}
    for name in sorted(unchanged):
        html, ipynb = _page(reports, name)
        assert ipynb == kept[name][1], f"{name}: kept as unchanged, but a fresh render's notebook differs"
        assert html == kept[name][0], f"{name}: kept as unchanged, but a fresh render's page differs"


def test_after_an_edit_only_the_pages_it_touches_render_again(edition, tmp_path, monkeypatch):
    spec, dossier, reports = edition
    # 1. Northland's stance on further talks, +1 -> -1: its profile, the brief on the issue, and
    #    Southland's profile (its alignment circle holds every position of Northland) render again.
    _edit(dossier, "positions", "p3", "stance", "-1")
    _run_edited(spec, reports, {"actor-northland", "actor-southland", "issue-further_talks"})
    # 2. Hollis's quote cut to its first words (still the source's text at its new offsets).
    source = (dossier / "seeds" / "tiny_001.txt").read_text(encoding="utf-8")
    assert source[448:478] == "a line that reflects the facts"
    _edit(dossier, "reports", "r2_tiny", "text", "a line that reflects the facts", char_end="478")
    _run_edited(spec, reports, {"actor-northland", "actor-southland", "issue-border_line"})
    # 3. A notebook given one more cell: every page of it renders again, the others do not.
    copy = tmp_path / "notebooks" / "issue_brief.ipynb"
    nb = nbformat.read(copy, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("One more word from the analyst."))
    nbformat.write(nb, copy)
    again = run_spec(spec, today=EDITION, progress=False)
    reasons = {o.briefing.name: o.reason for o in again.outcomes}
    assert reasons == {**dict.fromkeys(PAGES - {"issue-border_line", "issue-further_talks"}, "its records did not change"),
                       "issue-border_line": "the notebook changed", "issue-further_talks": "the notebook changed"}, reasons
    # 4. The code a render runs changed: every page renders again (two of them here, one per kind).
    monkeypatch.setattr(inputs, "code_hash", lambda: "another code")
    two = ["actor-midland", "issue-border_line"]
    result = run_spec(spec, today=EDITION, only=two, progress=False)
    assert {o.briefing.name: o.reason for o in result.outcomes} == dict.fromkeys(two, "the code changed")
    assert "rendered again (2): actor-midland, issue-border_line: the code changed" in format_summary(result)


# --------------------------------------------------------------------------------------------
# which slices an edit touches, without rendering (every kind of single-record edit)


def _scopes(spec: Path) -> dict[str, str]:
    slicer = slices.Slicer()
    return {b.name: slicer.scope(b.notebook, dict(b.parameters), b.dossier, "whole").key for b in expand_spec(spec, today=EDITION)}


@pytest.mark.parametrize(("table", "key", "column", "value", "expected"), [
    ("positions", "p1", "stance", "-1", {"actor-northland", "actor-southland", "issue-border_line"}),
    ("positions", "p1", "red_line", "false", {"actor-northland", "actor-southland", "issue-border_line"}),
    ("statements", "s3", "date_said", "2025-03-02", PAGES),  # the period every header shows
    ("statements", "s1", "kind", "reported_speech", {"actor-northland", "actor-southland", "issue-border_line"}),
    ("actors", "midland", "name", "Middle Land", PAGES),
    ("issues", "further_talks", "label", "More talks", PAGES),
    ("events", "midtown_talks", "title", "Talks, renamed", PAGES),
    ("sources", "tiny_001", "title", "Another title", PAGES),
])
def test_which_pages_an_edit_touches(tmp_path, tiny_dir, monkeypatch, table, key, column, value, expected):
    shutil.copytree(tiny_dir, tmp_path / "data" / "tiny")
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path / "data"))
    spec = _spec(tmp_path)
    before = _scopes(spec)
    folder = tmp_path / "data" / "tiny"
    _edit(folder, table, key, column, value)
    load_dossier(folder)  # the edit is valid
    after = _scopes(spec)
    assert {name for name in before if before[name] != after[name]} == expected


def test_briefing_and_qa_and_unknown_cells_key_on_the_whole_dataset(tmp_path):
    assert slices.page_kind(NOTEBOOKS / "actor_profile.ipynb") == ("actor", "actor")
    assert slices.page_kind(NOTEBOOKS / "issue_brief.ipynb") == ("issue", "issue")
    for name in ("briefing", "dataset_qa", "review"):
        assert slices.page_kind(NOTEBOOKS / f"{name}.ipynb") is None
    nb = nbformat.read(NOTEBOOKS / "issue_brief.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("pb.stance_heatmap(briefing)"))  # shows every party on every issue
    nbformat.write(nb, tmp_path / "wider.ipynb")
    assert slices.page_kind(tmp_path / "wider.ipynb") is None
    nb.cells[-1] = nbformat.v4.new_code_cell("print(briefing.dossier.statements)")
    nbformat.write(nb, tmp_path / "other.ipynb")
    assert slices.page_kind(tmp_path / "other.ipynb") is None
    nb.cells.pop()
    opening = next(i for i, cell in enumerate(nb.cells) if "open_briefing" in cell.source)
    nb.cells[opening] = nbformat.v4.new_code_cell(nb.cells[opening].source.replace("pb.open_briefing(dossier,", 'pb.open_briefing("riyadh_2025",'))
    nbformat.write(nb, tmp_path / "fixed.ipynb")  # a dossier the runner does not pass: not the one the key slices
    assert "riyadh_2025" in nb.cells[opening].source and slices.page_kind(tmp_path / "fixed.ipynb") is None


def test_a_run_reads_its_dossier_once_for_the_view_date_and_the_slices(tmp_path, tiny_dir, monkeypatch):
    """The runner's own process (not its workers) loads and validates the dossier once: the view date
    and every page's slice read the same loaded dossier (:mod:`parley.report.loaded`)."""
    import parley.data.dossier as dossier_module
    from parley.report import loaded

    data = tmp_path / "data"
    shutil.copytree(tiny_dir, data / "tiny")
    monkeypatch.setenv("PARLEY_DATA_DIR", str(data))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(tmp_path / "reports"))
    real, calls = dossier_module.load_dossier, []
    monkeypatch.setattr(dossier_module, "load_dossier", lambda *a, **k: calls.append(a) or real(*a, **k))
    loaded.release()
    result = run_spec(_spec(tmp_path), today=EDITION, progress=False)
    assert result.exit_code == 0, format_summary(result)
    assert {o.briefing.name for o in result.outcomes if o.status == "published"} == PAGES
    assert len(calls) == 1, f"the runner loaded its dossier {len(calls)} times"
