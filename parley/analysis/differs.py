"""The record kinds an edition keeps, each with its differ (registered, not branched on).

A kind's snapshot takes the records a view of the dossier at ``as_of`` shows, keeping only what
a diff compares (ids, links, dates, statuses, and a short fingerprint of long text); its differ
lists what is new, revised, moved or gone since the baseline edition. Adding a kind of record
is one :func:`parley.analysis.editions.register` call.
Columns a dossier does not have yet read as empty, so a kind can name fields still to come.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from parley.analysis.editions import CHANGE_COLUMNS, RecordKind, register
from parley.data.edition import POSITION_RECORD
from parley.data.scan import arrow_isin
from parley.words import plural

# --------------------------------------------------------------------------------------------
# helpers


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """``frame[name]``, or an empty column when the dossier has no such field."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _text(column: pd.Series) -> pa.Array | None:
    """``column`` as an Arrow string array, a missing value as ``""`` and each value as ``str()``
    writes it; ``None`` for a column whose values ``str()`` may write otherwise than Arrow (floats,
    dates, booleans, objects that are not all text)."""
    if not (pd.api.types.is_string_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype)):
        return None
    try:
        values = pa.array(column.array if column.dtype != object else column.to_numpy(dtype=object), from_pandas=True)
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        return None
    if not (pa.types.is_integer(values.type) or pa.types.is_null(values.type) or pa.types.is_string(values.type)
            or pa.types.is_large_string(values.type)):
        return None
    return pc.fill_null(values.cast(pa.large_string()), "")


def _fingerprint(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """12 hex digits over ``columns`` of each row: a revision of long text shows, the text is not kept.
    The digest is of the values ``str()``-written and joined by U+001F (an edition written by an
    earlier version compares equal); the join is Arrow's, a column at a time, where it can be."""
    parts = [_text(_column(frame, c)) for c in columns]
    if parts and all(part is not None for part in parts):
        joined = pc.binary_join_element_wise(*parts, pa.scalar("\x1f", pa.large_string())).cast(pa.binary()).to_pylist()
    else:
        texts = [[("" if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) else str(v)) for v in _column(frame, c).tolist()]
                 for c in columns]
        joined = [text.encode("utf-8") for text in ("\x1f".join(values) for values in zip(*texts))] if texts else [b""] * len(frame)
    return pd.Series([hashlib.sha256(data).hexdigest()[:12] for data in joined], index=frame.index, dtype=object)


def _by_key(frame: pd.DataFrame) -> dict:
    """Key (the first column) → the row as a dict (an edition's frames hold plain values already)."""
    columns = list(frame.columns)
    return {row[0]: dict(zip(columns, row)) for row in frame.to_numpy(dtype=object).tolist()}


def _joined_arrays(keys: pd.Series, values: pd.Series) -> tuple[pa.Array, pa.Array]:
    """(each key with a non-empty value, its distinct non-empty values sorted and ``|``-joined),
    Arrow arrays in the same order: codes sorted by numpy, lists joined by Arrow, no Python step per
    pair or per key (a first edition of a million statements joins a million pairs)."""
    key_text, value_text = _text(keys), _text(values)
    if key_text is None or value_text is None:  # not text (never so for ids): value by value
        pairs = [(str(k), v) for k, v in zip(keys.tolist(), values.tolist()) if isinstance(v, str) and v != ""]
        key_text = pa.array([k for k, _ in pairs], pa.large_string())
        value_text = pa.array([v for _, v in pairs], pa.large_string())
    else:
        keep = pc.not_equal(value_text, "")  # a missing value reads as "" here
        key_text, value_text = key_text.filter(keep), value_text.filter(keep)
    if len(value_text) == 0:
        return pa.array([], pa.large_string()), pa.array([], pa.large_string())
    key_codes, value_codes = (pa.chunked_array([pc.dictionary_encode(text)]).combine_chunks() for text in (key_text, value_text))
    names = value_codes.dictionary
    alphabetical = pc.sort_indices(names)  # Arrow sorts UTF-8 by its bytes: Python's order of code points
    rank = np.empty(len(names), dtype=np.int64)
    rank[alphabetical.to_numpy()] = np.arange(len(names))
    width = len(names)
    pairs = np.sort(key_codes.indices.to_numpy().astype(np.int64) * width + rank[value_codes.indices.to_numpy()])
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]  # distinct (np.unique hashes first: slower here)
    owners, ranks = pairs // width, pairs % width
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    by_rank = names.take(alphabetical)
    lists = pa.LargeListArray.from_arrays(pa.array(np.append(starts, len(pairs)), pa.int64()), by_rank.take(pa.array(ranks)))
    return key_codes.dictionary.take(pa.array(owners[starts])), pc.binary_join(lists, pa.scalar("|", pa.large_string()))


