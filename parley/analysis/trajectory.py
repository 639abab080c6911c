"""How each party's stance on each issue moved over time, statement by statement."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.data.tables import decoded
from parley.data.model import negotiating

#: Columns of :func:`stance_trajectories`.
TRAJECTORY_COLUMNS = ["actor_id", "actor", "issue_id", "issue", "date", "stance", "red_line", "speaker", "text", "source",
                      "statement_id", "n_that_day"]


def stance_trajectories(evidence: pd.DataFrame, actors: pd.DataFrame | None = None, *, parties_only: bool = False) -> pd.DataFrame:
    """One point per actor × issue × day a statement expressed a stance.

    Several positions of one actor on one issue on the same day resolve as in
    :func:`parley.analysis.stance.latest_positions` (a red line, then the stronger stance, then
    the later place in the source); ``n_that_day`` counts them.

    Parameters
    ----------
    evidence
        From :func:`parley.analysis.positions_with_evidence` (statements known at the view date).
    actors
        The dossier's actors, needed when ``parties_only``.
    parties_only
        Keep only the parties to the negotiation (:func:`parley.data.model.negotiating`).
    """
    shown = evidence["date"].notna().to_numpy(dtype=bool, copy=True)
    if parties_only and actors is not None and len(evidence):
        shown &= negotiating(evidence, actors)
    if not shown.any():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TRAJECTORY_COLUMNS})
    rows = np.flatnonzero(shown)
    dated = evidence[["actor_id", "issue_id", "date", "red_line", "stance", "char_start", "position_id"]].iloc[rows]
    keys = dated.assign(_abs=dated["stance"].abs(), date=dated["date"].dt.normalize(), _row=rows)
    keys = keys.sort_values(["actor_id", "issue_id", "date", "red_line", "_abs", "char_start", "position_id"], kind="stable")
    groups = keys.groupby(["actor_id", "issue_id", "date"], sort=False)  # only the keys sorted: the evidence taken for each day's winner
    last = groups.tail(1)  # each day's winner, in the order of the groups (the keys are sorted by them)
    winners = last["_row"].to_numpy()
    points = evidence[["issue", "actor"]].iloc[winners].assign(date=last["date"].to_numpy(), _at=np.arange(len(winners)))
    order = points.sort_values(["issue", "actor", "date"], kind="stable")["_at"].to_numpy()
    # Only the columns shown, taken once for the winners, in their final order.
    out = decoded(evidence[[c for c in TRAJECTORY_COLUMNS if c not in ("date", "n_that_day")]].iloc[winners[order]].reset_index(drop=True))
    out.insert(TRAJECTORY_COLUMNS.index("date"), "date", last["date"].to_numpy()[order])
    out["n_that_day"] = groups.size().to_numpy()[order]
    return out[TRAJECTORY_COLUMNS]
