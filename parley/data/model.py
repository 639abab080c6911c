"""The living-dossier model in pandas: who takes part how, utterances and their reports, origins.

The tables (declared in each dossier's ``datapackage.json``):

- ``actors.participation``: ``party`` | ``official`` (speaks for ``parent_id``, a party) |
  ``mediator`` | ``outside_voice`` | ``joint`` (a group speaker; members in ``actor_members``).
- ``statements`` are *utterances*: speaker, on behalf of, date said, kind. They hold no text.
- ``reports``: what one source printed of one utterance, with exact offsets, its date reported
  and completeness. An utterance reported by AFP and by ARA is one statement with two reports.
- ``sources.origin``: whose reporting a text is (empty = the outlet's own). Independent origins
  are counted by origin, else outlet: a SpaceWar page carrying AFP copy adds an outlet, not an
  origin.

Briefings count utterances (one row per statement here), never reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Participation values whose positions make up the negotiation views (stance grid, bargaining
#: space, deal blockers, alignment). Everyone else is an outside view.
NEGOTIATING = ("party",)

#: Best report first: the one whose words stand for the utterance.
COMPLETENESS_ORDER = ("verbatim", "translation", "partial", "truncated", "paraphrase")
RELIABILITY_ORDER = ("A", "B", "C", "D", "E", "F")

#: Columns of :func:`utterances`, in order.
UTTERANCE_COLUMNS = [
    "statement_id", "speaker_id", "on_behalf_of_id", "speaks_for", "kind", "date_said", "coder", "review_status", "notes",
    "report_id", "source_id", "text", "char_start", "char_end", "attribution_cue", "completeness", "date_reported",
    "n_reports", "outlets", "n_outlets", "n_origins",
]


def _index(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    return pd.Series(frame[value].to_numpy(), index=frame[key].to_numpy())


def participation_of(actors: pd.DataFrame) -> pd.Series:
    """Participation of each actor, indexed by actor id."""
    return _index(actors, "actor_id", "participation")


def party_of(actors: pd.DataFrame, max_depth: int = 8) -> pd.Series:
    """Top-level actor each actor belongs to (a minister -> his state), indexed by actor id."""
    parent = _index(actors, "actor_id", "parent_id")
    party = pd.Series(actors["actor_id"].to_numpy(), index=actors["actor_id"].to_numpy())
    for _ in range(max_depth):
        up = party.map(parent)
        moved = up.notna()
        if not moved.any():
            break
        party = party.where(~moved, up)
    return party


def speaks_for(statements: pd.DataFrame, actors: pd.DataFrame) -> pd.Series:
    """For whom each statement speaks: ``on_behalf_of_id`` when the coder gave it, else the party
    of an official speaker (their ``parent_id`` chain), else the speaker; empty without a speaker."""
    participation = participation_of(actors)
    parties = party_of(actors)
    speaker = statements["speaker_id"]
    official = speaker.map(participation).eq("official").fillna(False).to_numpy(dtype=bool)
    default = speaker.where(~official, speaker.map(parties))
    return statements["on_behalf_of_id"].fillna(default).astype("string")


def members_of(actor_members: pd.DataFrame) -> dict[str, list[str]]:
    """Members of each joint actor, in file order."""
    return {group: list(rows) for group, rows in actor_members.groupby("group_id", sort=False)["member_id"]}


def origin_key(sources: pd.DataFrame) -> pd.Series:
    """Independent origin of each source (indexed by source id): its ``origin``, else its outlet,
    else the source itself; compared case-insensitively."""
    outlet = sources["outlet"].fillna("").astype(str).str.strip()
    origin = sources["origin"].fillna("").astype(str).str.strip()
    key = origin.where(origin.ne(""), outlet)
    key = key.where(key.ne(""), "source " + sources["source_id"].astype(str))
    return pd.Series(key.str.casefold().to_numpy(), index=sources["source_id"].to_numpy())


def outlet_name(sources: pd.DataFrame) -> pd.Series:
    """Display name of each source's outlet (its source id when the outlet is unknown)."""
    outlet = sources["outlet"].fillna("").astype(str).str.strip()
    return pd.Series(outlet.where(outlet.ne(""), sources["source_id"].astype(str)).to_numpy(), index=sources["source_id"].to_numpy())


def _known_rows(reports: pd.DataFrame, as_of: pd.Timestamp | None) -> np.ndarray:
    """Positions of the reports known at ``as_of`` (dated on or before it; every report when ``None``)."""
    if as_of is None:
        return np.arange(len(reports))
    return np.flatnonzero((reports["date_reported"] <= as_of).fillna(False).to_numpy(dtype=bool))


