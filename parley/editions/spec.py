"""The batch spec (``briefings.yml``): what ``parley run`` renders, checked and expanded.

A spec is a YAML file::

    defaults:                       # optional; applied where the notebook declares the parameter
      dossier: riyadh_2025
      as_of: today                  # ISO date, today, yesterday, today-7d, today-2w, or dossier
      since: previous               # previous, none, an ISO date, today-1d, as_of-7d, ...
      parameters: {top_n: 12}
    briefings:
      - notebook: briefing          # a notebook of notebooks/ by name, or a path (relative to the spec)
      - name: actor-{actor}         # optional; must name every for_each variable
        notebook: actor_profile
        for_each:
          actor: {from: actors, where: {kind: [state, bloc]}}
      - notebook: issue_brief
        for_each: {issue: issues}   # every id of a table; or a list of ids
      - notebook: dataset_qa
        since: none

:func:`load_spec` checks the file's shape; :func:`expand_spec` resolves dates, expands
``for_each`` against the dossier, checks every notebook and parameter, and returns one
:class:`Briefing` per output. Any problem raises :class:`parley.errors.SpecError` naming the
file, the entry and the field, the bad value and what is allowed.

``since: previous`` is left as the marker :data:`PREVIOUS`: :mod:`parley.editions.batch` resolves it
from the catalogue of published runs when the batch runs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley import paths
from parley.editions.dates import _date_text, _resolve_date, _today, resolve_date  # noqa: F401 (resolve_date: part of the spec's API)
from parley.editions.spec_ids import EXPANSION_TABLES, check_parameter_ids, expansion_values
from parley.errors import ParameterError, SpecError, excerpt
from parley.report.pdf import spec_paper

#: ``since`` value meaning "the as-of of the last published run of this briefing".
PREVIOUS = "previous"
#: Parameters the spec sets through their own fields, never inside ``parameters``.
RESERVED = ("dossier", "as_of", "since", "baseline")

_TOP_KEYS = ("version", "defaults", "briefings")
_DEFAULT_KEYS = ("dossier", "as_of", "since", "parameters", "pdf")
_ENTRY_KEYS = ("name", "notebook", "dossier", "as_of", "since", "parameters", "for_each", "pdf")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_NO_COMPARISON = {"", "none", "null", "no", "off"}


@dataclass(frozen=True)
class Briefing:
    """One output of a spec: a notebook, its parameters and where it is filed.

    Attributes
    ----------
    name : str
        Unique slug; the published files are ``reports/<dossier_id>/<as_of>/<name>.html`` etc.
    notebook : Path
        The notebook file.
    dossier : str
        Dossier name under ``data/`` or absolute path of a dossier folder.
    dossier_id : str
        The dossier's folder name (the reports folder it is filed under).
    as_of : str
        ISO date of the view, resolved.
    since : str
        ``"previous"`` (:data:`PREVIOUS`), ``""`` (no comparison) or an ISO date.
    parameters : dict
        Every other notebook parameter, by name (``for_each`` values included).
    declared : tuple of str
        The parameters the notebook declares (so the runner passes ``since``/``baseline`` only
        where they exist).
    entry : str
        Where it comes from in the spec (``"briefings.yml, entry 2 (actor-{actor})"``).
    pdf : str
        ``"a4"`` or ``"letter"`` when the spec asks for a PDF edition beside the page, else ``""``.
    """

    name: str
    notebook: Path
    dossier: str
    dossier_id: str
    as_of: str
    since: str
    parameters: dict = field(default_factory=dict)
    declared: tuple = ()
    entry: str = ""
    pdf: str = ""

    @property
    def notebook_name(self) -> str:
        """The notebook's name as the catalogue shows it (a path for notebooks outside notebooks/)."""
        try:
            if self.notebook.parent.resolve() == paths.NOTEBOOKS_DIR.resolve():
                return self.notebook.stem
            return self.notebook.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
        except ValueError:
            return str(self.notebook)

    def describe_parameters(self) -> str:
        """``actor=lavrov, top_n=12`` (what the summary table shows)."""
        return ", ".join(f"{key}={value}" for key, value in self.parameters.items())


