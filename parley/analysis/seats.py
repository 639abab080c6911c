"""Who sat at which table, who hosted, and who was left out."""

from __future__ import annotations

import pandas as pd

from parley.data.dossier import Dossier
from parley.data.model import party_of

__all__ = ["known_events", "party_of", "seats", "table_event", "table_parties"]

ROLE_ORDER = {"participant": 0, "host": 1, "excluded": 2}


def known_events(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Events reported by a source published on or before ``as_of`` (unknown publication dates
    count), each with the status and date of its latest update known by then.

    ``status_source_id`` names the source of the status shown (the event's own source until an
    update in ``event_updates`` changes it) and ``updated`` the date of that update (empty when
    none).
    """
    events = dossier.events.merge(dossier.sources[["source_id", "published"]], on="source_id", how="left")
    if as_of is not None:
        events = events.loc[events["published"].isna() | (events["published"] <= as_of)]
    events = events.drop(columns=["published"]).assign(status_source_id=lambda f: f["source_id"], updated=pd.NaT)
    updates = dossier.event_updates
    if as_of is not None:
        updates = updates.loc[(updates["date_reported"] <= as_of).fillna(False).to_numpy(dtype=bool)]
    if len(updates):
        latest = updates.sort_values(["event_id", "date_reported", "update_id"], kind="stable").groupby("event_id").tail(1).set_index("event_id")
        hit = events["event_id"].isin(latest.index).to_numpy()
        keys = events.loc[hit, "event_id"]
        events.loc[hit, "status"] = keys.map(latest["status"]).to_numpy()
        new_dates = keys.map(latest["date"])
        events.loc[hit, "date"] = new_dates.fillna(events.loc[hit, "date"]).to_numpy()
        events.loc[hit, "status_source_id"] = keys.map(latest["source_id"]).to_numpy()
        events.loc[hit, "updated"] = keys.map(latest["date_reported"]).to_numpy()
    return events.sort_values(["date", "event_id"], kind="stable", na_position="last").reset_index(drop=True)


def seats(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per event × actor with the actor's role.

    Returns
    -------
    DataFrame
        ``event_id, event, date, status, place, actor_id, actor, kind, role`` ordered by event date,
        then role (participant, host, excluded), then actor name.
    """
    events = known_events(dossier, as_of)[["event_id", "title", "date", "status", "place"]].rename(columns={"title": "event"})
    rows = dossier.event_parties.merge(events, on="event_id", how="inner")
    rows = rows.merge(dossier.actors[["actor_id", "name", "kind"]].rename(columns={"name": "actor"}), on="actor_id", how="left")
    rows["_role"] = rows["role"].map(ROLE_ORDER)
    rows = rows.sort_values(["date", "event_id", "_role", "actor"], kind="stable", na_position="last")
    return rows[["event_id", "event", "date", "status", "place", "actor_id", "actor", "kind", "role"]].reset_index(drop=True)


def table_event(dossier: Dossier, as_of: pd.Timestamp | None = None) -> str | None:
    """The negotiation that defines who is "at the table": the latest held event that left parties
    out, else the latest held event with the most participants; ``None`` when no event is held."""
    table = seats(dossier, as_of)
    held = table.loc[table["status"] == "held"]
    if held.empty:
        return None
    stats = held.groupby("event_id", sort=False).agg(
        date=("date", "first"),
        excluded=("role", lambda r: int((r == "excluded").sum())),
        participants=("role", lambda r: int((r == "participant").sum())),
    )
    stats = stats.assign(has_excluded=stats["excluded"] > 0).sort_values(
        ["has_excluded", "date", "participants"], kind="stable", na_position="first"
    )
    return str(stats.index[-1])


def table_parties(dossier: Dossier, as_of: pd.Timestamp | None = None, event_id: str | None = None) -> dict[str, list[str]]:
    """Actor ids by role at one event (``participant``, ``host``, ``excluded``)."""
    event_id = event_id or table_event(dossier, as_of)
    table = seats(dossier, as_of)
    table = table.loc[table["event_id"] == event_id]
    return {role: table.loc[table["role"] == role, "actor_id"].tolist() for role in ROLE_ORDER}
