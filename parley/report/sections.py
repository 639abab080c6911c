"""Briefing sections: what each notebook cell calls.

A notebook opens a :class:`parley.report.view.BriefingView` with
:func:`parley.report.view.open_briefing` (checks every parameter, loads and validates the
dossier) and then calls one section function per cell. Each section returns
something the notebook displays: a Plotly figure, a :class:`parley.report.display.Table`, or an
:class:`parley.report.display.HTMLBlock`. Sections compute nothing themselves beyond picking rows; the
numbers come from :mod:`parley.analysis` and the charts from :mod:`parley.figures`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parley import analysis, figures
from parley.analysis.editions import changes_about, first_edition_counts
from parley.report.display import HTMLBlock, Table, bullets, esc, one_line, plural, plural_phrase
from parley.figures.theme import stance_label
from parley.data.model import NEGOTIATING, corroboration_label, negotiating, outlet_name
from parley.data.tables import decoded
from parley.report.sections_qa import (coverage_chart, gaps, new_statements_table, review_status,  # noqa: F401  (re-exported: cells call them)
                                       sources_appendix, table_counts, verification)

#: How each participation reads in a table.
PARTICIPATION_LABELS = {"party": "party", "official": "official speaking for themself", "mediator": "mediator or host",
                        "outside_voice": "outside voice", "joint": "joint speaker"}

if TYPE_CHECKING:  # the view imports this module (its repr is the header section)
    from parley.report.view import BriefingView

__all__ = [
    "header",
    "analyst_note",
    "bluf",
    "key_judgments",
    "seat_chart",
    "stance_heatmap",
    "stance_table",
    "trajectory_chart",
    "bargaining_chart",
    "bargaining_table",
    "red_lines_table",
    "deal_blockers_table",
    "alignment_chart",
    "alignment_table",
    "timeline_chart",
    "watch_list",
    "key_quotes",
    "quote_board",
    "outside_views",
    "what_changed",
    "changes_table",
    "stance_shift_chart",
    "sources_appendix",
    "actor_card",
    "actor_positions",
    "actor_issue_chart",
    "actor_events",
    "issue_card",
    "issue_positions",
    "issue_judgments",
    "table_counts",
    "coverage_chart",
    "review_status",
    "verification",
    "gaps",
    "new_statements_table",
]

# --- shared sections -------------------------------------------------------------------------

def header(b: BriefingView) -> HTMLBlock:
    """Dossier, view date, comparison date, data version and table counts."""
    counts = b.dossier.counts()
    latest = analysis.latest_date(b.dossier)
    as_of = f"{b.as_of:%Y-%m-%d}"
    if latest is not None and latest > b.as_of:
        as_of += f" (the dossier holds data up to {latest:%Y-%m-%d}: this view leaves out what came later)"
    facts = [
        ("Dossier", f"{b.dossier.title} ({b.dossier.id})"),
        ("Period", analysis.period_text(b.dossier)),
        ("As of", as_of),
        ("Compared with", b.compared_with.describe() if b.compared_with is not None else "—"),
        ("Data version", b.dossier.version),
        ("Holds", f"{plural(counts['statements'], 'statement')} (utterances) in {plural(counts['reports'], 'report')}, "
                  + ", ".join(plural(counts[table], table[:-1]) for table in ("positions", "actors", "issues", "events", "sources"))),
    ]
    if b.actor:
        facts.insert(1, ("Actor", f"{b.name_of(b.actor)} ({b.actor})"))
    if b.issue:
        facts.insert(1, ("Issue", f"{b.issue_label(b.issue)} ({b.issue})"))
    markup = '<dl class="parley-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts) + "</dl>"
    return HTMLBlock(markup, "\n".join(f"{k}: {v}" for k, v in facts))


def _names(b: BriefingView, ids: list[str]) -> str:
    """Actors named by party: "United States (Marco Rubio), Russia (Sergei Lavrov)"."""
    parties = analysis.party_of(b.dossier.actors)
    grouped: dict[str, list[str]] = {}
    for actor_id in ids:
        party = parties.get(actor_id, actor_id)
        grouped.setdefault(party, [])
        if party != actor_id:
            grouped[party].append(b.name_of(actor_id))
    parts = [b.name_of(party) + (f" ({', '.join(people)})" if people else "") for party, people in grouped.items()]
    return ", ".join(parts) or "nobody recorded"


def _judgments(b: BriefingView) -> pd.DataFrame:
    """Judgments written on or before the as-of date (a view of an earlier date must not show a later
    judgment), each with when it was written and its review flag (statements on its issue since)."""
    from parley.analysis.staleness import known_judgments, review_flags

    judgments = known_judgments(b.dossier, b.as_of)
    flags = review_flags(b.dossier, b.as_of)
    return judgments.assign(review=[flags.get(j, "") for j in judgments["judgment_id"]])


def analyst_note(b: BriefingView, notebook: str = "briefing") -> HTMLBlock | None:
    """The analyst's own bottom line for this edition (table ``analyst_notes``), marked as theirs:
    who wrote it and when. ``None`` (the cell shows nothing) when the dossier holds none for the
    view's date; a machine never writes one."""
    notes = b.dossier.analyst_notes
    if notes.empty or "as_of" not in notes.columns:
        return None
    mine = notes["notebook"].fillna("").replace("", "briefing").eq(notebook) if "notebook" in notes.columns else True
    notes = notes.loc[notes["as_of"].eq(b.as_of) & mine].sort_values(["written_on", "note_id"], kind="stable")
    if notes.empty:
        return None
    blocks, plain = [], []
    for note in notes.itertuples():
        who = f"{note.author}, written {note.written_on:%Y-%m-%d}"
        blocks.append(f'<div class="parley-analyst" role="note" aria-label="Analyst\'s bottom line">'
                      f'<p class="parley-analyst-who"><strong>Analyst\'s bottom line</strong> — {esc(who)}</p>'
                      f'<blockquote>{esc(note.text)}</blockquote></div>')
        plain.append(f"Analyst's bottom line ({who}): {one_line(note.text)}")
    return HTMLBlock("".join(blocks), "\n".join(plain))