@dataclass(frozen=True)
class Spec:
    """A spec file, its shape checked (see :func:`load_spec`)."""

    path: Path
    defaults: dict
    entries: list

    @property
    def folder(self) -> Path:
        return self.path.parent


def load_spec(path: str | os.PathLike[str]) -> Spec:
    """Read a spec file and check its shape (keys, types), without touching notebooks or data.

    Raises
    ------
    SpecError
        The file is missing, not YAML, or an entry has an unknown or mistyped field; the message
        names the entry and the field.
    """
    from parley.report.parameters import load_yaml

    spec_path = Path(path)
    if not spec_path.is_file():
        raise SpecError(f"{spec_path}: no such spec file; give the path of a briefings.yml (see README, 'Scheduled briefings')")
    try:
        document = load_yaml(spec_path.read_text(encoding="utf-8"), spec_path.name, error=SpecError)
    except UnicodeDecodeError:
        raise SpecError(f"{spec_path.name}: not UTF-8 text") from None
    where = spec_path.name
    if not isinstance(document, dict):
        raise SpecError(f"{where}: expected a mapping with a 'briefings' list at the top, got {_kind(document)}")
    _no_unknown(document, _TOP_KEYS, where, "top level")
    if document.get("version", 1) != 1:
        raise SpecError(f"{where}, field version: {excerpt(document['version'])} is not supported; the only version is 1")
    defaults = document.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise SpecError(f"{where}, field defaults: expected a mapping of {', '.join(_DEFAULT_KEYS)}, got {_kind(defaults)}")
    _no_unknown(defaults, _DEFAULT_KEYS, where, "defaults")
    _check_scalar_fields(defaults, f"{where}, defaults")
    _check_parameters(defaults.get("parameters"), f"{where}, defaults")
    entries = document.get("briefings")
    if not isinstance(entries, list) or not entries:
        raise SpecError(f"{where}, field briefings: expected a non-empty list of entries (each with at least 'notebook'), got {_kind(entries)}")
    for number, entry in enumerate(entries, start=1):
        label = f"{where}, entry {number}"
        if not isinstance(entry, dict):
            raise SpecError(f"{label}: expected a mapping with at least 'notebook', got {_kind(entry)}")
        label = _entry_label(where, number, entry)
        _no_unknown(entry, _ENTRY_KEYS, label, "entry")
        if not isinstance(entry.get("notebook"), str) or not entry["notebook"].strip():
            raise SpecError(f"{label}, field notebook: required; a notebook name of notebooks/ ({_notebook_listing()}) or a path to an .ipynb file")
        if "name" in entry and (not isinstance(entry["name"], str) or not entry["name"].strip()):
            raise SpecError(f"{label}, field name: expected text such as 'actor-{{actor}}', got {excerpt(entry['name'])}")
        _check_scalar_fields(entry, label)
        _check_parameters(entry.get("parameters"), label)
        _check_for_each(entry.get("for_each"), label)
    return Spec(spec_path.resolve(), defaults, entries)


def expand_spec(spec: Spec | str | os.PathLike[str], *, today: dt.date | str | None = None, as_of: str | None = None,
                only: list[str] | None = None) -> list[Briefing]:
    """Resolve and expand a spec into one :class:`Briefing` per output.

    Parameters
    ----------
    spec
        A :class:`Spec` or the path of a spec file.
    today
        The date ``today`` stands for (default: the local date now). The Airflow DAG passes its
        logical date, so a backfill renders the days it covers.
    as_of
        An ISO date overriding every entry's ``as_of``.
    only
        Keep only these briefing names (after expansion); an unknown name lists the valid ones.

    Returns
    -------
    list of Briefing
        In spec order; expansions in the order of the dossier's table.

    Raises
    ------
    SpecError
        Naming the entry and field: unknown notebook, dossier or parameter, a value of the wrong
        type, a date that is not understood, since after as_of, an unknown id in ``for_each``,
        a name that is not a slug or is used twice.
    """
    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    today_date = _today(today)
    if as_of is not None:
        as_of = _resolve_date(as_of, today_date, None, "--as-of", allow_as_of_base=False)
    where = spec.path.name
    defaults = spec.defaults
    briefings: list[Briefing] = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(spec.entries, start=1):
        label = _entry_label(where, number, entry)
        for briefing in _expand_entry(spec, entry, defaults, label, today_date, as_of):
            if briefing.name in seen:
                raise SpecError(
                    f"{label}, field name: {excerpt(briefing.name)} is already the name of a briefing from {seen[briefing.name]}; "
                    "names must be unique (give this entry its own name, e.g. with a {variable} for each for_each variable)"
                )
            seen[briefing.name] = label
            briefings.append(briefing)
    if only:
        unknown = [name for name in only if name not in seen]
        if unknown:
            raise SpecError(f"{where}: no briefing named {', '.join(map(repr, unknown))}; the spec's briefings are: {', '.join(seen)}")
        briefings = [b for b in briefings if b.name in set(only)]
    return briefings


