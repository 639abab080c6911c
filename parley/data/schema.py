"""The dossier schema, read from a dossier's ``datapackage.json`` (Frictionless Data Package).

Field names, types, enums and keys are declared once, in that file; code asks this module
instead of repeating them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from parley.errors import DossierInvalid, DossierNotFound, Problem, excerpt, shorten
from parley.journal import recover_dossier

PACKAGE_FILE = "datapackage.json"

#: Tables every dossier must declare, in load order.
TABLES = (
    "sources",
    "actors",
    "actor_members",
    "issues",
    "statements",
    "reports",
    "positions",
    "events",
    "event_updates",
    "event_parties",
    "judgments",
    "judgment_support",
)
#: Tables a dossier may declare: loaded and validated when declared, empty otherwise.
#: ``analyst_notes``: the analyst's own bottom line per edition (who wrote it, when).
OPTIONAL_TABLES = ("analyst_notes",)


def declared_tables(schema: "PackageSchema") -> tuple[str, ...]:
    """The tables to read from a dossier: every required one, then the optional ones it declares."""
    return TABLES + tuple(name for name in OPTIONAL_TABLES if name in schema.tables)


@dataclass(frozen=True)
class Field:
    """One column of a table as the data package declares it."""

    name: str
    type: str
    description: str = ""
    constraints: dict[str, Any] = field(default_factory=dict)
    true_values: tuple[str, ...] = ("true",)
    false_values: tuple[str, ...] = ("false",)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def enum(self) -> list[str] | None:
        return self.constraints.get("enum")


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One resource (CSV file) of the data package."""

    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class PackageSchema:
    """The parsed ``datapackage.json`` of one dossier."""

    path: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table]

    @property
    def name(self) -> str:
        return self.descriptor.get("name", self.path.parent.name)

    @property
    def title(self) -> str:
        return self.descriptor.get("title", self.name)

    @property
    def options(self) -> dict[str, Any]:
        """Parley's own settings in the descriptor (``"parley": {...}``)."""
        return self.descriptor.get("parley", {})

    def enum(self, table: str, field_name: str) -> tuple[str, ...]:
        """The values ``datapackage.json`` allows in ``table.field_name`` (empty when it declares none)."""
        return tuple(self.tables[table].by_name[field_name].enum or ())

    @property
    def seeds_dir(self) -> Path:
        """Folder holding the source texts, relative to the dossier folder."""
        return (self.path.parent / self.options.get("seeds_dir", "../../seeds")).resolve()

    def seed_path(self, seed_file: object) -> Path | None:
        """The file of a source text, or ``None`` when ``seed_file`` is not a plain file name or
        the file (a symlink) lies outside the seeds folder: such a file is never read."""
        if not isinstance(seed_file, str) or not seed_file or Path(seed_file).name != seed_file or seed_file in (".", ".."):
            return None
        seeds = self.seeds_dir
        path = seeds / seed_file
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return None
        return path if seeds in resolved.parents else None


#: Field types of the Table Schema standard (others are refused rather than silently read as text).
FIELD_TYPES = ("string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any")
#: Constraint name -> what its value must be (checked before any check reads it).
_CONSTRAINTS = {
    "required": (bool,), "unique": (bool,), "enum": (list,), "pattern": (str,),
    "minLength": (int,), "maxLength": (int,), "minimum": (int, float, str), "maximum": (int, float, str),
}
MAX_DESCRIPTOR_BYTES = 5_000_000


