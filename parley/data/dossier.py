"""The dossier model: one typed pandas DataFrame per table of a data package.

>>> from parley import load_dossier
>>> dossier = load_dossier("riyadh_2025")
>>> dossier.statements[["statement_id", "speaker_id", "text"]].head()
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parley import paths
from parley.errors import DossierInvalid, Problem
from parley.data.schema import OPTIONAL_TABLES, TABLES, PackageSchema, Table, declared_tables, read_schema
from parley.data import checked
from parley.data.tables import dataset_digest, dataset_version, read_raw_table, read_tables, return_freed_memory, reuse_freed_memory, to_integers  # noqa: F401  (read_raw_table: its public home was here)
from parley.data.validate import validate_tables

@dataclass
class Dossier:
    """A loaded dossier.

    Attributes
    ----------
    id : str
        The dossier's name (its folder name).
    title : str
        Display title from ``datapackage.json``.
    path : Path
        The dossier folder.
    version : str
        12 hex digits of a SHA-256 over the data package's files: any change to the data gives a
        new version, so a briefing can be traced to the exact data it showed.
    schema : PackageSchema
    sources, actors, actor_members, issues, statements, reports, positions, events, event_updates,
    event_parties, judgments, judgment_support : pandas.DataFrame
        One typed frame per table, columns in schema order. ``statements`` are utterances (who,
        for whom, when, what kind); ``reports`` hold what each source printed of them, with
        offsets. :attr:`utterances` joins the two.
    """

    id: str
    title: str
    path: Path
    version: str
    schema: PackageSchema
    sources: pd.DataFrame
    actors: pd.DataFrame
    actor_members: pd.DataFrame
    issues: pd.DataFrame
    statements: pd.DataFrame
    reports: pd.DataFrame
    positions: pd.DataFrame
    events: pd.DataFrame
    event_updates: pd.DataFrame
    event_parties: pd.DataFrame
    judgments: pd.DataFrame
    judgment_support: pd.DataFrame
    analyst_notes: pd.DataFrame = field(default_factory=pd.DataFrame)  # optional table: empty when not declared
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _utterances: dict[pd.Timestamp | None, pd.DataFrame] = field(default_factory=dict, repr=False)
    _paths: tuple[int, dict[str, Path]] | None = field(default=None, repr=False)  # (id of the sources frame, source_id -> file)
    _memo: dict = field(default_factory=dict, repr=False)  # see memo()

    def table(self, name: str) -> pd.DataFrame:
        """The frame of table ``name``."""
        if name not in TABLES + OPTIONAL_TABLES:
            raise KeyError(f"no table {name!r}; tables are {', '.join(TABLES + OPTIONAL_TABLES)}")
        return getattr(self, name)

    def source_path(self, source_id: str) -> Path:
        if self._paths is None or self._paths[0] != id(self.sources):  # one lookup table per sources frame, not a scan per call
            found = {}
            for key, seed_file in zip(self.sources["source_id"].tolist(), self.sources["seed_file"].tolist()):
                path = self.schema.seed_path(seed_file)  # None for a name or symlink leaving the seeds folder
                if path is not None:
                    found.setdefault(key, path)
            self._paths = (id(self.sources), found)
        path = self._paths[1].get(source_id)
        if path is None:
            raise KeyError(f"no source {source_id!r} in dossier {self.id}")
        return path

    def source_text(self, source_id: str, keep: bool = True) -> str:
        """The full text of a source (read once, then cached; ``keep=False``: not cached when it
        was not, for a pass over every source that reads each once)."""
        if source_id in self._texts:
            return self._texts[source_id]
        # Bytes decoded as they are: read_text would turn CRLF into LF and shift every offset.
        text = self.source_path(source_id).read_bytes().decode("utf-8")
        if keep:
            self._texts[source_id] = text
        return text

    @property
    def utterances(self) -> pd.DataFrame:
        """One row per statement with its best report and its corroboration (every report counted).

        See :func:`parley.data.model.utterances`.
        """
        return self.utterances_at(None)

    def utterances_at(self, as_of: pd.Timestamp | None) -> pd.DataFrame:
        """:attr:`utterances` as known at ``as_of``: only reports dated on or before it count
        (statements with none are left out). Computed once per date."""
        key = None if as_of is None else pd.Timestamp(as_of)
        if key is not None and key not in self._utterances:  # a date after every report's sees what None sees
            dated = self.reports["date_reported"]
            if len(dated) and dated.notna().all() and dated.max() <= key:
                key = None
        if key not in self._utterances:
            from parley.data.model import utterances

            self._utterances[key] = utterances(self, key)
            return_freed_memory()
        return self._utterances[key]

    def memo(self, name: str, as_of: pd.Timestamp | None, compute, deep: bool = True):
        """``compute()``, kept per ``name`` and view date for as long as the tables stay the same
        frames (a frame replaced on the dossier computes again: the key holds the frames themselves,
        so an id cannot be reused). A copy is returned; ``deep=False`` for a large frame: a shallow
        copy, which copy-on-write (pandas 3) keeps from changing the one kept."""
        frames = tuple(self.table(t) for t in TABLES)
        key = (name, None if as_of is None else pd.Timestamp(as_of))
        kept = self._memo.get(key)
        if kept is None or any(a is not b for a, b in zip(kept[0], frames)):
            kept = self._memo[key] = (frames, compute())
            return_freed_memory()
        return kept[1].copy(deep=deep)

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {name: len(self.table(name)) for name in TABLES}


def _typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    out = {}
    for f in table.fields:
        column = frame[f.name] if f.name in frame.columns else pd.Series([""] * len(frame), dtype=str)
        if f.type == "integer":
            out[f.name] = to_integers(column).astype("Int64")
        elif f.type == "number":
            out[f.name] = pd.to_numeric(column.replace("", None), errors="coerce").astype("Float64")
        elif f.type == "boolean":
            out[f.name] = column.isin(f.true_values)
        elif f.type == "date":
            out[f.name] = pd.to_datetime(column.replace("", None), format="%Y-%m-%d", errors="coerce")
        else:
            out[f.name] = column.replace("", None).astype("string")
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def load_dossier(dossier: str | os.PathLike[str] = paths.DEFAULT_DOSSIER, *, validate: bool = True) -> Dossier:
    """Load a dossier by name (``"riyadh_2025"``) or folder path.

    Parameters
    ----------
    dossier
        A dossier name under the data folder, or a path to a dossier folder.
    validate
        Run every check of :func:`parley.data.validate.validate_tables` first (default). A dossier that
        fails is not loaded: :class:`DossierInvalid` carries all its problems.

    Raises
    ------
    DossierNotFound, DossierInvalid
    """
    reuse_freed_memory()
    folder = paths.dossier_dir(dossier)
    schema = read_schema(folder)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the files hashed (GIL released) while they are read and checked
        stamp = _stamp(schema)
        digest = pool.submit(dataset_digest, schema)
        key = pool.submit(lambda: checked.validation_key(digest.result(), schema.seeds_dir)) if validate and checked.enabled() else None
        tables = _read_checked(folder, schema, validate, key)
        if key is not None and _stamp(schema) == stamp:  # every check passed on files that did not change meanwhile
            checked.remember_valid(key.result())
        loaded = Dossier(id=folder.name, title=schema.title, path=folder, version=digest.result()[:12], schema=schema, **tables)
    return_freed_memory()  # what reading and checking freed
    return loaded


def _stamp(schema: PackageSchema) -> tuple:
    """Size and modification time of the descriptor, every resource file and every source text."""
    folder = schema.path.parent
    files = [schema.path, *(folder / t.path for t in schema.tables.values())]
    try:
        files += [p for p in schema.seeds_dir.iterdir() if p.is_file()]
    except OSError:
        pass
    stamps = []
    for file in sorted(files):
        try:
            info = file.stat()
            stamps.append((str(file), info.st_size, info.st_mtime_ns))
        except OSError:
            stamps.append((str(file), None, None))
    return tuple(stamps)


def _read_checked(folder: Path, schema: PackageSchema, validate: bool, key=None) -> dict[str, pd.DataFrame]:
    """Every table read, checked (unless ``validate`` is false, or the future ``key`` names a
    validation already passed: :mod:`parley.data.checked`) and typed; :class:`DossierInvalid` on any problem."""
    raw: dict[str, pd.DataFrame] = {}
    layouts = {}
    problems: list[Problem] = []
    names = declared_tables(schema)
    for name, read in zip(names, read_tables(schema, names, at_once=1)):  # one at a time: a kernel's peak memory counts more
        problems.extend(read.problems)
        if read.frame is not None:
            raw[name], layouts[name] = read.frame, read.layout
    if validate and not (key is not None and not problems and len(raw) == len(names) and checked.known_valid(key.result())):
        problems.extend(validate_tables(schema, raw, layouts))
    del layouts
    if problems or len(raw) < len(names):
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DossierInvalid(f"dossier {folder} has {len(problems)} problem(s):\n{shown}{more}", problems)
    tables = {}
    for name in names:  # one table at a time: the untyped copy goes as soon as the typed one exists
        tables[name] = _typed(raw.pop(name), schema.tables[name])
    return tables