def _joined(keys: pd.Series, values: pd.Series) -> dict:
    """Key → its distinct non-empty values, sorted and ``|``-joined, for every key in ``keys``
    ("" for a key with none)."""
    found = dict.fromkeys(keys.tolist(), "")
    owners, joined = _joined_arrays(keys, values)
    found.update(zip(owners.to_pylist(), joined.to_pylist()))
    return found


def _changes(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c for c in CHANGE_COLUMNS if c != "kind"], dtype=object)


def _names(context) -> dict[str, str]:
    """Actor id → name (looked up once per diff: a statement row asks for it each)."""
    if "names" not in context.cache:
        context.cache["names"] = dict(zip(context.dossier.actors["actor_id"], context.dossier.actors["name"]))
    return context.cache["names"]


def _short(text: object, limit: int = 140) -> str:
    value = "" if text is None or text is pd.NA or (isinstance(text, float) and text != text) else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _added_gone(before: pd.DataFrame, now: pd.DataFrame):
    """(added keys, kept keys, gone keys) by each frame's first column, plus both as dicts."""
    old, new = _by_key(before), _by_key(now)
    added = [k for k in new if k not in old]
    kept = [k for k in new if k in old]
    gone = [k for k in old if k not in new]
    return added, kept, gone, old, new


def _revised(old: dict, new: dict, columns: tuple[str, ...]) -> bool:
    """Whether a record's ``columns`` differ between its snapshot rows ``old`` and ``new``."""
    return any(old.get(c) != new.get(c) for c in columns)


def _keyed_changes(before: pd.DataFrame, now: pd.DataFrame, *, added, revised, gone) -> list[dict]:
    """The change rows of a kind keyed by its first column, in this order: ``added(key, row)`` for
    each key only ``now`` has, ``revised(key, old_row, new_row)`` (a list of rows, often empty) for
    each key in both, ``gone(key, old_row)`` for each key only ``before`` had."""
    new_keys, kept, gone_keys, old, new = _added_gone(before, now)
    rows = [added(k, new[k]) for k in new_keys]
    rows += [row for k in kept for row in revised(k, old[k], new[k])]
    return rows + [gone(k, old[k]) for k in gone_keys]


# --------------------------------------------------------------------------------------------
# sources and outlets


SOURCE_COLUMNS = ("source_id", "outlet", "published", "origin", "reliability", "fingerprint")


def _sources(dossier, as_of: pd.Timestamp) -> pd.DataFrame:
    sources = dossier.sources
    known = sources.loc[sources["published"].isna() | (sources["published"] <= as_of)]
    return known.assign(origin=_column(known, "origin"), reliability=_column(known, "reliability"),
                        fingerprint=_fingerprint(known, ["title", "author", "url", "sha256", "language"]))


