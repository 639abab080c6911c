"""How current a view is: the dossier's period, judgments due for review, plans whose date passed.

A dossier's latest date is the last day its data speaks of (a source published, an utterance
said or reported, a judgment written, an event held or its status reported); a view with no as-of date shows that day, so a
notebook opened after a month of coding shows the month, not the day the dossier began.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.analysis.evidence import data_dates, judgment_written as _written, known_statements, latest_date
from parley.data.dossier import Dossier
from parley.data.scan import arrow_index_in

#: Columns of :func:`judgments_due`.
DUE_COLUMNS = ["judgment_id", "issue_id", "written", "n_later", "latest", "statement_ids"]


def dossier_period(dossier: Dossier) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last date the data speaks of: what a dossier's title would otherwise hard-code."""
    firsts = [s.dropna().min() for s in data_dates(dossier) if s.notna().any()]
    return (min(firsts) if firsts else None, latest_date(dossier))


def period_text(dossier: Dossier) -> str:
    """``2025-02-18 – 2025-03-19`` (one date when they agree; ``no dates`` when there are none)."""
    first, last = dossier_period(dossier)
    if first is None:
        return "no dates"
    return f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"


def known_judgments(dossier: Dossier, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Judgments written on or before ``as_of`` (undated ones too), with a ``written`` column."""
    judgments = dossier.judgments.assign(written=_written(dossier.judgments))
    if as_of is not None:
        judgments = judgments.loc[judgments["written"].isna() | (judgments["written"] <= as_of)]
    return judgments.reset_index(drop=True)


def judgments_due(dossier: Dossier, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Judgments whose issue has statements reported after the judgment was written.

    Returns
    -------
    DataFrame
        Columns :data:`DUE_COLUMNS`: the judgment, its issue, when it was written, how many
        statements on its issue were reported after that (by ``as_of``), the latest of their
        report dates and their ids (``|``-joined). Undated judgments are never due. Computed once
        per dossier and view date (the key judgments and What changed both ask).
    """
    return dossier.memo("judgments_due", as_of, lambda: _judgments_due(dossier, as_of))


def _judgments_due(dossier: Dossier, as_of: pd.Timestamp | None) -> pd.DataFrame:
    judgments = known_judgments(dossier, as_of)
    judgments = judgments.loc[judgments["written"].notna() & judgments["issue_id"].notna()]
    statements = known_statements(dossier, as_of, ["statement_id", "date_reported"])
    # Only the (statement, issue) pairs that can be due are built: on an issue judged, reported
    # after its first judgment was written (at a million positions, a frame of every pair joined
    # with every statement's date held ~0.2 GB at once).
    positions = dossier.positions
    missing = np.datetime64("NaT", "ns")  # the last element of each lookup below: what index -1 (not found) reads
    at = arrow_index_in(positions["statement_id"], statements["statement_id"])  # statement ids are unique; -1: not shown
    reported = np.append(statements["date_reported"].to_numpy(dtype="datetime64[ns]"), missing)[at]
    first = judgments.groupby("issue_id")["written"].min()  # each judged issue's first judgment
    since = np.append(first.to_numpy(dtype="datetime64[ns]"), missing)[first.index.get_indexer(positions["issue_id"])]
    rows = np.flatnonzero(reported > since)  # NaT (not shown, no date, no judgment on the issue) compares False
    on_issue = pd.DataFrame({"statement_id": positions["statement_id"].take(rows).to_numpy(), "issue_id": positions["issue_id"].take(rows).to_numpy()})
    on_issue = on_issue.astype({"statement_id": positions["statement_id"].dtype, "issue_id": positions["issue_id"].dtype})
    on_issue["date_reported"] = statements["date_reported"].to_numpy()[at[rows]]  # of the statements' own type
    on_issue = on_issue.drop_duplicates(["statement_id", "issue_id"])
    pairs = judgments[["judgment_id", "issue_id", "written"]].merge(on_issue, on="issue_id")
    later = pairs.loc[pairs["date_reported"] > pairs["written"]]
    if later.empty:
        return pd.DataFrame(columns=DUE_COLUMNS)
    grouped = later.sort_values(["date_reported", "statement_id"]).groupby(["judgment_id", "issue_id", "written"], sort=True)
    out = grouped.agg(n_later=("statement_id", "nunique"), latest=("date_reported", "max"),
                      statement_ids=("statement_id", lambda s: "|".join(dict.fromkeys(s)))).reset_index()
    return out[DUE_COLUMNS]


def review_flags(dossier: Dossier, as_of: pd.Timestamp | None) -> pd.Series:
    """Per judgment id, ``"review due: N statement(s) on its issue since WRITTEN"`` or ``""``."""
    due = judgments_due(dossier, as_of)
    flags = {r.judgment_id: f"review due: {r.n_later} statement(s) on its issue reported since {r.written:%Y-%m-%d}" for r in due.itertuples()}
    return pd.Series(flags, dtype=object)


def overdue_events(events: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.Series:
    """True for each planned event whose date is before ``as_of`` (it should have happened by now)."""
    if as_of is None:
        return pd.Series(False, index=events.index)
    return (events["status"] == "planned") & events["date"].notna() & (events["date"] < as_of)
