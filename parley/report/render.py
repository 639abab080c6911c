"""Render one briefing: execute a parameterised notebook, export it as a self-contained HTML page.

:func:`render_briefing` is the one entry point; ``parley render``, the Makefile and the scheduler
only call it. In one process it

1. resolves the parameters (the notebook's own declarations, read with
   ``papermill.inspect_notebook``; the dossier's ``datapackage.json`` for ``as_of``);
2. executes the notebook with papermill in the notebook's folder, kernel ``python3`` (this
   environment's Python);
3. checks the run is whole: every code cell executed without error (papermill's exit status is
   not enough: a ``sys.exit(0)`` in a cell stops the run "successfully"), and charts are there
   when the notebook draws charts;
4. normalises the run record (no timestamps, no random ids: :func:`parley.report.notebooks.normalise`)
   and exports the page with :func:`parley.report.export.export_html`;
5. publishes ``<name>.html`` and the executed ``<name>.ipynb`` into
   ``reports/<dossier>/<as_of>/`` atomically (temporary file in the same folder, then
   ``os.replace``), under the claim ``parley run`` takes on the same output; a page a run
   published (its ``<name>.run.json`` beside it) or is writing now is left as it is, and the
   render is written beside it as ``<name>.draft.html`` / ``<name>.draft.ipynb``.

On any failure it raises :class:`parley.errors.RenderError` naming the cell, the error and
where the failed run record was kept (``<name>.failed.ipynb`` beside the report), and leaves a
previously published page untouched.

Each step is its own module: :mod:`parley.report.parameters` (1), :mod:`parley.report.execute`
(2), :mod:`parley.report.whole` (3, the same check the batch runs), :mod:`parley.report.export`
(4); this module resolves, names the files (:class:`parley.paths.RunFiles`) and publishes.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from parley import paths
from parley.errors import ParameterError, ParleyError, RenderError, excerpt
from parley.fileio import OutputsBusy, claim_outputs, make_folder, remove, write_atomic
from parley.report.execute import DEFAULT_KERNEL, check_kernel, execute, unique
from parley.report.parameters import check_iso_date, check_names, describe_parameters, notebook_parameters, pick, resolve_notebook
from parley.report.whole import cell_problems, chart_problems, count_charts, page_problems, require_whole

#: Parameters naming what a notebook is about; their value joins the page's file name and title.
SUBJECT_PARAMETERS = ("actor", "issue")
#: A render beside a page that a run owns is ``<name>.draft.html`` (a suffix briefing names may not end in).
DRAFT_SUFFIX = ".draft"
#: Seconds a render waits for another render writing the same draft.
DRAFT_WAIT = 60.0


class RenderBusy(ParleyError):
    """Another render holds the draft this render would write (exit status 3, as a busy run)."""

    exit_code = 3


@dataclass(frozen=True)
class Rendered:
    """What :func:`render_briefing` published.

    Attributes
    ----------
    html : Path
        The briefing page.
    ipynb : Path
        The executed notebook beside it (the run record).
    as_of : str
        ISO date of the view.
    dossier : str
        Dossier id (its folder name).
    version : str
        Dataset version shown in the page (hash of the data package's files).
    n_charts : int
        Charts drawn in the page.
    seconds : float
        Wall time of the whole render.
    draft_of : str
        Empty when the page was published under its own name; else why it was written as
        ``<name>.draft.html`` beside the page a run owns (that page is untouched).
    pdf : Path or None
        The PDF edition beside the page, when one was asked for.
    """

    html: Path
    ipynb: Path
    as_of: str
    dossier: str
    version: str
    n_charts: int
    seconds: float
    draft_of: str = ""
    pdf: Path | None = None


@dataclass(frozen=True)
class _View:
    """What a render is of, resolved before the kernel starts."""

    source_path: Path
    parameters: dict
    dossier_id: str
    schema: Any
    as_of: str
    version: str
    subject: str | None
    subjects: list  # the values of SUBJECT_PARAMETERS, in order (given, else the default)
    kernel_values: dict  # every declared parameter as the kernel gets it (given, else the default)

    @property
    def name(self) -> str:
        """One page per subject: actor_profile-lavrov.html beside actor_profile-russia.html, not over it."""
        return f"{self.source_path.stem}-{self.subject}" if self.subject else self.source_path.stem


def latest_view_date(dossier_path: Path) -> str | None:
    """The view date of a dossier that pins none: the latest date its data speaks of (ISO).

    The dossier is loaded validated (:mod:`parley.report.loaded`), so the notebook's checks that
    follow (:func:`parley.report.view.preflight`) read the same one; a dossier that fails its
    validation still gives its date (unvalidated), and the checks then say what is wrong.
    """
    from parley.analysis.staleness import latest_date
    from parley.errors import DossierInvalid
    from parley.report import loaded

    try:
        dossier = loaded.dossier(dossier_path)
    except DossierInvalid:
        dossier = loaded.dossier(dossier_path, validate=False)
    latest = latest_date(dossier)
    return f"{latest:%Y-%m-%d}" if latest is not None else None


def render_briefing(
    notebook: str | os.PathLike[str],
    parameters: dict[str, Any] | None = None,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    dossier: str | None = None,
    as_of: str | None = None,
    kernel_name: str | None = None,
    progress: bool = True,
    warm=None,
    pdf: str | None = None,
) -> Rendered:
    """Execute a briefing notebook and publish it as a self-contained HTML page.

    Parameters
    ----------
    notebook
        A notebook name in ``notebooks/`` (``"briefing"``) or a path to an ``.ipynb`` file.
    parameters
        Values for the notebook's parameters cell, by name. Unknown names are refused.
    out_dir
        Folder receiving ``<name>.html`` and ``<name>.ipynb``; default
        ``reports/<dossier>/<as_of>/`` under :func:`parley.paths.reports_dir`.
    dossier
        Dossier name or folder; default the notebook's ``dossier`` parameter default, else
        :data:`parley.paths.DEFAULT_DOSSIER`.
    as_of
        ISO date of the view; default ``parley.as_of`` of the dossier's ``datapackage.json`` (a
        pin), else the latest date in the dossier's data, else the notebook's ``as_of`` default.
    kernel_name
        Jupyter kernel; default ``python3``, which must run this environment's Python.
    progress
        Show papermill's progress bar on stderr.
    pdf
        ``"a4"`` or ``"letter"``: also print the page to ``<name>.pdf`` (``<name>.letter.pdf``)
        beside it with headless Chromium (:mod:`parley.report.pdf`).

    Returns
    -------
    Rendered
        Paths, the view (dossier, as-of, dataset version), the number of charts and the time.

    Raises
    ------
    ParameterError
        Unknown notebook or parameter name, a date that is not ISO, contradicting values.
    DossierNotFound, DossierInvalid
        The dossier cannot be read.
    RenderError
        Execution failed or stopped early, charts are missing, or the export failed. Nothing
        is published; the run record is kept as ``<name>.failed.ipynb``.
    """
    started = time.perf_counter()
    from parley.report import loaded
    from parley.report.execute import cell_timeout
    from parley.report.view import preflight

    cell_timeout()  # a bad PARLEY_CELL_TIMEOUT is refused before anything is read or started

    try:
        view = _resolve(notebook, dict(parameters or {}), dossier, as_of)
        source_nb = nbformat.read(view.source_path, as_version=4)
        # The notebook's own checks, here, before a kernel starts or any path is built from a value.
        preflight(source_nb, view.kernel_values)
    finally:
        loaded.release()  # the kernel loads its own; a batch worker keeps it for the page's record
    if pdf:
        from parley.report.pdf import check_paper

        try:
            pdf = check_paper(pdf)  # before a kernel starts: a bad paper must not cost a render
        except ValueError as exc:
            raise ParameterError(f"pdf: {exc}") from None
    kernel = kernel_name or DEFAULT_KERNEL
    if kernel_name is None:
        check_kernel(kernel)
    folder = Path(out_dir) if out_dir is not None else paths.reports_dir() / view.dossier_id / view.as_of
    make_folder(folder, "--out")
    files = paths.RunFiles(folder, view.name)
    # A page a run published keeps its run's files, failed attempts included: this render works on its draft.
    planned = draft_files(files) if _published_by_run(files) else files
    running = planned.running_ipynb(unique())

    executed = execute(view.source_path, running, planned.failed_ipynb, view.parameters, kernel, progress, warm)
    try:
        page, n_charts = _check_and_export(executed, source_nb, view, planned)
    except RenderError as exc:
        nbformat.write(executed, planned.failed_ipynb)
        remove(running)
        raise RenderError(f"{exc}; nothing was published; the run record is kept at {planned.failed_ipynb}") from exc.__cause__

    written, draft_of = _publish(files, executed, page)
    remove(running)
    pdf_path = None
    if pdf:  # the edition of what was written: the page, or its draft beside a run's page
        from parley.report.pdf import write_pdf

        pdf_path = write_pdf(written.html, paper=pdf)
    return Rendered(html=written.html, ipynb=written.ipynb, as_of=view.as_of, dossier=view.dossier_id, version=view.version,
                    n_charts=n_charts, seconds=time.perf_counter() - started, draft_of=draft_of, pdf=pdf_path)


def draft_files(files: paths.RunFiles) -> paths.RunFiles:
    """The files of a render beside a page that a run owns: ``<name>.draft.html``, ``<name>.draft.ipynb``."""
    return paths.RunFiles(files.folder, files.name + DRAFT_SUFFIX)


def _published_by_run(files: paths.RunFiles) -> str:
    """Why the page of ``files`` is a run's (its run record beside it), or ``""``."""
    if files.run_json.is_file():
        return f"{paths.display_path(files.html)} was published by parley run (its run record {files.run_json.name} is beside it)"
    return ""