class _Descriptor:
    """Collects every problem of a ``datapackage.json`` as located :class:`Problem` s (field = JSON path)."""

    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []

    def problem(self, where: str, value: object, message: str) -> None:
        if isinstance(value, str) and len(value) > 200:
            value = value[:199] + "…"  # the JSON output keeps a short excerpt too
        elif not isinstance(value, (str, int, float, type(None))):
            value = excerpt(value)
        self.problems.append(Problem(PACKAGE_FILE, None, where, value, message, "descriptor"))

    def expect(self, value: object, kinds: tuple[type, ...], where: str, what: str) -> bool:
        if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
            return True
        self.problem(where, None, f"is {_json_kind(value)}; expected {what}")
        return False


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _parse_table(check: _Descriptor, index: int, resource: object, folder: Path) -> Table | None:
    where = f"resources[{index}]"
    if not check.expect(resource, (dict,), where, "an object with name, path and schema"):
        return None
    name = resource.get("name")
    if not check.expect(name, (str,), f"{where}.name", "the table's name (a string such as statements)"):
        return None
    path = _resource_path(check, resource.get("path"), f"{where}.path", folder, name)
    schema = resource.get("schema", {})
    if not check.expect(schema, (dict,), f"{where}.schema", "an object with fields, primaryKey and foreignKeys"):
        return None
    raw_fields = schema.get("fields", [])
    if not check.expect(raw_fields, (list,), f"{where}.schema.fields", "a list of field objects"):
        return None
    fields = tuple(f for number, raw in enumerate(raw_fields) if (f := _parse_field(check, raw, f"{where}.schema.fields[{number}]")) is not None)
    names = {f.name for f in fields}
    primary_key = _key_fields(check, schema.get("primaryKey", []), f"{where}.schema.primaryKey", names, name)
    foreign_keys = []
    raw_fks = schema.get("foreignKeys", [])
    if check.expect(raw_fks, (list,), f"{where}.schema.foreignKeys", "a list of foreign-key objects"):
        for number, fk in enumerate(raw_fks):
            at = f"{where}.schema.foreignKeys[{number}]"
            if not check.expect(fk, (dict,), at, "an object with fields and reference"):
                continue
            reference = fk.get("reference")
            if not check.expect(reference, (dict,), f"{at}.reference", "an object with resource and fields"):
                continue
            target = reference.get("resource")
            if not check.expect(target, (str,), f"{at}.reference.resource", "the name of a resource"):
                continue
            local = _key_fields(check, fk.get("fields"), f"{at}.fields", names, name)
            remote = _key_fields(check, reference.get("fields"), f"{at}.reference.fields", None, target)
            if local is not None and remote is not None:
                if len(local) != len(remote):
                    check.problem(f"{at}.fields", None, f"names {len(local)} field(s) but reference.fields names {len(remote)}; they pair up one to one")
                else:
                    foreign_keys.append(ForeignKey(local, target or name, remote))
    if path is None or primary_key is None:
        return None
    return Table(name=name, path=path, fields=fields, primary_key=primary_key, foreign_keys=tuple(foreign_keys))


def _parse_field(check: _Descriptor, raw: object, where: str) -> Field | None:
    if not check.expect(raw, (dict,), where, "an object with name and type"):
        return None
    name, kind = raw.get("name"), raw.get("type", "string")
    if not check.expect(name, (str,), f"{where}.name", "the column name (a string)") or not name:
        return None
    if not isinstance(kind, str) or kind not in FIELD_TYPES:
        check.problem(f"{where}.type", kind, f"field {excerpt(name)}: unknown type; Table Schema types are {', '.join(FIELD_TYPES)}")
        return None
    constraints = raw.get("constraints", {})
    if not check.expect(constraints, (dict,), f"{where}.constraints", "an object such as {\"required\": true}"):
        return None
    ok = True
    for key, value in constraints.items():
        kinds = _CONSTRAINTS.get(key)
        if kinds is None:
            continue  # Table Schema constraints Parley does not check (exclusiveMinimum, jsonSchema) are ignored
        at = f"{where}.constraints.{key}"
        if not check.expect(value, kinds, at, " or ".join(dict.fromkeys(_json_kind(k()) for k in kinds))):
            ok = False
        elif key == "pattern":
            ok = _pattern_ok(check, value, at) and ok
        elif key == "enum" and not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            check.problem(at, None, "holds a value that is not a string or number; an enum lists the allowed values")
            ok = False
        elif key in ("minimum", "maximum") and not _bound_ok(kind, value):
            check.problem(at, value, f"does not fit a field of type {kind}; write a {'ISO date YYYY-MM-DD' if kind == 'date' else 'number'}")
            ok = False
    true_values, false_values = raw.get("trueValues", ["true"]), raw.get("falseValues", ["false"])
    for key, values in (("trueValues", true_values), ("falseValues", false_values)):
        if not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
            check.problem(f"{where}.{key}", None, "must be a non-empty list of strings")
            ok = False
    description = raw.get("description", "")
    if not ok:
        return None
    return Field(name=name, type=kind, description=description if isinstance(description, str) else "", constraints=constraints,
                 true_values=tuple(true_values), false_values=tuple(false_values))