# --------------------------------------------------------------------------------------------
# expansion


@dataclass(frozen=True)
class _Entry:
    """One spec entry while it is expanded: where it is, its notebook and what that declares."""

    spec: Spec
    entry: dict
    defaults: dict
    label: str
    notebook: Path
    declared: dict
    listing: str

    def pick(self, key: str) -> tuple[Any, str]:
        """Entry value (must be declared) or default (only where declared); None when neither."""
        entry, defaults, declared = self.entry, self.defaults, self.declared
        if key in entry and entry[key] is not None:
            if key not in declared:
                raise SpecError(f"{self.label}, field {key}: notebook {self.notebook.name} has no {key} parameter; its parameters are: {self.listing}")
            return entry[key], f"{self.label}, field {key}"
        if key in defaults and defaults[key] is not None and key in declared:
            return defaults[key], f"{self.spec.path.name}, defaults, field {key}"
        return None, self.label


def _expand_entry(spec: Spec, entry: dict, defaults: dict, label: str, today: dt.date, as_of_override: str | None) -> list[Briefing]:
    from parley.report.parameters import describe_parameters, notebook_parameters

    notebook = _resolve_notebook(entry["notebook"], spec.folder, label)
    try:
        declared = notebook_parameters(notebook)
    except Exception as exc:  # an unreadable notebook: nbformat and papermill raise many types
        raise SpecError(f"{label}, field notebook: {notebook} cannot be read as a notebook ({type(exc).__name__}: {exc})") from None
    item = _Entry(spec, entry, defaults, label, notebook, declared, describe_parameters(declared))

    dossier_value, dossier_where = item.pick("dossier")
    dossier_ref = _resolve_dossier(dossier_value if dossier_value is not None else _declared_default(declared, "dossier") or paths.DEFAULT_DOSSIER,
                                   spec.folder, dossier_where)
    dossier_path = paths.dossier_dir(dossier_ref)
    as_of = as_of_override if as_of_override is not None else _entry_as_of(item, dossier_path, today)
    since = _entry_since(item, as_of, today)
    parameters = _entry_parameters(item)
    check_parameter_ids(parameters, dossier_path, label)
    values = _entry_variables(item, dossier_path)

    template = entry.get("name")
    if template is None:
        template = notebook.stem + "".join(f"-{{{variable}}}" for variable in values)
    template = template.strip()
    _check_template(template, list(values), f"{label}, field name")

    briefings = []
    combinations = itertools.product(*values.values()) if values else [()]
    for combination in combinations:
        bound = dict(zip(values, combination))
        name = template.format(**bound)
        _check_name(name, label)
        briefings.append(Briefing(name=name, notebook=notebook, dossier=dossier_ref, dossier_id=dossier_path.name, as_of=as_of,
                                  since=since, parameters={**parameters, **bound}, declared=tuple(declared), entry=label,
                                  pdf=_pdf_option(entry, defaults, label, spec.path.name)))
    return briefings


