"""A dossier's CSV files as they are on disk: read as untyped strings, and hashed into a version.

Both :mod:`parley.data.dossier` (which types the frames) and :mod:`parley.data.validate` (which
checks them) read through here, so neither imports the other's internals.
"""

from __future__ import annotations

import hashlib
import io

import pandas as pd

from parley.data.schema import PackageSchema, Table
from parley.errors import Problem

BOM = b"\xef\xbb\xbf"


def dataset_version(schema: PackageSchema) -> str:
    """Hash of the descriptor and every resource file, in a fixed order."""
    digest = hashlib.sha256()
    folder = schema.path.parent
    for rel in [schema.path.name, *sorted(t.path for t in schema.tables.values())]:
        digest.update(rel.encode())
        digest.update(b"\0")
        file = folder / rel
        digest.update(file.read_bytes() if file.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def read_raw_table(schema: PackageSchema, table: Table) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV as untyped strings (empty cells are ``""``).

    Returns the frame (``None`` when the file cannot be read at all) and the problems met while
    reading: missing file, BOM, bytes that are not UTF-8, unparsable CSV.
    """
    file = schema.path.parent / table.path
    name = table.path
    if not file.is_file():
        return None, [Problem(name, None, None, None, f"file missing; the data package declares table {table.name!r} at {table.path}", "file-missing")]
    data = file.read_bytes()
    problems: list[Problem] = []
    if data.startswith(BOM):
        problems.append(Problem(name, 1, None, None, "starts with a UTF-8 byte-order mark; save as UTF-8 without BOM", "bom"))
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, problems + [Problem(name, line, None, data[exc.start : exc.start + 4], f"bytes at offset {exc.start} are not UTF-8; save the file as UTF-8", "encoding")]
    if not text.strip():
        return None, problems + [Problem(name, None, None, None, f"file is empty; expected a header row with columns {', '.join(table.field_names)}", "empty-file")]
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, sep=",", quotechar='"', doublequote=True, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        return None, problems + [Problem(name, None, None, None, f"not parsable as comma-separated CSV ({exc})", "csv-parse")]
    return frame, problems
