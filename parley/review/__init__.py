"""From proposals to curated statements: the review queue and every file change it makes.

- :mod:`~parley.review.intake`: ``ingest_article``: copy an article into the seeds, register it in
  ``sources.csv`` and queue its proposals (from :mod:`parley.ingest`) as pending;
- :mod:`~parley.review.queue`: the review queue, ``<dossier>/candidates.csv`` (outside the data
  package, so the curated tables stay clean; its columns are declared here);
- :mod:`~parley.review.decisions`: accept, reject, edit;
- :mod:`~parley.review.store`: CSV bytes for dossier changes, and the validator as the check of each
  change (every change is one :func:`parley.fileio.dossier_transaction`).
"""