def bluf(b: BriefingView) -> HTMLBlock:
    """Bottom line up front: who met and who was left out, red lines, blockers, what is next, top judgment."""
    items = []
    if b.table_event:
        event = b.dossier.events.set_index("event_id").loc[b.table_event]
        date = f" on {event['date']:%Y-%m-%d}" if pd.notna(event["date"]) else ""
        items.append(f"<strong>{esc(_names(b, b.parties['participant']))}</strong> met at {esc(event['title'])}{esc(date)}"
                     + (f", hosted by {esc(_names(b, b.parties['host']))}" if b.parties["host"] else "")
                     + (f"; <strong>{esc(_names(b, b.parties['excluded']))}</strong> were left out." if b.parties["excluded"] else "."))
    lines = analysis.red_lines(b.party_matrix)
    if len(lines):
        items.append(f"<strong>{plural(len(lines), 'red line')}</strong> on the record: {esc(_red_line_summary(lines))}.")
    if len(b.blockers):
        top = b.blockers.iloc[0]
        items.append(f"<strong>{plural(len(b.blockers), 'deal blocker')}</strong>; the widest: {esc(top['holder'])}'s red line on {esc(top['issue'])} "
                     f"({esc(stance_label(top['holder_stance']))}) against {esc(top['demander'])} ({esc(stance_label(top['demander_stance']))}).")
    watch = analysis.watch_list(b.dossier, b.as_of)
    ahead, overdue = watch.loc[~watch["overdue"]], watch.loc[watch["overdue"]]
    if len(ahead):
        more = f"; and {plural(len(ahead) - WATCH_NAMED, 'more planned event')} in the watch list" if len(ahead) > WATCH_NAMED else ""
        items.append(f"<strong>Watch:</strong> {esc('; '.join(ahead['title'].head(WATCH_NAMED)) + more)}.")
    if len(overdue):
        late = "; ".join(f"{t} (planned for {d:%Y-%m-%d})" for t, d in zip(overdue["title"].head(WATCH_NAMED), overdue["date"].head(WATCH_NAMED)))
        items.append(f"<strong>Overdue:</strong> {esc(late)}: the date has passed and the dossier still lists it as planned.")
    judgments = _judgments(b).sort_values("rank")
    if len(judgments):
        top_judgment = judgments.iloc[0]
        items.append(f"<strong>Key judgment:</strong> {esc(top_judgment['text'])} (<em>{esc(top_judgment['likelihood'])}</em>, {esc(top_judgment['confidence'])} confidence)"
                     + (f' <span class="parley-alert">{esc(top_judgment["review"])}</span>' if top_judgment["review"] else ""))
        due = int((judgments["review"] != "").sum())
        if due:
            items.append(f"<strong>{due} key judgment(s) due for review</strong>: statements on their issue arrived after they were written.")
    if not items:
        items.append("The dossier holds no events, positions or judgments as of this date.")
    return bullets(items)


