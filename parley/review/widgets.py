"""The review notebook's widget: an anywidget that draws a :class:`ReviewSession` and sends actions back.

The view is ``static/review.js`` (plain ES module, no build step, nothing fetched at run time) and
``static/review.css``. The widget holds one synced trait, ``state`` (the session's
:meth:`~parley.review.session.ReviewSession.state`); the browser sends actions as custom messages,
which the session carries out, and the new state is sent back.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from parley.review.session import ReviewSession

STATIC = Path(__file__).parent / "static"


class ReviewWidget(anywidget.AnyWidget):
    """One source's proposals: the text with every proposal highlighted, and one card at a time."""

    _esm = STATIC / "review.js"
    _css = STATIC / "review.css"
    state = traitlets.Dict().tag(sync=True)

    def __init__(self, session: ReviewSession, **kwargs: object):
        super().__init__(**kwargs)
        self.session = session
        self.on_msg(self._on_action)
        self.refresh()

    def _on_action(self, _widget: object, content: object, _buffers: object) -> None:
        if isinstance(content, dict):
            self.session.dispatch(content)
        self.refresh()

    def refresh(self) -> None:
        """Send the session's state to the browser (after a change made from Python, too)."""
        self.state = self.session.state()

    def __repr__(self) -> str:
        return self.session.summary()

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        # The plain text is the session's one-line summary (stable: what nbval compares); the
        # widget view's model id is random: nbval skips that mimetype, and a stored notebook drops it
        # (parley.report.notebooks.normalise).
        return {
            "text/plain": self.session.summary(),
            "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0, "model_id": self.model_id},
        }


def open_review(dossier: str | Path, source: str = "", *, coder: str = "parley-review", high_confidence: float = 0.8) -> ReviewWidget:
    """The review widget for one source of a dossier (the first source with pending proposals when empty).

    Parameters
    ----------
    dossier
        Dossier name or folder.
    source
        Source id (sources.csv); empty: the first source with proposals still pending.
    coder
        Who codes (kept in every statement accepted).
    high_confidence
        Proposals at or above this confidence can be accepted together after a look.
    """
    return ReviewWidget(ReviewSession(dossier, source, coder=coder, high_confidence=high_confidence))


def check_dossier(dossier: str | Path):
    """What ``parley validate`` says of the dossier, as a notebook output (same validator, same messages)."""
    from parley import paths as parley_paths
    from parley.report.display import HTMLBlock, esc
    from parley.data.validate import validate_dossier

    folder = parley_paths.dossier_dir(dossier)
    problems = validate_dossier(folder)
    if not problems:
        text = f"{folder.name}: valid (schema, keys, provenance and meaning checked)"
        return HTMLBlock(f"<p class='parley-check parley-valid'>✔ {esc(text)}</p>", text)
    lines = [str(p) for p in problems]
    shown = "".join(f"<li>{esc(line)}</li>" for line in lines[:50])
    more = f"<li>… and {len(lines) - 50} more</li>" if len(lines) > 50 else ""
    head = f"{folder.name}: {len(problems)} problem(s)"
    return HTMLBlock(f"<div class='parley-check'><p><strong>{esc(head)}</strong></p><ul>{shown}{more}</ul></div>", "\n".join([head, *lines]))
