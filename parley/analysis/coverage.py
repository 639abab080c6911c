"""How much the dossier holds, who it hears from, and whether its quotes verify."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.data.dossier import Dossier
from parley.data.scan import arrow_index_in


def coverage(dossier: Dossier, top_n: int = 15) -> pd.DataFrame:
    """Statements per speaker and kind; speakers beyond the ``top_n`` busiest are summed as "others".

    Returns
    -------
    DataFrame
        ``speaker, kind, statements`` (long form, ready for a stacked bar).
    """
    names = pd.Series(dossier.actors["name"].to_numpy(), index=dossier.actors["actor_id"].to_numpy())
    speakers = dossier.statements["speaker_id"].map(names).fillna("unattributed")
    counts = pd.DataFrame({"speaker": speakers, "kind": dossier.statements["kind"]}).value_counts().rename("statements").reset_index()
    totals = counts.groupby("speaker")["statements"].sum().sort_values(ascending=False, kind="stable")
    totals = totals.iloc[totals.reset_index().sort_values(["statements", "speaker"], ascending=[False, True]).index]
    keep = set(totals.index[:top_n])
    counts["speaker"] = counts["speaker"].where(counts["speaker"].isin(keep), f"others ({max(len(totals) - top_n, 0)} speakers)")
    counts = counts.groupby(["speaker", "kind"], as_index=False)["statements"].sum()
    order = {name: i for i, name in enumerate(list(totals.index[:top_n]))}
    counts["_order"] = counts["speaker"].map(order).fillna(len(order))
    return counts.sort_values(["_order", "kind"], kind="stable").drop(columns="_order").reset_index(drop=True)


def source_coverage(dossier: Dossier) -> pd.DataFrame:
    """Per source: its outlet and origin, the reports it carries (``statements``: utterances it
    reports; ``reports``: its reports), the positions they express, its events, and how many of its
    reports verify.

    Counted on integer codes of the sources and statements (a string per report is hashed once, not
    once per count: at a million reports each grouping of the string columns held ~0.1 GB)."""
    reports = dossier.reports
    source, source_ids = pd.factorize(reports["source_id"])  # -1: no source (invalid data), not counted
    statement, statement_ids = pd.factorize(reports["statement_id"])
    n = len(source_ids)
    has = (source >= 0) & (statement >= 0)
    pairs = np.unique(source[has].astype(np.int64) * max(len(statement_ids), 1) + statement[has])  # each (source, statement) once
    pair_source, pair_statement = pairs // max(len(statement_ids), 1), pairs % max(len(statement_ids), 1)
    # Positions per source: each (statement, source) pair counts the positions of its statement (no
    # join of every position with every report of its statement).
    at = arrow_index_in(dossier.positions["statement_id"], statement_ids)
    per_statement = np.bincount(at[at >= 0], minlength=len(statement_ids))
    counted = source >= 0
    per_source = pd.DataFrame({
        "statements": np.bincount(pair_source, minlength=n),
        "reports": np.bincount(source[counted], minlength=n),
        "positions": np.bincount(pair_source, weights=per_statement[pair_statement], minlength=n).astype("int64"),
        "verified": np.bincount(source[counted], weights=verify_statements(dossier)["verified"].to_numpy()[counted], minlength=n).astype("int64"),
    }, index=pd.Index(source_ids, name="source_id"))
    events = dossier.events.groupby("source_id").size().rename("events")
    out = dossier.sources[["source_id", "outlet", "origin", "title", "published"]].set_index("source_id")
    out = out.join([per_source[["statements", "reports", "positions"]], events, per_source["verified"]]).fillna(
        {"statements": 0, "reports": 0, "positions": 0, "events": 0, "verified": 0})
    for column in ("statements", "reports", "positions", "events", "verified"):
        out[column] = out[column].astype("int64")
    return out.reset_index()


#: Reports whose words are compared at a time: only their texts are Python strings at once.
_VERIFY_BLOCK = 65_536


def verify_statements(dossier: Dossier) -> pd.DataFrame:
    """Check every report's text against its source at its offsets.

    The reports are read a block of sources at a time, and the source texts are not kept: at a
    million reports a Python string per report and every source text held at once were ~0.3 GB.

    Returns
    -------
    DataFrame
        ``report_id, statement_id, source_id, verified`` (True when ``text == source[char_start:char_end]``).
    """
    reports = dossier.reports
    verified = np.zeros(len(reports), dtype=bool)
    texts, starts, ends = reports["text"], reports["char_start"], reports["char_end"]

    def check(block: list) -> None:
        rows = np.concatenate([r for _, r in block])
        text, start, end = texts.iloc[rows].tolist(), starts.iloc[rows].tolist(), ends.iloc[rows].tolist()
        at = 0
        for source_id, positions in block:
            source = dossier.source_text(source_id, keep=False)
            verified[positions] = [source[start[i]:end[i]] == text[i] for i in range(at, at + len(positions))]
            at += len(positions)

    # The reports' positions grouped by source, sources in the order first cited (integer codes: no
    # grouping of the string column, which held ~0.1 GB at a million reports).
    codes, source_ids = pd.factorize(reports["source_id"])  # -1: no source (invalid data): not verified
    by_source = np.argsort(codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes[codes >= 0], minlength=len(source_ids)))]) + int((codes < 0).sum())
    block, size = [], 0
    for code, source_id in enumerate(source_ids):
        rows = by_source[bounds[code]:bounds[code + 1]]
        block.append((source_id, rows))
        size += len(rows)
        if size >= _VERIFY_BLOCK:
            check(block)
            block, size = [], 0
    if block:
        check(block)
    return pd.DataFrame({"report_id": reports["report_id"], "statement_id": reports["statement_id"], "source_id": reports["source_id"],
                         "verified": pd.Series(verified, index=reports.index)})


def review_status(dossier: Dossier) -> pd.DataFrame:
    """Statements per review status and coder."""
    return dossier.statements.value_counts(["review_status", "coder"]).rename("statements").reset_index()