def _diff_sources(before: pd.DataFrame, now: pd.DataFrame, context) -> pd.DataFrame:
    added, kept, _, old, new = _added_gone(before, now)
    titles = dict(zip(context.dossier.sources["source_id"], context.dossier.sources["title"]))
    rows = [{"change": "new source", "id": k, "what": f"{new[k]['outlet'] or 'unknown outlet'}: {_short(titles.get(k), 90)}",
             "detail": f"published {new[k]['published'] or 'date unknown'}", "date": new[k]["published"]} for k in added]
    outlets_before = {row["outlet"] for row in old.values() if row["outlet"]}
    for outlet in sorted({new[k]["outlet"] for k in added if new[k]["outlet"]} - outlets_before):
        count = sum(1 for k in added if new[k]["outlet"] == outlet)
        rows.append({"change": "new outlet", "id": outlet, "what": outlet, "detail": f"{count} source(s)"})
    rows += [{"change": "source revised", "id": k, "what": f"{new[k]['outlet'] or 'unknown outlet'}: {_short(titles.get(k), 90)}",
              "detail": "origin, reliability, text or metadata changed"} for k in kept if _revised(old[k], new[k], SOURCE_COLUMNS[1:])]
    return _changes(rows)


register(RecordKind("sources", SOURCE_COLUMNS, _sources, _diff_sources, ("new outlet", "new source", "source revised")))


# --------------------------------------------------------------------------------------------
# actors: parties, outside voices and the rest


ACTOR_COLUMNS = ("actor_id", "name", "kind", "parent_id", "participation")


def _actors(dossier, as_of: pd.Timestamp) -> pd.DataFrame:
    from parley.analysis.evidence import known_statements
    from parley.analysis.seats import known_events
    from parley.data.model import participation_of

    statements = known_statements(dossier, as_of, ["statement_id", "speaker_id", "on_behalf_of_id"])
    distinct = lambda column: set(column.dropna().unique().tolist())  # noqa: E731  (a set of a million cells, built from the few distinct ones)
    known = distinct(statements["speaker_id"]) | distinct(statements["on_behalf_of_id"])
    known |= distinct(dossier.positions.loc[arrow_isin(dossier.positions["statement_id"], statements["statement_id"]), "actor_id"])
    events = known_events(dossier, as_of)
    known |= distinct(dossier.event_parties.loc[arrow_isin(dossier.event_parties["event_id"], events["event_id"]), "actor_id"])
    actors = dossier.actors.loc[arrow_isin(dossier.actors["actor_id"], sorted(known))]
    return actors.assign(participation=participation_of(dossier.actors).reindex(actors["actor_id"]).to_numpy())


_ACTOR_CHANGE = {"party": "new party", "outside voice": "new outside voice", "outside_voice": "new outside voice",
                 "official": "new official", "mediator": "new mediator", "joint": "new joint speaker"}


def _diff_actors(before: pd.DataFrame, now: pd.DataFrame, context) -> pd.DataFrame:
    added, _, _, _, new = _added_gone(before, now)
    rows = [{"change": _ACTOR_CHANGE.get(new[k]["participation"], "new actor"), "id": k, "what": new[k]["name"],
             "detail": f"{str(new[k]['participation'] or new[k]['kind']).replace('_', ' ')}" + (f" of {_names(context).get(new[k]['parent_id'], new[k]['parent_id'])}" if new[k]["parent_id"] else ""),
             "actor_id": k} for k in added]
    return _changes(rows)


register(RecordKind("actors", ACTOR_COLUMNS, _actors, _diff_actors,
                    ("new party", "new outside voice", "new mediator", "new official", "new joint speaker", "new actor")))


# --------------------------------------------------------------------------------------------
# statements (utterances)


STATEMENT_COLUMNS = ("statement_id", "speaker_id", "on_behalf_of_id", "date_said", "date_reported", "issues", "fingerprint")


def _statements(dossier, as_of: pd.Timestamp) -> pd.DataFrame:
    """Utterances known at ``as_of`` (their words live in their reports, a kind of their own)."""
    from parley.analysis.evidence import known_statements

    statements = known_statements(dossier, as_of)
    positions = dossier.positions.loc[arrow_isin(dossier.positions["statement_id"], statements["statement_id"]), ["statement_id", "issue_id"]]
    owners, joined = _joined_arrays(positions["statement_id"], positions["issue_id"])  # each statement's, sorted, once each
    at = pd.Index(owners.to_pandas()).get_indexer(statements["statement_id"].to_numpy(dtype=object))
    issues = pd.Series(joined.to_numpy(zero_copy_only=False), dtype=object).reindex(at).to_numpy()  # -1: a statement with no position
    return statements.assign(issues=issues, fingerprint=_fingerprint(statements, ["kind"]))


