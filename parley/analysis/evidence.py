"""Positions joined to their evidence, and the as-of rules every analysis shares.

As-of rule: a statement (an utterance) is *known* at a date when one of its reports is dated on or
before it (``date_reported <= as_of``), and only those reports count towards its outlets and
origins; among known statements, order follows the date it was said (``date_said``, falling back
to its earliest report) and then the place of its best report in that report's source. Only
statements whose review status is ``accepted`` count in briefings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.data.dossier import Dossier
from parley.errors import ParameterError
from parley.data.model import outlet_name
from parley.data.scan import arrow_index_in

#: Columns of :func:`positions_with_evidence`, in order.
EVIDENCE_COLUMNS = [
    "position_id", "actor_id", "actor", "participation", "issue_id", "issue", "stance", "red_line", "condition",
    "statement_id", "kind", "text", "speaker_id", "speaker", "source_id", "source", "outlet", "date",
    "date_reported", "char_start", "report_id", "completeness", "outlets", "n_outlets", "n_origins",
]

#: Columns of :func:`positions_with_evidence` held as categoricals (few distinct values each).
CODED = ("actor_id", "actor", "participation", "issue_id", "issue", "kind", "speaker_id", "speaker", "source_id", "source", "outlet", "completeness")

#: Columns of an utterance a position takes with it.
_UTTERANCE = ["statement_id", "kind", "text", "speaker_id", "source_id", "date", "date_reported", "char_start", "report_id",
              "completeness", "outlets", "n_outlets", "n_origins"]


def parse_date(value: str | pd.Timestamp | None, name: str) -> pd.Timestamp | None:
    """Parse an ISO date parameter; ``None``/``""`` gives ``None``.

    Raises
    ------
    ParameterError
        When the value is not an ISO 8601 date (YYYY-MM-DD).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, pd.Timestamp):
        return value.normalize()
    try:
        return pd.Timestamp(pd.to_datetime(str(value).strip(), format="%Y-%m-%d"))
    except (ValueError, TypeError):
        raise ParameterError(f"{name}={value!r} is not a date; use ISO 8601 YYYY-MM-DD, e.g. 2025-02-18") from None


def default_as_of(dossier: Dossier) -> pd.Timestamp:
    """The view date when none is given: the dossier's pinned ``parley.as_of`` if it declares one
    (an archived dossier), else the latest date its data speaks of
    (:func:`latest_date`), so a view never goes stale by default."""
    declared = dossier.schema.options.get("as_of")
    if declared:
        return parse_date(declared, "datapackage.json parley.as_of")
    latest = latest_date(dossier)
    return latest if latest is not None else pd.Timestamp("1970-01-01")


def judgment_written(judgments: pd.DataFrame) -> pd.Series:
    """When each judgment was written (``written_on`` if the dossier has it, else ``as_of``)."""
    for column in ("written_on", "as_of"):
        if column in judgments.columns:
            return judgments[column]
    return pd.Series(pd.NaT, index=judgments.index, dtype="datetime64[ns]")


def data_dates(dossier: Dossier) -> list[pd.Series]:
    """Every date the data speaks of, a series per kind: reports, said, published, judgments
    written, events held, status updates reported (planned events ahead do not count)."""
    events, updates = dossier.events, dossier.event_updates
    return [dossier.reports["date_reported"], dossier.statements["date_said"], dossier.sources["published"],
            judgment_written(dossier.judgments), events.loc[events["status"] == "held", "date"], updates["date_reported"]]


def latest_date(dossier: Dossier) -> pd.Timestamp | None:
    """The last date the data speaks of (planned events ahead do not count); ``None`` when it has none."""
    latest = [s.dropna().max() for s in data_dates(dossier) if s.notna().any()]
    return max(latest) if latest else None


def statement_dates(statements: pd.DataFrame) -> pd.Series:
    """When each utterance was said: ``date_said``, else the date of its earliest report."""
    return statements["date_said"].fillna(statements["date_reported"])


def known_statements(dossier: Dossier, as_of: pd.Timestamp | None, columns: list[str] | None = None) -> pd.DataFrame:
    """Accepted utterances with a report on or before ``as_of`` (all accepted ones when ``None``):
    the rows of :attr:`parley.data.dossier.Dossier.utterances` as known then, plus ``date``.
    ``columns``: only these (``date`` among them or not), so only they are copied."""
    statements, rows = _accepted(dossier, as_of)
    if columns is None:
        out = statements.take(rows)
        out["date"] = statement_dates(out)
        return out
    out = statements[[c for c in columns if c != "date"]].take(rows)
    if "date" in columns:
        out["date"] = statement_dates(statements[["date_said", "date_reported"]].take(rows))
    return out[columns]


