"""From article text to proposals: quotations, speakers, reported statements, evaluation.

Pure functions of a text and a dossier's lexicon: nothing here writes a file. What happens to a
proposal next (the review queue, accept/reject/edit, all-or-nothing writes) is
:mod:`parley.review`.

Modules, in the order data flows through them:

- :mod:`~parley.ingest.text`: read and check an article (UTF-8, size, language); paragraphs and
  sentences on a quote-masked copy of the text;
- :mod:`~parley.ingest.quotes`: the spans between quote marks (straight, curly, single, guillemets,
  nested, multi-paragraph), with exact code-point offsets;
- :mod:`~parley.ingest.cues` and :mod:`~parley.ingest.lexicon`: general English attribution
  vocabulary, and what a dossier knows (names, aliases, roles, issue keywords);
- :mod:`~parley.ingest.mentions`: names, roles, descriptions and pronouns, found by pure passes
  into frozen entities and mentions;
- :mod:`~parley.ingest.article`: one article read once (words, cue words, mentions), asked
  through public lookups;
- :mod:`~parley.ingest.subjects`: reporting verbs paired with their subjects, what a mention
  refers to;
- :mod:`~parley.ingest.attribution`: the speaker of each quotation, the statements in order;
- :mod:`~parley.ingest.reported`: reported statements, a registry of clause finders with typed
  end rules;
- :mod:`~parley.ingest.propose`: :func:`propose_statements`, the extractor's entry point, adding
  dossier speakers, issue and stance suggestions;
- :mod:`~parley.ingest.evaluate`: scores against a gold annotation (``parley eval-extract``).

Rule-based by design: no model to download, and about 10 ms per 800-word article.
"""

from parley.ingest.propose import Proposal, propose_statements

__all__ = ["Proposal", "propose_statements"]
