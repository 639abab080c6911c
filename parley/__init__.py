"""Parley: structured claims and positions from negotiation coverage, and briefings built on them."""

from parley.dossier import Dossier, load_dossier
from parley.errors import ParleyError, Problem

__all__ = ["Dossier", "ParleyError", "Problem", "load_dossier", "render_briefing", "validate_dossier"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Heavy entry points load on first use, keeping `import parley` fast in kernels.
    if name == "render_briefing":
        from parley.render import render_briefing

        return render_briefing
    if name == "validate_dossier":
        from parley.validate import validate_dossier

        return validate_dossier
    raise AttributeError(f"module 'parley' has no attribute {name!r}")