def _pattern_ok(check: _Descriptor, pattern: str, where: str) -> bool:
    if len(pattern) > 1000:
        check.problem(where, pattern, "pattern longer than 1,000 characters; Parley checks short regular expressions only")
        return False
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        check.problem(where, pattern, f"not a valid regular expression ({shorten(exc, 60)})")
        return False
    return True


def _bound_ok(kind: str, value: object) -> bool:
    if kind == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return False
        return isinstance(value, str)
    if kind in ("integer", "number", "year"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return True


def _key_fields(check: _Descriptor, value: object, where: str, names: set[str] | None, table: str) -> tuple[str, ...] | None:
    """A key as a tuple of field names; every name must be a field of the table (when known)."""
    keys = [value] if isinstance(value, str) else value
    if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
        check.problem(where, None, f"is {_json_kind(value)}; expected a field name or a list of field names")
        return None
    if names is not None:
        unknown = [k for k in keys if k not in names]
        if unknown:
            shown = ", ".join(excerpt(k, 40) for k in unknown[:5])
            check.problem(where, None, f"names no field of {excerpt(table, 40)}: {shown}; its fields are {', '.join(sorted(names))[:400]}")
            return None
    return tuple(keys)


def _resource_path(check: _Descriptor, path: object, where: str, folder: Path, name: str) -> str | None:
    """A resource path: one file name inside the dossier folder. Never an absolute path, a URL, a
    path climbing out with '..' or a symlink leaving the folder (such a file is never read)."""
    if not isinstance(path, str) or not path:
        check.problem(where, None, f"resource {excerpt(name, 40)}: is {_json_kind(path)}; expected one CSV file name relative to the dossier folder (statements.csv)")
        return None
    shown = path
    if "://" in path or path.startswith("//"):
        check.problem(where, shown, f"resource {excerpt(name, 40)}: is a URL; Parley reads only files inside the dossier folder")
    elif Path(path).is_absolute() or path.startswith("\\") or re.match(r"^[A-Za-z]:", path):
        check.problem(where, shown, f"resource {excerpt(name, 40)}: is an absolute path; a resource path is relative to the dossier folder and stays inside it (statements.csv)")
    elif any(part == ".." for part in re.split(r"[/\\]", path)) or "\0" in path:
        check.problem(where, shown, f"resource {excerpt(name, 40)}: climbs out of the dossier folder with '..'; a resource path stays inside it (statements.csv)")
    else:
        target = folder / path
        root = folder.resolve()
        try:
            resolved = target.resolve()
        except (OSError, RuntimeError):
            resolved = None
        if resolved is None or (resolved != root and root not in resolved.parents):
            check.problem(where, shown, f"resource {excerpt(name, 40)}: is a symlink (or passes through one) that leaves the dossier folder; Parley never reads it; copy the file into the dossier instead")
        else:
            return path
    return None


def _load_descriptor(package_path: Path) -> object:
    size = package_path.stat().st_size
    if size > MAX_DESCRIPTOR_BYTES:
        raise DossierInvalid(f"{package_path}: {size:,} bytes; a data package descriptor has at most {MAX_DESCRIPTOR_BYTES:,}")
    try:
        return json.loads(package_path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DossierInvalid(f"{package_path}: not valid UTF-8 JSON ({shorten(exc, 120)})", [Problem(PACKAGE_FILE, None, None, None, f"not valid UTF-8 JSON ({shorten(exc, 120)})", "descriptor")]) from None
    except RecursionError:
        message = "not valid UTF-8 JSON (nested too deeply to read; a descriptor nests a few levels of objects and lists)"
        raise DossierInvalid(f"{package_path}: {message}", [Problem(PACKAGE_FILE, None, None, None, message, "descriptor")]) from None


def read_schema(dossier_dir: Path) -> PackageSchema:
    """Read and parse ``dossier_dir/datapackage.json``, checking every part Parley relies on.

    Raises
    ------
    DossierNotFound
        When the folder or its descriptor is missing.
    DossierInvalid
        When the descriptor is not valid JSON, is malformed (wrong types, an invalid pattern, a key
        naming no field, a resource path leaving the dossier) or lacks a required table; its
        ``problems`` locate each defect (field = the JSON path, such as ``resources[3].path``).
    """
    dossier_dir = Path(dossier_dir)
    package_path = dossier_dir / PACKAGE_FILE
    if not dossier_dir.is_dir():
        raise DossierNotFound(f"{dossier_dir}: no such dossier folder (expected a folder holding {PACKAGE_FILE})")
    if not package_path.is_file():
        raise DossierNotFound(f"{package_path}: missing; a dossier is a folder with a Frictionless {PACKAGE_FILE}")
    recover_dossier(dossier_dir)  # finish or undo a change a crash interrupted, before anything reads the dossier
    stat = package_path.stat()
    key = (str(package_path.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _SCHEMAS.get(key)
    if cached is not None and not any((dossier_dir / t.path).is_symlink() for t in cached.tables.values()):
        return cached  # a symlinked resource is checked afresh every time
    schema = _read_schema(dossier_dir, package_path)
    _SCHEMAS[key] = schema
    return schema


#: Parsed descriptors by (file, modification time, size): a spec of 10,000 entries parses the
#: descriptor once; an edit of datapackage.json reads it again, and a resource that is a symlink is checked every time.
_SCHEMAS: dict[tuple[str, int, int], PackageSchema] = {}


def _read_schema(dossier_dir: Path, package_path: Path) -> PackageSchema:
    descriptor = _load_descriptor(package_path)
    check = _Descriptor(str(package_path))
    tables: dict[str, Table] = {}
    if check.expect(descriptor, (dict,), "(top level)", 'a JSON object such as {"name": ..., "resources": [...]}'):
        for key in ("name", "title"):
            if key in descriptor:
                check.expect(descriptor[key], (str,), key, "a string")
        options = descriptor.get("parley", {})
        if check.expect(options, (dict,), "parley", "an object of Parley's settings") and "seeds_dir" in options:
            check.expect(options["seeds_dir"], (str,), "parley.seeds_dir", "a folder path relative to the dossier")
        resources = descriptor.get("resources", [])
        if check.expect(resources, (list,), "resources", "a list of resource objects"):
            for index, resource in enumerate(resources):
                table = _parse_table(check, index, resource, dossier_dir)
                if table is not None:
                    if table.name in tables:
                        check.problem(f"resources[{index}].name", table.name, "a second resource of this name; each table is declared once")
                    tables.setdefault(table.name, table)
        declared = {r.get("name") for r in resources if isinstance(r, dict)} if isinstance(resources, list) else set()
        missing = [t for t in TABLES if t not in declared]
        if missing:
            check.problem("resources", None, f"resources {', '.join(missing)} missing; a dossier declares {', '.join(TABLES)}")
        for table in tables.values():
            for number, fk in enumerate(table.foreign_keys):
                if fk.resource not in tables and fk.resource in declared:
                    continue  # that resource's own problem is reported
                if fk.resource not in tables:
                    check.problem(f"resources[{table.name}].schema.foreignKeys[{number}].reference.resource", fk.resource, "names no resource of this package")
                elif unknown := [k for k in fk.reference_fields if k not in tables[fk.resource].by_name]:
                    check.problem(f"resources[{table.name}].schema.foreignKeys[{number}].reference.fields", None, f"names no field of {fk.resource}: {', '.join(excerpt(k, 40) for k in unknown[:5])}")
    if check.problems:
        shown = "\n".join(f"  {p}" for p in check.problems[:10])
        more = f"\n  … and {len(check.problems) - 10} more" if len(check.problems) > 10 else ""
        raise DossierInvalid(f"{package_path}: {len(check.problems)} problem(s) in the descriptor:\n{shown}{more}", check.problems)
    return PackageSchema(path=package_path, descriptor=descriptor, tables=tables)