def _check_name(name: str, label: str) -> None:
    """A briefing name is a slug, short enough for a file name, and no suffix of Parley's own files."""
    if not _NAME.match(name):
        raise SpecError(f"{label}, field name: {excerpt(name)} is not a slug; use lowercase letters, digits, '_', '-' and '.', starting with a letter or digit")
    if len(name) > NAME_MAX:
        raise SpecError(f"{label}, field name: {excerpt(name)} is {len(name):,} characters; a briefing name (a file name) has at most {NAME_MAX}")
    reserved = next((suffix for suffix in RESERVED_SUFFIXES if name.endswith(suffix)), None)
    if reserved:
        raise SpecError(f"{label}, field name: {excerpt(name)} ends in {reserved!r}, a suffix Parley gives a briefing's own files "
                        f"(<name>.failed.ipynb, <name>.run.json, <name>.positions.csv), so it could overwrite another briefing's record; "
                        f"names may not end in {', '.join(RESERVED_SUFFIXES)}")


def _entry_as_of(item: _Entry, dossier_path: Path, today: dt.date) -> str:
    """The entry's view date: its own, the defaults', else the dossier's or the notebook's."""
    as_of_value, as_of_where = item.pick("as_of")
    if as_of_value is None or str(as_of_value).strip() in {"", "dossier"}:
        as_of = _dossier_as_of(dossier_path, as_of_where) or _declared_default(item.declared, "as_of")
        if not as_of:
            raise SpecError(f"{as_of_where}: no as_of date: set as_of (an ISO date or today) or parley.as_of in {dossier_path / 'datapackage.json'}")
        return _resolve_date(as_of, today, None, as_of_where, allow_as_of_base=False)
    return _resolve_date(as_of_value, today, None, as_of_where, allow_as_of_base=False)


def _entry_since(item: _Entry, as_of: str, today: dt.date) -> str:
    """``previous``, ``""`` (no comparison) or an ISO date on or before ``as_of``."""
    since_value, since_where = item.pick("since")
    if since_value is None or "since" not in item.declared:
        return ""
    text = _date_text(since_value).strip()
    if text.lower() == PREVIOUS:
        return PREVIOUS
    if text.lower() in _NO_COMPARISON:
        return ""
    since = _resolve_date(text, today, as_of, since_where, allow_as_of_base=True)
    if since > as_of:
        raise SpecError(f"{since_where}: since {since} is after as_of {as_of}; since must be on or before the view date (or 'previous', or none)")
    return since


def _entry_parameters(item: _Entry) -> dict[str, Any]:
    """Default and entry parameters, each checked against the type the notebook declares."""
    parameters: dict[str, Any] = {}
    default_parameters = item.defaults.get("parameters") or {}
    for source, where in ((default_parameters, f"{item.spec.path.name}, defaults"), (item.entry.get("parameters") or {}, item.label)):
        for key, value in source.items():
            if key not in item.declared:
                if source is default_parameters:
                    continue  # a default applies only where the notebook has the parameter
                raise SpecError(f"{where}, field parameters.{key}: notebook {item.notebook.name} has no parameter {excerpt(key)}; its parameters are: {item.listing}")
            parameters[key] = _check_type(value, item.declared[key], f"{where}, field parameters.{key}")
    return parameters


def _entry_variables(item: _Entry, dossier_path: Path) -> dict[str, list[str]]:
    """``for_each`` variable -> the ids it takes, checked against the notebook and the dossier."""
    variables = item.entry.get("for_each") or {}
    for variable in variables:
        if variable not in item.declared:
            raise SpecError(f"{item.label}, field for_each.{variable}: notebook {item.notebook.name} has no parameter {excerpt(variable)} to expand; its parameters are: {item.listing}")
        if variable in (item.entry.get("parameters") or {}):
            raise SpecError(f"{item.label}, field for_each.{variable}: {variable} is also set under parameters; set it in one place")
    return {variable: expansion_values(source, variable, dossier_path, f"{item.label}, field for_each.{variable}")
            for variable, source in variables.items()}


def _pdf_option(entry: dict, defaults: dict, label: str, spec_name: str) -> str:
    """``pdf:`` of the entry, else of the defaults: ``"a4"``, ``"letter"`` or ``""`` (:func:`parley.report.pdf.spec_paper`)."""
    own = entry.get("pdf") is not None
    try:
        return spec_paper(entry["pdf"] if own else defaults.get("pdf"))
    except ValueError as exc:
        raise SpecError(f"{label + ', field pdf' if own else spec_name + ', defaults, field pdf'}: {exc}") from None