#: The bottom line names every red line up to this many; beyond, it counts them by actor.
RED_LINES_NAMED = 8
#: Planned events the bottom line names before it counts the rest.
WATCH_NAMED = 4
#: Actors the bottom line names with their count of red lines before it sums up the others.
RED_LINE_HOLDERS_NAMED = 4


def _red_line_summary(lines: pd.DataFrame) -> str:
    """Every red line, grouped by actor ("Russia on A and B; Ukraine on C"), or, when there are
    many, counts per actor that add up to the total ("Russia 12, Ukraine 9 and 35 other actors 184")."""
    groups = lines.groupby("actor", sort=False)["issue"].agg(list)
    if len(lines) <= RED_LINES_NAMED:
        return "; ".join(f"{actor} on {_and(issues)}" for actor, issues in groups.items())
    counts = groups.map(len).sort_values(ascending=False, kind="stable")
    named = counts.head(RED_LINE_HOLDERS_NAMED)
    parts = [f"{actor} {n}" for actor, n in named.items()]
    rest = counts.iloc[RED_LINE_HOLDERS_NAMED:]
    if len(rest):
        parts.append(f"{plural(len(rest), 'other actor')} {int(rest.sum())}")
    return f"held by {plural(len(counts), 'actor')}: {_and(parts)}"