def _utterance_text(context) -> dict:
    """Statement id → the words of its best report known at the view date (looked up once per diff)."""
    if "texts" not in context.cache:
        from parley.analysis.evidence import known_statements

        known = known_statements(context.dossier, context.as_of, ["statement_id", "text"])
        context.cache["texts"] = dict(zip(known["statement_id"].tolist(), known["text"].tolist()))
    return context.cache["texts"]


def _concerning(dossier) -> tuple[pd.Series, pd.Series]:
    """(statement id, actor id) pairs: the actors a statement concerns, its speaker, whom it speaks
    for (an official's party, a joint speaker's members) and every actor its positions are coded for."""
    from parley.data.model import speaks_for

    statements = dossier.statements
    party = pd.Series(speaks_for(statements, dossier.actors).to_numpy(), index=statements.index)
    return (pd.concat([statements["statement_id"], statements["statement_id"], dossier.positions["statement_id"]], ignore_index=True),
            pd.concat([statements["speaker_id"], party, dossier.positions["actor_id"]], ignore_index=True))


def _concerned(context) -> dict[str, str]:
    """Statement id → the actors it concerns (:func:`_concerning`), ``|``-joined, so an actor
    profile lists each change about that actor (looked up once per diff)."""
    if "concerned" not in context.cache:
        context.cache["concerned"] = _joined(*_concerning(context.dossier))
    return context.cache["concerned"]


def _statement_rows(change: str, rows: pd.DataFrame, context, detail: str | None = None) -> pd.DataFrame:
    """The change rows of the statements ``rows`` (edition records), a column at a time (a first
    edition of a large dossier lists every statement as new)."""
    names, texts, concerned = _names(context), _utterance_text(context), _concerned(context)
    keys, speakers = rows["statement_id"].tolist(), rows["speaker_id"].tolist()
    said, reported = rows["date_said"].tolist(), rows["date_reported"].tolist()
    return pd.DataFrame({
        "change": [change] * len(keys), "id": keys,
        "what": [f"{names.get(s, s or 'unattributed')}: “{_short(texts.get(k), 120)}”" for k, s in zip(keys, speakers)],
        "detail": [detail or f"said {d or 'date unknown'}, first reported {r}" for d, r in zip(said, reported)],
        "actor_id": [concerned.get(k) for k in keys], "issue_id": rows["issues"].tolist(),
        "date": [d or r for d, r in zip(said, reported)]}, dtype=object)


def _diff_statements(before: pd.DataFrame, now: pd.DataFrame, context) -> pd.DataFrame:
    compared = ("speaker_id", "on_behalf_of_id", "date_said", "fingerprint")  # not the first report's date: a new report is its own change
    was = now["statement_id"].isin(before["statement_id"]).to_numpy(dtype=bool)
    kept = now.loc[was]
    old = before.drop_duplicates("statement_id", keep="last").set_index("statement_id").loc[kept["statement_id"]]
    moved = np.zeros(len(kept), dtype=bool)
    for column in compared:
        moved |= np.array([a != b for a, b in zip(kept[column].tolist(), old[column].tolist())], dtype=bool)
    gone = before.loc[~before["statement_id"].isin(now["statement_id"]).to_numpy(dtype=bool)]
    withdrawn = pd.DataFrame({
        "change": ["statement withdrawn"] * len(gone), "id": gone["statement_id"].tolist(), "what": gone["statement_id"].tolist(),
        "detail": ["no longer on the record (rejected or removed)"] * len(gone),
        "actor_id": [p or s for p, s in zip(gone["on_behalf_of_id"].tolist(), gone["speaker_id"].tolist())],
        "issue_id": gone["issues"].tolist()}, dtype=object)
    frames = [_statement_rows("new statement", now.loc[~was], context),
              _statement_rows("statement revised", kept.loc[moved], context, "its speaker, party, kind or date said changed"), withdrawn]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True).reindex(columns=_changes([]).columns) if frames else _changes([])


