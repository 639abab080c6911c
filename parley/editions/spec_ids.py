"""The ids a batch spec names, read from the dossier's tables: the rows a ``for_each`` expands over,
and subject parameters (``actor``, ``issue``, ``event``) given under ``parameters``.

Part of :mod:`parley.editions.spec` (its expansion against the data); every problem is a
:class:`parley.errors.SpecError` naming the entry and the field.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from parley.errors import SpecError, excerpt

#: Tables ``for_each`` can expand over, with their id column.
EXPANSION_TABLES = {"actors": "actor_id", "issues": "issue_id", "events": "event_id"}
#: Parameters that name a row of the dossier, and its table: checked against the dossier whether a
#: spec gives them under ``for_each`` or ``parameters`` (before any file name is built from them).
ID_PARAMETERS = {"actor": "actors", "issue": "issues", "event": "events"}


def check_parameter_ids(parameters: dict[str, Any], dossier_path: Path, label: str) -> None:
    """An ``actor``, ``issue`` or ``event`` given under ``parameters`` must be an id of the dossier,
    as under ``for_each``: a bad id is a bad spec (exit 2, nothing rendered), not a failed briefing."""
    for variable, table in ID_PARAMETERS.items():
        value = parameters.get(variable)
        if value in (None, ""):
            continue
        where = f"{label}, field parameters.{variable}"
        known = known_ids(dossier_path, table, where)
        if str(value) not in known:
            raise SpecError(f"{where}: {excerpt(str(value))} is not in the {table} of {dossier_path.name}; valid ids: {', '.join(known)}")


def known_ids(dossier_path: Path, table: str, where: str) -> list[str]:
    """:func:`table_ids` of a table, read once per version of the dossier's files (a spec of
    10,000 entries naming actors reads the actors table once)."""
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in dossier_path.glob("*") if p.is_file()))
    try:
        return _cached_ids(dossier_path, table, stamp)
    except SpecError:
        return table_ids(dossier_path, table, None, where)  # raises again, naming the entry and field


@functools.lru_cache(maxsize=32)
def _cached_ids(dossier_path: Path, table: str, stamp: tuple) -> list[str]:
    return table_ids(dossier_path, table, None, "the dossier")


def expansion_values(source: Any, variable: str, dossier_path: Path, where: str) -> list[str]:
    """The ids a ``for_each`` source stands for, checked against the dossier."""
    if isinstance(source, list):
        ids = [str(item) for item in source]
        table = ID_PARAMETERS.get(variable)
        if table:
            known = table_ids(dossier_path, table, None, where)
            unknown = [item for item in ids if item not in known]
            if unknown:
                raise SpecError(f"{where}: {', '.join(map(repr, unknown))} not in the {table} of {dossier_path.name}; valid ids: {', '.join(known)}")
        return ids
    if isinstance(source, str):
        table, where_clause = source, None
    else:
        table, where_clause = source.get("from"), source.get("where")
    values = table_ids(dossier_path, table, where_clause, where)
    if not values:
        raise SpecError(f"{where}: expands to nothing (no row of {table} in {dossier_path.name} matches {excerpt(where_clause)}); fix the filter or remove the entry")
    return values


def table_ids(dossier_path: Path, table: str, where_clause: dict | None, where: str) -> list[str]:
    from parley.data.tables import read_raw_table
    from parley.data.schema import read_schema

    try:
        schema = read_schema(dossier_path)
    except Exception as exc:  # DossierNotFound / DossierInvalid carry a readable message
        raise SpecError(f"{where}: cannot read dossier {dossier_path}: {exc}") from None
    frame, problems = read_raw_table(schema, schema.tables[table])
    if frame is None:
        raise SpecError(f"{where}: cannot read the {table} table of {dossier_path.name}: {'; '.join(map(str, problems))}")
    id_column = EXPANSION_TABLES[table]
    for column, wanted in (where_clause or {}).items():
        if column not in frame.columns:
            raise SpecError(f"{where}.where.{column}: the {table} table has no column {excerpt(column)}; its columns are: {', '.join(frame.columns)}")
        allowed = {str(w) for w in (wanted if isinstance(wanted, list) else [wanted])}
        frame = frame.loc[frame[column].astype(str).isin(allowed)]
    return [str(value) for value in frame[id_column] if str(value)]
