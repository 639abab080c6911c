"""Check a dossier against its schema, its keys, its provenance and the meaning of its fields.

Every check runs and every problem is reported at once, each as a :class:`parley.errors.Problem`
naming the file, the row (as a spreadsheet shows it: header = row 1, first data row = row 2), the
field, the bad value and what would be allowed.

>>> from parley.data.validate import validate_dossier
>>> validate_dossier("riyadh_2025")
[]

What is checked, in order (the registry ``CHECKS``):

- structure: header names (missing, unknown, duplicated, a wrong delimiter), blank rows, rows with
  more or fewer fields than the header;
- cells: required, type (integer, number, ISO date, boolean), enum, pattern, minimum/maximum,
  length and unique constraints, all read from ``datapackage.json``;
- keys: primary keys unique (composite too), foreign keys resolve (an empty optional one is fine);
- tables that may not be empty (``NONEMPTY_TABLES``);
- provenance: every source file exists under the schema's ``seeds_dir`` with the recorded SHA-256,
  every span (``SPANS``) lies inside its source, and every statement's text is the source text at
  its offsets;
- meaning: date order (``DATE_ORDER``) and judgments backed by at least one statement
  (``COVERAGE``).

The checks work on whole columns with pandas; Python loops run only over failing rows (to build
their problems) and over sources (one file each).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parley import paths
from parley.data import provenance
from parley.data import model_rules  # noqa: F401  (registers the model's rules into CHECKS, after the checks of rules.py)
from parley.data.rules import CHECKS, cells_of
from parley.data.layout import Layout
from parley.data.scan import CheckRun, structure_problems
from parley.data.tables import dataset_version, read_tables
from parley.errors import DossierInvalid, DossierNotFound, Problem
from parley.data.schema import PACKAGE_FILE, TABLES, PackageSchema, declared_tables, read_schema

__all__ = ["Validation", "check_dossier", "validate_dossier", "validate_tables"]

# ---------------------------------------------------------------------------------------------
# Public API


@dataclass
class Validation:
    """Outcome of :func:`check_dossier`: the problems, and counts and version for a summary."""

    name: str
    path: Path
    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    version: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_dossier(dossier: str | os.PathLike[str] = paths.DEFAULT_DOSSIER) -> list[Problem]:
    """Check a dossier and return every problem found (an empty list when it is valid).

    Parameters
    ----------
    dossier
        A dossier name under the data folder (``"riyadh_2025"``) or a path to a dossier folder.

    Returns
    -------
    list of Problem
        Sorted by file, then row. Never raises for bad data: a missing folder or a broken
        ``datapackage.json`` is a problem too.
    """
    return check_dossier(dossier).problems


def check_dossier(dossier: str | os.PathLike[str] = paths.DEFAULT_DOSSIER) -> Validation:
    """Like :func:`validate_dossier`, also returning row counts and the dataset version.

    Returns
    -------
    Validation
    """
    folder = paths.dossier_dir(dossier)
    try:
        schema = read_schema(folder)
    except (DossierNotFound, DossierInvalid) as exc:
        code = "dossier-missing" if isinstance(exc, DossierNotFound) else "descriptor"
        located = getattr(exc, "problems", None) or [Problem(PACKAGE_FILE, None, None, None, str(exc), code)]
        return Validation(folder.name, folder, located)
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing the files (GIL released) beside the checks
        version = pool.submit(dataset_version, schema)
        raw, layouts, problems = _read_all(schema)
        problems.extend(validate_tables(schema, raw, layouts, beside=True))
        return Validation(
            name=folder.name,
            path=folder,
            problems=_sorted(problems, schema),
            counts={name: len(frame) for name, frame in raw.items()},
            version=version.result(),
        )


def _read_all(schema: PackageSchema) -> tuple[dict[str, pd.DataFrame], dict[str, Layout | None], list[Problem]]:
    """Every declared table read as strings, with its layout, and the problems of reading them."""
    raw: dict[str, pd.DataFrame] = {}
    layouts: dict[str, Layout | None] = {}
    problems: list[Problem] = []
    names = declared_tables(schema)
    for name, read in zip(names, read_tables(schema, names)):
        table = schema.tables[name]
        read_problems = read.problems
        if read.frame is None and any(p.code == "csv-parse" for p in read_problems):
            # pandas names only the first bad line; the record scan names every one of them.
            precise = structure_problems(table, read.layout)
            if precise:
                read_problems = [p for p in read_problems if p.code != "csv-parse"] + precise
        problems.extend(read_problems)
        if read.frame is not None:
            raw[name], layouts[name] = read.frame, read.layout
    return raw, layouts, problems


def validate_tables(schema: PackageSchema, raw: dict[str, pd.DataFrame], layouts: dict[str, Layout | None] | None = None, *,
                    beside: bool = False) -> list[Problem]:
    """Run every check on tables already read as strings.

    Parameters
    ----------
    schema
        The dossier's parsed ``datapackage.json``.
    raw
        Table name -> frame from :func:`parley.data.tables.read_raw_table` (every cell a string,
        empty cells ``""``). Tables that could not be read are absent; their read problem is the
        caller's to report.
    layouts
        Table name -> where each record sits in its file (:attr:`parley.data.tables.RawTable.layout`);
        a table without one is scanned again to place each record on its row and line.
    beside
        Use a second CPU: the source files are read in a thread from the start, the tables' cells are
        checked two tables at a time, and the checks of ``BESIDE`` run in a thread beside the others
        once the cells are checked (at a million
        statements: faster, and up to ~0.3 GB more at the peak). The problems are the same, in the
        same order. ``parley validate`` uses it; loading a dossier does not (its memory counts more).

    Returns
    -------
    list of Problem
        Every problem found, sorted by file and row.
    """
    run = CheckRun(schema, raw, layouts)
    if beside:
        return _sorted(_checked_beside(run), schema)
    for check in CHECKS:
        check(run)
    return _sorted(run.problems, schema)


#: Checks that need only the cells' verdicts (:data:`BESIDE_AFTER`) and change nothing another check
#: reads (they only add problems, and fill the run's caches with what any check would compute alike):
#: with ``beside`` they run in a thread while the foreign keys, the dates and the coverage are checked.
BESIDE = ("_primary_keys", "_sources", "_spans", "_participation", "_joint_members", "_positions_of_joint",
          "_report_spans", "_said_before_reported", "_report_dates")
BESIDE_AFTER = "_cells"
#: Tables whose cells are checked at once by ``beside`` (:func:`parley.data.rules.cells_of`): at a million
#: statements the cells of statements, reports and positions are each about a second of numpy and pyarrow work.
CELL_THREADS = 2


def _checked_beside(run: CheckRun) -> list[Problem]:
    """Every check of ``CHECKS``, those of :data:`BESIDE` in a thread from the moment
    :data:`BESIDE_AFTER` is done; each check's problems are gathered in the registry's order, so the
    list is the one the checks give one after another."""
    found: list[list[Problem]] = [[] for _ in CHECKS]

    def one(index: int) -> None:
        part = run.fork()
        CHECKS[index](part)
        found[index] = part.problems

    def cells(index: int) -> None:  # the tables' cells two at a time, their problems in the tables' order
        frames = sorted(run.frames.values(), key=lambda f: -len(f.frame))  # the largest first: the two threads end together
        parts = {id(f): run.fork() for f in frames}
        with ThreadPoolExecutor(max_workers=CELL_THREADS) as cell_pool:
            list(cell_pool.map(lambda f: cells_of(parts[id(f)], f), frames))
        found[index] = [problem for f in run.frames.values() for problem in parts[id(f)].problems]

    aside = [i for i, check in enumerate(CHECKS) if check.__name__ in BESIDE]
    provenance.read_sources_early(run)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = None
        for index, check in enumerate(CHECKS):
            if index in aside:
                continue
            if check.__name__ == BESIDE_AFTER:
                cells(index)
            else:
                one(index)
            if check.__name__ == BESIDE_AFTER:
                pending = pool.submit(lambda: [one(i) for i in aside])
        if pending is None:
            for index in aside:
                one(index)
        else:
            pending.result()
    return [problem for part in found for problem in part]


# ---------------------------------------------------------------------------------------------


def _sorted(problems: Iterable[Problem], schema: PackageSchema) -> list[Problem]:
    order = {PACKAGE_FILE: -1, **{schema.tables[name].path: i for i, name in enumerate(TABLES) if name in schema.tables}}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.file, p.row or 0))
