"""Sections about the record itself: the sources appendix every briefing ends with, and the dataset
QA notebook's checks (table counts, coverage, review status, verification, gaps, new statements).

Split from :mod:`parley.report.sections`, which re-exports them (the notebooks call ``pb.<section>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from parley import analysis, figures
from parley.report.display import HTMLBlock, Table, esc, plural

if TYPE_CHECKING:
    from parley.report.view import BriefingView


def sources_appendix(b: BriefingView) -> Table:
    """Every source in five columns that fit the reading width: the outlet, its date and author; the
    title and language; origin, kind and reliability; the URL (its own cell: a pasted URL may be long);
    what of it verifies, with the text's hash.

    Twelve facts a reader may want of a source do not fit 848 px as twelve columns (1014 px at the
    least, with the living-dossier model's origin, kind and reliability); folded two or three to a cell,
    one line each, they do. The source id is on hover of the outlet and the title.
    """
    sources = analysis.source_coverage(b.dossier).merge(
        b.dossier.sources[["source_id", "kind", "reliability", "author", "url", "language", "translated_from", "sha256"]], on="source_id")
    rows = sources.assign(
        outlet_date=[_lines(o, _date_text(p), _filled(a, "author unknown")) for o, p, a in zip(sources["outlet"], sources["published"], sources["author"])],
        title_language=[_lines(t, _language(lang, tr)) for t, lang, tr in zip(sources["title"], sources["language"], sources["translated_from"])],
        provenance=[_lines(_filled(o, "own reporting"), _filled(k, "kind not given"), f"reliability {r}" if _given(r) else "reliability not graded")
                    for o, k, r in zip(sources["origin"], sources["kind"], sources["reliability"])],
        link=[_filled(u, "no URL") for u in sources["url"]],
        checked=[_lines(plural(int(s), "statement"), f"{int(v)} of {plural(int(n), 'report')} verified", f"SHA-256 {h[:12]}")
                 for s, v, n, h in zip(sources["statements"], sources["verified"], sources["reports"], sources["sha256"])])
    return Table(rows, {"outlet_date": "Outlet, published, author", "title_language": "Title, language", "provenance": "Origin, kind, reliability (A–F)",
                        "link": "URL", "checked": "Reported, verified, text hash"},
                 caption="Sources", empty="No sources.", hover={"outlet_date": "source_id", "title_language": "source_id"})


def _given(value: object) -> bool:
    return not (value is None or value is pd.NA or (isinstance(value, float) and value != value) or str(value).strip() == "")


def _filled(value: object, missing: str) -> str:
    return str(value) if _given(value) else missing


def _date_text(value: object) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else _filled(value, "date unknown")


def _language(language: object, translated_from: object) -> str:
    language = _filled(language, "language not given")
    return f"{language}, translated from {translated_from}" if _given(translated_from) else language


def _lines(*parts: str) -> str:
    """One cell of several facts, one per line (the table shows each line break)."""
    return "\n".join(str(part) for part in parts)


# --- dataset QA ------------------------------------------------------------------------------

def table_counts(b: BriefingView) -> Table:
    """Rows per table of the data package."""
    frame = pd.DataFrame([{"table": k, "rows": v} for k, v in b.dossier.counts().items()])
    return Table(frame, {"table": "Table", "rows": "Rows"}, caption=f"Data package {b.dossier.id}, version {b.dossier.version}")


def coverage_chart(b: BriefingView) -> go.Figure:
    """Statements per speaker and per source."""
    return figures.create_coverage_chart(analysis.coverage(b.dossier, top_n=max(b.top_n, 12)), analysis.source_coverage(b.dossier))


def review_status(b: BriefingView) -> Table:
    """Statements per review status and coder."""
    return Table(analysis.review_status(b.dossier), {"review_status": "Review status", "coder": "Coder", "statements": "Statements"},
                 caption="Review status")


def verification(b: BriefingView) -> HTMLBlock:
    """Provenance: does every report's text equal its source at its offsets?"""
    checked = analysis.verify_statements(b.dossier)
    bad = checked.loc[~checked["verified"]]
    if bad.empty:
        text = (f"All {len(checked)} reports of {checked['statement_id'].nunique()} statements verify: "
                "each text equals its source at its character offsets.")
        return HTMLBlock(f'<p class="parley-ok">{esc(text)}</p>', text)
    text = f"{len(bad)} of {len(checked)} reports do not match their source: " + ", ".join(bad["report_id"].head(20))
    return HTMLBlock(f'<p class="parley-alert">{esc(text)}</p>', text)


def gaps(b: BriefingView) -> Table:
    """Actors never heard from, and statements that carry no position."""
    actors = b.dossier.actors
    silent = actors.loc[~actors["actor_id"].isin(b.dossier.statements["speaker_id"]) & ~actors["actor_id"].isin(b.dossier.positions["actor_id"])]
    utterances = b.dossier.utterances
    no_position = utterances.loc[~utterances["statement_id"].isin(b.dossier.positions["statement_id"])]
    rows = pd.concat([
        pd.DataFrame({"gap": "actor with no statement or position", "id": silent["actor_id"], "detail": silent["name"]}),
        pd.DataFrame({"gap": "statement with no position", "id": no_position["statement_id"], "detail": no_position["text"].str.slice(0, 100)}),
    ], ignore_index=True)
    return Table(rows, {"gap": "Gap", "id": "Id", "detail": "Detail"}, caption="Gaps in the coding", empty="No gaps.", max_rows=100)


def new_statements_table(b: BriefingView) -> Table:
    """Statements new or revised since the edition compared with (all of them when there is none)."""
    rows = b.diff.loc[b.diff["kind"] == "statements"]
    caption = f"Statements new or revised since {b.compared_with.describe()}" if b.compared_with is not None else "All statements on the record"
    return Table(rows, {"change": "Change", "id": "Statement", "what": "Speaker and words", "detail": "Said and reported", "date": "Date"},
                 caption=caption, empty="No new statements.", max_rows=max(b.top_n * 5, 50))
