"""Events on a time line, and the watch list of what is planned."""

from __future__ import annotations

import pandas as pd

from parley.analysis.seats import known_events, seats
from parley.data.dossier import Dossier


def _parties(dossier: Dossier, as_of: pd.Timestamp | None) -> pd.DataFrame:
    table = seats(dossier, as_of)
    joined = table.groupby(["event_id", "role"], sort=False)["actor"].agg(lambda s: ", ".join(s)).unstack("role")
    for role in ("participant", "host", "excluded"):
        if role not in joined.columns:
            joined[role] = ""
    return joined[["participant", "host", "excluded"]].rename(columns={"participant": "participants", "host": "hosts"}).fillna("")


def timeline(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Known events with their parties, dated ones first in date order, undated (``date`` empty) last."""
    events = known_events(dossier, as_of)
    parties = _parties(dossier, as_of)
    out = events.merge(parties, left_on="event_id", right_index=True, how="left")
    out[["participants", "hosts", "excluded"]] = out[["participants", "hosts", "excluded"]].fillna("")
    return out[["event_id", "date", "kind", "title", "place", "status", "participants", "hosts", "excluded", "source_id"]].reset_index(drop=True)


def watch_list(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Planned events at ``as_of``: overdue ones first (their date passed while still listed as
    planned, ``overdue`` True), then those ahead, soonest first, then undated ones."""
    from parley.analysis.staleness import overdue_events

    events = timeline(dossier, as_of)
    planned = events.loc[events["status"] == "planned"]
    planned = planned.assign(overdue=overdue_events(planned, as_of).astype(bool))
    planned = planned.sort_values(["overdue", "date"], ascending=[False, True], kind="stable", na_position="last")
    return planned.reset_index(drop=True)