def _count_new_statements(context, actor: str | None, issue: str | None) -> dict[str, int]:
    """Against no baseline every statement shown (known at the view date) is new: how many concern
    ``actor`` (:func:`_concerning`, as :func:`_concerned` lists them) and carry a position on ``issue``."""
    from parley.analysis.evidence import known_statements

    dossier = context.dossier
    shown = known_statements(dossier, context.as_of, ["statement_id"])["statement_id"]
    keep = np.ones(len(shown), dtype=bool)
    if actor:
        keys, actors = _concerning(dossier)
        keep &= arrow_isin(shown, keys.loc[(actors == actor).fillna(False).to_numpy(dtype=bool)])
    if issue:
        positions = dossier.positions
        keep &= arrow_isin(shown, positions["statement_id"].loc[(positions["issue_id"] == issue).fillna(False).to_numpy(dtype=bool)])
    return {"new statement": int(keep.sum())}


register(RecordKind("statements", STATEMENT_COLUMNS, _statements, _diff_statements,
                    ("new statement", "statement revised", "statement withdrawn"), _count_new_statements))


# --------------------------------------------------------------------------------------------
# reports: what each source printed of an utterance (corroboration)


REPORT_COLUMNS = ("report_id", "statement_id", "source_id", "date_reported", "completeness", "origin", "fingerprint")


def _reports(dossier, as_of: pd.Timestamp) -> pd.DataFrame:
    from parley.analysis.evidence import known_statements
    from parley.data.model import ranked_reports

    reports = ranked_reports(dossier, as_of)
    reports = reports.loc[arrow_isin(reports["statement_id"], known_statements(dossier, as_of, ["statement_id"])["statement_id"])]
    return reports.assign(fingerprint=_fingerprint(reports, ["text", "char_start", "char_end", "attribution_cue"]))


def _origins(rows: dict) -> dict[str, set]:
    found: dict[str, set] = {}
    for row in rows.values():
        found.setdefault(row["statement_id"], set()).add(row["origin"])
    return found


def _diff_reports(before: pd.DataFrame, now: pd.DataFrame, context) -> pd.DataFrame:
    """New reports of utterances the baseline already showed (corroboration up: independent
    origins before → now); the reports of new utterances come with those statements. Also reports
    revised, or gone from an utterance still on the record."""
    if before.empty:  # nothing shown before: a new report comes with its new statement, none is revised or gone
        return _changes([])
    added, kept, gone, old, new = _added_gone(before, now)
    origins_before, origins_now = _origins(old), _origins(new)
    outlets = dict(zip(context.dossier.sources["source_id"], context.dossier.sources["outlet"]))
    names = _names(context)
    speakers = dict(zip(context.dossier.statements["statement_id"], context.dossier.statements["speaker_id"]))
    shown = context.now.table("statements")
    new_issues = dict(zip(shown["statement_id"], shown["issues"])) if shown is not None else {}
    rows = []
    for k in added:
        statement = new[k]["statement_id"]
        if statement not in origins_before:
            continue
        was, now_n = len(origins_before[statement]), len(origins_now.get(statement, ()))
        speaker = names.get(speakers.get(statement), speakers.get(statement) or "unattributed")
        rows.append({"change": "new report", "id": k,
                     "what": f"{outlets.get(new[k]['source_id'], new[k]['source_id'])} reports {speaker}: “{_short(_utterance_text(context).get(statement), 100)}”",
                     "detail": f"reported {new[k]['date_reported'] or 'date unknown'}; independent origins {was} → {now_n}"
                               + (" (corroboration up)" if now_n > was else ""),
                     "actor_id": _concerned(context).get(statement), "issue_id": new_issues.get(statement),
                     "date": new[k]["date_reported"]})
    rows += [{"change": "report revised", "id": k, "what": f"{new[k]['statement_id']} in {new[k]['source_id']}",
              "detail": "its words, offsets or completeness changed"} for k in kept if _revised(old[k], new[k], REPORT_COLUMNS[1:])]
    rows += [{"change": "report withdrawn", "id": k, "what": f"{old[k]['statement_id']} in {old[k]['source_id']}",
              "detail": "no longer on the record"} for k in gone if old[k]["statement_id"] in origins_now]
    return _changes(rows)


