"""Rules of the living-dossier model that a Table Schema cannot express (see :mod:`parley.data.model`).

Registered into :data:`parley.data.rules.CHECKS` when :mod:`parley.data.rules` is imported; each
works on whole columns and reports only the failing rows:

- ``participation``: an official names the party (or mediator) it speaks for in ``parent_id``;
- ``joint-members``: a joint actor has at least two members, each a party, and only joint actors
  have members;
- ``joint-position``: a position is never held by a joint actor (code it for each member);
- ``duplicate-position``: one statement gives one actor at most one position per issue;
- ``duplicate-report``: one span of a source is one report;
- ``date-order``: an utterance is said on or before its earliest report;
- ``report-date``: a report (or event update) is dated on its source's publication date; only a
  ``live_blog``'s entries may be dated after it, and nothing before it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.data.rules import _duplicates, check
from parley.data.scan import CheckRun, Frame

#: Participation an official's parent may have.
OFFICIAL_PARENTS = ("party", "mediator", "official")
#: Participation a joint actor's members must have.
MEMBER_PARTICIPATION = ("party",)
#: Source kinds whose reports may be dated after the source's publication date.
LATER_ENTRIES = ("live_blog",)


def _column(f: Frame, name: str) -> pd.Series:
    return f.frame[name].astype(str)


def _lookup(run: CheckRun, table: str, key: str, value: str) -> pd.Series | None:
    f = run.frames.get(table)
    if f is None or not f.has(key, value):
        return None
    frame = f.frame.loc[f.valid[key].to_numpy()]
    return pd.Series(frame[value].astype(str).to_numpy(), index=frame[key].astype(str).to_numpy())


@check
def _participation(run: CheckRun) -> None:
    """An official speaks for a party: its parent_id names a party, a mediator or another official."""
    f = run.frames.get("actors")
    if f is None or not f.has("actor_id", "participation", "parent_id"):
        return
    participation = _column(f, "participation")
    parent = _column(f, "parent_id")
    known = _lookup(run, "actors", "actor_id", "participation")
    official = f.valid["participation"].to_numpy() & participation.eq("official").to_numpy()
    orphan = official & parent.eq("").to_numpy()
    run.report_rows(f, orphan, "parent_id", "an official needs parent_id: the party it speaks for (a minister -> his state); "
                    "an analyst or commentator is participation outside_voice", "participation")
    parent_kind = parent.map(known) if known is not None else pd.Series("", index=parent.index)
    wrong = official & ~orphan & parent_kind.notna().to_numpy() & ~parent_kind.isin(OFFICIAL_PARENTS).to_numpy()
    run.report_rows(f, wrong, "parent_id", lambda i: f"an official's parent must be a party or a mediator it speaks for; "
                    f"{parent.iloc[i]!r} is {parent_kind.iloc[i]}", "participation")


@check
def _joint_members(run: CheckRun) -> None:
    """Joint actors have two or more members, all parties; only joint actors have members."""
    actors, members = run.frames.get("actors"), run.frames.get("actor_members")
    if actors is None or members is None or not actors.has("actor_id", "participation") or not members.has("group_id", "member_id"):
        return
    known = _lookup(run, "actors", "actor_id", "participation")
    group, member = _column(members, "group_id"), _column(members, "member_id")
    group_kind, member_kind = group.map(known), member.map(known)
    not_joint = group_kind.notna().to_numpy() & group_kind.ne("joint").to_numpy()
    run.report_rows(members, not_joint, "group_id", lambda i: f"{group.iloc[i]!r} is {group_kind.iloc[i]}, not joint; only a joint actor "
                    "(a group speaking for several parties) has members", "joint-members")
    not_party = member_kind.notna().to_numpy() & ~member_kind.isin(MEMBER_PARTICIPATION).to_numpy()
    run.report_rows(members, not_party, "member_id", lambda i: f"{member.iloc[i]!r} is {member_kind.iloc[i]}; the members of a joint "
                    "actor are parties (its positions are coded for each of them)", "joint-members")
    counts = group.value_counts()
    ids = _column(actors, "actor_id")
    joint = actors.valid["participation"].to_numpy() & _column(actors, "participation").eq("joint").to_numpy()
    too_few = joint & ids.map(counts).fillna(0).lt(2).to_numpy()
    run.report_rows(actors, too_few, "participation", lambda i: f"joint actor {ids.iloc[i]!r} has {int(counts.get(ids.iloc[i], 0))} member(s) "
                    "in actor_members.csv; a joint speaker needs at least two member parties", "joint-members")


@check
def _positions_of_joint(run: CheckRun) -> None:
    """A position is held by each member of a joint speaker, never by the group itself; one per statement × actor × issue."""
    f = run.frames.get("positions")
    if f is None or not f.has("statement_id", "actor_id", "issue_id"):
        return
    known = _lookup(run, "actors", "actor_id", "participation")
    actor = _column(f, "actor_id")
    if known is not None:
        joint = _mapped(run, f, "actor_id", known).eq("joint").fillna(False).to_numpy(dtype=bool)
        members = run.frames.get("actor_members")
        listing: dict[str, str] = {}
        if members is not None and members.has("group_id", "member_id"):
            listing = members.frame.groupby("group_id")["member_id"].agg(", ".join).to_dict()
        run.report_rows(f, joint, "actor_id", lambda i: f"{actor.iloc[i]!r} is a joint actor; code the position once for each member "
                        f"({listing.get(actor.iloc[i], 'see actor_members.csv')})", "joint-position")
    _duplicates(run, f, ["statement_id", "actor_id", "issue_id"], "duplicate-position",
                "a statement gives an actor one position per issue (several issues: one row each)")


@check
def _report_spans(run: CheckRun) -> None:
    """One span of a source is one report."""
    f = run.frames.get("reports")
    if f is not None and f.has("source_id", "char_start", "char_end"):
            _duplicates(run, f, ["source_id", "char_start", "char_end"], "duplicate-report",
                    "this span is reported already; another outlet's report of the same utterance is its own source's span")


@check
def _said_before_reported(run: CheckRun) -> None:
    """An utterance is said on or before the date of its earliest report."""
    statements, reports = run.frames.get("statements"), run.frames.get("reports")
    if statements is None or reports is None or not statements.has("statement_id", "date_said") or not reports.has("statement_id", "date_reported"):
        return
    if "date_said" not in statements.parsed or "date_reported" not in reports.parsed:
        return
    dated = reports.valid["date_reported"].to_numpy()
    if not dated.any():
        return
    first = _earliest(run, statements, reports, dated)
    said = statements.parsed["date_said"]
    after = statements.valid["date_said"].to_numpy() & (said > first).fillna(False).to_numpy(dtype=bool)
    run.report_rows(statements, after, "date_said", lambda i: f"date_said falls after {first.iloc[i]:%Y-%m-%d}, the date of its earliest report; "
                    "an utterance is said on or before the day it is first reported", "date-order")


def _earliest(run: CheckRun, statements: Frame, reports: Frame, dated: np.ndarray) -> pd.Series:
    """Per statement: the date of its earliest dated report (NaT: none)."""
    report_rows = run.locate(reports, "statement_id", statements, "statement_id")
    own_rows = run.locate(statements, "statement_id", statements, "statement_id")  # a repeated id: its first row
    dates = reports.parsed["date_reported"]
    if report_rows is None or own_rows is None:  # missing values: by value, as pandas groups them
        earliest = pd.Series(dates[dated].to_numpy(), index=_column(reports, "statement_id")[dated].to_numpy())
        return _column(statements, "statement_id").map(earliest.groupby(level=0).min())
    unit = np.datetime_data(dates.dtype)[0] if np.issubdtype(dates.dtype, np.datetime64) else "us"
    kept = dated & (report_rows >= 0)
    never = np.iinfo(np.int64).max
    earliest = np.full(len(statements.frame), never, dtype=np.int64)
    np.minimum.at(earliest, report_rows[kept], dates.to_numpy()[kept].astype(f"datetime64[{unit}]").view(np.int64))
    first = earliest[own_rows]
    shown = np.where(first == never, np.datetime64("NaT", unit), first.view(f"datetime64[{unit}]"))
    return pd.Series(shown, index=statements.frame.index)


def _mapped(run: CheckRun, f: Frame, name: str, mapping: pd.Series) -> pd.Series:
    """``f.frame[name].map(mapping)``, mapped once per distinct value."""
    distinct = run.distinct(f, name)
    if distinct is None:
        return _column(f, name).map(mapping)
    return distinct.spread_series(distinct.values.map(mapping), f.frame.index)


@check
def _report_dates(run: CheckRun) -> None:
    """Reports and event updates are dated on their source's publication date (a live blog's entries on or after it)."""
    published = run.frames.get("sources")
    if published is None or not published.has("source_id", "published", "kind") or "published" not in published.parsed:
        return
    ok = published.valid["source_id"].to_numpy()
    ids = _column(published, "source_id")[ok].to_numpy()
    dates = pd.Series(published.parsed["published"][ok].to_numpy(), index=ids)
    kinds = pd.Series(_column(published, "kind")[ok].to_numpy(), index=ids)
    for table in ("reports", "event_updates"):
        f = run.frames.get(table)
        if f is None or not f.has("source_id", "date_reported") or "date_reported" not in f.parsed:
            continue
        source = _column(f, "source_id")
        day, when = _mapped(run, f, "source_id", dates), f.parsed["date_reported"]
        valid = f.valid["date_reported"].to_numpy() & day.notna().to_numpy()
        before = valid & (when < day).fillna(False).to_numpy(dtype=bool)
        later_ok = _mapped(run, f, "source_id", kinds).isin(LATER_ENTRIES).to_numpy()
        after = valid & ~later_ok & (when > day).fillna(False).to_numpy(dtype=bool)
        run.report_rows(f, before, "date_reported", lambda i: f"before {day.iloc[i]:%Y-%m-%d}, when source {source.iloc[i]!r} was published; "
                        "a source reports nothing before it appears", "report-date")
        run.report_rows(f, after, "date_reported", lambda i: f"after {day.iloc[i]:%Y-%m-%d}, when source {source.iloc[i]!r} was published; "
                        "only a live_blog's entries may be dated later (set the source's kind to live_blog if it is one)", "report-date")