def _claim_key(files: paths.RunFiles) -> str:
    """What a render claims: ``<dossier>/<as_of>/<name>`` below the reports folder, as ``parley run``
    claims it (:func:`parley.editions.locks.output_name`), else the absolute path of the page without its suffix."""
    base = files.folder.resolve() / files.name
    try:
        return base.relative_to(paths.reports_dir().resolve()).as_posix()
    except ValueError:
        return base.as_posix()


def _publish(files: paths.RunFiles, executed, page: str) -> tuple[paths.RunFiles, str]:
    """Publish the page and its run record as ``files``, or as their draft when a run owns the page.

    Under the claim ``parley run`` takes on the same output (:func:`parley.fileio.claim_outputs`
    in ``reports/.locks/``), so the check and the write are one step for every other run and
    render: a page a run published, or one a run is writing now, is never replaced by a render.
    Returns what was written and, for a draft, why (``""`` otherwise).
    """
    locks = paths.reports_layout().locks
    try:
        with claim_outputs(locks, {_claim_key(files)}, wait=0):
            reason = _published_by_run(files)
            if not reason:
                _write_run(files, executed, page)
                return files, ""
    except OutputsBusy:
        reason = f"a parley run or another render is writing {paths.display_path(files.html)} now"
    draft = draft_files(files)
    try:
        with claim_outputs(locks, {_claim_key(draft)}, wait=DRAFT_WAIT):
            _write_run(draft, executed, page)
    except OutputsBusy:
        raise RenderBusy(f"{reason}, and another render has been writing its draft {paths.display_path(draft.html)} "
                         f"for {DRAFT_WAIT:g} s; this render wrote nothing, run it again") from None
    return draft, reason


