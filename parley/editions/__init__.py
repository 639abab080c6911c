"""From one render to many: the batch spec, parallel runs, atomic publishing, run records, catalogue.

- :mod:`~parley.editions.spec`: ``briefings.yml`` resolved and expanded into one
  :class:`~parley.editions.spec.Briefing` per output (it schedules nothing: cron, systemd or
  Airflow decide when);
- :mod:`~parley.editions.batch`: :func:`run_spec`, :func:`run_briefings` (parallel worker
  processes) and :func:`run_briefing` (one briefing in-process, for the Airflow DAG), one skeleton;
- :mod:`~parley.editions.worker`: one briefing rendered into its staging folder (a process);
- :mod:`~parley.editions.records`: atomic publishing, run records, kept failures;
- :mod:`~parley.editions.catalogue`: ``catalogue.jsonl`` and the page ``index.html``;
- :mod:`~parley.editions.locks`: a lock per output, the catalogue lock, staging folders.

Every briefing is rendered by :func:`parley.report.render.render_briefing`; nothing here draws a
page itself.
"""
