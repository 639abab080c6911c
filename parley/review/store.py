"""CSV bytes for dossier changes, and the validator as the check of every change.

Every change ``parley ingest`` and ``parley review`` make is one
:func:`parley.journal.dossier_transaction` (write-ahead journal, crash-safe, under the dossier's
lock) with :func:`validate_change` as its check: the dossier is never left half-changed, not
even by ``kill -9``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from parley.errors import DossierInvalid, Problem, shorten


def csv_bytes(rows: Iterable[Sequence[str]]) -> bytes:
    """Rows as CSV: comma, minimal quoting, ``\\n`` line ends, UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (as strings) of a CSV file; empty when the file does not exist."""
    if not path.is_file():
        return [], []
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DossierInvalid(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        rows = []
        for row in reader:
            if len(row) > len(header):
                raise DossierInvalid(f"{path}, line {reader.line_num}: has {len(row)} fields, the header has {len(header)}; a value holding a comma must be wrapped in double quotes")
            if row:
                rows.append(dict(zip(header, row)))
    except csv.Error as exc:
        raise DossierInvalid(f"{path}, line {reader.line_num}: not readable as CSV ({shorten(exc)})") from None
    return header, rows


def appended(path: Path, rows: Sequence[Mapping[str, object]]) -> bytes:
    """The bytes of ``path`` with ``rows`` appended in the file's own column order.

    The existing bytes are kept as they are (only a missing final newline is added), so an
    append never rewrites what a person curated.
    """
    data = path.read_bytes()
    header = next(csv.reader(io.StringIO(data.decode("utf-8").split("\n", 1)[0])), [])
    if not header:
        raise DossierInvalid(f"{path}: no header row; cannot append to it")
    unknown = sorted({k for row in rows for k in row} - set(header))
    if unknown:
        raise DossierInvalid(f"{path}: no column(s) {', '.join(unknown)} in its header ({', '.join(header)})")
    if data and not data.endswith(b"\n"):
        data += b"\n"
    return data + csv_bytes([[row.get(column, "") for column in header] for row in rows])


def validate_change(folder: Path) -> None:
    """The check of every dossier change: the validator, run on the changed files before commit.

    Pass it as ``check=`` to :func:`parley.journal.dossier_transaction`; on any problem the change
    is rolled back and :class:`DossierInvalid` names the problems.
    """
    from parley.data.validate import validate_dossier

    problems = validate_dossier(folder)
    if problems:
        raise invalid_after_change(folder, problems)


def invalid_after_change(folder: Path, problems: list[Problem]) -> DossierInvalid:
    shown = "\n".join(f"  {p}" for p in problems[:10])
    more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
    return DossierInvalid(f"{folder}: the change would leave the dossier invalid, so nothing was changed:\n{shown}{more}", problems)


def require_valid(folder: Path) -> None:
    """Refuse to write into a dossier that is already invalid (its problems would hide ours)."""
    from parley.data.validate import validate_dossier

    problems = validate_dossier(folder)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:10])
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise DossierInvalid(f"{folder}: the dossier has {len(problems)} problem(s); fix them first (parley validate {folder}):\n{shown}{more}", problems)
