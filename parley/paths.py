"""Every path Parley uses, built from the project root in one place.

Nothing here imports the rest of the package. Two environment variables override the defaults:

- ``PARLEY_DATA_DIR``: folder holding dossiers (default ``<root>/data``);
- ``PARLEY_REPORTS_DIR``: folder receiving rendered briefings (default ``<root>/reports``).

A notebook opened from any working directory finds its data through these functions, never
through the current directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as pages and run records show it: relative to the project, the reports or the data
    folder (``reports/riyadh_2025/runs/briefing/3/briefing.positions.csv``), else its file name
    (never an absolute path of the machine that rendered it)."""
    path = Path(path).resolve()
    for root, prefix in ((PROJECT_ROOT, ""), (reports_dir(), "reports/"), (data_dir(), "data/")):
        try:
            return prefix + path.relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def _named(suffix: str) -> property:
    """A property: the file ``<name><suffix>`` in ``folder``."""
    return property(lambda files: files.folder / f"{files.name}{suffix}", doc=f"``<folder>/<name>{suffix}``")


def _inside(file_name: str) -> property:
    """A property: the file ``file_name`` in ``folder``."""
    return property(lambda files: files.folder / file_name, doc=f"``<folder>/{file_name}``")


#: Paper sizes of a PDF edition; the first is the default (``<name>.pdf``), any other is named
#: in the file (``<name>.letter.pdf``).
PDF_PAPERS = ("a4", "letter")


def pdf_beside(page: str | os.PathLike[str], paper: str = PDF_PAPERS[0]) -> Path:
    """The PDF edition of the page ``page`` on ``paper``: ``<name>.pdf`` (A4) or ``<name>.<paper>.pdf``."""
    page = Path(page)
    return page.with_suffix(".pdf" if paper == PDF_PAPERS[0] else f".{paper}.pdf")


#: File names inside a kept run's folder (:class:`HistoryFiles`).
POSITIONS_FILE = "positions.csv"
EDITION_FILE = "edition.json"
RUN_FILE = "run.json"


@dataclass(frozen=True)
class RunFiles:
    """The files a run of the briefing ``name`` leaves in ``folder``.

    ``reports/<dossier>/<as_of>/`` holds, per briefing: the page (``html``), the executed notebook
    (``ipynb``, its run record), the stance matrix it showed (``positions``), what ran when from
    which data (``run_json``), the notebook of a failed run (``failed_ipynb``) and the PDF edition
    (:meth:`pdf`). The same names serve the staging folder a worker renders into.
    """

    folder: Path
    name: str

    html = _named(".html")
    ipynb = _named(".ipynb")
    positions = _named(".positions.csv")
    edition = _named(".edition.json")
    run_json = _named(".run.json")
    failed_ipynb = _named(".failed.ipynb")

    def pdf(self, paper: str = PDF_PAPERS[0]) -> Path:
        """The PDF edition on ``paper`` (:func:`pdf_beside`)."""
        return pdf_beside(self.html, paper)

    def running_ipynb(self, unique: str) -> Path:
        """The notebook while papermill writes it (hidden, one per process and thread)."""
        return self.folder / f".{self.name}.{unique}.running.ipynb"

    @property
    def published(self) -> tuple[Path, ...]:
        """What a published run of a batch leaves: page, run record, positions, edition, record of the run."""
        return (self.html, self.ipynb, self.positions, self.edition, self.run_json)

    @property
    def verified(self) -> dict[str, Path]:
        """The published files whose SHA-256 the run record keeps, by suffix: "unchanged" means each still has it."""
        return {"html": self.html, "ipynb": self.ipynb, "positions.csv": self.positions, "edition.json": self.edition}


@dataclass(frozen=True)
class HistoryFiles:
    """One kept run of a briefing: ``reports/<dossier>/runs/<name>/<seq>/`` (``seq`` 5 digits)."""

    folder: Path
    name: str

    ipynb = _named(".ipynb")
    positions = _inside(POSITIONS_FILE)
    edition = _inside(EDITION_FILE)
    run_json = _inside(RUN_FILE)


@dataclass(frozen=True)
class ReportsLayout:
    """Where everything lives under the reports folder ``root``::

        <root>/<dossier>/<as_of>/<name>.html|.ipynb|.positions.csv|.run.json|.failed.ipynb
        <root>/<dossier>/runs/<name>/<seq>/                 every published run, kept
        <root>/logs/<dossier>/<as_of>/<name>.log           the log of the last attempt
        <root>/catalogue.jsonl, <root>/index.html          every run, and the page that lists them
        <root>/.locks/, <root>/.staging/                   locks per output; renders in progress
    """

    root: Path

    RUNS = "runs"
    LOGS = "logs"
    catalogue = property(lambda layout: layout.root / "catalogue.jsonl", doc="Every run, one JSON line each.")
    index = property(lambda layout: layout.root / "index.html", doc="The catalogue page.")
    locks = property(lambda layout: layout.root / ".locks", doc="Claims on outputs, the catalogue lock.")
    staging = property(lambda layout: layout.root / ".staging", doc="Renders in progress, one folder per live run.")

    def folder(self, dossier_id: str, as_of: str) -> Path:
        """The folder of one view: ``<root>/<dossier>/<as_of>``."""
        return self.root / dossier_id / as_of

    def files(self, dossier_id: str, as_of: str, name: str) -> RunFiles:
        return RunFiles(self.folder(dossier_id, as_of), name)

    def history_root(self, dossier_id: str, name: str) -> Path:
        return self.root / dossier_id / self.RUNS / name

    def history(self, dossier_id: str, name: str, seq: int) -> HistoryFiles:
        return HistoryFiles(self.history_root(dossier_id, name) / f"{seq:05d}", name)

    def history_records(self) -> list[Path]:
        """Every kept run's ``run.json``, whatever dossier and briefing."""
        return sorted(self.root.glob(f"*/{self.RUNS}/*/*/{RUN_FILE}"))

    def log(self, dossier_id: str, as_of: str, name: str) -> Path:
        return self.root / self.LOGS / dossier_id / as_of / f"{name}.log"

    def relative(self, path: Path | None) -> str:
        """``path`` relative to the root, as the catalogue and run records write it (``""`` for none)."""
        if path is None:
            return ""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def reports_layout(root: Path | None = None) -> ReportsLayout:
    """The layout of ``root``, default :func:`reports_dir`."""
    return ReportsLayout(Path(root) if root is not None else reports_dir())