#: Endings of the files Parley writes for a briefing <name> (and of its draft and staging files):
#: a briefing named like one of them could overwrite or delete another briefing's record.
RESERVED_SUFFIXES = (".failed", ".run", ".positions", ".draft", ".running", ".html", ".ipynb", ".json", ".csv", ".log", ".lock")
#: Longest briefing name (it becomes file names; most file systems stop at 255 bytes).
NAME_MAX = 120


def _check_template(template: str, variables: list[str], where: str) -> None:
    if len(template) > NAME_MAX:
        raise SpecError(f"{where}: {excerpt(template)} is {len(template):,} characters; a name has at most {NAME_MAX}")
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise SpecError(f"{where}: {excerpt(template)} is not a valid name template ({exc}); use {{variable}} for a for_each variable") from None
    for _, name, format_spec, conversion in parsed:
        if name is not None and (format_spec or conversion):
            raise SpecError(f"{where}: {excerpt(template)} formats {{{excerpt(name, 40)[1:-1]}}} with {excerpt((conversion and '!' + conversion or '') + (format_spec and ':' + format_spec or ''), 40)}; "
                            "a name template holds plain {variable} fields only (no widths, conversions or formats)")
    fields = {name for _, name, _, _ in parsed if name is not None}
    unknown = sorted(fields - set(variables))
    if unknown:
        raise SpecError(f"{where}: {excerpt(template)} uses {', '.join('{' + u + '}' for u in unknown)}, which is not a for_each variable "
                        f"(variables: {', '.join(variables) or 'none'})")
    missing = [v for v in variables if v not in fields]
    if missing:
        raise SpecError(f"{where}: {excerpt(template)} must contain {', '.join('{' + m + '}' for m in missing)} so every expansion gets its own name")


# --------------------------------------------------------------------------------------------
# fields


def _check_scalar_fields(mapping: dict, label: str) -> None:
    for key in ("dossier", "as_of", "since"):
        if key in mapping and mapping[key] is not None and not isinstance(mapping[key], (str, dt.date)):
            raise SpecError(f"{label}, field {key}: expected text or a date, got {_kind(mapping[key])} {excerpt(mapping[key])}")
    if "dossier" in mapping and isinstance(mapping["dossier"], dt.date):
        raise SpecError(f"{label}, field dossier: expected a dossier name or folder, got the date {mapping['dossier']}")


def _check_parameters(parameters: Any, label: str) -> None:
    if parameters is None:
        return
    if not isinstance(parameters, dict):
        raise SpecError(f"{label}, field parameters: expected a mapping of notebook parameter names to values, got {_kind(parameters)}")
    for key in parameters:
        if key == "baseline":
            raise SpecError(f"{label}, field parameters.baseline: the runner sets baseline itself (from since: previous); remove it")
        if key in RESERVED:
            raise SpecError(f"{label}, field parameters.{key}: set {key} as a field of the entry (or of defaults), not under parameters")


def _check_for_each(for_each: Any, label: str) -> None:
    if for_each is None:
        return
    if not isinstance(for_each, dict) or not for_each:
        raise SpecError(f"{label}, field for_each: expected a mapping of parameter name to ids, e.g. {{actor: actors}}, got {_kind(for_each)}")
    tables = ", ".join(EXPANSION_TABLES)
    for variable, source in for_each.items():
        where = f"{label}, field for_each.{variable}"
        if variable in RESERVED:
            raise SpecError(f"{where}: {variable} cannot be expanded; expand a subject parameter such as actor or issue")
        if isinstance(source, list):
            if not source or not all(isinstance(item, str) and item for item in source):
                raise SpecError(f"{where}: expected a non-empty list of ids, got {excerpt(source)}")
            continue
        if isinstance(source, str):
            if source not in EXPANSION_TABLES:
                raise SpecError(f"{where}: {excerpt(source)} is not a table to expand over; use one of {tables}, a list of ids, or {{from: TABLE, where: {{COLUMN: VALUES}}}}")
            continue
        if isinstance(source, dict):
            extra = sorted(set(source) - {"from", "where"})
            if extra:
                raise SpecError(f"{where}: unknown key(s) {', '.join(extra)}; allowed: from, where")
            if source.get("from") not in EXPANSION_TABLES:
                raise SpecError(f"{where}.from: {excerpt(source.get('from'))} is not a table to expand over; use one of {tables}")
            if source.get("where") is not None and not isinstance(source["where"], dict):
                raise SpecError(f"{where}.where: expected a mapping of column to value(s), e.g. {{kind: [state, bloc]}}, got {_kind(source['where'])}")
            continue
        raise SpecError(f"{where}: expected a table name ({tables}), a list of ids, or {{from: TABLE, where: ...}}, got {_kind(source)}")


