"""A notebook's parameters: what its ``parameters`` cell declares, and values checked against it.

One place for the parameter contract that ``parley render``, :func:`parley.report.render.render_briefing`
and the batch spec (:mod:`parley.editions.spec`) share: the declarations
(:func:`notebook_parameters`), the type check of a value (:func:`matches_type`), what a parameter
allows (:data:`PARAMETER_RULES`, :func:`not_allowed`), the reading of a
command-line string (:func:`coerce_parameter`), ISO dates (:func:`check_iso_date`) and the one
YAML loader (:func:`yaml_loader`, :func:`load_yaml`), whose dates stay text, as papermill's
``-y`` keeps them.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from parley import paths
from parley.errors import ParameterError, excerpt

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    literal is ``None``. Each notebook is inspected once per version of the file (path, size and
    modification time), so a spec of 10,000 entries over four notebooks reads four notebooks.
    """
    path = Path(notebook).resolve()
    stat = path.stat()
    return dict(_inspected(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=256)
def _inspected(notebook: str, mtime_ns: int, size: int) -> dict[str, Parameter]:
    import nbformat
    import papermill

    declared = {}
    try:
        inspected = papermill.inspect_notebook(str(notebook))
    except ValueError as exc:  # papermill reads the kernel's language from the notebook's metadata
        if "kernel name" not in str(exc):
            raise
        raise ParameterError(f"{notebook}: the notebook names no kernel (metadata.kernelspec.name is missing); open it in "
                             "JupyterLab and pick the Python 3 kernel, or add \"kernelspec\": {\"name\": \"python3\", "
                             "\"language\": \"python\", \"display_name\": \"Python 3\"} to its metadata") from None
    for name, info in inspected.items():
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


def check_names(source_path: Path, declared: dict[str, Parameter], values: dict[str, Any]) -> dict[str, Any]:
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


def pick(name: str, explicit: Any, values: dict[str, Any], declared: Parameter | None, fallback: Any) -> Any:
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


def yaml_loader():
    """YAML's safe loader, except that dates stay text (so ``2025-02-30`` gets our message, and a
    date reaches a notebook as the ISO text papermill's ``-y`` would give it)."""
    return _yaml_loader()


@lru_cache(maxsize=1)
def _yaml_loader():
    import yaml

    class TextDatesLoader(yaml.SafeLoader):
        pass

    TextDatesLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return TextDatesLoader


def load_yaml(text: str, where: str, error: type[Exception] = ParameterError) -> Any:
    """YAML text as Python values, dates as text: the one loader of ``render -y``, ``-p`` lists
    and ``briefings.yml``. Bad or hostile YAML (:func:`parley.fileio.load_yaml_bounded`: size,
    aliases, depth) raises ``error`` naming ``where``."""
    from parley.fileio import load_yaml_bounded

    return load_yaml_bounded(text, where, error, yaml_loader())


@dataclass(frozen=True)
class AtLeast:
    """A whole number of at least ``least`` (``True`` is not a number here)."""

    least: int

    def allows(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= self.least

    @property
    def allowed(self) -> str:
        return f"a whole number of at least {self.least}"


#: What a parameter allows, by name, wherever a notebook declares it: known before any kernel
#: starts, so the batch spec refuses another value when it is expanded (exit 2, naming the entry
#: and the field), as :func:`parley.report.view.open_briefing` does when a notebook runs.
#: (Ids, dates and ``since`` have their own checks, against the dossier and the calendar.)
PARAMETER_RULES: dict[str, AtLeast] = {
    "top_n": AtLeast(1),
}


def not_allowed(name: str, value: Any) -> str | None:
    """What the parameter ``name`` allows, when ``value`` is not that; ``None`` when it is (or no rule is known)."""
    rule = PARAMETER_RULES.get(name)
    return rule.allowed if rule is not None and not rule.allows(value) else None


def matches_type(value: Any, type_name: str | None) -> bool:
    """Whether a value fits the type a notebook declares (``str``, ``int``, ``float``, ``bool``;
    any other annotation accepts anything). ``True`` is not an ``int`` here."""
    return {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
    }.get((type_name or "").lower(), True)
