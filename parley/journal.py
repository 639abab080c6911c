"""Changing a dossier so that no crash ever leaves half of a change behind.

(One file alone is published by :func:`parley.fileio.write_atomic`.)

- :func:`dossier_transaction` changes SEVERAL files of a dossier all or nothing, even across a
  crash (``kill -9``, power loss): a write-ahead journal in ``<dossier>/.journal/`` holds the old
  and the new bytes of every file before the first one is touched, and the next Parley command
  that opens the dossier finishes or undoes what an interrupted change left, and says so.

>>> with dossier_transaction(folder, "review accept c_1", check=validate_change) as tx:  # doctest: +SKIP
...     tx.write(folder / "statements.csv", statements_bytes)
...     tx.write(folder / "candidates.csv", queue_bytes)
...     tx.create(seeds / "001_ab.txt", article_bytes, read_only=True)

Inside the block nothing on disk changes: writes are staged (``tx.read`` sees them). Leaving the
block normally commits; leaving it with an exception drops the staged writes and changes nothing.

Commit, under the dossier's lock:

1. *prepare*: the journal is written to ``.journal.partial/`` (each file's new bytes, its old
   bytes, a manifest with their SHA-256), fsynced, then renamed to ``.journal/``;
2. *apply*: each file is replaced atomically, in the order written;
3. *check*: ``check(folder)`` runs on the changed dossier (the validator); if it raises, every
   file is put back and the error propagates;
4. *commit*: a ``COMMITTED`` marker is written into the journal, which is then removed.

Recovery (:func:`recover_dossier`, run by every transaction and by
:func:`parley.data.schema.read_schema`, so by every command that reads the dossier): a
``.journal.partial/`` is discarded (nothing was applied yet); a ``.journal/`` without the
marker is rolled back (each file gets its old bytes again, files the change created are
removed); one with the marker is rolled forward. A file that holds neither the old nor the new
bytes was edited by someone since the crash: recovery then stops with :class:`JournalConflict`
and leaves the journal for a person to read. Only paths inside the dossier or its seeds folder
are ever touched, so a journal planted in a shared dossier cannot reach any other file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from parley.errors import DossierBusy, JournalConflict
from parley.fileio import write_atomic

JOURNAL = ".journal"
PARTIAL = ".journal.partial"
DONE = ".journal.done"
MANIFEST = "manifest.json"
ACTION = "action.txt"
COMMITTED = "COMMITTED"
LOCK_TIMEOUT_S = 30.0

_active: set[Path] = set()  # dossiers whose transaction runs in this process (their check reads them)
_active_guard = threading.Lock()


# -- the dossier lock ---------------------------------------------------------------------------


def dossier_lock(folder: str | os.PathLike[str], timeout: float = LOCK_TIMEOUT_S):
    """A lock serialising writers of one dossier (a file in the system's temporary folder).

    Kept outside the dossier so that a read-only or shared dossier folder can still be locked.
    """
    from filelock import FileLock

    digest = hashlib.sha256(str(Path(folder).resolve()).encode()).hexdigest()[:16]
    return FileLock(Path(tempfile.gettempdir()) / f"parley-dossier-{digest}.lock", timeout=timeout)


@contextlib.contextmanager
def _locked(folder: Path, timeout: float) -> Iterator[None]:
    from filelock import Timeout

    lock = dossier_lock(folder, timeout)
    try:
        lock.acquire()
    except Timeout:
        raise DossierBusy(f"{folder}: another parley command is changing this dossier; try again in a moment") from None
    try:
        yield
    finally:
        lock.release()


# -- the transaction ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Staged:
    path: Path
    data: bytes
    create: bool  # a new file: must not exist
    read_only: bool


class DossierTransaction:
    """The staged writes of one :func:`dossier_transaction` block (see the module docstring)."""

    def __init__(self, folder: Path, action: str):
        self.folder = folder
        self.action = action
        self._staged: dict[Path, _Staged] = {}

    def write(self, path: str | os.PathLike[str], data: bytes | str) -> None:
        """Stage the new content of a file (created when missing). A second write replaces the first."""
        self._stage(path, data, create=False, read_only=False)

    def create(self, path: str | os.PathLike[str], data: bytes | str, *, read_only: bool = False) -> None:
        """Stage a new file; committing fails (and changes nothing) if it exists by then.

        ``read_only`` leaves it mode 0444 (seeds are never edited).
        """
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise _exists(path)
        self._stage(path, data, create=True, read_only=read_only)

    def read(self, path: str | os.PathLike[str]) -> bytes | None:
        """The file's bytes as this transaction would leave them (``None``: no such file)."""
        path = _absolute(path)
        if path in self._staged:
            return self._staged[path].data
        return path.read_bytes() if path.is_file() else None

    @property
    def paths(self) -> list[Path]:
        """Files staged so far, in the order they will be written."""
        return list(self._staged)

    def _stage(self, path: str | os.PathLike[str], data: bytes | str, *, create: bool, read_only: bool) -> None:
        path = _absolute(path)
        payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        self._staged.pop(path, None)  # re-staging moves the file to the end of the order
        self._staged[path] = _Staged(path, payload, create, read_only)


def _absolute(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(path))


def _exists(path: Path):
    from parley.errors import IngestError

    return IngestError(f"{path}: already exists; Parley never overwrites it (seeds are never overwritten)")


@contextlib.contextmanager
def dossier_transaction(
    folder: str | os.PathLike[str],
    action: str,
    *,
    check: Callable[[Path], None] | None = None,
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> Iterator[DossierTransaction]:
    """Change several files of the dossier ``folder`` all or nothing, crash-safe.

    Parameters
    ----------
    folder
        The dossier folder (the journal lives in ``folder/.journal``).
    action
        What the change is, in a person's words (``"review accept c_1f2e"``): recovery names it.
    check
        Called with the folder once every file is written and before the change commits (the
        validator); when it raises, every file is restored and the exception propagates.
    lock_timeout
        Seconds to wait for another writer of the dossier; then :class:`DossierBusy`.

    Yields
    ------
    DossierTransaction
        Stage files with ``tx.write(path, data)`` / ``tx.create(path, data)``; read with
        ``tx.read(path)``. Reads of the dossier inside the block happen under its lock.

    Raises
    ------
    DossierBusy
        Another process holds the dossier's lock.
    JournalConflict
        An earlier interrupted change cannot be recovered safely (see :func:`recover_dossier`).
    """
    folder = _absolute(folder)
    with _locked(folder, lock_timeout):
        _report(_recover_locked(folder))
        with _active_guard:
            _active.add(folder)
        try:
            tx = DossierTransaction(folder, action)
            yield tx
            if tx.paths:
                _commit(tx, check)
        finally:
            with _active_guard:
                _active.discard(folder)


def _commit(tx: DossierTransaction, check: Callable[[Path], None] | None) -> None:
    folder = tx.folder
    roots = _allowed_roots(folder)
    for staged in tx._staged.values():
        if not _inside(staged.path, roots):
            raise ValueError(f"{staged.path}: outside dossier {folder} and its seeds folder; a transaction writes only there")
        if staged.create and (staged.path.exists() or staged.path.is_symlink()):
            raise _exists(staged.path)
    journal = _prepare(tx)
    try:
        for staged in tx._staged.values():
            _apply(staged.path, staged.data, staged.read_only)
        if check is not None:
            check(folder)
    except BaseException:
        _rollback(folder, _load(journal), journal)
        _discard(folder, journal)
        raise
    _write_synced(journal / COMMITTED, tx.action.encode("utf-8"))
    _fsync_dir(journal)
    _discard(folder, journal)


def _prepare(tx: DossierTransaction) -> Path:
    """Write the journal (``.journal.partial`` renamed to ``.journal`` when whole)."""
    folder = tx.folder
    partial, journal = folder / PARTIAL, folder / JOURNAL
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    _write_synced(partial / ACTION, tx.action.encode("utf-8"))  # first, so even a half journal names its change
    entries = []
    for number, staged in enumerate(tx._staged.values()):
        old = staged.path.read_bytes() if staged.path.is_file() else None
        _write_synced(partial / f"{number}.new", staged.data)
        if old is not None:
            _write_synced(partial / f"{number}.old", old)
        entries.append(
            {
                "path": os.path.relpath(staged.path, folder),
                "new": f"{number}.new",
                "new_sha256": _sha(staged.data),
                "old": None if old is None else f"{number}.old",
                "old_sha256": None if old is None else _sha(old),
                "read_only": staged.read_only,
            }
        )
    manifest = {"action": tx.action, "files": entries}
    _write_synced(partial / MANIFEST, (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    _fsync_dir(partial)
    os.rename(partial, journal)
    _fsync_dir(folder)
    return journal


def _apply(path: Path, data: bytes, read_only: bool) -> None:
    """Put one file's new bytes in place (the step a crash may interrupt)."""
    if path.exists() and not os.access(path, os.W_OK):
        os.chmod(path, 0o644)  # a read-only file the change itself created, being re-applied
    write_atomic(path, data)
    if read_only:
        os.chmod(path, 0o444)


# -- recovery -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recovery:
    """What recovery did to one dossier: ``rolled back``, ``completed`` or ``discarded``."""

    folder: Path
    action: str
    outcome: str
    files: tuple[str, ...]

    @property
    def message(self) -> str:
        files = ", ".join(self.files) or "no file"
        if self.outcome == "rolled back":
            return f"{self.folder}: an interrupted `{self.action}` was rolled back (nothing of it stays in the dossier; run it again): restored {files}"
        if self.outcome == "completed":
            return f"{self.folder}: an interrupted `{self.action}` had committed; recovery completed it: {files}"
        return f"{self.folder}: an interrupted `{self.action}` had not started writing; its journal was discarded, no file changed"


def recover_dossier(folder: str | os.PathLike[str], *, quiet: bool = False, lock_timeout: float = LOCK_TIMEOUT_S) -> list[Recovery]:
    """Finish or undo a change a crash interrupted in ``folder``, printing what was done.

    Cheap when there is nothing to do (two ``stat`` calls, no lock). Called by every
    transaction and by :func:`parley.data.schema.read_schema`. Inside this process's own running
    transaction it does nothing (its check reads the half-changed dossier on purpose).

    Raises
    ------
    DossierBusy
        A change is running in another process and did not finish within ``lock_timeout``.
    JournalConflict
        A file holds neither the bytes before nor after the change; the journal is kept.
    """
    folder = _absolute(folder)
    if not any(os.path.lexists(folder / name) for name in (JOURNAL, PARTIAL, DONE)):
        return []
    with _active_guard:
        if folder in _active:
            return []
    with _locked(folder, lock_timeout):  # a live change in another process finishes first
        done = _recover_locked(folder)
    if not quiet:
        _report(done)
    return done


def _recover_locked(folder: Path) -> list[Recovery]:
    shutil.rmtree(folder / DONE, ignore_errors=True)
    done = []
    partial, journal = folder / PARTIAL, folder / JOURNAL
    if os.path.lexists(partial):
        action = "a change"
        with contextlib.suppress(OSError, ValueError):
            action = (partial / ACTION).read_bytes()[:200].decode("utf-8").replace("\n", " ") or action
        _remove(partial)
        done.append(Recovery(folder, str(action), "discarded", ()))
    if not os.path.lexists(journal):
        return done
    if journal.is_symlink() or not journal.is_dir():
        raise JournalConflict(f"{journal}: not a folder Parley wrote (a symlink or a file); remove it by hand")
    manifest = _load(journal)
    if (journal / COMMITTED).is_file():
        files = _rollforward(folder, manifest, journal)
        outcome = "completed"
    else:
        files = _rollback(folder, manifest, journal)
        outcome = "rolled back"
    _discard(folder, journal)
    done.append(Recovery(folder, manifest["action"], outcome, tuple(files)))
    return done


def _load(journal: Path) -> dict:
    try:
        manifest = json.loads((journal / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        if not isinstance(manifest.get("action"), str) or not isinstance(files, list):
            raise TypeError
        for entry in files:
            if not all(isinstance(entry.get(key), str) for key in ("path", "new", "new_sha256")):
                raise TypeError
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        raise JournalConflict(f"{journal / MANIFEST}: unreadable journal manifest; Parley cannot tell what the interrupted change did, so it changed nothing; compare the files with the journal and remove {journal} by hand") from None
    return manifest


def _targets(folder: Path, manifest: dict, journal: Path) -> list[tuple[dict, Path]]:
    roots = _allowed_roots(folder)
    targets = []
    for entry in manifest["files"]:
        target = _absolute(folder / entry["path"])
        if not _inside(target, roots) or "/" in entry["new"] or "/" in (entry.get("old") or ""):
            raise JournalConflict(f"{journal / MANIFEST}: names {entry['path'][:120]!r}, outside the dossier and its seeds folder; Parley wrote no such journal, so it changed nothing; remove {journal} by hand")
        targets.append((entry, target))
    return targets


def _rollback(folder: Path, manifest: dict, journal: Path) -> list[str]:
    """Give every file its bytes from before the change (remove the files it created)."""
    targets = _targets(folder, manifest, journal)
    for entry, target in targets:  # check all before touching any
        current = _sha(target.read_bytes()) if target.is_file() else None
        if current not in (entry.get("old_sha256"), entry["new_sha256"]):
            raise _conflict(journal, entry, manifest["action"])
    restored = []
    for entry, target in reversed(targets):
        if entry.get("old") is None:
            if target.is_file():
                target.unlink()
                restored.append(f"removed {entry['path']}")
            continue
        if _sha(target.read_bytes()) != entry["old_sha256"]:
            _apply(target, (journal / entry["old"]).read_bytes(), False)
            restored.append(entry["path"])
    return list(reversed(restored))


def _rollforward(folder: Path, manifest: dict, journal: Path) -> list[str]:
    """Make sure every file holds its new bytes (the change had committed)."""
    targets = _targets(folder, manifest, journal)
    for entry, target in targets:
        current = _sha(target.read_bytes()) if target.is_file() else None
        if current not in (entry.get("old_sha256"), entry["new_sha256"]):
            raise _conflict(journal, entry, manifest["action"])
    written = []
    for entry, target in targets:
        if not target.is_file() or _sha(target.read_bytes()) != entry["new_sha256"]:
            _apply(target, (journal / entry["new"]).read_bytes(), bool(entry.get("read_only")))
        written.append(entry["path"])
    return written


def _conflict(journal: Path, entry: dict, action: str) -> JournalConflict:
    return JournalConflict(
        f"{entry['path']}: changed since an interrupted `{action}`; it holds neither the bytes from before "
        f"nor from after that change, so Parley left every file as it is; compare it with {journal} "
        f"({entry['new']} is the change's version), then remove {journal} by hand"
    )


def _discard(folder: Path, journal: Path) -> None:
    done = folder / DONE
    shutil.rmtree(done, ignore_errors=True)
    os.rename(journal, done)  # one atomic step: a crash inside rmtree leaves no half journal
    _fsync_dir(folder)
    shutil.rmtree(done, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _report(done: list[Recovery]) -> None:
    for recovery in done:
        print(f"parley: recovered: {recovery.message}", file=sys.stderr, flush=True)


# -- helpers ------------------------------------------------------------------------------------


def _allowed_roots(folder: Path) -> list[Path]:
    """The dossier folder and the seeds folder its datapackage.json names (nothing else)."""
    roots = [folder.resolve()]
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        seeds = descriptor.get("parley", {}).get("seeds_dir", "../../seeds")
        if isinstance(seeds, str):
            roots.append((folder / seeds).resolve())
    return roots


def _inside(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == root or root in resolved.parents for root in roots)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
