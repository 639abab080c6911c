"""Fixtures of the review tests: a tiny SYNTHETIC dossier with a SYNTHETIC article ingested into its queue."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ingest"))  # ingest_support: the tiny dossier builder

from review_support import ReviewDossier, build_review_dossier  # noqa: E402


@pytest.fixture
def review_dossier(tmp_path, monkeypatch) -> ReviewDossier:
    """The tiny dossier under a temporary ``PARLEY_DATA_DIR`` with ``synthetic_vienna.txt`` ingested (5 proposals)."""
    built = build_review_dossier(tmp_path)
    monkeypatch.setenv("PARLEY_DATA_DIR", str(built.tiny.root / "data"))
    return built
