"""What changed between two views of a dossier."""

from __future__ import annotations

import pandas as pd

from parley.analysis.evidence import known_statements
from parley.analysis.seats import known_events
from parley.data.dossier import Dossier

CHANGE_COLUMNS = ["change", "actor_id", "actor", "issue_id", "issue", "before", "after", "red_line_before", "red_line_after", "statement_id", "text", "date"]

#: Order in which kinds of change are listed.
CHANGE_ORDER = ["red line added", "red line dropped", "stance shift", "new position", "position withdrawn"]


def stance_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Compare two stance matrices (see :func:`parley.analysis.stance.stance_matrix`).

    ``before`` may also be a matrix recorded by an earlier run (only ``actor_id, issue_id,
    stance, red_line`` are needed from it).

    Returns
    -------
    DataFrame
        One row per actor × issue whose stance or red line changed, columns
        :data:`CHANGE_COLUMNS`; ``change`` is one of :data:`CHANGE_ORDER`.
    """
    keys = ["actor_id", "issue_id"]
    # Red lines are nullable booleans before the outer merge, so a side's missing rows are <NA> of the
    # same dtype (not NaN in an object or float column, which pandas refuses to fill with False).
    left = before[keys + ["stance", "red_line"]].astype({"red_line": "boolean"}).rename(columns={"stance": "before", "red_line": "red_line_before"})
    right_columns = keys + ["actor", "issue", "stance", "red_line", "statement_id", "text", "date"]
    right = after[right_columns].astype({"red_line": "boolean"}).rename(columns={"stance": "after", "red_line": "red_line_after"})
    merged = left.merge(right, on=keys, how="outer", indicator=True)
    for column in ("red_line_before", "red_line_after"):
        merged[column] = merged[column].fillna(False).astype(bool)
    change = pd.Series(pd.NA, index=merged.index, dtype="string")
    both = merged["_merge"] == "both"
    change[both & (merged["before"] != merged["after"])] = "stance shift"
    change[both & merged["red_line_after"] & ~merged["red_line_before"]] = "red line added"
    change[both & ~merged["red_line_after"] & merged["red_line_before"]] = "red line dropped"
    change[merged["_merge"] == "right_only"] = "new position"
    change[(merged["_merge"] == "right_only") & merged["red_line_after"]] = "red line added"
    change[merged["_merge"] == "left_only"] = "position withdrawn"
    merged["change"] = change
    merged = merged.loc[merged["change"].notna()].copy()
    merged["_order"] = merged["change"].map({name: i for i, name in enumerate(CHANGE_ORDER)})
    merged = merged.sort_values(["_order", "issue_id", "actor_id"], kind="stable")
    for column in ("before", "after"):
        merged[column] = merged[column].astype("Int64")
    return merged[CHANGE_COLUMNS].reset_index(drop=True)


def new_statements(dossier: Dossier, since: pd.Timestamp | None, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Statements known at ``as_of`` that were not known at ``since``."""
    now = known_statements(dossier, as_of)
    if since is not None:
        now = now.loc[now["date_reported"] > since]
    names = pd.Series(dossier.actors["name"].to_numpy(), index=dossier.actors["actor_id"].to_numpy())
    now = now.assign(speaker=now["speaker_id"].map(names).fillna("unattributed"))
    return now.sort_values(["date", "source_id", "char_start"], kind="stable")[["statement_id", "date", "speaker", "kind", "text", "source_id"]].reset_index(drop=True)


def event_changes(dossier: Dossier, since: pd.Timestamp | None, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Events first reported after ``since`` ("new event", or "cancelled" when first reported so),
    and events whose status an update reported after ``since`` changed ("now held", "now
    postponed", "now cancelled", "now planned")."""
    now = known_events(dossier, as_of)
    published = now["source_id"].map(pd.Series(dossier.sources["published"].to_numpy(), index=dossier.sources["source_id"].to_numpy()))
    new = published.isna() | (published > since) if since is not None else pd.Series(True, index=now.index)
    updated = now["updated"].notna() & ((now["updated"] > since) if since is not None else True)
    change = pd.Series(pd.NA, index=now.index, dtype="string")
    change[updated.to_numpy(dtype=bool)] = "now " + now.loc[updated.to_numpy(dtype=bool), "status"].astype(str)
    first = new.to_numpy(dtype=bool)
    change[first] = now.loc[first, "status"].map({"cancelled": "cancelled"}).fillna("new event").to_numpy()
    keep = change.notna().to_numpy()
    return now.assign(change=change)[keep][["change", "event_id", "title", "date", "status", "place"]].reset_index(drop=True)
