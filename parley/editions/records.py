"""Run records: what a batch publishes for each briefing, and what it keeps of a failure.

A published run leaves, in this order (each file complete before it is renamed into place)::

    reports/<dossier>/runs/<name>/<seq>/          the history record: notebook, positions, edition, run.json
    reports/<dossier>/<as_of>/<name>.ipynb        the executed notebook (run record)
    reports/<dossier>/<as_of>/<name>.positions.csv  the stance matrix it showed
    reports/<dossier>/<as_of>/<name>.edition.json   the records behind every view (parley.data.edition)
    reports/<dossier>/<as_of>/<name>.pdf          its PDF edition, when the spec asks (``<name>.letter.pdf`` on Letter)
    reports/<dossier>/<as_of>/<name>.html         the briefing
    reports/<dossier>/<as_of>/<name>.run.json     what, when, from which data, what changed, and
                                                  the SHA-256 of each file above ("unchanged" checks them)
    reports/catalogue.jsonl                       its line

A failed run keeps its notebook as ``<name>.failed.ipynb`` beside the page, its log under
``reports/logs/``, and a catalogue line; the last good page stays untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from parley import paths
from parley.editions.catalogue import append_catalogue, read_catalogue
from parley.editions.locks import catalogue_lock
from parley.editions.spec import Briefing
from parley.fileio import remove, write_atomic
from parley.report.baseline import Status


@dataclass(frozen=True)
class Job:
    """One briefing prepared to run: its resolved parameters and what decides whether it must.

    ``inputs`` are the parts of what it renders from (:func:`parley.editions.inputs.inputs_of`:
    notebook, parameters, the data it shows, baseline, package code) and ``inputs_key`` their
    hash; ``version`` is the whole dataset's; ``previous`` is the catalogue line of the run
    ``since: previous`` compares with.
    """

    briefing: Briefing
    parameters: dict
    version: str
    inputs_key: str
    previous: dict | None
    files: paths.RunFiles
    inputs: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.briefing.name

    @property
    def folder(self) -> Path:
        return self.files.folder


def identity(job: Job) -> dict:
    """What names a run in its record and in the catalogue, published or failed."""
    briefing = job.briefing
    return {"name": briefing.name, "dossier": briefing.dossier, "dossier_id": briefing.dossier_id,
            "notebook": briefing.notebook_name, "parameters": job.parameters, "as_of": briefing.as_of}


def log_path(layout: paths.ReportsLayout, job: Job) -> Path:
    return layout.log(job.briefing.dossier_id, job.briefing.as_of, job.name)


def keep_log(layout: paths.ReportsLayout, job: Job, stage: Path | None, status: str) -> tuple[Path | None, str]:
    """Move the worker's log out of staging (it is diagnosis, not a published page).

    Returns the log, or ``None`` and the problem when the machine refused it (a full disk, a
    read-only logs folder): the briefing's own outcome stands, the batch exits 2 naming the file.
    """
    staged = stage / "worker.log" if stage else None
    target = log_path(layout, job)
    text = staged.read_text(encoding="utf-8", errors="replace") if staged and staged.is_file() else ""
    text += f"[parley] {job.name}: {status}\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
    except OSError as exc:
        return None, f"{exc.filename or target}: {exc.strerror or exc}; the log of {job.name} ({status.split(':')[0]}) was not kept"
    return target, ""


def publish(layout: paths.ReportsLayout, job: Job, stage: Path, rendered, n_charts: int, seconds: float) -> dict:
    """Publish a whole render staged in ``stage`` (``rendered``: the worker's result); return its record."""
    from parley import __version__

    briefing, files = job.briefing, job.files
    html, ipynb, positions = Path(rendered.html), Path(rendered.ipynb), stage / "out" / paths.POSITIONS_FILE
    edition = stage / "out" / paths.EDITION_FILE
    files.folder.mkdir(parents=True, exist_ok=True)
    with catalogue_lock(layout):
        seq = next_seq(layout, briefing)
        history = layout.history(briefing.dossier_id, briefing.name, seq)
        record = {
            "seq": seq,
            **identity(job),
            "since": job.parameters.get("since", ""),
            "previous_seq": job.previous.get("seq") if job.previous else None,
            "version": rendered.version or job.version,
            "status": Status.PUBLISHED,
            "started": rendered.started,
            "finished": rendered.finished,
            "seconds": round(seconds, 3),
            "n_charts": n_charts,
            "n_positions": rendered.positions,
            "changes": rendered.changes,
            "attempts": rendered.attempts,
            "inputs_key": job.inputs_key, "inputs": job.inputs,  # what "unchanged" compares, part by part
            "parley_version": __version__,
            "html": layout.relative(files.html),
            "ipynb": layout.relative(files.ipynb),
            "positions": layout.relative(files.positions),
            "edition": layout.relative(files.edition),
            "run_json": layout.relative(files.run_json),
            "record_dir": layout.relative(history.folder),
            "log": layout.relative(log_path(layout, job)),
            "pdf": layout.relative(files.pdf(briefing.pdf)) if rendered.pdf else None,
        }
        _point_record_at(ipynb, files.ipynb)  # not at the staging folder (it names this run's pid)
        record["files"] = _hashes(files, {"html": html, "ipynb": ipynb, "positions.csv": positions, "edition.json": edition}, rendered.pdf)
        text = json.dumps(record, indent=1, ensure_ascii=False) + "\n"
        # 1. the history record, complete, then renamed into place (a directory rename is atomic)
        staged_history = paths.HistoryFiles(stage / "history", briefing.name)
        staged_history.folder.mkdir()
        shutil.copyfile(ipynb, staged_history.ipynb)
        shutil.copyfile(positions, staged_history.positions)
        shutil.copyfile(edition, staged_history.edition)
        staged_history.run_json.write_text(text, encoding="utf-8")
        history.folder.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staged_history.folder, history.folder)
        # 2. the published files, each replaced whole; the page, then the record that describes it
        staged_record = stage / paths.RUN_FILE
        staged_record.write_text(text, encoding="utf-8")
        os.replace(ipynb, files.ipynb)
        os.replace(positions, files.positions)
        os.replace(edition, files.edition)
        _publish_pdf(files, briefing.pdf, Path(rendered.pdf) if rendered.pdf else None)
        os.replace(html, files.html)
        os.replace(staged_record, files.run_json)
        remove(files.failed_ipynb)
        # 3. the catalogue line
        append_catalogue(layout, record)
    return record


