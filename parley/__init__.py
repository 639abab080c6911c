"""Parley: structured claims and positions from negotiation coverage, and briefings built on them."""

from parley._imports import defer_rfc3987_syntax

defer_rfc3987_syntax()  # before anything imports jsonschema: saves ~1 s per process (see parley/_imports.py)

from parley.errors import ParleyError, Problem  # noqa: E402

__all__ = ["Dossier", "ParleyError", "Problem", "load_dossier", "render_briefing", "validate_dossier"]
__version__ = "0.1.0"

#: Entry points loaded on first use: ``import parley`` stays light (no pandas), so a batch worker
#: starts its kernel before it pays for the imports a render needs, and kernels import fast.
_LAZY = {"Dossier": "parley.data.dossier", "load_dossier": "parley.data.dossier",
         "render_briefing": "parley.report.render", "validate_dossier": "parley.data.validate"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'parley' has no attribute {name!r}")
