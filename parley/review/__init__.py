"""From proposals to curated statements: the review queue and every file change it makes.

- :mod:`~parley.review.intake`: ``ingest_article``: copy an article into the seeds, register it in
  ``sources.csv`` and queue its proposals (from :mod:`parley.ingest`) as pending; ``add_candidate``:
  a span a reviewer selected, queued the same way;
- :mod:`~parley.review.queue`: the review queue, ``<dossier>/candidates.csv`` (outside the data
  package, so the curated tables stay clean; its columns are declared here);
- :mod:`~parley.review.decisions`: accept, reject, edit;
- :mod:`~parley.review.store`: CSV bytes for dossier changes, and the validator as the check of each
  change (every change is one :func:`parley.journal.dossier_transaction`);
- :mod:`~parley.review.additions`: :func:`add_event`, :func:`update_event`, :func:`add_actor`,
  :func:`add_issue`, :func:`add_alias`: what the articles tell, with evidence as exact words
  (:mod:`~parley.review.evidence` finds their offsets), and :func:`add_note`, the analyst's own
  bottom line for an edition: the functions ``parley add`` calls.

The review notebook (``notebooks/review.ipynb``):

- :mod:`~parley.review.backend`: reads for the view; decisions through :mod:`~parley.review.decisions`;
- :mod:`~parley.review.session`: :class:`ReviewSession`, the controller (every behaviour, tested without a browser);
- :mod:`~parley.review.view`: the session as JSON-ready state for the widget;
- :mod:`~parley.review.widgets`: :func:`open_review`, the anywidget the notebook shows (``static/review.js``).
"""

from parley.review.additions import add_actor, add_alias, add_event, add_issue, add_note, find_evidence, update_event  # noqa: E402

__all__ = ["add_actor", "add_alias", "add_event", "add_issue", "add_note", "find_evidence", "update_event"]