def _write_run(files: paths.RunFiles, executed, page: str) -> None:
    """The run record, then the page, each replaced whole; a failed attempt's notebook of that name goes."""
    papermill_meta = executed.metadata.get("papermill")
    if papermill_meta is not None:
        papermill_meta["output_path"] = paths.display_path(files.ipynb)
    write_atomic(files.ipynb, nbformat.writes(executed) + "\n")
    write_atomic(files.html, page)
    remove(files.failed_ipynb)


def _resolve(notebook: str | os.PathLike[str], values: dict[str, Any], dossier: str | None, as_of: str | None) -> _View:
    """The notebook, its checked parameters (dossier and as-of made explicit), the data version."""
    from parley.data.schema import read_schema
    from parley.data.tables import dataset_version

    source_path = resolve_notebook(notebook)
    declared = notebook_parameters(source_path)
    values = check_names(source_path, declared, values)
    dossier_ref = pick("dossier", dossier, values, declared.get("dossier"), None) or paths.DEFAULT_DOSSIER
    dossier_path = paths.dossier_dir(dossier_ref)
    schema = read_schema(dossier_path)
    as_of_value = pick("as_of", as_of, values, None, schema.options.get("as_of"))
    if as_of_value in (None, ""):  # the data's latest date before a notebook's constant: a view never goes stale
        as_of_value = latest_view_date(dossier_path)
    if as_of_value in (None, "") and "as_of" in declared:
        as_of_value = declared["as_of"].default
    if as_of_value in (None, ""):
        raise ParameterError(f"no as_of date: pass one (--as-of YYYY-MM-DD); the dossier {schema.path.parent} holds no dated record")
    as_of_text = check_iso_date("as_of", as_of_value)
    for name, explicit in (("dossier", dossier), ("as_of", as_of)):
        if explicit is not None and name not in declared:
            raise ParameterError(
                f"{source_path.name} has no {name} parameter, so {name}={excerpt(explicit)} would not reach it; "
                f"its parameters are: {describe_parameters(declared)}"
            )
    if "dossier" in declared:
        # A name stays a name; a path is made absolute, since the kernel runs in the notebook's folder.
        values["dossier"] = str(dossier_ref) if dossier_path == paths.data_dir() / str(dossier_ref) else str(dossier_path)
    if "as_of" in declared:
        values["as_of"] = as_of_text
    ordered = {name: values[name] for name in declared if name in values}
    subjects = [ordered.get(p, declared[p].default if p in declared else None) for p in SUBJECT_PARAMETERS]
    subject = next((str(value) for value in subjects if str(value or "").strip()), None)
    kernel_values = {name: ordered.get(name, declared[name].default) for name in declared}
    return _View(source_path, ordered, dossier_path.name, schema, as_of_text, dataset_version(schema), subject, subjects, kernel_values)


