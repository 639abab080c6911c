"""Alignment between actors over the issues they share, after Discourse Network Analyzer's
congruence (agreement) and conflict networks."""

from __future__ import annotations

import numpy as np
import pandas as pd

EDGE_COLUMNS = ["actor_a", "actor_b", "name_a", "name_b", "shared", "agreements", "conflicts", "score", "issues_agreed", "issues_opposed"]


def alignment(matrix: pd.DataFrame) -> pd.DataFrame:
    """Pairwise alignment of actors from their latest stances.

    For each pair of actors and each issue both hold a position on: they *agree* when their
    stances have the same sign (both for, both against, or both neutral) and *conflict* when the
    signs are opposite. ``score = (agreements - conflicts) / shared`` runs from −1 (opposed on
    everything shared) to +1 (aligned on everything shared).

    Returns
    -------
    DataFrame
        One row per pair sharing at least one issue, columns :data:`EDGE_COLUMNS`, ordered by
        ``|score|`` × shared (strongest ties first), then ids.
    """
    if matrix.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    slim = matrix[["actor_id", "actor", "issue_id", "issue", "stance"]].assign(sign=np.sign(matrix["stance"].astype("int64")))
    pairs = slim.merge(slim, on=["issue_id", "issue"], suffixes=("_a", "_b"))
    pairs = pairs.loc[pairs["actor_id_a"] < pairs["actor_id_b"]]
    if pairs.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    pairs = pairs.assign(
        agree=pairs["sign_a"] == pairs["sign_b"],
        conflict=(pairs["sign_a"] * pairs["sign_b"]) < 0,
    )
    grouped = pairs.groupby(["actor_id_a", "actor_id_b"], sort=True)
    edges = grouped.agg(
        name_a=("actor_a", "first"), name_b=("actor_b", "first"), shared=("issue_id", "size"),
        agreements=("agree", "sum"), conflicts=("conflict", "sum"),
    )
    edges["issues_agreed"] = pairs.loc[pairs["agree"]].groupby(["actor_id_a", "actor_id_b"])["issue"].agg(lambda s: ", ".join(sorted(s)))
    edges["issues_opposed"] = pairs.loc[pairs["conflict"]].groupby(["actor_id_a", "actor_id_b"])["issue"].agg(lambda s: ", ".join(sorted(s)))
    edges[["issues_agreed", "issues_opposed"]] = edges[["issues_agreed", "issues_opposed"]].fillna("")
    edges["agreements"] = edges["agreements"].astype("int64")
    edges["conflicts"] = edges["conflicts"].astype("int64")
    edges["score"] = (edges["agreements"] - edges["conflicts"]) / edges["shared"]
    edges = edges.reset_index().rename(columns={"actor_id_a": "actor_a", "actor_id_b": "actor_b"})
    edges["_strength"] = edges["score"].abs() * edges["shared"]
    edges = edges.sort_values(["_strength", "actor_a", "actor_b"], ascending=[False, True, True], kind="stable")
    return edges[EDGE_COLUMNS].reset_index(drop=True)
