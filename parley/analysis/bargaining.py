"""Bargaining space per issue, red lines and deal blockers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.analysis.seats import party_of
from parley.data.model import negotiating

SIDES = ("at the table", "left out", "others")


def side_of(matrix: pd.DataFrame, actors: pd.DataFrame, parties: dict[str, list[str]]) -> pd.Series:
    """Which side of the table each matrix row's actor is on, through its top-level party."""
    party = matrix["actor_id"].map(party_of(actors))
    side = np.where(
        party.isin(parties.get("participant", [])),
        "at the table",
        np.where(party.isin(parties.get("excluded", [])), "left out", "others"),
    )
    return pd.Series(side, index=matrix.index)


def bargaining_space(matrix: pd.DataFrame, actors: pd.DataFrame, issues: pd.DataFrame, parties: dict[str, list[str]]) -> pd.DataFrame:
    """Spread of stances per issue for those at the table and those left out.

    Returns
    -------
    DataFrame
        One row per issue with a position: ``issue_id, issue, table_min, table_max, table_n,
        left_out_min, left_out_max, left_out_n, others_n, gap, red_lines``. ``gap`` is the
        distance between the two ranges (0 when they overlap, empty when a side has no position):
        how far what is agreed at the table may sit from what those left out can accept.
    """
    columns = ["issue_id", "issue", "table_min", "table_max", "table_n", "left_out_min", "left_out_max", "left_out_n", "others_n", "gap", "red_lines"]
    if matrix.empty:
        return pd.DataFrame(columns=columns)
    frame = matrix.assign(side=side_of(matrix, actors, parties), stance=matrix["stance"].astype("float64"))
    stats = frame.pivot_table(index="issue_id", columns="side", values="stance", aggfunc=["min", "max", "count"])
    out = pd.DataFrame(index=stats.index)
    for side, prefix in (("at the table", "table"), ("left out", "left_out")):
        for agg in ("min", "max", "count"):
            key = (agg, side)
            name = f"{prefix}_{'n' if agg == 'count' else agg}"
            out[name] = stats[key] if key in stats.columns else np.nan
    out["others_n"] = stats[("count", "others")] if ("count", "others") in stats.columns else 0
    for column in ("table_n", "left_out_n", "others_n"):
        out[column] = out[column].fillna(0).astype("int64")
    above = out["left_out_min"] - out["table_max"]
    below = out["table_min"] - out["left_out_max"]
    out["gap"] = np.fmax(np.fmax(above, below), 0).where(out["table_n"].gt(0) & out["left_out_n"].gt(0))
    for column in ("table_min", "table_max", "left_out_min", "left_out_max", "gap"):
        out[column] = out[column].round().astype("Int64")
    out["red_lines"] = frame.groupby("issue_id")["red_line"].sum().reindex(out.index).fillna(0).astype("int64")
    labels = pd.Series(issues["label"].to_numpy(), index=issues["issue_id"].to_numpy())
    out = out.reset_index()
    out["issue"] = out["issue_id"].map(labels)
    order = pd.Series(range(len(issues)), index=issues["issue_id"].to_numpy())
    out = out.assign(_order=out["issue_id"].map(order)).sort_values("_order", kind="stable").drop(columns="_order")
    return out[columns].reset_index(drop=True)


def red_lines(matrix: pd.DataFrame) -> pd.DataFrame:
    """Current red lines: latest positions flagged as non-negotiable, most recent first."""
    lines = matrix.loc[matrix["red_line"].astype(bool)]
    return lines.sort_values(["date", "issue_id", "actor_id"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def deal_blockers(matrix: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One actor's red line against another's demand on the same issue.

    A blocker is a pair (red-line holder, demander) on one issue where the holder's stance and the
    demander's stance have opposite signs and the two belong to different top-level parties. Only
    parties block a deal: rows whose ``participation`` is not a negotiating one (an analyst's
    view, a mediator's) are left out, whatever the matrix holds.

    Returns
    -------
    DataFrame
        ``issue_id, issue, holder_id, holder, holder_stance, holder_quote, holder_statement_id,
        demander_id, demander, demander_stance, demander_quote, demander_statement_id, distance``,
        widest distance first.
    """
    columns = ["issue_id", "issue", "holder_id", "holder", "holder_stance", "holder_quote", "holder_statement_id",
               "demander_id", "demander", "demander_stance", "demander_quote", "demander_statement_id", "distance"]
    keep = ["issue_id", "issue", "actor_id", "actor", "stance", "text", "statement_id"]
    matrix = matrix.loc[negotiating(matrix, actors)]
    holders = matrix.loc[matrix["red_line"].astype(bool) & matrix["stance"].ne(0), keep]
    if holders.empty:
        return pd.DataFrame(columns=columns)
    parties = party_of(actors)
    demanders = matrix.loc[matrix["stance"].ne(0), keep]
    pairs = holders.merge(demanders, on=["issue_id", "issue"], suffixes=("_h", "_d"))
    opposed = np.sign(pairs["stance_h"].astype("int64")) != np.sign(pairs["stance_d"].astype("int64"))
    different = pairs["actor_id_h"].map(parties) != pairs["actor_id_d"].map(parties)
    pairs = pairs.loc[opposed & different]
    out = pd.DataFrame({
        "issue_id": pairs["issue_id"], "issue": pairs["issue"],
        "holder_id": pairs["actor_id_h"], "holder": pairs["actor_h"], "holder_stance": pairs["stance_h"],
        "holder_quote": pairs["text_h"], "holder_statement_id": pairs["statement_id_h"],
        "demander_id": pairs["actor_id_d"], "demander": pairs["actor_d"], "demander_stance": pairs["stance_d"],
        "demander_quote": pairs["text_d"], "demander_statement_id": pairs["statement_id_d"],
        "distance": (pairs["stance_h"] - pairs["stance_d"]).abs().astype("int64"),
    })
    return out.sort_values(["distance", "issue_id", "holder_id", "demander_id"], ascending=[False, True, True, True], kind="stable").reset_index(drop=True)
