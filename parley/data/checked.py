"""Dossiers already validated, remembered by the hash of everything their validation reads.

A render validates its dossier outside the kernel (the notebook's own checks, before the kernel
starts), then the kernel loads the same dossier again; a batch worker's every page does so too.
Validating the same bytes with the same code gives the same answer, so :func:`load_dossier`
asks here first: a dossier whose *validation key* is remembered is read and typed, not checked
again. The key is a SHA-256 over

- the package descriptor and every resource file, whole (the dataset version is its first 12 digits),
- every file in the dossier's seeds folder, names and bytes (the source texts quotes are checked against),
- the source of every module of the ``parley`` package and its format tag here,

so any change to the data, a source text or the code validates again. Only a validation that
found no problem is remembered (an empty marker file named by the key, written atomically under
:func:`cache_dir`); a dossier with problems is checked at every load and fails every time.
``parley validate`` never asks: it always checks everything. ``PARLEY_VALIDATION_CACHE=off``
turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from parley import paths

#: Part of every key: a new layout of the key or of what it covers changes it.
KEY_FORMAT = b"parley-validated/1"
#: Environment variables: the cache folder, and ``off`` to validate at every load.
CACHE_DIR_VARIABLE, SWITCH_VARIABLE = "PARLEY_CACHE_DIR", "PARLEY_VALIDATION_CACHE"
_PIECE = 1 << 20  # bytes hashed at a time


def enabled() -> bool:
    """Whether loads may skip a validation already passed (``PARLEY_VALIDATION_CACHE`` is not ``off``)."""
    return os.environ.get(SWITCH_VARIABLE, "").strip().lower() not in {"off", "0", "no", "false"}


def cache_dir() -> Path:
    """Where the markers live: ``PARLEY_CACHE_DIR``, else ``build/cache`` in the project."""
    return Path(os.environ.get(CACHE_DIR_VARIABLE) or paths.PROJECT_ROOT / "build" / "cache") / "validated"


def validation_key(dataset_digest: str, seeds_dir: Path) -> str:
    """The key of a dossier whose descriptor and resource files hash to ``dataset_digest``
    (:func:`parley.data.tables.dataset_digest`) and whose source texts are in ``seeds_dir``."""
    digest = hashlib.sha256(KEY_FORMAT)
    digest.update(b"\0data\0" + dataset_digest.encode())
    digest.update(b"\0code\0" + _code_digest().encode())
    digest.update(b"\0seeds\0")
    try:
        files = sorted(p for p in Path(seeds_dir).iterdir() if p.is_file())
    except OSError:  # no seeds folder: the validation says so, and its answer is not remembered
        files = []
    for file in files:
        digest.update(file.name.encode("utf-8", "surrogateescape") + b"\0")
        with open(file, "rb") as stream:
            for piece in iter(lambda: stream.read(_PIECE), b""):
                digest.update(piece)
        digest.update(b"\0")
    return digest.hexdigest()


def known_valid(key: str) -> bool:
    """A validation of exactly these bytes with this code found no problem."""
    return enabled() and (cache_dir() / key).is_file()


def remember_valid(key: str) -> None:
    """Remember that the dossier of ``key`` passed every check (a cache: a folder that cannot be
    written only means the next load validates again)."""
    from parley.fileio import write_atomic

    if not enabled():
        return
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        write_atomic(cache_dir() / key, "")
    except OSError:
        pass


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """SHA-256 over the path and bytes of every module of the package (read once per process)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for file in sorted(root.rglob("*.py")):
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()
