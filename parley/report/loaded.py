"""Dossiers a render process has loaded, each dataset version once.

A render reads its dossier outside the kernel up to three times: for the view date when the
dossier pins none (:func:`parley.report.render.latest_view_date`), for the notebook's own checks
before the kernel starts (:func:`parley.report.view.preflight`) and, in a batch worker, for what
the page showed (its positions and edition, :mod:`parley.editions.worker`). :func:`dossier` loads
it once and serves the same :class:`parley.data.dossier.Dossier` to each, as long as the data
package's files are the ones it was loaded from (the key is the folder and the dataset version,
the hash of those files, taken anew at every call), so an edit between two calls loads again.

:func:`release` forgets them at the end of a render, so a ``parley render`` does not hold a large
dossier while its kernel runs; a batch worker calls :func:`keep` once and keeps the last version
loaded for its next page (every page of an edition reads the same dossier). Callers only read
what they are given; nothing here reaches a kernel, which loads its own.
"""

from __future__ import annotations

import os
import threading

_lock = threading.Lock()
_loaded: dict[tuple[str, str], tuple[object, bool]] = {}  # (folder, version) -> (dossier, validated)
_keep = False


def dossier(ref: str | os.PathLike[str], *, validate: bool = True):
    """``load_dossier(ref, validate=validate)``, or the dossier loaded from the same files before.

    A dossier loaded without validation is loaded again when a validated one is asked for; a
    validated one serves both. Raises what :func:`parley.data.dossier.load_dossier` raises.
    """
    from parley import paths
    from parley.data.dossier import load_dossier
    from parley.data.schema import read_schema
    from parley.data.tables import dataset_version

    folder = paths.dossier_dir(ref)
    key = (str(folder), dataset_version(read_schema(folder)))
    with _lock:
        found = _loaded.get(key)
    if found is not None and (found[1] or not validate):
        return found[0]
    loaded = load_dossier(folder, validate=validate)
    if loaded.version == key[1]:  # the files did not change while it was read
        with _lock:
            _loaded.clear()  # one version at a time: a worker's pages read one dossier
            _loaded[key] = (loaded, validate)
    return loaded


def keep() -> None:
    """Keep what is loaded across renders (a batch worker, whose pages read the same dossier)."""
    global _keep
    _keep = True


def release() -> None:
    """The end of a render: forget what was loaded, unless this process keeps it (:func:`keep`)."""
    if not _keep:
        with _lock:
            _loaded.clear()