def _accepted(dossier: Dossier, as_of: pd.Timestamp | None) -> tuple[pd.DataFrame, np.ndarray]:
    """The utterances known at ``as_of`` and the positions of the accepted ones among them."""
    statements = dossier.utterances_at(as_of)
    return statements, np.flatnonzero((statements["review_status"] == "accepted").fillna(False).to_numpy(dtype=bool))


def _names(frame: pd.DataFrame, id_column: str, name_column: str) -> pd.Series:
    return pd.Series(frame[name_column].to_numpy(), index=frame[id_column].to_numpy())


def _taken(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """``column``'s values at positions ``rows``, of the same type (an object column stays one), on a fresh index."""
    return pd.Series(column.array.take(rows), dtype=column.dtype)


def _coded(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """``column``'s values at positions ``rows`` as a categorical of the values met (sorted, so
    sorting and grouping order as the plain strings would): one small integer per row instead of
    a string (at a million positions the evidence's id, name and kind columns held ~250 MB)."""
    codes, names = pd.factorize(column.array.take(rows), sort=True)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=column.dtype)))


def _named(ids: pd.Series, names: pd.Series, missing: str | None = None) -> pd.Series:
    """The ``names`` (a series keyed by id) of a categorical column of ids, a categorical again:
    only its categories are looked up. An id with no name is missing, or ``missing`` when given."""
    ids = ids.array
    looked = np.append(names.reindex(ids.categories).to_numpy(dtype=object), np.nan)  # code -1 (no id) reads the last slot
    if missing is not None:
        looked = np.where(pd.isna(looked), missing, looked)
    codes, distinct = pd.factorize(looked, sort=True)  # a missing name: -1
    named = pd.Categorical.from_codes(codes[ids.codes], categories=pd.Index(distinct, dtype="str"))
    return pd.Series(named.remove_unused_categories() if missing is not None else named)  # ``missing`` may name no row


def shared_evidence(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """:func:`positions_with_evidence`, computed once per dossier and view date (the stance matrix,
    the key quotes and a page's sections all read it: at a million positions it is ~1 GB to build)."""
    return dossier.memo("evidence", as_of, lambda: positions_with_evidence(dossier, as_of), deep=False)


def positions_with_evidence(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every known position with the utterance that expresses it and that utterance's best report.

    Returns
    -------
    DataFrame
        One row per position, columns :data:`EVIDENCE_COLUMNS` (``participation`` is the holder's;
        ``text``, ``source_id``, ``outlet`` and ``char_start`` come from the best report;
        ``outlets``, ``n_outlets``, ``n_origins`` count every report known at ``as_of``), sorted
        by date, then place in the source, then position id (a stable order). The columns of
        :data:`CODED` are categoricals of the values met, sorted (so they sort and group as the
        strings would); :func:`parley.data.tables.decoded` gives them back as strings, and the
        analyses hand on only plain columns.
    """
    statements, accepted = _accepted(dossier, as_of)  # the known statements, read in place (not copied first)
    positions = dossier.positions
    at = arrow_index_in(positions["statement_id"], statements["statement_id"].array.take(accepted))  # statement ids are unique
    rows = np.flatnonzero(at >= 0)  # the inner join, in the positions' order
    at = accepted[at[rows]]  # each joined position's row among the utterances
    date = statement_dates(pd.DataFrame({c: _taken(statements[c], at) for c in ("date_said", "date_reported")}))
    keys = pd.DataFrame({"date": date.to_numpy(), "source_id": statements["source_id"].array.take(at),
                         "char_start": statements["char_start"].array.take(at), "position_id": positions["position_id"].array.take(rows),
                         "_row": np.arange(len(rows))})
    order = keys.sort_values(["date", "source_id", "char_start", "position_id"], kind="stable")["_row"].to_numpy()
    del keys
    rows, at = rows[order], at[order]  # each column below is taken once, already sorted
    joined = pd.DataFrame({c: _coded(positions[c], rows) if c in CODED else _taken(positions[c], rows) for c in positions.columns})
    for column in _UTTERANCE[1:]:
        if column == "date":
            joined[column] = _taken(date, order)
        else:
            joined[column] = (_coded if column in CODED else _taken)(statements[column], at)
    actors, sources = dossier.actors, dossier.sources
    joined["actor"] = _named(joined["actor_id"], _names(actors, "actor_id", "name"))
    joined["participation"] = _named(joined["actor_id"], _names(actors, "actor_id", "participation"))
    joined["speaker"] = _named(joined["speaker_id"], _names(actors, "actor_id", "name"), "unattributed")
    joined["issue"] = _named(joined["issue_id"], _names(dossier.issues, "issue_id", "label"))
    source_names = pd.Series(
        (sources["outlet"].fillna("unknown outlet") + ": " + sources["title"]).to_numpy(), index=sources["source_id"].to_numpy()
    )
    joined["source"] = _named(joined["source_id"], source_names)
    joined["outlet"] = _named(joined["source_id"], outlet_name(sources))
    return joined[EVIDENCE_COLUMNS]