def _hashes(files: paths.RunFiles, staged: dict[str, Path], pdf: str | None) -> dict[str, str]:
    """The SHA-256 of each staged file the run record keeps (``RunFiles.verified``), and of the PDF
    edition (``"pdf"``) when one was printed: "unchanged" checks each of them."""
    hashes = {suffix: sha256(staged[suffix]) for suffix in files.verified}
    if pdf:
        hashes["pdf"] = sha256(Path(pdf))
    return hashes


def _publish_pdf(files: paths.RunFiles, paper: str, staged: Path | None) -> None:
    """Put the staged PDF edition in place, and remove any other paper's edition of this page (the
    spec asked for another paper, or for none): no PDF beside a page may show an older run."""
    for other in paths.PDF_PAPERS:
        if staged is None or other != paper:
            remove(files.pdf(other))
    if staged is not None:
        os.replace(staged, files.pdf(paper))


def _point_record_at(ipynb: Path, published: Path) -> None:
    """Make the run record name where it is published (``papermill.output_path``), not the
    staging folder it was rendered in, so two runs of the same inputs give the same notebook."""
    import nbformat

    nb = nbformat.read(ipynb, as_version=4)
    papermill_meta = nb.metadata.get("papermill")
    if papermill_meta is not None and "output_path" in papermill_meta:
        papermill_meta["output_path"] = paths.display_path(published)
        write_atomic(ipynb, nbformat.writes(nb) + "\n")


def record_failure(layout: paths.ReportsLayout, job: Job, stage: Path | None, result, seconds: float) -> tuple[str, tuple[Path | None, str], Path | None]:
    """Keep a failed run's notebook beside the page and its log, and catalogue the failure.

    Returns the message (naming where the notebook was kept), the kept log (:func:`keep_log`)
    and the kept notebook.
    """
    failed_target = None
    staged_failed = Path(result.failed_ipynb) if result.failed_ipynb else None
    if staged_failed is None and result.ipynb and Path(result.ipynb).is_file():
        staged_failed = Path(result.ipynb)  # rendered but not whole: keep it for diagnosis
    if staged_failed is not None and staged_failed.is_file():
        job.folder.mkdir(parents=True, exist_ok=True)
        failed_target = job.files.failed_ipynb
        os.replace(staged_failed, failed_target)
    message = result.message or "failed"
    if failed_target is not None:
        message = message.replace(str(staged_failed), str(failed_target))
    kept = keep_log(layout, job, stage, "failed: " + message)
    log = kept[0]
    entry = {
        "seq": None,
        **identity(job),
        "version": job.version,
        "status": Status.FAILED,
        "error": message,
        "started": result.started,
        "finished": result.finished or now(),
        "seconds": round(seconds, 3),
        "failed_ipynb": layout.relative(failed_target) if failed_target else None,
        "log": layout.relative(log) if log else None,
    }
    with catalogue_lock(layout):
        append_catalogue(layout, entry)
    return message, kept, failed_target


def next_seq(layout: paths.ReportsLayout, briefing: Briefing) -> int:
    """The next run number: one above any in the catalogue or the history folders."""
    used = [int(entry.get("seq") or 0) for entry in read_catalogue(layout.root)]
    history = layout.history_root(briefing.dossier_id, briefing.name)
    if history.is_dir():
        used += [int(p.name) for p in history.iterdir() if p.name.isdigit()]
    return max(used, default=0) + 1


def sha256(path: Path) -> str:
    """The SHA-256 of a file, hex: what a run record keeps of each file it published."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def now() -> str:
    """UTC time, to the second, as run records write it."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