def _check_type(value: Any, declared, where: str) -> Any:
    """A spec value checked against the type the notebook declares (dates become ISO text) and
    against what the parameter allows (:data:`parley.report.parameters.PARAMETER_RULES`)."""
    value = _date_text(value) if isinstance(value, dt.date) else value
    from parley.report.parameters import matches_type, not_allowed

    if not matches_type(value, declared.type_name):
        raise SpecError(f"{where}: {excerpt(value)} is {_kind(value)}, but the notebook declares {declared.name}: {declared.type_name} (default {excerpt(declared.default)})")
    allowed = not_allowed(declared.name, value)
    if allowed:
        raise SpecError(f"{where}: {excerpt(value)} is not allowed for {declared.name}; allowed: {allowed}")
    return value


def _resolve_notebook(value: str, folder: Path, label: str) -> Path:
    from parley.report.parameters import resolve_notebook

    text = value.strip()
    candidate = Path(text)
    if candidate.suffix == ".ipynb" and not candidate.is_absolute():
        candidate = folder / candidate
    try:
        return resolve_notebook(str(candidate) if candidate.suffix == ".ipynb" else text)
    except ParameterError as exc:
        raise SpecError(f"{label}, field notebook: {exc}") from None


def _resolve_dossier(value: Any, folder: Path, where: str) -> str:
    text = str(value).strip()
    if not text:
        raise SpecError(f"{where}: empty; give a dossier name under data/ or a dossier folder")
    candidate = Path(text)
    if candidate.is_absolute() or len(candidate.parts) > 1:
        resolved = (folder / candidate).resolve() if not candidate.is_absolute() else candidate
        ref = str(resolved)
    else:
        resolved, ref = paths.dossier_dir(text), text
    if not (resolved / "datapackage.json").is_file():
        available = sorted(p.name for p in paths.data_dir().glob("*") if (p / "datapackage.json").is_file())
        raise SpecError(f"{where}: no dossier {excerpt(text)} (no {resolved / 'datapackage.json'}); dossiers under {paths.data_dir()}: "
                        f"{', '.join(available) or 'none'}; or give a path to a dossier folder")
    return ref


def _dossier_as_of(dossier_path: Path, where: str) -> str | None:
    from parley.data.schema import read_schema

    from parley.report.render import latest_view_date

    try:
        return read_schema(dossier_path).options.get("as_of") or latest_view_date(dossier_path)
    except Exception as exc:  # a readable message is all we need here
        raise SpecError(f"{where}: cannot read dossier {dossier_path}: {exc}") from None


def _declared_default(declared: dict, name: str) -> Any:
    parameter = declared.get(name)
    return parameter.default if parameter is not None and parameter.default not in (None, "") else None


# --------------------------------------------------------------------------------------------
# messages


def _entry_label(where: str, number: int, entry: dict) -> str:
    name = entry.get("name") or entry.get("notebook")
    return f"{where}, entry {number}" + (f" ({name})" if isinstance(name, str) and name else "")


def _no_unknown(mapping: dict, allowed: tuple, label: str, what: str) -> None:
    unknown = [key for key in mapping if key not in allowed]
    if unknown:
        hint = ""
        if what == "entry" and any(key not in _ENTRY_KEYS for key in unknown):
            hint = "; notebook parameters go under 'parameters:'"
        raise SpecError(f"{label}, field {unknown[0]}: unknown {what} field; allowed: {', '.join(allowed)}{hint}")


def _notebook_listing() -> str:
    return ", ".join(sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))) or "none yet"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a whole number", float: "a number"}.get(type(value), type(value).__name__)
