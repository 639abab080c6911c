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
4. normalises the run record (no timestamps, no random ids) and exports the page with
   :func:`parley.report.export.export_html`;
5. publishes ``<name>.html`` and the executed ``<name>.ipynb`` into
   ``reports/<dossier>/<as_of>/`` atomically (temporary file in the same folder, then
   ``os.replace``).

On any failure it raises :class:`parley.errors.RenderError` naming the cell, the error and
where the failed run record was kept (``<name>.failed.ipynb`` beside the report), and leaves a
previously published page untouched.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from parley import paths
from parley.errors import ParameterError, RenderError, excerpt
from parley.fileio import make_folder, write_atomic

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
DEFAULT_KERNEL = "python3"
INJECTED_CELL_ID = "injected-parameters"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMING_KEYS = ("start_time", "end_time", "duration")
# A Plotly figure drawn as HTML (any renderer but plotly_mimetype): needs a CDN or bloats pages.
_PLOTLY_AS_HTML = re.compile(r"Plotly\.newPlot|cdn\.plot\.ly|plotly-latest|plotly\.js v\d", flags=re.IGNORECASE)


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
    """

    html: Path
    ipynb: Path
    as_of: str
    dossier: str
    version: str
    n_charts: int
    seconds: float


@dataclass(frozen=True)
class Parameter:
    """One parameter a notebook declares in its ``parameters`` cell."""

    name: str
    type_name: str
    default: Any
    help: str = ""


def notebook_parameters(notebook: Path) -> dict[str, Parameter]:
    """The parameters a notebook declares, in order, with their literal defaults.

    Read with ``papermill.inspect_notebook``; names papermill's line parser skips (it gives up
    on a line holding a second ``=``, e.g. in its comment) are recovered from the parameters
    cell's Python syntax tree, so they can still be passed. A default that is not a Python
    literal is ``None``.
    """
    import papermill

    declared = {}
    for name, info in papermill.inspect_notebook(str(notebook)).items():
        declared[name] = Parameter(name, info.get("inferred_type_name") or "None", _literal(info.get("default")), info.get("help") or "")
    recovered = _parameters_from_syntax(nbformat.read(notebook, as_version=4))
    ordered = {name: declared.get(name, parameter) for name, parameter in recovered.items()}
    ordered.update({name: parameter for name, parameter in declared.items() if name not in ordered})
    return ordered


def _literal(source: str | None) -> Any:
    try:
        return ast.literal_eval(source or "None")
    except (ValueError, SyntaxError):
        return None


def _parameters_from_syntax(nb) -> dict[str, Parameter]:
    cell = next((c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        return {}
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return {}
    lines = cell.source.splitlines()
    found = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, annotation, value = node.target.id, ast.unparse(node.annotation), node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, annotation, value = node.targets[0].id, "None", node.value
        else:
            continue
        line = lines[node.end_lineno - 1] if node.end_lineno else ""
        comment = line[node.end_col_offset :].strip() if node.end_col_offset is not None else ""
        found[name] = Parameter(name, annotation, _literal(ast.unparse(value)), comment.lstrip("#").strip())
    return found


def resolve_notebook(notebook: str | os.PathLike[str]) -> Path:
    """Path of a briefing notebook given by name (``briefing``) or path.

    Raises
    ------
    ParameterError
        When there is no such notebook; the message lists the notebooks by name.
    """
    path = paths.notebook_path(str(notebook))
    if not path.is_file():
        available = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
        listing = ", ".join(available) if available else "none yet"
        raise ParameterError(f"no notebook {excerpt(str(notebook))} (looked for {path}); notebooks by name: {listing}; or give a path to an .ipynb file")
    return path


def check_iso_date(name: str, value: Any) -> str:
    """``value`` as a ``YYYY-MM-DD`` string, or :class:`ParameterError`."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise ParameterError(f"parameter {name}: {excerpt(text)} is not an ISO date; expected YYYY-MM-DD, e.g. 2025-02-18") from None
    return text