def _check_and_export(executed, source_nb, view: _View, files: paths.RunFiles) -> tuple[str, int]:
    """Check the run is whole, normalise its record in place, export the page; return it and its charts."""
    from parley import __version__
    from parley.report.notebooks import normalise

    name = view.source_path.name
    require_whole(cell_problems(executed) + chart_problems(executed, source_nb), name)
    n_charts = count_charts(executed)
    title = source_nb.metadata.get("title") or _first_h1(source_nb) or view.source_path.stem
    if view.subject:
        title = f"{title}: {_subject_name(view.schema, view.subjects, view.subject)}"
    normalise(executed, run_record=True)
    papermill_meta = executed.metadata.get("papermill")
    if papermill_meta is not None:
        papermill_meta["input_path"] = paths.display_path(view.source_path)
        papermill_meta["output_path"] = paths.display_path(files.ipynb)
    executed.metadata["parley"] = {
        **(source_nb.metadata.get("parley") or {}),
        "title": title,
        "dossier": view.dossier_id,
        "dossier_title": view.schema.title,
        "as_of": view.as_of,
        "version": view.version,
        "notebook": paths.display_path(view.source_path),
        "parameters": view.parameters,
        "sources": _dossier_sources(view.schema),
        "parley_version": __version__,
    }
    page_nb = copy.deepcopy(executed)
    page_nb.metadata["parley"]["generated_at"] = _now()
    # The page names files as a reader can find them, never by a path of the machine that rendered it.
    page_nb.metadata["parley"]["parameters"] = {k: _shown_value(v) for k, v in view.parameters.items()}
    try:
        from parley.report.export import export_html

        page, _resources = export_html(page_nb, view.name)
    except Exception as exc:  # nbconvert/jinja raise many types; all mean "no page"
        raise RenderError(f"{name}: exporting the HTML failed ({type(exc).__name__}: {exc})") from exc
    require_whole(page_problems(page, n_charts), name)
    return page, n_charts


def _shown_value(value: Any) -> Any:
    """A parameter value for the page: an absolute path becomes :func:`parley.paths.display_path`, the rest is as given."""
    if isinstance(value, str) and value and os.path.isabs(value):
        return paths.display_path(Path(value))
    return value


def _subject_name(schema, subjects: list, subject: str) -> str:
    """Display name of a page's subject (actor name, issue label) from the dossier, else its id."""
    from parley.data.tables import read_raw_table

    table, column = ("actors", "name") if subjects[0] and str(subjects[0]).strip() == subject else ("issues", "label")
    key = "actor_id" if table == "actors" else "issue_id"
    if table not in schema.tables:
        return subject
    frame, _problems = read_raw_table(schema, schema.tables[table])
    if frame is None or key not in frame.columns or column not in frame.columns:
        return subject
    names = dict(zip(frame[key].astype(str), frame[column]))
    name = names.get(subject)
    return str(name) if name is not None and str(name).strip() and str(name) != "nan" else subject


def _first_h1(nb) -> str | None:
    from parley.report.export import first_h1

    return first_h1(nb)


#: The page footer names at most this many sources, then says how many more the dossier holds.
MAX_FOOTER_SOURCES = 25


def _dossier_sources(schema) -> list[str]:
    """One line per source: the dossier's sources table when readable, else the descriptor's.

    Beyond :data:`MAX_FOOTER_SOURCES` lines, the last line says how many more sources there are.
    """
    from parley.data.tables import read_raw_table

    frame, _problems = read_raw_table(schema, schema.tables["sources"])
    lines = []
    if frame is not None and "title" in frame.columns:
        for row in frame.to_dict("records"):
            parts = [row.get("outlet", ""), row.get("title", "")]
            line = ": ".join(part for part in parts if part)
            if row.get("published"):
                line += f" ({row['published']})"
            if line:
                lines.append(line)
    if not lines:
        lines = [s.get("title") or s.get("path", "") for s in schema.descriptor.get("sources", []) if isinstance(s, dict)]
    lines = [line for line in lines if line]
    if len(lines) > MAX_FOOTER_SOURCES:
        more = len(lines) - MAX_FOOTER_SOURCES + 1
        lines = lines[: MAX_FOOTER_SOURCES - 1] + [f"… and {more:,} more sources (all of them are in the dossier's {schema.tables['sources'].path})"]
    return lines


def _now() -> str:
    """UTC time of generation (``SOURCE_DATE_EPOCH`` wins, for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
