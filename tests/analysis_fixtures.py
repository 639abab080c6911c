"""Helpers that build small, precise dossiers for the analysis, figure and briefing tests.

The recipe: copy the tiny fixture dossier to a temporary folder (``tiny_copy`` in conftest.py),
rewrite the CSVs that a test is about with the helpers below, then load the copy with
:func:`load`. Every statement text written here is cut from a synthetic seed text at real offsets
(:func:`span`), so provenance holds in the built dossiers too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import parley

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY_SOURCE = "tiny_001"
TINY_TEXT = (FIXTURES / "tiny" / "seeds" / "tiny_001.txt").read_text(encoding="utf-8")

#: A second synthetic source, written by the tests' author; every name in it is invented.
SECOND_SOURCE = "tiny_002"
SECOND_TEXT = (
    "SYNTHETIC TEST TEXT — not a real article\n"
    "Lakeside round set for 20 March\n"
    "LAKESIDE, 10 March 2025. Northland's envoy said his side would \"never give up the northern villages\".\n"
    "Southland's foreign minister said the border \"can be discussed, step by step.\"\n"
    "Officials from Midland said the Lakeside round is now set for 20 March.\n"
)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """One CSV of a dossier folder as untyped strings (empty cells are ``""``)."""
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def write_table(folder: Path, name: str, rows: pd.DataFrame | list[dict]) -> None:
    """Replace table ``name`` with ``rows``, keeping the file's header (missing cells are empty)."""
    columns = list(read_table(folder, name).columns)
    frame = pd.DataFrame(rows, columns=columns) if isinstance(rows, list) else rows.reindex(columns=columns)
    frame = frame.fillna("").astype(str)
    frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


def add_rows(folder: Path, name: str, rows: list[dict]) -> None:
    """Append ``rows`` to table ``name``."""
    frame = read_table(folder, name)
    write_table(folder, name, pd.concat([frame, pd.DataFrame(rows)], ignore_index=True))


def set_cells(folder: Path, table: str, key: str, value: str, /, **cells: str) -> None:
    """Set ``cells`` on the row(s) of table ``table`` whose ``key`` column equals ``value``."""
    frame = read_table(folder, table)
    mask = frame[key] == value
    assert mask.any(), f"no row with {key}={value!r} in {table}.csv"
    for column, cell in cells.items():
        frame.loc[mask, column] = cell
    write_table(folder, table, frame)


def span(fragment: str, text: str = TINY_TEXT) -> dict:
    """``text, char_start, char_end`` of a fragment that occurs exactly once in ``text``."""
    assert text.count(fragment) == 1, f"fragment must occur once: {fragment!r}"
    start = text.index(fragment)
    return {"text": fragment, "char_start": start, "char_end": start + len(fragment)}


def statement(statement_id: str, fragment: str, *, speaker_id: str = "", on_behalf_of_id: str = "", kind: str = "direct_quote",
              said: str = "2025-03-03", reported: str = "2025-03-03", status: str = "accepted", source_id: str = TINY_SOURCE) -> dict:
    """A statement (an utterance) with its one report cut from a synthetic source text: the columns of
    statements.csv and reports.csv in one dict (:func:`set_statements` splits them)."""
    text = SECOND_TEXT if source_id == SECOND_SOURCE else TINY_TEXT
    return {
        "statement_id": statement_id, "source_id": source_id, "speaker_id": speaker_id, "on_behalf_of_id": on_behalf_of_id,
        "kind": kind, **span(fragment, text), "attribution_cue": "", "date_said": said, "date_reported": reported,
        "coder": "test author", "review_status": status, "notes": "synthetic test row",
    }


def position(position_id: str, statement_id: str, issue_id: str, actor_id: str, stance: int, red_line: bool = False, condition: str = "") -> dict:
    """A positions.csv row."""
    return {"position_id": position_id, "statement_id": statement_id, "issue_id": issue_id, "actor_id": actor_id,
            "stance": str(stance), "red_line": "true" if red_line else "false", "condition": condition, "notes": ""}


def report_row(row: dict, report_id: str | None = None) -> dict:
    """The reports.csv row of a :func:`statement` dict (or of another report of it)."""
    kind = row.get("kind", "direct_quote")
    return {"report_id": report_id or row.get("report_id") or f"r_{row['statement_id']}", "statement_id": row["statement_id"],
            "source_id": row["source_id"], "text": row["text"], "char_start": row["char_start"], "char_end": row["char_end"],
            "attribution_cue": row.get("attribution_cue", ""), "date_reported": row["date_reported"],
            "completeness": row.get("completeness") or ("verbatim" if kind == "direct_quote" else "paraphrase"), "coder": "test author", "notes": ""}


def set_statements(folder: Path, statements: list[dict], positions: list[dict], reports: list[dict] | None = None) -> None:
    """Replace every statement, report and position (and drop judgment support that no longer points anywhere).

    Each statement dict gives its statement row and its first report; ``reports`` adds further
    reports (rows of :func:`report_row`).
    """
    write_table(folder, "statements", statements)
    write_table(folder, "reports", [report_row(row) for row in statements] + list(reports or []))
    write_table(folder, "positions", positions)
    ids = {s["statement_id"] for s in statements}
    support = read_table(folder, "judgment_support")
    write_table(folder, "judgment_support", support.loc[support["statement_id"].isin(ids)])