register(RecordKind("reports", REPORT_COLUMNS, _reports, _diff_reports, ("new report", "report revised", "report withdrawn"),
                    lambda context, actor, issue: {}))  # against no baseline, as _diff_reports: each report comes with its statement


# --------------------------------------------------------------------------------------------
# positions: the stance matrix a page showed


POSITION_COLUMNS = POSITION_RECORD


def _stance_text(stance) -> str:
    """``+2``, ``−1``, ``0``, or ``no position`` (the words of a stance live with each issue)."""
    if stance is None or stance is pd.NA or stance != stance:
        return "no position"
    value = int(stance)
    return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else "0")


def _positions(dossier, as_of: pd.Timestamp) -> pd.DataFrame:
    from parley.analysis.stance import stance_matrix

    matrix = stance_matrix(dossier, as_of)
    return matrix.assign(key=matrix["actor_id"] + ":" + matrix["issue_id"], red_line=matrix["red_line"].astype(bool))


def positions_frame(records: pd.DataFrame) -> pd.DataFrame:
    """An edition's positions as a typed stance matrix (``actor_id, issue_id, stance, red_line``)."""
    return pd.DataFrame({
        "actor_id": records["actor_id"].astype("string"),
        "issue_id": records["issue_id"].astype("string"),
        "stance": pd.array([None if v is None else int(v) for v in records["stance"]], dtype="Int64"),
        "red_line": pd.array([bool(v) for v in records["red_line"]], dtype=bool),
    })


def _diff_positions(before: pd.DataFrame, now: pd.DataFrame, context) -> pd.DataFrame:
    from parley.analysis.changes import stance_changes
    from parley.analysis.stance import stance_matrix
    found = stance_changes(positions_frame(before), stance_matrix(context.dossier, context.as_of))
    names, labels = _names(context), dict(zip(context.dossier.issues["issue_id"], context.dossier.issues["label"]))
    rows = []
    for row in found.itertuples():
        moved = f"{_stance_text(row.before)} → {_stance_text(row.after)}"
        words = f": “{_short(row.text, 120)}”" if isinstance(row.text, str) else ""
        rows.append({"change": row.change, "id": f"{row.actor_id}:{row.issue_id}",
                     "what": f"{names.get(row.actor_id, row.actor_id)} on {labels.get(row.issue_id, row.issue_id)}",
                     "detail": moved + words, "actor_id": row.actor_id, "issue_id": row.issue_id,
                     "date": None if pd.isna(row.date) else f"{row.date:%Y-%m-%d}"})
    return _changes(rows)


register(RecordKind("positions", POSITION_COLUMNS, _positions, _diff_positions,
                    ("red line added", "red line dropped", "stance shift", "new position", "position withdrawn")))


# --------------------------------------------------------------------------------------------
# events


EVENT_COLUMNS = ("event_id", "date", "status", "kind", "parties", "fingerprint")


def _events(dossier, as_of: pd.Timestamp) -> pd.DataFrame:
    from parley.analysis.seats import known_events

    events = known_events(dossier, as_of)
    parties = dossier.event_parties.assign(pair=dossier.event_parties["actor_id"] + "=" + dossier.event_parties["role"])
    joined = parties.groupby("event_id")["pair"].agg(lambda s: "|".join(sorted(s)))
    return events.assign(parties=events["event_id"].map(joined), fingerprint=_fingerprint(events, ["title", "place"]))