def _reports(dossier, as_of: pd.Timestamp | None) -> pd.DataFrame:
    reports = dossier.reports
    if as_of is not None:
        reports = reports.take(_known_rows(reports, as_of))
    return reports


def _ranked_rows(dossier, rows: np.ndarray) -> np.ndarray:
    """``rows`` (positions of reports) in ranked order: by statement, each one's best report first
    (see :func:`utterances`). Only the sort keys are sorted, never the reports' texts."""
    reports, sources = dossier.reports, dossier.sources
    rank_of = {name: i for i, name in enumerate(COMPLETENESS_ORDER)}
    grade_of = {name: i for i, name in enumerate(RELIABILITY_ORDER)}
    keys = reports[["statement_id", "date_reported", "source_id", "char_start", "report_id", "completeness"]].take(rows)
    keys = keys.assign(
        _rank=keys["completeness"].map(rank_of).fillna(len(rank_of)).astype("int64"),
        _grade=keys["source_id"].map(_index(sources, "source_id", "reliability")).map(grade_of).fillna(len(grade_of)).astype("int64"),
        _row=rows,
    )
    keys = keys.sort_values(["statement_id", "_rank", "_grade", "date_reported", "source_id", "char_start", "report_id"], kind="stable")
    return keys["_row"].to_numpy()


