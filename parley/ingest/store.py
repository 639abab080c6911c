"""Safe writes to a dossier: atomic files, appended CSV rows, a lock, and all-or-nothing changes.

Every change ``parley ingest`` and ``parley review`` make goes through :class:`Change`: it
remembers the bytes of each file before touching it, writes each new version atomically (temporary
file in the same folder, then ``os.replace``), runs the validator, and puts every file back as it
was when the validator reports a problem or anything fails, so a dossier is never left half-changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from filelock import FileLock, Timeout

from parley.errors import DossierInvalid, IngestError, Problem
from parley.fileio import write_atomic

LOCK_TIMEOUT_S = 30


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
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    rows = [dict(zip(header, row)) for row in reader if row]
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


def dossier_lock(folder: Path) -> FileLock:
    """A lock serialising writers of one dossier (kept in the system's temporary folder)."""
    digest = hashlib.sha256(str(Path(folder).resolve()).encode()).hexdigest()[:16]
    return FileLock(Path(tempfile.gettempdir()) / f"parley-dossier-{digest}.lock", timeout=LOCK_TIMEOUT_S)


class Change:
    """An all-or-nothing set of file writes to one dossier.

    >>> with Change(folder) as change:          # doctest: +SKIP
    ...     change.write(folder / "statements.csv", new_bytes)
    ...     change.create(seeds / "001_ab.txt", article_bytes)
    ...     change.validate()                    # rolls everything back on a problem

    Leaving the block with an exception restores every file written and removes every file
    created.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._saved: dict[Path, bytes | None] = {}
        self._created: list[Path] = []
        self._lock = dossier_lock(self.folder)

    def __enter__(self) -> Change:
        try:
            self._lock.acquire()
        except Timeout:
            raise IngestError(f"{self.folder}: another parley ingest or review is writing this dossier; try again in a moment") from None
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is not None:
                self.rollback()
        finally:
            self._lock.release()

    def write(self, path: Path, data: bytes) -> None:
        """Replace a file's bytes (remembering the old ones)."""
        path = Path(path)
        if path not in self._saved:
            self._saved[path] = path.read_bytes() if path.exists() else None
        write_atomic(path, data)

    def create(self, path: Path, data: bytes) -> None:
        """Create a new file; refuses to overwrite an existing one."""
        path = Path(path)
        try:
            with open(path, "xb") as fh:
                self._created.append(path)
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except FileExistsError:
            raise IngestError(f"{path}: already exists; seeds are never overwritten") from None
        os.chmod(path, 0o444)

    def validate(self) -> None:
        """Run the validator on the dossier; on any problem roll back and raise ``DossierInvalid``."""
        from parley.validate import validate_dossier

        problems = validate_dossier(self.folder)
        if problems:
            self.rollback()
            raise invalid_after_change(self.folder, problems)

    def rollback(self) -> None:
        """Restore every written file and remove every created one."""
        for path, data in self._saved.items():
            if data is None:
                if path.exists():
                    path.unlink()
            else:
                write_atomic(path, data)
        for path in self._created:
            if path.exists():
                os.chmod(path, 0o644)
                path.unlink()
        self._saved.clear()
        self._created.clear()


def invalid_after_change(folder: Path, problems: list[Problem]) -> DossierInvalid:
    shown = "\n".join(f"  {p}" for p in problems[:10])
    more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
    return DossierInvalid(f"{folder}: the change would leave the dossier invalid, so nothing was changed:\n{shown}{more}", problems)


def require_valid(folder: Path) -> None:
    """Refuse to write into a dossier that is already invalid (its problems would hide ours)."""
    from parley.validate import validate_dossier

    problems = validate_dossier(folder)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:10])
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise DossierInvalid(f"{folder}: the dossier has {len(problems)} problem(s); fix them first (parley validate {folder}):\n{shown}{more}", problems)