def render_briefing(
    notebook: str | os.PathLike[str],
    parameters: dict[str, Any] | None = None,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    dossier: str | None = None,
    as_of: str | None = None,
    kernel_name: str | None = None,
    progress: bool = True,
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
        ISO date of the view; default ``parley.as_of`` of the dossier's ``datapackage.json``,
        else the notebook's ``as_of`` default.
    kernel_name
        Jupyter kernel; default ``python3``, which must run this environment's Python.
    progress
        Show papermill's progress bar on stderr.

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
    from parley import __version__
    from parley.data.tables import dataset_version
    from parley.data.schema import read_schema

    source_path = resolve_notebook(notebook)
    declared = notebook_parameters(source_path)
    values = _check_names(source_path, declared, dict(parameters or {}))

    dossier_ref = _pick("dossier", dossier, values, declared.get("dossier"), None) or paths.DEFAULT_DOSSIER
    dossier_path = paths.dossier_dir(dossier_ref)
    schema = read_schema(dossier_path)
    dossier_id = dossier_path.name
    as_of_value = _pick("as_of", as_of, values, None, schema.options.get("as_of"))
    if as_of_value in (None, "") and "as_of" in declared:
        as_of_value = declared["as_of"].default
    if as_of_value in (None, ""):
        raise ParameterError(f"no as_of date: pass one (--as-of YYYY-MM-DD) or set parley.as_of in {schema.path}")
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
    version = dataset_version(schema)

    source_nb = nbformat.read(source_path, as_version=4)
    # The notebook's own checks, here, before a kernel starts or any path is built from a value.
    from parley.report.view import preflight

    preflight(source_nb, {name: ordered.get(name, declared[name].default) for name in declared})

    kernel = kernel_name or DEFAULT_KERNEL
    if kernel_name is None:
        _check_kernel(kernel)

    folder = Path(out_dir) if out_dir is not None else paths.reports_dir() / dossier_id / as_of_text
    make_folder(folder, "--out")
    subjects = [ordered.get(p, declared[p].default if p in declared else None) for p in SUBJECT_PARAMETERS]
    subject = next((str(value) for value in subjects if str(value or "").strip()), None)
    # One page per subject: actor_profile-lavrov.html beside actor_profile-russia.html, not over it.
    name = f"{source_path.stem}-{subject}" if subject else source_path.stem
    html_path = folder / f"{name}.html"
    ipynb_path = folder / f"{name}.ipynb"
    failed_path = folder / f"{name}.failed.ipynb"
    running_path = folder / f".{name}.{_unique()}.running.ipynb"

    executed = _execute(source_path, running_path, failed_path, ordered, kernel, progress)
    try:
        _check_complete(executed, source_path)
        n_charts = _check_charts(executed, source_nb, source_path)
        title = source_nb.metadata.get("title") or _first_h1(source_nb) or source_path.stem
        if subject:
            title = f"{title}: {_subject_name(schema, subjects, subject)}"
        parley_meta = {
            **(source_nb.metadata.get("parley") or {}),
            "title": title,
            "dossier": dossier_id,
            "dossier_title": schema.title,
            "as_of": as_of_text,
            "version": version,
            "notebook": _display_path(source_path),
            "parameters": ordered,
            "sources": _dossier_sources(schema),
            "parley_version": __version__,
        }
        _normalise(executed, source_path, ipynb_path, parley_meta)
        page_nb = copy.deepcopy(executed)
        page_nb.metadata["parley"]["generated_at"] = _now()
        # The page names files as a reader can find them, never by a path of the machine that rendered it.
        page_nb.metadata["parley"]["parameters"] = {k: _shown_value(v) for k, v in ordered.items()}
        try:
            from parley.report.export import export_html

            page, resources = export_html(page_nb, name)
        except Exception as exc:  # nbconvert/jinja raise many types; all mean "no page"
            raise RenderError(f"{source_path.name}: exporting the HTML failed ({type(exc).__name__}: {exc})") from exc
        drawn = resources["parley"]["n_charts"]
        if drawn != n_charts:
            raise RenderError(f"{source_path.name}: the notebook made {n_charts} chart(s) but the page draws {drawn}")
    except RenderError as exc:
        nbformat.write(executed, failed_path)
        _remove(running_path)
        raise RenderError(f"{exc}; nothing was published; the run record is kept at {failed_path}") from exc.__cause__

    write_atomic(ipynb_path, nbformat.writes(executed) + "\n")
    write_atomic(html_path, page)
    _remove(running_path)
    _remove(failed_path)
    return Rendered(
        html=html_path,
        ipynb=ipynb_path,
        as_of=as_of_text,
        dossier=dossier_id,
        version=version,
        n_charts=n_charts,
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------------------------
# parameters


def _check_names(source_path: Path, declared: dict[str, Parameter], values: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(
            f"{source_path.name}: unknown parameter(s) {', '.join(unknown)}; "
            f"the notebook's parameters are: {describe_parameters(declared)}"
        )
    return values


def describe_parameters(declared: dict[str, Parameter]) -> str:
    """``name (type, default …)`` for each declared parameter, comma-separated."""
    if not declared:
        return "none (it has no cell tagged 'parameters')"
    return ", ".join(f"{p.name} ({p.type_name}, default {excerpt(p.default)})" for p in declared.values())


def _pick(name: str, explicit: Any, values: dict[str, Any], declared: Parameter | None, fallback: Any) -> Any:
    """Explicit keyword > parameters dict > notebook default (``declared``) > ``fallback``."""
    given = values.get(name)
    if explicit is not None and given is not None and str(explicit) != str(given):
        raise ParameterError(f"{name} given twice with different values: {excerpt(explicit)} and parameters[{excerpt(name)}] = {excerpt(given)}")
    if explicit not in (None, ""):
        return explicit
    if given not in (None, ""):
        return given
    if fallback not in (None, ""):
        return fallback
    return declared.default if declared is not None else None


def coerce_parameter(name: str, text: str, declared: dict[str, Parameter]) -> Any:
    """A command-line string as the type the notebook declares for ``name``.

    ``str`` stays text (``007`` stays ``"007"``); ``int``, ``float`` and ``bool`` are parsed
    strictly; lists and dicts are read as YAML (``[US, RU]``). Unknown names raise
    :class:`ParameterError` listing the valid ones.
    """
    if name not in declared:
        raise ParameterError(f"unknown parameter {name}; the notebook's parameters are: {describe_parameters(declared)}")
    type_name = declared[name].type_name.lower()
    try:
        if type_name == "str":
            return text
        if type_name == "int":
            return int(text)
        if type_name == "float":
            return float(text)
        if type_name == "bool":
            lowered = text.strip().lower()
            if lowered in {"true", "yes", "1", "on"}:
                return True
            if lowered in {"false", "no", "0", "off"}:
                return False
            raise ValueError(text)
    except ValueError:
        raise ParameterError(f"parameter {name}: {excerpt(text)} is not a valid {type_name}") from None
    return load_yaml(text, where=f"parameter {name}")


def load_yaml(text: str, where: str) -> Any:
    """YAML text as Python values; dates stay ISO strings (as papermill's ``-y`` keeps them)."""
    from parley.fileio import load_yaml_bounded

    return _dates_to_text(load_yaml_bounded(text, where, ParameterError))


def _dates_to_text(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _dates_to_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(item) for item in value]
    return value


# --------------------------------------------------------------------------------------------
# execution and checks


def _check_kernel(kernel: str) -> None:
    """Refuse a ``python3`` kernelspec that would run another Python than this environment's."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise RenderError(f"no Jupyter kernel {excerpt(kernel)}; run `make setup` (it installs one into .venv)") from None
    program = spec.argv[0] if spec.argv else ""
    if program in {"python", f"python{sys.version_info[0]}", "python%d.%d" % sys.version_info[:2]}:
        return  # jupyter_client runs sys.executable for these
    if Path(program).absolute().parent != Path(sys.executable).absolute().parent:
        raise RenderError(
            f"kernel {excerpt(kernel)} ({spec.resource_dir}) runs {program}, not this environment's {sys.executable}; "
            "run `make setup` to install the environment's kernel, or pass a kernel name explicitly"
        )


#: Parameters naming what a notebook is about; their value joins the page's file name and title.
SUBJECT_PARAMETERS = ("actor", "issue")


def _execute(source_path: Path, running_path: Path, failed_path: Path, parameters: dict, kernel: str, progress: bool):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        return papermill.execute_notebook(
            str(source_path),
            str(running_path),
            parameters=parameters,
            kernel_name=kernel,
            cwd=str(source_path.parent),
            progress_bar=progress,
            log_output=False,
            # papermill would otherwise re-serialise (deep copy, validate, JSON-encode) the whole
            # notebook at every cell start and end: ~2 s on the seed briefing, quadratic in its size.
            # It still writes the record once at the end, and before raising on a cell error.
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        where = _failed_cell(running_path, exc.exec_count)
        _keep(running_path, failed_path)
        raise RenderError(
            f"{source_path.name}: {where} raised {exc.ename}: {exc.evalue}; nothing was published; "
            f"the run record is kept at {failed_path}"
        ) from None
    except Exception as exc:  # kernel died, timed out, would not start
        _keep(running_path, failed_path)
        if not failed_path.exists():
            _write_stub_record(source_path, failed_path, parameters, exc)
        kept = f"the run record is kept at {failed_path}" if failed_path.exists() else "no run record was written"
        raise RenderError(f"{source_path.name}: execution failed ({type(exc).__name__}: {exc}); nothing was published; {kept}") from exc


def _write_stub_record(source_path: Path, failed_path: Path, parameters: dict, exc: Exception) -> None:
    """When the kernel died before papermill wrote anything, keep the parameterised notebook with
    the error on top, so a failed run always leaves a record to diagnose."""
    try:
        import papermill

        nb = papermill.execute_notebook(str(source_path), None, parameters=parameters, prepare_only=True, progress_bar=False)
        note = nbformat.v4.new_markdown_cell(
            f"**Execution failed: {type(exc).__name__}: {exc}**\n\nThe kernel died, timed out or would not start; "
            "outputs up to that point were not recorded. The parameters this run was given are in the injected cell below."
        )
        note.id = "parley-execution-failed"
        nb.cells.insert(0, note)
        nbformat.write(nb, str(failed_path))
    except Exception:  # the record is a courtesy; the RenderError below is what matters
        return


def _failed_cell(record: Path, exec_count) -> str:
    try:
        nb = nbformat.read(record, as_version=4)
    except Exception:  # the record may be missing or partial
        return f"the cell In [{exec_count}]"
    code_index = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or INJECTED_CELL_ID in cell.metadata.get("tags", []):
            continue
        code_index += 1
        if cell.get("execution_count") == exec_count:
            return _describe_cell(cell, code_index)
    return f"the cell In [{exec_count}]"


def _describe_cell(cell, code_index: int) -> str:
    first_line = next((line for line in cell.source.splitlines() if line.strip()), "").strip()
    if len(first_line) > 60:
        first_line = first_line[:59] + "…"
    ident = f", id {cell.id}" if cell.get("id") else ""
    return f"code cell {code_index}{ident} ({excerpt(first_line)})"


def _check_complete(nb, source_path: Path) -> None:
    """Every non-empty code cell ran to completion without an error output."""
    code_index = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        injected = INJECTED_CELL_ID in cell.metadata.get("tags", [])
        if not injected:
            code_index += 1
        if not cell.source.strip():
            continue
        where = "the injected parameters cell" if injected else _describe_cell(cell, code_index)
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            raise RenderError(f"{source_path.name}: {where} raised {errors[0].get('ename')}: {errors[0].get('evalue')}")
        status = (cell.metadata.get("papermill") or {}).get("status", "completed")
        if cell.get("execution_count") is None or status != "completed":
            raise RenderError(f"{source_path.name}: {where} never ran (the run stopped early; status {excerpt(status)})")


def _count_charts(nb) -> int:
    return sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if PLOTLY_MIMETYPE in output.get("data", {})
    )


def _check_charts(executed, source_nb, source_path: Path) -> int:
    """Count the charts; refuse HTML-rendered Plotly figures and a page missing its charts.

    Charts are expected when the notebook's metadata says ``parley.min_charts``, or else when
    its stored outputs (committed for nbval) hold at least one chart.
    """
    code_index = 0
    for cell in executed.cells:
        if cell.cell_type != "code" or INJECTED_CELL_ID in cell.metadata.get("tags", []):
            continue
        code_index += 1
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            markup = data.get("text/html", "")
            markup = "".join(markup) if isinstance(markup, list) else markup
            if PLOTLY_MIMETYPE not in data and _PLOTLY_AS_HTML.search(markup):
                raise RenderError(
                    f"{source_path.name}: {_describe_cell(cell, code_index)} shows a Plotly figure as HTML, which the "
                    "page cannot draw offline; leave plotly's default renderer (plotly_mimetype) and PLOTLY_RENDERER alone"
                )
    n_charts = _count_charts(executed)
    expected = (source_nb.metadata.get("parley") or {}).get("min_charts")
    if expected is None:
        expected = 1 if _count_charts(source_nb) else 0
    if n_charts < int(expected):
        raise RenderError(f"{source_path.name}: the run drew {n_charts} chart(s) where at least {expected} were expected")
    return n_charts


# --------------------------------------------------------------------------------------------
# run record and publishing


def _normalise(nb, source_path: Path, ipynb_path: Path, parley_meta: dict) -> None:
    """Make the run record a function of its inputs: no timestamps, no random ids, no pids."""
    papermill_meta = nb.metadata.get("papermill")
    if papermill_meta is not None:
        for key in _TIMING_KEYS:
            papermill_meta.pop(key, None)
        papermill_meta["input_path"] = _display_path(source_path)
        papermill_meta["output_path"] = _display_path(ipynb_path)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell_papermill = cell.metadata.get("papermill")
        if cell_papermill is not None:
            for key in _TIMING_KEYS:
                cell_papermill.pop(key, None)
        if INJECTED_CELL_ID in cell.metadata.get("tags", []):
            cell.id = INJECTED_CELL_ID
    nb.metadata["parley"] = parley_meta


def _display_path(path: Path) -> str:
    """A path as the page and run record show it: relative to the project, the reports or the data
    folder (``reports/riyadh_2025/runs/briefing/3/briefing.positions.csv``), else its file name."""
    path = Path(path).resolve()
    for root, prefix in ((paths.PROJECT_ROOT, ""), (paths.reports_dir(), "reports/"), (paths.data_dir(), "data/")):
        try:
            return prefix + path.relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def _shown_value(value: Any) -> Any:
    """A parameter value for the page: an absolute path becomes :func:`_display_path`, the rest is as given."""
    if isinstance(value, str) and value and os.path.isabs(value):
        return _display_path(Path(value))
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


def _unique() -> str:
    """Process and thread, so parallel renders into one folder never share a temporary file."""
    return f"{os.getpid()}-{threading.get_ident()}"


def _keep(running_path: Path, failed_path: Path) -> None:
    if running_path.exists():
        os.replace(running_path, failed_path)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
