"""The positions file of a published run (``<name>.positions.csv``): written and read here only.

A batch run records the stance matrix its briefing showed, so the next run of that briefing can
say what changed since (``since: previous`` passes it to the notebook as ``baseline``). Columns,
in order: ``actor_id, issue_id, stance, red_line, actor, issue, statement_id``; ``red_line`` is
``true`` or ``false``. A reader needs only the first four (:data:`REQUIRED`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from parley.errors import ParameterError, excerpt
from parley.fileio import export_csv

#: Columns written, in order.
COLUMNS = ["actor_id", "issue_id", "stance", "red_line", "actor", "issue", "statement_id"]
#: Columns a positions file must hold to be read back.
REQUIRED = ("actor_id", "issue_id", "stance", "red_line")


def write_positions(matrix: pd.DataFrame, path: Path) -> int:
    """Write a stance matrix (:func:`parley.analysis.stance_matrix`) as a positions file; return its rows."""
    frame = matrix.reindex(columns=COLUMNS)
    frame = frame.assign(red_line=frame["red_line"].map(lambda v: "true" if bool(v) else "false"))
    export_csv(path, frame)  # formula-like cells neutralised: people open it in a spreadsheet
    return len(frame)


def read_positions(path: str, parameter: str = "baseline") -> pd.DataFrame:
    """Read a positions file back: ``stance`` as nullable integers, ``red_line`` as booleans.

    Raises
    ------
    ParameterError
        No such file, or a required column is missing (named after ``parameter``).
    """
    file = Path(path)
    if not file.is_file():
        raise ParameterError(f"{parameter}={excerpt(path)}: no such file; give the positions.csv of an earlier run record")
    frame = pd.read_csv(file, dtype={"actor_id": "string", "issue_id": "string"})
    missing = set(REQUIRED) - set(frame.columns)
    if missing:
        raise ParameterError(f"{parameter}={excerpt(path)} lacks column(s) {', '.join(sorted(missing))}")
    return frame.assign(stance=frame["stance"].astype("Int64"), red_line=frame["red_line"].astype(str).str.lower().eq("true"))
