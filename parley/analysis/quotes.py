"""The quotes a reader should see first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.analysis.evidence import shared_evidence
from parley.data.tables import decoded
from parley.data.dossier import Dossier

#: Columns of :func:`key_quotes`.
QUOTE_COLUMNS = ["statement_id", "speaker", "actor", "participation", "date", "text", "issues", "stance", "red_line", "source",
                 "report_id", "completeness", "outlets", "n_outlets", "n_origins"]


def key_quotes(dossier: Dossier, as_of: pd.Timestamp | None = None, top_n: int = 8, actors: list[str] | None = None, issues: list[str] | None = None,
               participation: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Direct quotes ranked by weight: red lines first, then stronger stances, then corroboration
    (independent origins reporting the utterance), then recency.

    Each utterance appears once (however many outlets reported it), in the words of its best
    report, with the issues it bears on and its outlets. ``actors``/``issues`` restrict the
    selection to positions of those actors or on those issues, ``participation`` to holders
    taking part that way (``("party",)`` for the negotiation).

    Returns
    -------
    DataFrame
        :data:`QUOTE_COLUMNS` (``top_n`` rows).
    """
    evidence = shared_evidence(dossier, as_of)
    shown = (evidence["kind"] == "direct_quote").fillna(False).to_numpy(dtype=bool)
    if actors:
        shown = shown & evidence["actor_id"].isin(actors).to_numpy(dtype=bool)
    if issues:
        shown = shown & evidence["issue_id"].isin(issues).to_numpy(dtype=bool)
    if participation:
        shown = shown & evidence["participation"].isin(participation).to_numpy(dtype=bool)
    rows = np.flatnonzero(shown)
    if not len(rows):
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    order = ["weight", "n_origins", "date", "char_start", "statement_id"]
    ascending = [False, False, False, True, True]
    # Rank on the rank keys alone (built-in aggregations); every column, and the slower per-group
    # join of issues, is taken only for the quotes kept.
    keys = evidence[["statement_id", "red_line", "stance", "n_origins", "date", "char_start"]].iloc[rows]
    ranks = keys.assign(weight=_weight(keys)).groupby("statement_id", sort=False).agg(
        weight=("weight", "max"), n_origins=("n_origins", "first"), date=("date", "first"), char_start=("char_start", "first"))
    kept = ranks.reset_index().sort_values(order, ascending=ascending, kind="stable").head(top_n)["statement_id"]
    evidence = decoded(evidence.iloc[rows[keys["statement_id"].isin(kept).to_numpy(dtype=bool)]])
    evidence = evidence.assign(weight=_weight(evidence))
    grouped = evidence.groupby("statement_id", sort=False).agg(
        speaker=("speaker", "first"), actor=("actor", "first"), participation=("participation", "first"), date=("date", "first"), text=("text", "first"),
        issues=("issue", lambda s: ", ".join(dict.fromkeys(s))), stance=("stance", "first"),
        red_line=("red_line", "max"), source=("source", "first"), weight=("weight", "max"), char_start=("char_start", "first"),
        report_id=("report_id", "first"), completeness=("completeness", "first"), outlets=("outlets", "first"),
        n_outlets=("n_outlets", "first"), n_origins=("n_origins", "first"),
    )
    grouped = grouped.reset_index().sort_values(order, ascending=ascending, kind="stable")
    return grouped.head(top_n)[QUOTE_COLUMNS].reset_index(drop=True)


def _weight(evidence: pd.DataFrame) -> pd.Series:
    """A quote's weight: 10 for a red line, plus the strength of its stance (0..2)."""
    return evidence["red_line"].astype("int64") * 10 + evidence["stance"].abs().astype("int64")
