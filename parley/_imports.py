"""Keep slow third-party import work off the hot path, without changing what those libraries do.

``jsonschema`` (imported by nbformat, which papermill, nbconvert and plotly's notebook renderer
import) loads the optional ``rfc3987_syntax`` package at import time to offer the ``iri`` format
checks, and that package builds an Earley parser for the RFC 3987 grammar on import: 0.7 to 1.3 s
on this kind of machine, paid by every ``parley render`` and again by every kernel that imports
``parley.briefing``. Parley never validates IRIs.

:func:`defer_rfc3987_syntax` registers the package without running it: its ``is_valid_syntax``
(the one name jsonschema takes from it) and every other attribute load the real package on first
use, so an IRI check still gives exactly the answer it gave before, only later.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

_DEFERRED = "rfc3987_syntax"


def defer_rfc3987_syntax() -> None:
    """Register ``rfc3987_syntax`` as a package whose grammar is built on first use (idempotent)."""
    if _DEFERRED in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(_DEFERRED)
    except (ImportError, ValueError):
        return
    if spec is None or not spec.submodule_search_locations:
        return
    package = importlib.util.module_from_spec(spec)  # the package, its __init__ not run yet

    def _helpers() -> types.ModuleType:
        return importlib.import_module(f"{_DEFERRED}.syntax_helpers")

    def is_valid_syntax(term: str, value: str) -> bool:
        return _helpers().is_valid_syntax(term, value)

    def __getattr__(name: str):
        try:
            return getattr(_helpers(), name)
        except AttributeError:
            raise AttributeError(f"module {_DEFERRED!r} has no attribute {name!r}") from None

    package.is_valid_syntax = is_valid_syntax
    package.__getattr__ = __getattr__
    sys.modules[_DEFERRED] = package