def ranked_reports(dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every report (known at ``as_of``) with its outlet and origin; each statement's best report first."""
    ranked = dossier.reports.take(_ranked_rows(dossier, _known_rows(dossier.reports, as_of)))
    return ranked.assign(outlet=ranked["source_id"].map(outlet_name(dossier.sources)),
                         origin=ranked["source_id"].map(origin_key(dossier.sources)))


def _distinct_per(owner: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Per owner code ``0..n-1``: how many distinct value codes (``-1``, missing, not counted) it has."""
    pairs = pd.DataFrame({"owner": owner, "value": value}).drop_duplicates()
    pairs = pairs.loc[pairs["value"].to_numpy() >= 0]
    return np.bincount(pairs["owner"].to_numpy(), minlength=n).astype("int64")


def corroboration(dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per statement: ``n_reports``, ``outlets`` (names, first reporter first), ``n_outlets``,
    ``n_origins`` (independent origins reporting it) and ``date_reported`` (earliest report),
    counting the reports known at ``as_of``. Indexed by statement id, in the order first reported."""
    reports = dossier.reports
    rows = _known_rows(reports, as_of)
    columns = ["n_reports", "outlets", "n_outlets", "n_origins", "date_reported"]
    if not len(rows):
        return pd.DataFrame(columns=columns, index=pd.Index([], name="statement_id"))
    statement = reports["statement_id"].take(rows)
    source = reports["source_id"].take(rows)
    owner, ids = pd.factorize(statement, use_na_sentinel=False)  # each statement's code, in the order first reported
    outlet = source.map(outlet_name(dossier.sources))
    outlet_code, outlet_names = pd.factorize(outlet, use_na_sentinel=False)
    n = len(ids)
    n_reports = np.bincount(owner, minlength=n).astype("int64")
    out = pd.DataFrame({
        "n_reports": pd.array(n_reports, dtype="Int64"),
        "n_origins": _distinct_per(owner, pd.factorize(source.map(origin_key(dossier.sources)))[0], n),
        "n_outlets": _distinct_per(owner, outlet_code, n),
        "date_reported": reports["date_reported"].take(rows).groupby(owner).min().reindex(range(n)).to_numpy(),
    }, index=pd.Index(ids, name="statement_id"))
    # Outlet lists only where there is more than one report: a join per statement is the slow part at 1M rows.
    first = np.unique(owner, return_index=True)[1]  # each statement's first report (codes 0..n-1, each seen)
    # Each distinct name or list is one Python string, shared by every row that has it (at a million
    # statements a string per row held ~60 MB, and the evidence took those rows again).
    outlets = pd.Series(np.asarray(outlet_names, dtype=object)[outlet_code[first]], index=out.index, dtype=object)
    many = out.index[n_reports > 1]
    if len(many):
        several = pd.DataFrame({"statement_id": statement.to_numpy(), "outlet": outlet.to_numpy(), "date_reported": reports["date_reported"].take(rows).to_numpy()})
        several = several.loc[n_reports[owner] > 1].sort_values(["date_reported", "outlet"], kind="stable")
        lists, listed = pd.factorize(_first_seen_joined(several["statement_id"], several["outlet"], many, ", "), use_na_sentinel=False)
        outlets.loc[many] = np.asarray(listed, dtype=object)[lists]
    out["outlets"] = outlets
    return out[columns]


def _first_seen_joined(keys: pd.Series, values: pd.Series, order: pd.Index, sep: str) -> np.ndarray:
    """For each key of ``order``: its distinct ``values`` in the order first met, joined by ``sep``
    (Arrow joins the lists: no Python call per key; a million-statement dossier has ~50,000 keys
    with several reports)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pairs = pd.DataFrame({"key": keys.to_numpy(), "value": values.to_numpy()}).drop_duplicates()  # the first of each pair stays
    at = order.get_indexer(pairs["key"])
    pairs, at = pairs.loc[at >= 0], at[at >= 0]
    rows = np.argsort(at, kind="stable")  # grouped by key, each key's values still in the order met
    offsets = np.concatenate([[0], np.cumsum(np.bincount(at, minlength=len(order)))])
    lists = pa.LargeListArray.from_arrays(pa.array(offsets, pa.int64()), pa.array(pairs["value"].to_numpy(dtype=object)[rows], pa.large_string()))
    return pc.binary_join(lists, pa.scalar(sep, pa.large_string())).to_numpy(zero_copy_only=False)


#: Columns of an utterance that come from its best report.
_BEST_COLUMNS = ["report_id", "source_id", "text", "char_start", "char_end", "attribution_cue", "completeness"]


def utterances(dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per statement: the utterance, its best report's words and place, its corroboration.

    With ``as_of``, only reports dated on or before it count, and statements with no such report
    are left out (they were not known yet).

    The best report is the most complete (verbatim, translation, partial, truncated, paraphrase),
    then from the more reliable source (Admiralty A first, ungraded last), then the earliest.
    ``date_reported`` is the date of the *earliest* report (when the utterance became known).
    A statement without a report (invalid data) has empty report columns and ``n_reports`` 0.

    Each column is built once, by position (no frame of every report is sorted or joined whole:
    at a million reports that held ~0.5 GB at once).

    Returns
    -------
    DataFrame
        Columns :data:`UTTERANCE_COLUMNS`, in the order of ``statements.csv``.
    """
    statements, reports = dossier.statements, dossier.reports
    ranked = _ranked_rows(dossier, _known_rows(reports, as_of))
    ranked_ids = reports["statement_id"].take(ranked).to_numpy(dtype=object)
    heads = np.ones(len(ranked), dtype=bool)
    heads[1:] = ranked_ids[1:] != ranked_ids[:-1]  # sorted by statement: its first row is its best report
    at = pd.Index(ranked_ids[heads]).get_indexer(statements["statement_id"].to_numpy(dtype=object))
    best = np.full(len(at), -1, dtype=np.int64)  # -1: a statement with no report known
    best[at >= 0] = ranked[heads][at[at >= 0]]
    support = corroboration(dossier, as_of)
    support_at = support.index.get_indexer(statements["statement_id"].to_numpy(dtype=object))
    keep = np.flatnonzero(support_at >= 0) if as_of is not None else np.arange(len(statements))
    out = statements.take(keep) if as_of is not None else statements.copy(deep=False)
    for column in _BEST_COLUMNS:
        out[column] = reports[column].array.take(best[keep], allow_fill=True)
    found = support.reset_index(drop=True).reindex(support_at[keep])  # -1: no report (invalid data): missing
    for column in support.columns:
        out[column] = found[column].set_axis(out.index)
    party = pd.DataFrame(index=statements.index)
    party["speaks_for"] = speaks_for(statements, dossier.actors).to_numpy()  # the column's type inferred from every statement's
    out["speaks_for"] = party["speaks_for"].take(keep)
    out["n_reports"] = out["n_reports"].fillna(0).astype("int64")
    for column in ("n_outlets", "n_origins"):
        out[column] = out[column].fillna(0).astype("int64")
    out["date_reported"] = pd.to_datetime(out["date_reported"])
    return out[UTTERANCE_COLUMNS]


def corroboration_label(outlets: str | None, n_outlets: int, n_origins: int) -> str:
    """"reported by AFP, ARA — 2 outlets, 2 independent origins" (singular forms for one)."""
    if not outlets or not isinstance(outlets, str):
        return "no report on the record"
    outlet_word = "outlet" if n_outlets == 1 else "outlets"
    origin_word = "independent origin" if n_origins == 1 else "independent origins"
    return f"reported by {outlets} — {n_outlets} {outlet_word}, {n_origins} {origin_word}"


def negotiating(frame: pd.DataFrame, actors: pd.DataFrame, column: str = "actor_id") -> np.ndarray:
    """Mask of rows whose ``column`` actor is a party (see :data:`NEGOTIATING`)."""
    return frame[column].map(participation_of(actors)).isin(NEGOTIATING).to_numpy(dtype=bool)
