"""Shared pytest fixtures. Keep this small and generic; put module-specific helpers in their test file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "tiny"


@pytest.fixture
def tiny_dir() -> Path:
    """The pristine tiny dossier (read only: copy it with ``tiny_copy`` before changing anything)."""
    return TINY


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A private, writable copy of the tiny dossier (with its seeds) under ``tmp_path``."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target