def _diff_events(before: pd.DataFrame, now: pd.DataFrame, context) -> pd.DataFrame:
    titles = dict(zip(context.dossier.events["event_id"], context.dossier.events["title"]))

    def row(change: str, k, event: dict, detail: str) -> dict:
        parties = sorted({p.split("=")[0] for p in (event["parties"] or "").split("|") if p})
        return {"change": change, "id": k, "what": titles.get(k, k), "detail": detail, "actor_id": "|".join(parties), "date": event["date"]}

    def revisions(k, old: dict, new: dict) -> list[dict]:
        found = []
        if old["status"] != new["status"]:
            found.append(row("event status changed", k, new, f"{old['status']} → {new['status']}"))
        if old["date"] != new["date"]:
            found.append(row("event date changed", k, new, f"{old['date'] or 'date not set'} → {new['date'] or 'date not set'}"))
        elif old["status"] == new["status"] and _revised(old, new, ("parties", "fingerprint")):
            found.append(row("event revised", k, new, "title, place or parties changed"))
        return found

    return _changes(_keyed_changes(
        before, now,
        added=lambda k, new: row("new event", k, new, f"{new['status']}, {new['date'] or 'date not set'}"),
        revised=revisions,
        gone=lambda k, old: {"change": "event withdrawn", "id": k, "what": k, "detail": "no longer on the record"}))


register(RecordKind("events", EVENT_COLUMNS, _events, _diff_events,
                    ("new event", "event status changed", "event date changed", "event revised", "event withdrawn")))


# --------------------------------------------------------------------------------------------
# judgments


JUDGMENT_COLUMNS = ("judgment_id", "issue_id", "likelihood", "confidence", "written", "fingerprint")


def _judgments(dossier, as_of: pd.Timestamp) -> pd.DataFrame:
    from parley.analysis.staleness import known_judgments

    judgments = known_judgments(dossier, as_of)
    return judgments.assign(fingerprint=_fingerprint(judgments, ["text", "assumptions", "indicators", "rank"]))


def _diff_judgments(before: pd.DataFrame, now: pd.DataFrame, context) -> pd.DataFrame:
    texts = dict(zip(context.dossier.judgments["judgment_id"], context.dossier.judgments["text"]))
    what = lambda k: _short(texts.get(k, k), 120)  # noqa: E731

    def row(change: str, k, judgment: dict, detail: str) -> dict:
        return {"change": change, "id": k, "what": what(k), "detail": detail, "issue_id": judgment["issue_id"], "date": judgment["written"]}

    rows = _keyed_changes(
        before, now,
        added=lambda k, new: row("new judgment", k, new, f"{new['likelihood']}, {new['confidence']} confidence; written {new['written'] or 'date unknown'}"),
        revised=lambda k, old, new: [row("judgment revised", k, new, f"{old['likelihood']} ({old['confidence']}) → {new['likelihood']} ({new['confidence']})")]
        if _revised(old, new, JUDGMENT_COLUMNS[1:]) else [],
        gone=lambda k, old: {"change": "judgment withdrawn", "id": k, "what": k, "detail": "no longer on the record", "issue_id": old["issue_id"]})
    return _changes(rows + _newly_due(context, what))


def _newly_due(context, what) -> list[dict]:
    """Judgments that became due for review since the baseline: a statement on their issue that
    the baseline edition did not show was reported after they were written (a judgment already
    due then is not a change of this edition; the page's judgments table still flags it)."""
    from parley.analysis.staleness import judgments_due

    statements = context.before.table("statements") if context.before is not None else None
    shown = set(statements["statement_id"]) if statements is not None else set()
    rows = []
    for r in judgments_due(context.dossier, context.as_of).itertuples():
        new = [s for s in r.statement_ids.split("|") if s not in shown]
        if new:
            rows.append({"change": "judgment due for review", "id": r.judgment_id, "what": what(r.judgment_id),
                         "detail": f"written {r.written:%Y-%m-%d}; {plural(len(new), 'statement')} on its issue reported since, the latest {r.latest:%Y-%m-%d}",
                         "issue_id": r.issue_id, "date": f"{r.latest:%Y-%m-%d}"})
    return rows


register(RecordKind("judgments", JUDGMENT_COLUMNS, _judgments, _diff_judgments,
                    ("new judgment", "judgment revised", "judgment withdrawn", "judgment due for review")))

__all__ = ["positions_frame"]
