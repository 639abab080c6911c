"""Writing files so that no reader ever sees half of one, and reading what Parley wrote.

- :func:`write_atomic` publishes ONE file: a temporary file in the same folder, flushed to disk,
  then ``os.replace``; :func:`make_folder` makes an output folder with a clear message;
- :func:`export_csv` writes a CSV people open in spreadsheets (formula-like cells neutralised);
- :func:`load_yaml_bounded` reads YAML that cannot exhaust memory or the stack;
- :func:`claim_outputs` claims many outputs of a run at once, holding one file descriptor;
- :func:`read_json` and :func:`remove` read a record that may be torn or absent, and delete a
  file that may be gone.

Changing SEVERAL files of a dossier all or nothing is :func:`parley.journal.dossier_transaction`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path



def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text is encoded as UTF-8) to ``path`` atomically.

    The file keeps its permissions when it exists (0644 when new). On any failure, including an
    interrupt, the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def make_folder(folder: str | os.PathLike[str], option: str = "the output folder") -> Path:
    """Create an output folder (and its parents), or :class:`ParameterError` naming it and the
    option that gave it: a parent that is a file, a read-only place, no permission."""
    from parley.errors import ParameterError

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ParameterError(f"{folder}: a part of this path is a file, not a folder; give {option} a folder path") from None
    except OSError as exc:
        raise ParameterError(f"{folder}: cannot create this folder ({exc.strerror or exc}); give {option} a folder you can write") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ParameterError(f"{folder}: this folder is not writable; give {option} a folder you can write (nothing was written)")
    return folder


#: First characters that make a spreadsheet read a cell as a formula (or hide one behind a tab/CR).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def spreadsheet_safe(value: object) -> object:
    """A cell for a CSV that people open in a spreadsheet: text starting with ``= + - @``, a tab or
    a carriage return gets a leading ``'`` so it is shown, never evaluated (CSV/formula injection,
    OWASP). Numbers (``-2``, ``+1.5``) and non-text values pass unchanged.

    Every CSV Parley *exports* (run records' positions, anything written for people) goes through
    this; the dossier's own tables are data, never rewritten (a quote must stay the source's words).
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def export_csv(path: str | os.PathLike[str], frame) -> None:
    """Write a pandas frame as an exported CSV: cells made :func:`spreadsheet_safe`, ``\\n`` line
    ends, no index, published atomically."""
    safe = frame.astype(object).map(spreadsheet_safe) if len(frame) else frame
    write_atomic(path, safe.to_csv(index=False, lineterminator="\n"))


# -- reading YAML with bounds -----------------------------------------------------------------

#: Limits of :func:`load_yaml_bounded`: a spec or a parameter file is small and shallow.
YAML_MAX_BYTES = 2_000_000
YAML_MAX_ALIASES = 200
YAML_MAX_DEPTH = 40
YAML_MAX_NODES = 200_000


def load_yaml_bounded(text: str, where: str, error: type[Exception], loader=None):
    """Parse YAML ``text`` with a safe loader that refuses what would exhaust memory or the stack.

    ``loader`` is a ``yaml.SafeLoader`` subclass (default ``yaml.SafeLoader``). Refused with
    ``error(message)``, the message naming ``where`` and never quoting more than a short excerpt:
    a document over :data:`YAML_MAX_BYTES`, more than :data:`YAML_MAX_ALIASES` alias uses
    ("billion laughs"), nesting deeper than :data:`YAML_MAX_DEPTH`, or a document whose aliases
    would expand it beyond :data:`YAML_MAX_NODES` values. YAML syntax errors become ``error`` too.
    """
    import yaml

    from parley.errors import shorten

    if len(text) > YAML_MAX_BYTES:
        raise error(f"{where}: {len(text):,} characters of YAML; at most {YAML_MAX_BYTES:,} are read")
    base = loader or yaml.SafeLoader

    class Bounded(base):  # type: ignore[misc, valid-type]
        aliases = 0
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                type(self).aliases += 1
                if type(self).aliases > YAML_MAX_ALIASES:
                    mark = self.peek_event().start_mark
                    raise error(f"{where}, line {mark.line + 1}: more than {YAML_MAX_ALIASES} YAML aliases (*name); "
                                "refused, as a document of nested aliases can expand beyond memory")
            type(self).depth += 1
            try:
                if type(self).depth > YAML_MAX_DEPTH:
                    mark = self.peek_event().start_mark
                    raise error(f"{where}, line {mark.line + 1}: nested more than {YAML_MAX_DEPTH} levels deep; a spec is a few levels of mappings and lists")
                return super().compose_node(parent, index)
            finally:
                type(self).depth -= 1

    try:
        value = yaml.load(text, Loader=Bounded)
    except yaml.YAMLError as exc:
        raise error(f"{where}: not valid YAML ({shorten(exc, 300)})") from None
    except RecursionError:
        raise error(f"{where}: nested too deeply to read") from None
    if _expanded_size(value, {}) > YAML_MAX_NODES:
        raise error(f"{where}: its aliases expand it to more than {YAML_MAX_NODES:,} values; refused (a spec lists briefings, not millions of items)")
    return value


