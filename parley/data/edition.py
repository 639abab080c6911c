"""The edition file of a published run (``<name>.edition.json``): written and read here only.

An *edition* is a published view of a dossier: its as-of date, its dataset version, and the
records behind every view on the page (sources, actors, statements, reports, positions, events,
judgments known at that date, as :mod:`parley.analysis.editions` takes them). A batch run keeps
it beside the page and in the run's history, so the next edition says what changed since by
comparing records, not dates. The file is compact, deterministic JSON: one record per line, so
two edition files diff readably.

A run recorded before editions existed kept only its stance matrix (``positions.csv``): it reads
as an edition of positions alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from parley.errors import ParameterError, excerpt
from parley.fileio import write_atomic
from parley.paths import EDITION_FILE

#: Format tag of an edition file; a reader refuses any other.
EDITION_FORMAT = "parley-edition/1"

__all__ = ["EDITION_FILE", "EDITION_FORMAT", "Edition", "plain", "read_edition", "write_edition"]


@dataclass(frozen=True)
class Edition:
    """The records one view of a dossier showed.

    ``records`` maps a record kind to a frame of plain values (str, int, bool or ``None``;
    dates as ISO strings), so an edition read from its file equals the one it was written from.
    ``label`` is how a page names it (``the edition of 2025-02-18 (run 3, …)``).
    """

    dossier_id: str
    as_of: str
    version: str
    records: dict[str, pd.DataFrame] = field(default_factory=dict)
    path: Path | None = None
    label: str = ""

    def table(self, kind: str) -> pd.DataFrame | None:
        """The records of ``kind`` this edition kept, or ``None`` when it kept none of that kind."""
        return self.records.get(kind)

    def describe(self) -> str:
        """How a page names it: its label, else ``the edition of 2025-02-18 (data version 1a2b3c4d5e6f)``."""
        if self.label:
            return self.label
        if not self.as_of:  # a run recorded before editions: its positions alone
            return "the previous published run"
        return f"the edition of {self.as_of} (data version {self.version})"


def plain(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame[columns]`` as plain JSON values, rows sorted by the first column (the key)."""
    columns = list(columns)
    out = pd.DataFrame({column: _plain_column(frame[column]) for column in columns}, columns=columns, dtype=object)
    if len(out):  # the first column is each kind's key: one order whatever the dossier's row order
        keys = [("" if v is None else str(v)) for v in out[columns[0]].tolist()]
        try:  # Arrow's stable sort of UTF-8 bytes: Python's order of code points, without a comparison per pair
            order = pc.sort_indices(pa.array(keys, pa.string())).to_numpy()
        except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate has no UTF-8
            order = pd.Series(keys).sort_values(kind="stable").index.to_numpy()
        out = out.take(order).reset_index(drop=True)
    return out


def _plain_column(column: pd.Series) -> list:
    """The values of ``column`` as :func:`_plain` makes them, a whole column at a time where its dtype
    allows (a large dossier's edition has a million values)."""
    missing = column.isna().tolist()
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        values = column.dt.strftime("%Y-%m-%d").tolist()
    elif pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype) or (
            pd.api.types.is_string_dtype(column.dtype) and column.dtype != object):
        values = column.tolist()  # Python bools, ints and strs already
    else:  # floats (a whole float reads as an int), objects: value by value
        return [_plain(v) for v in column.tolist()]
    return [None if gone else value for value, gone in zip(values, missing)]


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_edition(edition: Edition, path: str | Path) -> Path:
    """Write ``edition`` as compact, deterministic JSON (atomically) and return the path."""
    payload = {
        "format": EDITION_FORMAT,
        "dossier_id": edition.dossier_id,
        "as_of": edition.as_of,
        "version": edition.version,
        "records": {name: {"columns": list(frame.columns), "rows": frame.to_numpy().tolist()} for name, frame in edition.records.items()},
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("],[", "],\n[")  # one record per line: readable diffs, still one small file
    target = Path(path)
    write_atomic(target, text + "\n")
    return target


def read_edition(path: str | Path, label: str = "", parameter: str = "baseline") -> Edition:
    """Read an edition file (or the ``positions.csv`` a run recorded before editions existed).

    Raises
    ------
    ParameterError
        The file is missing, is not an edition, or is of another format (named after ``parameter``).
    """
    file = Path(path)
    if not file.is_file():
        raise ParameterError(f"{parameter}={excerpt(str(path))}: no such file; give the {EDITION_FILE} of a published edition, or none")
    if file.suffix == ".csv":
        return _positions_only(file, label, parameter)
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParameterError(f"{parameter}={excerpt(str(path))} is not an edition file ({type(exc).__name__}: {excerpt(str(exc))})") from None
    if not isinstance(payload, dict) or payload.get("format") != EDITION_FORMAT:
        found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
        raise ParameterError(f"{parameter}={excerpt(str(path))}: format {excerpt(str(found))}, expected {EDITION_FORMAT!r}")
    records = {}
    for name, table in (payload.get("records") or {}).items():
        records[name] = pd.DataFrame(table.get("rows") or [], columns=list(table.get("columns") or []), dtype=object)
    return Edition(str(payload.get("dossier_id", "")), str(payload.get("as_of", "")), str(payload.get("version", "")),
                   records, path=file, label=label)


#: What an edition keeps of each position (its ``positions`` records); the first column is the key.
POSITION_RECORD = ("key", "actor_id", "issue_id", "stance", "red_line", "statement_id")


def _positions_only(file: Path, label: str, parameter: str) -> Edition:
    """A run recorded before editions kept only its stance matrix: an edition of positions alone."""
    from parley.data.positions import read_positions

    frame = read_positions(str(file), parameter)
    frame = frame.assign(key=frame["actor_id"] + ":" + frame["issue_id"],
                         statement_id=frame["statement_id"] if "statement_id" in frame.columns else None)
    return Edition("", "", "", {"positions": plain(frame, POSITION_RECORD)}, path=file, label=label)