def _and(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def key_judgments(b: BriefingView) -> Table:
    """Key judgments in ICD 203 wording with their confidence, support and indicators."""
    judgments = _judgments(b)
    support = b.dossier.judgment_support.merge(b.dossier.utterances[["statement_id", "text"]], on="statement_id", how="left")
    quoted = support.groupby("judgment_id")["text"].agg(lambda s: " · ".join(f"“{t[:90]}{'…' if len(t) > 90 else ''}”" for t in s))
    frame = judgments.sort_values("rank").assign(support=lambda f: f["judgment_id"].map(quoted).fillna(""))
    frame = frame.assign(written=frame["written"].map(lambda d: f"{d:%Y-%m-%d}" if pd.notna(d) else "date unknown"))
    return Table(frame, {"rank": "#", "text": "Judgment", "likelihood": "Likelihood (ICD 203)", "confidence": "Confidence",
                         "written": "Written", "review": "Review", "support": "Supporting statements", "indicators": "Indicators to watch"},
                 caption=f"As of {b.as_of:%Y-%m-%d}, in ICD 203 terms of likelihood", empty="No key judgments recorded.")


def seat_chart(b: BriefingView) -> go.Figure:
    """Who sat at each table and who was left out."""
    return figures.create_seat_chart(analysis.seats(b.dossier, b.as_of))


def stance_heatmap(b: BriefingView) -> go.Figure:
    """Party × issue heatmap of the latest stances, red lines boxed (outside voices: :func:`outside_views`)."""
    return figures.create_stance_heatmap(b.negotiation, max_actors=max(b.top_n, 12))


def stance_table(b: BriefingView) -> Table:
    """The numbers behind the heatmap: every party × issue stance, who said it, which outlets reported it, when."""
    frame = b.negotiation.sort_values(["issue", "actor"]).assign(stance_text=lambda f: f["stance"].map(stance_label),
                                                                  origins=lambda f: f["n_origins"].astype("int64"))
    return Table(frame, {"issue": "Issue", "actor": "Party", "stance_text": "Stance", "red_line": "Red line",
                         "condition": "Condition", "speaker": "Speaker", "outlets": "Reported by", "origins": "Independent origins", "date": "Date"},
                 caption="Latest stance of each party on each issue", empty="No positions as of this date.", max_rows=200,
                 hover={"outlets": "statement_id", "stance_text": "statement_id"})


def bargaining_chart(b: BriefingView) -> go.Figure:
    """Per issue, the stances of those at the table against those left out."""
    rows = b.sided if not b.issue else b.sided.loc[b.sided["issue_id"] == b.issue]
    return figures.create_bargaining_chart(rows)


def bargaining_table(b: BriefingView) -> Table:
    """Per issue: the range at the table, the range of those left out, and the gap between them."""
    space = analysis.bargaining_space(b.negotiation, b.dossier.actors, b.dossier.issues, b.parties)
    if b.issue:
        space = space.loc[space["issue_id"] == b.issue]
    return Table(space, {"issue": "Issue", "table_min": "At table: min", "table_max": "At table: max", "table_n": "At table: n",
                         "left_out_min": "Left out: min", "left_out_max": "Left out: max", "left_out_n": "Left out: n",
                         "gap": "Gap", "red_lines": "Red lines"},
                 caption="Bargaining space per issue (stances −2..+2)", empty="No positions as of this date.")


def red_lines_table(b: BriefingView) -> Table:
    """Every current red line with its verbatim words."""
    lines = _for_subject(b, analysis.red_lines(b.negotiation))
    return Table(lines, {"actor": "Actor", "issue": "Issue", "stance": "Stance", "text": "In their words", "speaker": "Speaker", "date": "Date"},
                 caption="Red lines", empty="No red lines on the record.")


def deal_blockers_table(b: BriefingView) -> Table:
    """Red lines that meet an opposite demand on the same issue."""
    blockers = b.blockers
    if b.actor:
        blockers = blockers.loc[(blockers["holder_id"] == b.actor) | (blockers["demander_id"] == b.actor)]
    if b.issue:
        blockers = blockers.loc[blockers["issue_id"] == b.issue]
    return Table(blockers, {"issue": "Issue", "holder": "Red line held by", "holder_stance": "Stance", "holder_quote": "Red line",
                            "demander": "Against", "demander_stance": "Stance", "demander_quote": "Their position", "distance": "Distance"},
                 caption="Deal blockers", empty="No red line meets an opposite demand.")


def alignment_chart(b: BriefingView) -> go.Figure:
    """Agreement and conflict between actors: a network for a handful, an actor × actor matrix beyond.

    For an actor profile: the actor and everyone it shares an issue with, and how those align too.
    """
    edges = b.edges
    if b.actor:
        touching = edges.loc[(edges["actor_a"] == b.actor) | (edges["actor_b"] == b.actor)]
        circle = set(touching["actor_a"]) | set(touching["actor_b"]) | {b.actor}
        edges = edges.loc[edges["actor_a"].isin(circle) & edges["actor_b"].isin(circle)]
    return figures.create_alignment_chart(edges, max_edges=max(b.top_n * 4, 20))


def alignment_table(b: BriefingView) -> Table:
    """Strongest ties: pairs of actors, issues shared, agreements, conflicts, score."""
    edges = b.edges
    if b.actor:
        edges = edges.loc[(edges["actor_a"] == b.actor) | (edges["actor_b"] == b.actor)]
    return Table(edges, {"name_a": "Actor", "name_b": "Actor", "shared": "Shared issues", "agreements": "Agree", "conflicts": "Conflict",
                         "score": "Score (−1..+1)", "issues_opposed": "Opposed on"},
                 caption="Strongest alignments and conflicts", empty="No two actors share an issue.", max_rows=b.top_n)


def timeline_chart(b: BriefingView) -> go.Figure:
    """Events held, planned and cancelled."""
    events = analysis.timeline(b.dossier, b.as_of)
    if b.actor:
        involved = set(analysis.seats(b.dossier, b.as_of).query("actor_id == @b.actor")["event_id"])
        events = events.loc[events["event_id"].isin(involved)]
    return figures.create_timeline(events, as_of=b.as_of)


def watch_list(b: BriefingView) -> Table:
    """Planned events still ahead (or undated) at the as-of date, and those whose date has passed
    while the dossier still lists them as planned (flagged overdue)."""
    rows = analysis.watch_list(b.dossier, b.as_of)
    rows = rows.assign(flag=rows["overdue"].map({True: "overdue: the date has passed, still listed as planned", False: ""}))
    return Table(rows, {"title": "Planned", "date": "Date", "place": "Place", "participants": "With", "flag": "Status"},
                 caption="Watch list", empty="Nothing planned on the record.")


def key_quotes(b: BriefingView) -> HTMLBlock:
    """The quotes to read first, verbatim, each with speaker, date, its outlets and how many
    independent origins report it, and the place of the words shown in their source.

    Parties' quotes only (outside voices have :func:`outside_views`), unless the briefing is about one actor.
    """
    participation = None if b.actor else NEGOTIATING
    quotes = analysis.key_quotes(b.dossier, b.as_of, top_n=b.top_n, actors=[b.actor] if b.actor else None, issues=[b.issue] if b.issue else None,
                                 participation=participation)
    if quotes.empty:
        return HTMLBlock('<p class="parley-empty">No direct quotes on the record.</p>', "No direct quotes on the record.")
    reports = b.dossier.reports
    shown = reports["report_id"].isin(quotes["report_id"]).to_numpy(dtype=bool)  # the quotes' reports, not an index of every report
    offsets = reports.loc[shown, ["report_id", "source_id", "char_start", "char_end"]].set_index("report_id")
    outlets = outlet_name(b.dossier.sources)
    cards, plain = [], []
    for q in quotes.itertuples():
        where = offsets.loc[q.report_id]
        mark = ' <span class="parley-redline">red line</span>' if q.red_line else ""
        reported = corroboration_label(q.outlets, int(q.n_outlets), int(q.n_origins))
        cards.append(
            f'<figure class="parley-quote"><blockquote>“{esc(q.text)}”</blockquote><figcaption>— <strong>{esc(q.speaker)}</strong>'
            f'{"" if q.actor == q.speaker else " for " + esc(q.actor)}, {esc(q.date)} · on {esc(q.issues)} ({esc(stance_label(q.stance))}){mark}'
            f'<br><span class="parley-corroboration">{esc(reported)}</span>'
            f'<br><small title="{esc(q.statement_id)}">{esc(q.source)} · {esc(q.completeness)} · characters {int(where["char_start"])}–{int(where["char_end"])}'
            f' of {esc(outlets.get(where["source_id"], where["source_id"]))}</small></figcaption></figure>'
        )
        plain.append(f"“{one_line(q.text)}” — {q.speaker}, {q.date:%Y-%m-%d} [{q.issues}; {stance_label(q.stance)}{'; red line' if q.red_line else ''}] {reported}")
    return HTMLBlock('<div class="parley-quotes">' + "".join(cards) + "</div>", "\n".join(plain))


def outside_views(b: BriefingView) -> Table:
    """What those outside the negotiation say: analysts, researchers, commentators, mediators, and
    officials speaking for themselves. They inform the reading; they never block a deal."""
    rows = _for_subject(b, b.outside_matrix).sort_values(["issue", "actor"])
    rows = rows.assign(meaning=rows["stance"].map(stance_label), role=rows["participation"].map(PARTICIPATION_LABELS).fillna(rows["participation"]),
                       reported=[corroboration_label(o, int(n), int(g)) for o, n, g in zip(rows["outlets"], rows["n_outlets"], rows["n_origins"])])
    return Table(rows, {"actor": "Voice", "role": "Takes part as", "issue": "Issue", "stance": "Stance", "meaning": "Meaning", "text": "In their words",
                        "reported": "Reported by", "date": "Date"},
                 caption="Outside views (not parties to the negotiation)", empty="No outside voice on the record.", max_rows=100)


def quote_board(b: BriefingView) -> go.Figure:
    """Every quoted position by party and stance (by the actor, in an actor profile)."""
    evidence = b.evidence
    shown = (evidence["actor_id"] == b.actor).fillna(False).to_numpy(dtype=bool) if b.actor else negotiating(evidence, b.dossier.actors)
    if b.issue:
        shown = shown & (evidence["issue_id"] == b.issue).fillna(False).to_numpy(dtype=bool)
    return figures.create_quote_board(evidence, rows=np.flatnonzero(shown), max_actors=max(b.top_n, 12))  # the rows shown, not a copy of them


def _for_subject(b: BriefingView, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``frame`` (with ``actor_id`` and ``issue_id``) about the briefing's actor or issue, if it has one."""
    if b.actor:
        frame = frame.loc[frame["actor_id"] == b.actor]
    if b.issue:
        frame = frame.loc[frame["issue_id"] == b.issue]
    return frame


def _subject_changes(b: BriefingView) -> pd.DataFrame:
    return _for_subject(b, b.changes)


def _subject_diff(b: BriefingView) -> pd.DataFrame:
    """The changes about the briefing's actor or issue (:func:`parley.analysis.editions.changes_about`)."""
    return changes_about(b.diff, b.actor, b.issue)


#: How many changes of one kind "What changed" lists before it says how many more there are.
CHANGES_LISTED = 8


def what_changed(b: BriefingView) -> HTMLBlock:
    """What changed since the baseline edition: new sources and outlets, parties and outside voices,
    statements, stance shifts and red lines, events and their status, judgments (new, revised, due)."""
    nothing = "Nothing changed: the records behind this page are those of the edition compared with."
    if b.compared_with is None:  # the first edition: how much the record holds, counted, not listed
        title = "No earlier edition to compare with (none published, and no since date given): everything on the record is new."
        counts = first_edition_counts(b.dossier, b.as_of, b.actor, b.issue)
        return bullets([esc(f"{change}: {n}") for change, n in counts.items()] or [esc(nothing)], title=title)
    title = f"Since {b.compared_with.describe()}:"
    diff = _subject_diff(b)
    if diff.empty:
        return bullets([esc(nothing)], title=title)
    items, plain = [], [title]
    for change, rows in diff.groupby("change", sort=False):
        listed = "".join(f"<li>{esc(r.what)}" + (f" — {esc(r.detail)}" if isinstance(r.detail, str) and r.detail else "") + "</li>"
                         for r in rows.head(CHANGES_LISTED).itertuples())
        more = f"<li>… and {len(rows) - CHANGES_LISTED} more</li>" if len(rows) > CHANGES_LISTED else ""
        items.append(f"<strong>{esc(change)}: {len(rows)}</strong><ul>{listed}{more}</ul>")
        plain.append(f"- {change}: {len(rows)}")
        plain += [f"  - {r.what}" + (f" — {r.detail}" if isinstance(r.detail, str) and r.detail else "") for r in rows.head(CHANGES_LISTED).itertuples()]
        if len(rows) > CHANGES_LISTED:
            plain.append(f"  - … and {len(rows) - CHANGES_LISTED} more")
    block = bullets(items, title=title)
    return HTMLBlock(block.markup, "\n".join(plain))


def changes_table(b: BriefingView) -> Table:
    """Each stance change with the statement behind it."""
    return Table(_subject_changes(b), {"change": "Change", "actor": "Actor", "issue": "Issue", "before": "Before", "after": "Now", "text": "Statement", "date": "Date"},
                 caption="Stance changes", empty="No stance changed.", max_rows=100)


def stance_shift_chart(b: BriefingView) -> go.Figure:
    """Where stances moved since the edition compared with (an explanatory panel when there is none)."""
    changes = _subject_changes(b)
    if b.compared_with is None:
        changes = changes.iloc[0:0]
    since = pd.Timestamp(b.compared_with.as_of) if b.compared_with is not None and b.compared_with.as_of else None
    return figures.create_stance_shift_chart(changes, since=since, as_of=b.as_of,
                                             title="Stance shifts" if b.compared_with is not None else "Stance shifts (nothing to compare with)")


def trajectory_chart(b: BriefingView) -> go.Figure:
    """How stances moved over time: for the main briefing each party on each issue; for an actor,
    the actor on each issue; for an issue, everyone on the record on it."""
    if b.actor:
        points = analysis.stance_trajectories(_actor_evidence(b))
        title = f"{html.escape(b.name_of(b.actor), quote=False)}: stance over time"
    elif b.issue:
        points = analysis.stance_trajectories(b.evidence.loc[b.evidence["issue_id"] == b.issue])
        title = f"{html.escape(b.issue_label(b.issue), quote=False)}: stances over time"
    else:
        points = analysis.stance_trajectories(b.evidence, b.dossier.actors, parties_only=True)
        title = "Each party's stance over time"
    return figures.create_trajectory_chart(points, as_of=b.as_of, max_issues=max(b.top_n, 12), title=title)


# --- actor profile ---------------------------------------------------------------------------

def actor_card(b: BriefingView) -> HTMLBlock:
    """Who the actor is: kind, parent, names and roles used in the sources, and what the dossier holds on them."""
    actor = b.dossier.actors.set_index("actor_id").loc[b.actor]
    spoke = int((b.dossier.statements["speaker_id"] == b.actor).sum())
    held = int((b.matrix["actor_id"] == b.actor).sum())
    members = b.dossier.actor_members.loc[b.dossier.actor_members["group_id"] == b.actor, "member_id"]
    facts = [("Name", actor["name"]), ("Kind", actor["kind"]), ("Takes part as", PARTICIPATION_LABELS.get(actor["participation"], actor["participation"])),
             ("Part of", b.name_of(actor["parent_id"]) if pd.notna(actor["parent_id"]) else "—"),
             ("Also called", (actor["aliases"] or "—").replace("|", ", ") if pd.notna(actor["aliases"]) else "—"),
             ("Roles", actor["roles"].replace("|", ", ") if pd.notna(actor["roles"]) else "—"),
             ("On the record", f"{plural(spoke, 'statement')} as speaker; positions on {plural(held, 'issue')}")]
    if len(members):
        facts.insert(3, ("Speaks jointly for", ", ".join(b.name_of(m) for m in members)))
    markup = '<dl class="parley-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts) + "</dl>"
    return HTMLBlock(markup, "\n".join(f"{k}: {v}" for k, v in facts))


def _actor_evidence(b: BriefingView) -> pd.DataFrame:
    """Every known position of the actor, or, for a person who speaks for a party, those their words express."""
    own = b.evidence.loc[b.evidence["actor_id"] == b.actor]
    if len(own):
        return decoded(own)
    return decoded(b.evidence.loc[b.evidence["speaker_id"] == b.actor]).assign(actor_id=b.actor, actor=b.name_of(b.actor))


def _actor_positions(b: BriefingView) -> pd.DataFrame:
    """Latest positions held by the actor, or, for a person who speaks for a party (a minister),
    the latest positions their own statements express for it."""
    own = b.matrix.loc[b.matrix["actor_id"] == b.actor]
    if len(own):
        return own
    spoken = b.evidence.loc[b.evidence["speaker_id"] == b.actor]
    return analysis.latest_positions(spoken.assign(actor_id=b.actor))


def actor_positions(b: BriefingView) -> Table:
    """The actor's latest stance on each issue (for a spokesperson: the stances their words express)."""
    rows = _actor_positions(b).assign(meaning=lambda f: f["stance"].map(stance_label))
    own = (b.matrix["actor_id"] == b.actor).any()
    caption = f"Positions of {b.name_of(b.actor)}" if own or rows.empty else f"Positions {b.name_of(b.actor)}'s statements express (for {', '.join(sorted(set(rows['actor'])))})"
    return Table(rows, {"issue": "Issue", "stance": "Stance", "meaning": "Meaning", "red_line": "Red line", "condition": "Condition", "text": "In their words", "date": "Date"},
                 caption=caption, empty="No positions recorded for this actor.")


def actor_issue_chart(b: BriefingView) -> go.Figure:
    """Where the actor stands against everyone else, on the issues it has a position on."""
    issues = set(_actor_positions(b)["issue_id"])
    return figures.create_bargaining_chart(b.sided.loc[b.sided["issue_id"].isin(issues)],
                                           # Plotly reads titles as markup: escape the name (quote=False: Plotly knows no &quot;).
                                           title=f"{html.escape(b.name_of(b.actor), quote=False)} against the others, issue by issue")


def actor_events(b: BriefingView) -> Table:
    """Events the actor took part in, hosted or was left out of."""
    rows = analysis.seats(b.dossier, b.as_of).query("actor_id == @b.actor")
    return Table(rows, {"event": "Event", "date": "Date", "status": "Status", "role": "Role", "place": "Place"},
                 caption="Events", empty="No recorded events involve this actor.")


# --- issue brief -----------------------------------------------------------------------------

def issue_card(b: BriefingView) -> HTMLBlock:
    """What the issue covers and what each end of its stance scale means."""
    issue = b.dossier.issues.set_index("issue_id").loc[b.issue]
    facts = [("Issue", issue["label"]), ("Covers", issue["description"]), ("−2 means", issue["minus2_means"]), ("+2 means", issue["plus2_means"]),
             ("Positions", f"{plural(int((b.matrix['issue_id'] == b.issue).sum()), 'actor')} on the record")]
    markup = '<dl class="parley-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts) + "</dl>"
    return HTMLBlock(markup, "\n".join(f"{k}: {v}" for k, v in facts))


def issue_positions(b: BriefingView) -> Table:
    """Every actor's latest stance on the issue, strongest against to strongest for."""
    rows = b.sided.loc[b.sided["issue_id"] == b.issue].sort_values(["stance", "actor"]).assign(meaning=lambda f: f["stance"].map(stance_label))
    return Table(rows, {"actor": "Actor", "side": "Side", "stance": "Stance", "meaning": "Meaning", "red_line": "Red line", "condition": "Condition", "text": "In their words", "date": "Date"},
                 caption=f"Positions on {b.issue_label(b.issue)}", empty="No positions on this issue.")


def issue_judgments(b: BriefingView) -> Table:
    """Key judgments about the issue."""
    judgments = _judgments(b)
    rows = judgments.loc[judgments["issue_id"] == b.issue].sort_values("rank")
    rows = rows.assign(written=rows["written"].map(lambda d: f"{d:%Y-%m-%d}" if pd.notna(d) else "date unknown"))
    return Table(rows, {"text": "Judgment", "likelihood": "Likelihood", "confidence": "Confidence", "written": "Written", "review": "Review",
                        "indicators": "Indicators"},
                 caption="Key judgments on this issue", empty="No key judgment is tied to this issue.")
