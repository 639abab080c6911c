"""Parley: structured claims and positions from negotiation coverage, and briefings built on them."""

from parley._imports import defer_rfc3987_syntax

defer_rfc3987_syntax()  # before anything imports jsonschema: saves ~1 s per process (see parley/_imports.py)

from parley.data.dossier import Dossier, load_dossier  # noqa: E402
from parley.errors import ParleyError, Problem  # noqa: E402

__all__ = ["Dossier", "ParleyError", "Problem", "load_dossier", "render_briefing", "validate_dossier"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Heavy entry points load on first use, keeping `import parley` fast in kernels.
    if name == "render_briefing":
        from parley.report.render import render_briefing

        return render_briefing
    if name == "validate_dossier":
        from parley.data.validate import validate_dossier

        return validate_dossier
    raise AttributeError(f"module 'parley' has no attribute {name!r}")