def _expanded_size(value: object, memo: dict[int, int]) -> int:
    """Number of values in ``value`` with every shared (aliased) part counted each time it occurs,
    computed without expanding anything (each shared object is sized once)."""
    if not isinstance(value, (list, dict)):
        return 1
    key = id(value)
    if key in memo:
        return memo[key]
    memo[key] = YAML_MAX_NODES + 1  # a self-reference (&a [*a]) expands forever
    items = list(value.items()) if isinstance(value, dict) else value
    total = 1
    for item in items:
        parts = item if isinstance(value, dict) else (item,)
        for part in parts:
            total += _expanded_size(part, memo)
            if total > YAML_MAX_NODES:
                memo[key] = total
                return total
    memo[key] = total
    return total


# -- claims on outputs: many outputs, one file descriptor --------------------------------------


class OutputsBusy(Exception):
    """Another live process claims one of the outputs (``.output``, ``.lock``: what and where)."""

    def __init__(self, output: str, lock: Path):
        super().__init__(f"{output} is claimed by another process (lock {lock})")
        self.output, self.lock = output, lock


@contextlib.contextmanager
def claim_outputs(folder: str | os.PathLike[str], outputs: list[str] | set[str], wait: float = 0.0) -> Iterator[None]:
    """Claim ``outputs`` (names such as ``riyadh_2025/2025-02-18/briefing``) for this process.

    One registry in ``folder``: a short-held ``registry.lock``; per claiming process a
    ``<claim>.json`` (what it claims) and a ``<claim>.lock`` it holds while alive. Claiming 1,500
    outputs holds ONE file descriptor, not 1,500; a claim whose process died (even by SIGKILL:
    its ``.lock`` is free again) is swept by the next claimer. Overlapping claims wait up to
    ``wait`` seconds, then :class:`OutputsBusy`. All or nothing: on failure nothing is claimed.
    """
    from filelock import FileLock, Timeout

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(outputs)
    claim = f"claim-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
    own = FileLock(str(folder / f"{claim}.lock"))
    own.acquire(timeout=0)
    deadline = time.monotonic() + max(0.0, wait)
    try:
        while True:
            with FileLock(str(folder / "registry.lock"), timeout=max(10.0, wait)):
                busy = _live_overlap(folder, wanted, claim)
                if busy is None:
                    write_atomic(folder / f"{claim}.json", json.dumps(sorted(wanted)))
                    break
            if time.monotonic() >= deadline:
                raise OutputsBusy(*busy)
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    except BaseException:
        own.release()
        _unlink(folder / f"{claim}.lock")
        raise
    try:
        yield
    finally:
        with contextlib.suppress(Timeout, OSError):
            with FileLock(str(folder / "registry.lock"), timeout=30):
                _unlink(folder / f"{claim}.json")
        own.release()
        _unlink(folder / f"{claim}.lock")


def _live_overlap(folder: Path, wanted: set[str], mine: str) -> tuple[str, Path] | None:
    """The first output of ``wanted`` a live claim holds; dead claims are removed on the way."""
    from filelock import FileLock, Timeout

    for record in sorted(folder.glob("claim-*.json")):
        name = record.stem
        if name == mine:
            continue
        lock_path = folder / f"{name}.lock"
        probe = FileLock(str(lock_path))
        try:
            probe.acquire(timeout=0)
        except Timeout:  # alive: its outputs are taken
            try:
                held = set(json.loads(record.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                held = set()
            overlap = sorted(held & wanted)
            if overlap:
                return overlap[0], lock_path
            continue
        probe.release()  # dead (killed): sweep its claim
        _unlink(record)
        _unlink(lock_path)
    return None


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def read_json(path: str | os.PathLike[str]) -> dict | None:
    """A JSON file's content, or ``None`` when it is missing or not JSON (a torn or absent record)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remove(path: str | os.PathLike[str]) -> None:
    """Delete a file if it is there."""
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass
