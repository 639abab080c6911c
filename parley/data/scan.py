"""Where each record of a dossier CSV sits in its file, and the run every check works on.

:class:`CheckRun` holds the frames of one validation (their spreadsheet rows and file lines, the
parsed values) and collects the problems the checks of :mod:`parley.data.rules` report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from parley.data.layout import Layout, record_layout
from parley.data.schema import PackageSchema, Table
from parley.data.tables import BOM
from parley.errors import Problem


# ---------------------------------------------------------------------------------------------
# Where each record sits in its file


#: Header and per-record width and first line of a CSV (:class:`parley.data.layout.Layout`).
Scan = Layout


def scan_table(schema: PackageSchema, table: Table) -> Scan | None:
    """The layout of one table's file; ``None`` when it cannot be read or has no header."""
    try:
        data = (schema.path.parent / table.path).read_bytes()
    except OSError:
        return None
    return record_layout(data[len(BOM):] if data.startswith(BOM) else data)


def structure_problems(table: Table, scan: Scan | None) -> list[Problem]:
    """Blank rows and rows whose field count differs from the header's."""
    if scan is None:
        return []
    expected = len(scan.header)
    problems = []
    for index in np.flatnonzero(scan.widths != expected):
        width, row, line = int(scan.widths[index]), int(index) + 2, int(scan.lines[index])
        where = line_note(row, line)
        if width == 0:
            problems.append(Problem(table.path, row, None, None, f"blank row; delete it{where}", "blank-row"))
            continue
        message = f"row has {width} fields, the header has {expected}"
        if width > expected:
            message += "; a value holding a comma must be wrapped in double quotes"
        problems.append(Problem(table.path, row, None, None, message + where, "field-count"))
    return problems


def line_note(row: int, line: int) -> str:
    return "" if row == line else f" (row {row} starts on line {line} of the file)"


# ---------------------------------------------------------------------------------------------
# The run: frames, their row numbers, parsed values, and the problems found


@dataclass
class Frame:
    table: Table
    frame: pd.DataFrame
    header: list[str]
    rows: np.ndarray  # spreadsheet row of each frame row
    lines: np.ndarray  # file line on which each frame row starts
    structure: list[Problem]
    usable: bool = True  # columns line up with the schema, so cells can be checked
    valid: dict[str, pd.Series] = field(default_factory=dict)  # field -> mask of well-typed, filled cells
    parsed: dict[str, pd.Series] = field(default_factory=dict)  # field -> typed values

    def has(self, *names: str) -> bool:
        return self.usable and all(n in self.frame.columns and n in self.table.by_name for n in names)


class CheckRun:
    def __init__(self, schema: PackageSchema, raw: dict[str, pd.DataFrame], layouts: dict[str, Layout | None] | None = None):
        self.schema = schema
        self.problems: list[Problem] = []
        self.texts: dict[str, str] = {}  # source_id -> text of the sources that could be read
        layouts = layouts or {}
        self.frames = {name: self._prepare(schema.tables[name], frame, layouts[name] if name in layouts else scan_table(schema, schema.tables[name]))
                       for name, frame in raw.items() if name in schema.tables}

    def _prepare(self, table: Table, frame: pd.DataFrame, scan: Layout | None) -> Frame:
        n = len(frame)
        filled = scan.widths > 0 if scan is not None else None
        if scan is not None and int(filled.sum()) == n and len(scan.header) == len(frame.columns):
            positions = np.flatnonzero(filled)
            rows, lines = positions + 2, scan.lines[positions]
            structure = structure_problems(table, scan)
            header = scan.header
        else:  # the file is not the one these frames came from: fall back to pandas' order
            rows = lines = np.arange(n) + 2
            structure, header = [], [str(c) for c in frame.columns]
        # Rows wider than the header make pandas shift or drop columns: their cells are not checked.
        usable = scan is None or not bool((scan.widths > len(scan.header)).any())
        return Frame(table, frame, header, rows, lines, structure, usable)

    # -- reporting ----------------------------------------------------------------------------

    def report(self, f: Frame, index: int | None, field_name: str | None, value: object, message: str, code: str) -> None:
        row = None
        if index is not None:
            row = int(f.rows[index])
            message += line_note(row, int(f.lines[index]))
        self.problems.append(Problem(f.table.path, row, field_name, value, message, code))

    def report_rows(self, f: Frame, mask: pd.Series | np.ndarray, field_name: str | None, message: str | Callable[[int], str], code: str, values: pd.Series | None = None) -> None:
        """One problem per True in ``mask``; ``message`` may be a function of the frame position."""
        if values is None and field_name is not None:
            values = f.frame[field_name]
        for index in np.flatnonzero(np.asarray(mask, dtype=bool)):
            value = None if values is None else plain(values.iloc[index])
            text = message(int(index)) if callable(message) else message
            self.report(f, int(index), field_name, value, text, code)


def plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value
