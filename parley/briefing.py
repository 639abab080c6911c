"""What a briefing notebook imports: ``import parley.briefing as pb``.

Kept as the notebooks' one name (their import cell says ``parley.briefing``, and a notebook
written for Parley should not have to change when the package's rooms do). The code lives in
:mod:`parley.report.view` (:func:`open_briefing`, :class:`BriefingView`) and
:mod:`parley.report.sections` (one function per notebook cell); this module only re-exports them.
"""

from parley.report.sections import *  # noqa: F403
from parley.report.sections import __all__ as _sections
from parley.report.view import BriefingView, open_briefing

__all__ = ["BriefingView", "open_briefing", *_sections]
