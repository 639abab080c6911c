"""Helpers of the review tests: the tiny dossier plus one SYNTHETIC article in the review queue.

``synthetic_vienna.txt`` was written for these tests (it says so on its first line); it is not
real reporting. Its proposals, found by the real extractor, are named here by their text so a
test reads as the analyst's work: ``dossier.candidate("useful")``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ingest_support import TinyDossier, build_tiny_dossier

ARTICLE = Path(__file__).parent / "synthetic_vienna.txt"
SOURCE_ID = "synthetic_wire_2031_03_03"
#: The utterance the tiny dossier already holds (from its own seed), which the article reports again.
KNOWN_UTTERANCE = "s01_lavrov_useful"


@dataclass
class ReviewDossier:
    tiny: TinyDossier
    source_id: str

    @property
    def folder(self) -> Path:
        return self.tiny.folder

    def rows(self, name: str) -> list[dict[str, str]]:
        return self.tiny.rows(name)

    def queue(self) -> list[dict[str, str]]:
        from parley.review.queue import read_candidates

        return read_candidates(self.folder)

    def coded(self, source_id: str | None = None) -> list[dict[str, str]]:
        """Each span coded from a source, with its statement's fields: one row per report where the
        dossier has ``reports.csv`` (the living-dossier model), else one per statement."""
        statements = {s["statement_id"]: s for s in self.rows("statements")}
        spans = self.rows("reports") if (self.folder / "reports.csv").is_file() else list(statements.values())
        rows = [{**statements[r["statement_id"]], **{k: r[k] for k in ("source_id", "text", "char_start", "char_end")}} for r in spans]
        return [r for r in rows if source_id is None or r["source_id"] == source_id]

    def candidate(self, text: str) -> dict[str, str]:
        """The queued proposal whose text is exactly ``text``."""
        (row,) = [r for r in self.queue() if r["text"] == text]
        return row


def build_review_dossier(root: Path) -> ReviewDossier:
    """Build the tiny dossier under ``root`` and ingest the synthetic article (PARLEY_DATA_DIR is set only while ingesting)."""
    from parley.review.intake import ingest_article

    tiny = build_tiny_dossier(root)
    result = ingest_article(ARTICLE, tiny.folder, outlet="Synthetic Wire", published="2031-03-03")
    assert result.source_id == SOURCE_ID and len(result.proposed) == 5, result.summary()
    return ReviewDossier(tiny, result.source_id)


def env_without_parley() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
