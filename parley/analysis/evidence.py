"""Positions joined to their evidence, and the as-of rules every analysis shares.

As-of rule: a statement is *known* at a date when the report carrying it was published on or
before that date (``date_reported <= as_of``); among known statements, order follows the date it
was said (``date_said``, falling back to ``date_reported``) and then its place in the source.
Only statements whose review status is ``accepted`` count in briefings.
"""

from __future__ import annotations

import pandas as pd

from parley.data.dossier import Dossier
from parley.errors import ParameterError

#: Columns of :func:`positions_with_evidence`, in order.
EVIDENCE_COLUMNS = [
    "position_id", "actor_id", "actor", "issue_id", "issue", "stance", "red_line", "condition",
    "statement_id", "kind", "text", "speaker_id", "speaker", "source_id", "source", "date",
    "date_reported", "char_start",
]


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
    """The dossier's declared as-of date, else the latest report date in it."""
    declared = dossier.schema.options.get("as_of")
    if declared:
        return parse_date(declared, "datapackage.json parley.as_of")
    dates = dossier.statements["date_reported"].dropna()
    return dates.max() if len(dates) else pd.Timestamp("1970-01-01")


def statement_dates(statements: pd.DataFrame) -> pd.Series:
    """When each statement was said: ``date_said``, else ``date_reported``."""
    return statements["date_said"].fillna(statements["date_reported"])


def known_statements(dossier: Dossier, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Accepted statements reported on or before ``as_of`` (all accepted ones when ``None``)."""
    statements = dossier.statements
    mask = statements["review_status"] == "accepted"
    if as_of is not None:
        mask &= statements["date_reported"] <= as_of
    out = statements.loc[mask.fillna(False)].copy()
    out["date"] = statement_dates(out)
    return out


def _names(frame: pd.DataFrame, id_column: str, name_column: str) -> pd.Series:
    return pd.Series(frame[name_column].to_numpy(), index=frame[id_column].to_numpy())


def positions_with_evidence(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every known position with the statement that expresses it.

    Returns
    -------
    DataFrame
        One row per position, columns :data:`EVIDENCE_COLUMNS`, sorted by date, then place in the
        source, then position id (a stable order).
    """
    statements = known_statements(dossier, as_of)
    joined = dossier.positions.merge(
        statements[["statement_id", "kind", "text", "speaker_id", "source_id", "date", "date_reported", "char_start"]],
        on="statement_id",
        how="inner",
    )
    actor_names = _names(dossier.actors, "actor_id", "name")
    joined["actor"] = joined["actor_id"].map(actor_names)
    joined["speaker"] = joined["speaker_id"].map(actor_names).fillna("unattributed")
    joined["issue"] = joined["issue_id"].map(_names(dossier.issues, "issue_id", "label"))
    sources = dossier.sources
    source_names = pd.Series(
        (sources["outlet"].fillna("unknown outlet") + ": " + sources["title"]).to_numpy(), index=sources["source_id"].to_numpy()
    )
    joined["source"] = joined["source_id"].map(source_names)
    joined = joined.sort_values(["date", "source_id", "char_start", "position_id"], kind="stable")
    return joined[EVIDENCE_COLUMNS].reset_index(drop=True)
