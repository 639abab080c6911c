"""Every path Parley uses, built from the project root in one place.

Nothing here imports the rest of the package. Two environment variables override the defaults:

- ``PARLEY_DATA_DIR``: folder holding dossiers (default ``<root>/data``);
- ``PARLEY_REPORTS_DIR``: folder receiving rendered briefings (default ``<root>/reports``).

A notebook opened from any working directory finds its data through these functions, never
through the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
TEMPLATES_DIR = PROJECT_ROOT / "briefing_templates"
DEFAULT_DOSSIER = "riyadh_2025"


def data_dir() -> Path:
    """Folder holding one sub-folder per dossier."""
    return Path(os.environ.get("PARLEY_DATA_DIR") or PROJECT_ROOT / "data")


def reports_dir() -> Path:
    """Folder that receives rendered briefings."""
    return Path(os.environ.get("PARLEY_REPORTS_DIR") or PROJECT_ROOT / "reports")


def dossier_dir(dossier: str | os.PathLike[str]) -> Path:
    """Resolve a dossier name (``riyadh_2025``) or a path to a dossier folder."""
    candidate = Path(dossier)
    if candidate.is_absolute() or len(candidate.parts) > 1 or (candidate / "datapackage.json").exists():
        return candidate.resolve()
    return data_dir() / candidate


def notebook_path(name: str) -> Path:
    """Path of a briefing notebook by name (``briefing``) or by path."""
    candidate = Path(name)
    if candidate.suffix == ".ipynb":
        return candidate.resolve()
    return NOTEBOOKS_DIR / f"{name}.ipynb"
