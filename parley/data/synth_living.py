"""The living-dossier parts of a synthetic dossier: joint speakers and event status changes.

Kept apart from :mod:`parley.data.synth` (one generator, already long) and called by it:

- :func:`with_joint_actors` turns the last few people (the rarest speakers) into joint actors
  (``kind`` group, ``participation`` joint: "the delegations of A and B"), each with two member
  states (``actor_members.csv``), so the actor count stays what was asked;
- :func:`give_joint_speakers` makes a small share of statements theirs;
- :func:`positions_for_members` codes a joint speaker's position once per member (a joint actor
  never holds a position), as ``parley review accept`` does;
- :func:`plan_updates` / :func:`event_updates`: planned events that a later source reports as
  held, postponed (with a new date) or cancelled, each anchored to that source's sentence.

Everything is a function of the generator's state: the same seed gives the same rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Share of the actors that are joint speakers (at least one when there are eight actors or more).
JOINT_SHARE = 0.05
#: Share of statements a joint actor makes.
JOINT_STATEMENTS = 0.02
#: Share of planned events a later source reports again with a new status.
UPDATE_SHARE = 0.7


def with_joint_actors(actors: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(actors with the last few people replaced by joint actors, their ``actor_members`` rows)."""
    states = actors.loc[actors["kind"] == "state", ["actor_id", "name"]]
    people = np.flatnonzero(actors["kind"].to_numpy() == "person")
    n_joint = max(1, round(len(actors) * JOINT_SHARE)) if len(actors) >= 8 and len(states) >= 2 else 0
    n_joint = min(n_joint, len(people) - 1)
    actors = actors.copy()
    members = []
    for j, row in enumerate(people[len(people) - n_joint:] if n_joint > 0 else []):
        a, b = states.iloc[j % len(states)], states.iloc[(j + 1) % len(states)]
        name = f"Delegations of {a['name']} and {b['name']}" + (f" {j // len(states) + 1}" if j >= len(states) else "")
        actors.iloc[row, [actors.columns.get_loc(c) for c in ("actor_id", "name", "kind", "participation", "parent_id", "aliases", "roles", "notes")]] = [
            f"jt{j + 1:03d}", name, "group", "joint", "", name, "", "SYNTHETIC joint speaker: its positions are coded for each member."]
        members += [{"group_id": f"jt{j + 1:03d}", "member_id": m, "notes": ""} for m in (a["actor_id"], b["actor_id"])]
    return actors, pd.DataFrame(members, columns=["group_id", "member_id", "notes"])


def give_joint_speakers(rng: np.random.Generator, speaker: np.ndarray, party: np.ndarray, actors: pd.DataFrame) -> None:
    """Make about :data:`JOINT_STATEMENTS` of the statements (at least one each) joint actors' (in place)."""
    joint = np.flatnonzero(actors["participation"].to_numpy() == "joint")
    if not len(joint) or len(speaker) < 2 * len(joint):
        return
    count = max(len(joint), round(len(speaker) * JOINT_STATEMENTS))
    chosen = np.sort(rng.choice(len(speaker), size=count, replace=False))
    speaker[chosen] = joint[np.arange(count) % len(joint)]
    party[chosen] = -1  # a joint actor speaks for its members, not for a parent


def positions_for_members(positions: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """A joint actor's positions, one per member (same statement, issue and stance); ids renumbered."""
    if members.empty:
        return positions
    of_group = members.groupby("group_id")["member_id"].agg(list)
    expanded = positions.assign(actor_id=positions["actor_id"].map(lambda a: of_group.get(a, a))).explode("actor_id", ignore_index=True)
    width = len(str(positions["position_id"].iloc[0])) - 1 if len(positions) else 7
    expanded["position_id"] = [f"p{i + 1:0{width}d}" for i in range(len(expanded))]
    return expanded


def plan_updates(rng: np.random.Generator, events: list[dict], n_sources: int, published: list[str]) -> list[dict]:
    """Status changes of planned events, each printed by a later source (as the event sentences are: ``source``, ``title``, ``status``)."""
    updates = []
    planned = [e for e in events if e["status"] == "planned" and e["source"] + 1 < n_sources]
    for event in events:
        later = min(n_sources - 1, event["source"] + 1 + int(rng.integers(0, 5)))
        first = bool(planned) and event is planned[0]  # at least one change, however small the dossier
        if event["status"] != "planned" or later <= event["source"] or (rng.random() >= UPDATE_SHARE and not first):
            continue
        day = published[later]
        due = event["date"] and event["date"] <= day
        status = str(rng.choice(["held", "cancelled"], p=[0.8, 0.2]) if due else rng.choice(["postponed", "cancelled"], p=[0.7, 0.3]))
        new_date = ""
        if status == "postponed":
            new_date = (pd.Timestamp(day) + pd.Timedelta(days=int(rng.integers(7, 30)))).strftime("%Y-%m-%d")
        elif status == "held":
            new_date = event["date"]
        updates.append({"event_id": f"up{len(updates) + 1:05d}", "of": event["event_id"], "source": later, "title": event["title"],
                        "status": status, "date": new_date})
    return updates


def event_updates(updates: list[dict], spans: dict[str, tuple[int, int]], texts: list[str], published: list[str], columns: list[str]) -> pd.DataFrame:
    """The ``event_updates`` rows of :func:`plan_updates`, anchored to the sentences the texts print."""
    rows = []
    for update in updates:
        start, end = spans[update["event_id"]]
        rows.append({"update_id": update["event_id"], "event_id": update["of"], "status": update["status"], "date": update["date"],
                     "date_reported": published[update["source"]], "source_id": f"src{update['source'] + 1:06d}",
                     "evidence": texts[update["source"]][start:end], "evidence_start": start, "evidence_end": end,
                     "notes": "SYNTHETIC status change."})
    return pd.DataFrame(rows, columns=columns)
