"""Who sat at which table, who hosted, and who was left out."""

from __future__ import annotations

import pandas as pd

from parley.data.dossier import Dossier

ROLE_ORDER = {"participant": 0, "host": 1, "excluded": 2}


def known_events(dossier: Dossier, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Events reported by a source published on or before ``as_of`` (unknown publication dates count)."""
    events = dossier.events.merge(dossier.sources[["source_id", "published"]], on="source_id", how="left")
    if as_of is not None:
        events = events.loc[events["published"].isna() | (events["published"] <= as_of)]
    return events.drop(columns=["published"]).sort_values(["date", "event_id"], kind="stable", na_position="last").reset_index(drop=True)


def party_of(actors: pd.DataFrame, max_depth: int = 8) -> pd.Series:
    """Top-level actor each actor belongs to (a minister -> his state), indexed by actor id."""
    parent = pd.Series(actors["parent_id"].to_numpy(), index=actors["actor_id"].to_numpy())
    party = pd.Series(actors["actor_id"].to_numpy(), index=actors["actor_id"].to_numpy())
    for _ in range(max_depth):
        up = party.map(parent)
        moved = up.notna()
        if not moved.any():
            break
        party = party.where(~moved, up)
    return party


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
