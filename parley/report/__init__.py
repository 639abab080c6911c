"""From a dossier to a page: the view and sections a notebook calls, and the render that runs it.

- :mod:`~parley.report.view`, :mod:`~parley.report.sections`, :mod:`~parley.report.display`: what a
  notebook cell calls and shows (:mod:`parley.briefing` re-exports the first two for notebooks);
- :mod:`~parley.report.render`: :func:`render_briefing`, the one entry point notebook -> HTML;
- :mod:`~parley.report.export`: the nbconvert preprocessor and exporter of the page template;
- :mod:`~parley.report.assets`: the plotly.js bundle a page inlines;
- :mod:`~parley.report.png`: PNG export of the charts;
- :mod:`~parley.report.notebooks`: the registry of shipped notebooks and their refresh.

Importing this package imports nothing heavy: each module loads what it needs.
"""
