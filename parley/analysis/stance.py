"""Where each actor stands on each issue as of a date."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.analysis.evidence import shared_evidence
from parley.data.tables import decoded
from parley.data.dossier import Dossier


def latest_positions(evidence: pd.DataFrame) -> pd.DataFrame:
    """Reduce positions with evidence to one row per actor × issue.

    The latest statement wins. Several positions of one actor on one issue on the same day are
    resolved in favour of a red line, then the stronger stance, then the better corroborated
    utterance (more independent origins), then the later place in the source. ``n_statements`` counts every position the pair had up to then, and
    ``red_line_ever`` whether any of them was a red line.
    """
    if evidence.empty:
        return decoded(evidence).assign(n_statements=pd.Series(dtype="int64"), red_line_ever=pd.Series(dtype=bool))
    keys = evidence[["actor_id", "issue_id", "red_line", "n_origins", "char_start", "position_id"]].assign(
        _abs=evidence["stance"].abs(), _day=evidence["date"].dt.normalize(), _row=np.arange(len(evidence)))
    keys = keys.sort_values(["actor_id", "issue_id", "_day", "red_line", "_abs", "n_origins", "char_start", "position_id"], kind="stable")
    groups = keys.groupby(["actor_id", "issue_id"], sort=False)  # only the sort keys are sorted: the evidence is taken for the winners
    # The winners, the counts and the flags come in the groups' order (the keys are sorted by them).
    latest = decoded(evidence.iloc[groups.tail(1)["_row"].to_numpy()])
    latest["n_statements"] = groups.size().to_numpy()
    latest["red_line_ever"] = groups["red_line"].any().to_numpy()
    return latest.sort_values(["issue_id", "actor_id"]).reset_index(drop=True)


def stance_matrix(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """The latest accepted position of every actor on every issue, with its evidence.

    Parameters
    ----------
    dossier
        A loaded dossier.
    as_of
        View date: only statements reported by then count. ``None`` takes every statement.

    Returns
    -------
    DataFrame
        Long form, one row per actor × issue that has a position: the columns of
        :func:`parley.analysis.evidence.positions_with_evidence` plus ``n_statements`` and
        ``red_line_ever``. Pivot ``stance`` on actor × issue for the wide view.
    """
    return dossier.memo("stance_matrix", as_of, lambda: latest_positions(shared_evidence(dossier, as_of)))


def stance_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Wide actor × issue table of stances (actors as rows, issue labels as columns)."""
    if matrix.empty:
        return pd.DataFrame()
    wide = matrix.pivot_table(index="actor", columns="issue", values="stance", aggfunc="first")
    return wide.sort_index().astype("Int64")
