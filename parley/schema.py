"""The dossier schema, read from a dossier's ``datapackage.json`` (Frictionless Data Package).

Field names, types, enums and keys are declared once, in that file; code asks this module
instead of repeating them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from parley.errors import DossierInvalid, DossierNotFound
from parley.fileio import recover_dossier

PACKAGE_FILE = "datapackage.json"

#: Tables every dossier must declare, in load order.
TABLES = (
    "sources",
    "actors",
    "issues",
    "statements",
    "positions",
    "events",
    "event_parties",
    "judgments",
    "judgment_support",
)


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

    @property
    def seeds_dir(self) -> Path:
        """Folder holding the source texts, relative to the dossier folder."""
        return (self.path.parent / self.options.get("seeds_dir", "../../seeds")).resolve()


def _parse_table(resource: dict[str, Any]) -> Table:
    schema = resource.get("schema", {})
    fields = tuple(
        Field(
            name=f["name"],
            type=f.get("type", "string"),
            description=f.get("description", ""),
            constraints=f.get("constraints", {}),
            true_values=tuple(f.get("trueValues", ["true"])),
            false_values=tuple(f.get("falseValues", ["false"])),
        )
        for f in schema.get("fields", [])
    )
    pk = schema.get("primaryKey", [])
    fks = tuple(
        ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"]))
        for fk in schema.get("foreignKeys", [])
    )
    return Table(
        name=resource["name"],
        path=resource["path"],
        fields=fields,
        primary_key=tuple([pk] if isinstance(pk, str) else pk),
        foreign_keys=fks,
    )


def read_schema(dossier_dir: Path) -> PackageSchema:
    """Read and parse ``dossier_dir/datapackage.json``.

    Raises
    ------
    DossierNotFound
        When the folder or its descriptor is missing.
    DossierInvalid
        When the descriptor is not valid JSON or lacks a required table.
    """
    dossier_dir = Path(dossier_dir)
    package_path = dossier_dir / PACKAGE_FILE
    if not dossier_dir.is_dir():
        raise DossierNotFound(f"{dossier_dir}: no such dossier folder (expected a folder holding {PACKAGE_FILE})")
    if not package_path.is_file():
        raise DossierNotFound(f"{package_path}: missing; a dossier is a folder with a Frictionless {PACKAGE_FILE}")
    recover_dossier(dossier_dir)  # finish or undo a change a crash interrupted, before anything reads the dossier
    try:
        descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DossierInvalid(f"{package_path}: not valid UTF-8 JSON ({exc})") from None
    try:
        tables = {r["name"]: _parse_table(r) for r in descriptor.get("resources", [])}
    except (KeyError, TypeError) as exc:
        raise DossierInvalid(f"{package_path}: malformed resource descriptor (missing {exc})") from None
    missing = [t for t in TABLES if t not in tables]
    if missing:
        raise DossierInvalid(f"{package_path}: resources {', '.join(missing)} missing; a dossier declares {', '.join(TABLES)}")
    return PackageSchema(path=package_path, descriptor=descriptor, tables=tables)