def add_second_source(folder: Path, published: str = "2025-03-10") -> None:
    """Add the synthetic source ``tiny_002`` (its text file, hash and sources.csv row)."""
    (folder / "seeds" / "tiny_002.txt").write_text(SECOND_TEXT, encoding="utf-8")
    add_rows(folder, "sources", [{
        "source_id": SECOND_SOURCE, "seed_file": "tiny_002.txt", "sha256": hashlib.sha256(SECOND_TEXT.encode("utf-8")).hexdigest(),
        "title": "Lakeside round set for 20 March", "outlet": "Synthetic Gazette (fictional)", "kind": "article", "published": published,
        "language": "en", "notes": "Synthetic text written for Parley's tests; every name in it is invented.",
    }])


#: A third synthetic source, written for these tests; every name in it is invented.
THIRD_SOURCE = "tiny_003"
THIRD_TEXT = (
    "SYNTHETIC TEST TEXT — not a real article\n"
    "Northland softens on the border\n"
    "MIDTOWN, 4 March 2025. On Tuesday Northland's envoy, Piet Hollis, said the line \"could follow the old map in places\".\n"
    "On Monday he had said his side wanted a line that reflects the facts on the ground.\n"
    "He spoke at a press briefing in Midtown after the talks. The Lakeside round was called off, officials said.\n"
)


def _third_span(fragment: str) -> dict:
    assert THIRD_TEXT.count(fragment) == 1
    start = THIRD_TEXT.index(fragment)
    return {"text": fragment, "char_start": str(start), "char_end": str(start + len(fragment))}


def _third_evidence(fragment: str) -> dict:
    found = _third_span(fragment)
    return {"evidence": found["text"], "evidence_start": found["char_start"], "evidence_end": found["char_end"]}


def add_third_source(folder, published: str = "2025-03-04", reported: str = "2025-03-04") -> None:
    """The data edit of a same-day re-run: a source from a new outlet holding one new utterance (a
    stance shift of Northland on the border), a second report of a known one (Hollis's 3 March
    words: corroboration up), a new event, and the Lakeside round's cancellation (a status update)."""
    (folder / "seeds" / "tiny_003.txt").write_text(THIRD_TEXT, encoding="utf-8")
    add_rows(folder, "sources", [{
        "source_id": THIRD_SOURCE, "seed_file": "tiny_003.txt", "sha256": hashlib.sha256(THIRD_TEXT.encode("utf-8")).hexdigest(),
        "title": "Northland softens on the border", "outlet": "Synthetic Courier (fictional)", "kind": "article", "published": published,
        "language": "en", "notes": "Synthetic text written for Parley's tests; every name in it is invented.",
    }])
    add_rows(folder, "statements", [{
        "statement_id": "t1", "speaker_id": "hollis", "on_behalf_of_id": "northland", "kind": "direct_quote", "date_said": "2025-03-04",
        "coder": "test author", "review_status": "accepted", "notes": "synthetic test row"}])
    add_rows(folder, "reports", [
        {"report_id": "r_t1", "statement_id": "t1", "source_id": THIRD_SOURCE, **_third_span("could follow the old map in places"),
         "attribution_cue": "said the line", "date_reported": reported, "completeness": "verbatim", "coder": "test author", "notes": ""},
        {"report_id": "r_s2_courier", "statement_id": "s2", "source_id": THIRD_SOURCE, **_third_span("a line that reflects the facts on the ground."),
         "attribution_cue": "he had said his side wanted", "date_reported": reported, "completeness": "partial", "coder": "test author", "notes": ""},
    ])
    add_rows(folder, "positions", [position("pt1", "t1", "border_line", "northland", 1)])
    add_rows(folder, "events", [{"event_id": "hollis_briefing", "date": "2025-03-04", "kind": "announcement", "title": "Hollis's press briefing",
                                 "place": "Midtown", "status": "held", "source_id": THIRD_SOURCE,
                                 **_third_evidence("He spoke at a press briefing in Midtown after the talks."), "notes": ""}])
    add_rows(folder, "event_parties", [{"event_id": "hollis_briefing", "actor_id": "hollis", "role": "participant"}])
    add_rows(folder, "event_updates", [{"update_id": "u_lakeside_off", "event_id": "lakeside_talks", "status": "cancelled", "date": "",
                                        "date_reported": reported, "source_id": THIRD_SOURCE,
                                        **_third_evidence("The Lakeside round was called off, officials said."), "notes": ""}])


def set_as_of(folder: Path, as_of: str | None) -> None:
    """Declare (or, with ``None``, remove) the dossier's ``parley.as_of`` in datapackage.json."""
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    if as_of is None:
        descriptor.get("parley", {}).pop("as_of", None)
    else:
        descriptor.setdefault("parley", {})["as_of"] = as_of
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")


def load(folder: Path) -> parley.Dossier:
    """Load a built dossier without the validator: these tests are about the analysis of the rows
    they build, not about the validation rules (tested in tests/data/test_validate.py)."""
    return parley.load_dossier(folder, validate=False)


def day(value: str) -> pd.Timestamp:
    """An as-of date."""
    return pd.Timestamp(value)


SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "riyadh_2025"


@pytest.fixture(scope="session")
def seed() -> parley.Dossier:
    """The real seed dossier (read only: never change its frames in a test)."""
    return parley.load_dossier(SEED_DIR, validate=False)


def figure_strings(fig: go.Figure) -> list[str]:
    """Every string a reader can see or hover in a figure: trace data and labels, titles, ticks,
    annotations (the template is left out)."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple, np.ndarray)):
            for item in value:
                walk(item)

    spec = fig.to_dict()
    walk(spec["data"])
    walk({k: v for k, v in spec["layout"].items() if k != "template"})
    return found
