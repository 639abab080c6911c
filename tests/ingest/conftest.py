"""Fixtures of the ingest tests (helpers live in ingest_support.py)."""

from __future__ import annotations

import pytest
from ingest_support import TinyDossier, build_tiny_dossier


@pytest.fixture
def dossier(tmp_path, monkeypatch) -> TinyDossier:
    """A valid tiny dossier named ``tiny`` under a temporary ``PARLEY_DATA_DIR`` (SYNTHETIC rows)."""
    built = build_tiny_dossier(tmp_path)
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path / "data"))
    from parley.data.validate import validate_dossier

    problems = validate_dossier(built.folder)
    assert problems == [], "the tiny test dossier must be valid: " + "; ".join(map(str, problems))
    return built
