"""From one render to many: the batch spec, parallel runs, atomic publishing, run records, catalogue.

- :mod:`~parley.editions.spec`: ``briefings.yml`` resolved and expanded into one
  :class:`~parley.editions.spec.Briefing` per output (it schedules nothing: cron, systemd or
  Airflow decide when);
- :mod:`~parley.editions.publish`: the batch (parallel worker processes), the wholeness check,
  atomic publishing under a lock per output, run records and ``positions.csv``, the catalogue.

Every briefing is rendered by :func:`parley.report.render.render_briefing`; nothing here draws a
page itself.
"""
