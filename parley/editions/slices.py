"""What each page of an edition shows of its dossier: the *slice* its inputs key hashes.

``parley run`` skips a page when its inputs are those of its published run. The data part of
those inputs is the slice of the dossier the page can show, so that after a one-statement edit
only the pages whose view it touches render again. A slice must over-approximate: a page marked
unchanged has to be what a fresh render would give. Hence:

- Only notebooks made of known parts are sliced (:func:`page_kind`): a parameters cell, the
  ``import parley.briefing as pb`` cell, one ``pb.open_briefing(...)`` call on an actor or an
  issue, and ``pb.<section>(briefing)`` cells from the audited list of that subject
  (:data:`ACTOR_SECTIONS`, :data:`ISSUE_SECTIONS`). Anything else (the briefing, the dataset
  check, a notebook with an extra cell) keys on the whole dataset version, as before.
- Every slice holds the whole descriptor and every table but ``statements``, ``reports`` and
  ``positions`` (actors, issues, events, sources, judgments, notes: small, and read by the
  header, names, sides at the table, the timeline, the provenance list), the dossier-wide facts
  every header shows (row counts, period, latest date), and these rows of the three big tables:

  - an **actor** profile: the statements the actor spoke (it or anyone below it in the
    ``parent_id`` chain), made on its behalf, or holding a position coded for it; every
    position on an issue any of those bear on (the bargaining chart, deal blockers); every
    position of each actor holding one on those issues (the alignment chart shows how those
    actors align with each other, on all their issues); and the reports of every statement
    behind those positions;
  - an **issue** brief: every statement with a position on the issue, all the positions of
    those statements, and their reports.

Rows are taken whatever their date (the as-of date is a parameter of the key): a slice never
misses a row because of the view date. The dossier is loaded (and validated) once per run by a
:class:`Slicer`; an invalid dossier keys every page on the whole version, so every page renders
again and fails as it did before.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

#: What a page's key covers when it is not sliced.
WHOLE = "whole dataset"

#: The tables a slice takes rows of (every other table is taken whole).
SLICED_TABLES = ("statements", "reports", "positions")

#: Sections of :mod:`parley.report.sections` audited for an actor profile: each reads only the
#: slice described above when the view's subject is an actor.
ACTOR_SECTIONS = frozenset({
    "header", "actor_card", "actor_issue_chart", "actor_positions", "trajectory_chart", "red_lines_table",
    "deal_blockers_table", "alignment_chart", "alignment_table", "timeline_chart", "actor_events", "key_quotes",
    "quote_board", "what_changed", "stance_shift_chart", "changes_table",
})

#: Sections audited for an issue brief (subject: an issue).
ISSUE_SECTIONS = frozenset({
    "header", "issue_card", "bargaining_chart", "bargaining_table", "issue_positions", "trajectory_chart",
    "red_lines_table", "deal_blockers_table", "issue_judgments", "key_quotes", "quote_board", "outside_views",
    "what_changed", "stance_shift_chart", "changes_table",
})

_SECTIONS = {"actor": ACTOR_SECTIONS, "issue": ISSUE_SECTIONS}


@dataclass(frozen=True)
class Scope:
    """The data part of a page's inputs: a hash, and what it covers (``"records of actor russia"``)."""

    key: str
    covers: str

    @property
    def whole(self) -> bool:
        return self.covers == WHOLE


# --------------------------------------------------------------------------------------------
# which notebooks are sliced


def page_kind(notebook: Path) -> tuple[str, str] | None:
    """``("actor", parameter)`` or ``("issue", parameter)`` when every cell of ``notebook`` is a
    known part of an actor profile or issue brief (see the module docstring); ``parameter`` is the
    notebook parameter holding the subject id. ``None``: key the page on the whole dataset."""
    path = Path(notebook)
    stat = path.stat()
    return _page_kind(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _page_kind(path: str, _mtime: int, _size: int) -> tuple[str, str] | None:
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # unreadable: whatever it is, the whole dataset
        return None
    found: tuple[str, str] | None = None
    sections: list[str] = []
    declared: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            return None
        if "parameters" in (cell.metadata.get("tags") or []):
            if not all(isinstance(node, (ast.Assign, ast.AnnAssign)) for node in tree.body):
                return None
            declared |= {getattr(t, "id", None) for n in tree.body for t in (n.targets if isinstance(n, ast.Assign) else [n.target])}
            continue
        part = _part(tree)
        if part is None:
            return None
        if part[0] == "open":
            if found is not None or part[1] is None:
                return None
            found = part[1]
        elif part[0] == "section":
            sections.append(part[1])
    if found is None or not set(sections) <= _SECTIONS[found[0]]:
        return None
    # the runner passes these, so the kernel views the dossier, date, subject and baseline the key covers
    return found if {"dossier", "as_of", "baseline", found[1]} <= declared else None


def _part(tree: ast.Module) -> tuple | None:
    """What one cell is: ``("import",)``, ``("open", subject)``, ``("section", name)``, or ``None``."""
    if len(tree.body) != 1:
        return None
    node = tree.body[0]
    if isinstance(node, ast.Import) and [(a.name, a.asname) for a in node.names] == [("parley.briefing", "pb")]:
        return ("import",)
    if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["briefing"] and _is_pb_call(node.value, "open_briefing"):
        return ("open", _subject(node.value))
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and _is_pb_call(node.value, None):
        call = node.value
        if [getattr(a, "id", None) for a in call.args] == ["briefing"] and not call.keywords:
            return ("section", call.func.attr)
    return None


def _is_pb_call(node: ast.AST, name: str | None) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", None) == "pb"
            and (name is None or node.func.attr == name))


def _subject(call: ast.Call) -> tuple[str, str] | None:
    """The subject an ``open_briefing`` call requires and the parameter naming it; it must pass the
    ``dossier`` parameter, and ``baseline`` from a parameter (the runner sets it: never the
    catalogue read in the kernel)."""
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    dossier = call.args[0] if call.args else keywords.get("dossier")
    if len(call.args) > 1 or getattr(dossier, "id", None) != "dossier":
        return None
    require = keywords.get("require")
    kind = require.value if isinstance(require, ast.Constant) else None
    if kind not in _SECTIONS or not isinstance(keywords.get(kind), ast.Name) or not isinstance(keywords.get("baseline"), ast.Name):
        return None
    other = "issue" if kind == "actor" else "actor"
    if other in keywords:
        return None
    return kind, keywords[kind].id


# --------------------------------------------------------------------------------------------
# the slices


@dataclass
class Slicer:
    """Slices of the dossiers of one run: each dossier loaded (and validated) once, on first use."""

    _loaded: dict = field(default_factory=dict)

    def scope(self, notebook: Path, parameters: dict, dossier: str, version: str) -> Scope:
        """The data part of the inputs of a page of ``notebook`` with ``parameters`` (resolved)."""
        kind = page_kind(notebook)
        subject = str(parameters.get(kind[1]) or "").strip() if kind else ""
        loaded = self._dossier(dossier, version) if subject else None
        if loaded is None:
            return Scope(version, WHOLE)
        dossier_now, common = loaded
        rows = actor_rows(dossier_now, subject) if kind[0] == "actor" else issue_rows(dossier_now, subject)
        return Scope(slice_hash(dossier_now, rows, common), f"records of {kind[0]} {subject}")

    def _dossier(self, dossier: str, version: str):
        """The loaded dossier and the hash of what every slice of it holds whole; ``None`` when invalid.

        Asked once per dossier and ``version`` (the run's hash of its files): the dossier comes from
        :func:`parley.report.loaded.dossier`, the one loader of this process (the run reads the view
        date from the same dossier), so it is read and validated once."""
        from parley import paths
        from parley.errors import ParleyError
        from parley.report import loaded as loaded_dossiers

        key = (paths.dossier_dir(dossier).resolve(), version)
        if key not in self._loaded:
            try:
                loaded = loaded_dossiers.dossier(key[0])
            except ParleyError:  # not valid: every page renders (and fails) as before
                self._loaded[key] = None
            else:
                self._loaded[key] = (loaded, Common(common_hash(loaded), row_hashes(loaded)))
        return self._loaded[key]


def actor_rows(dossier, actor: str) -> dict[str, pd.Series]:
    """Masks of :data:`SLICED_TABLES` rows an actor profile of ``actor`` can show (see the module docstring)."""
    statements, positions = dossier.statements, dossier.positions
    below = _below(dossier.actors, actor)
    own = set(statements.loc[statements["speaker_id"].isin(below) | _eq(statements["on_behalf_of_id"], actor), "statement_id"])
    own |= set(positions.loc[_eq(positions["actor_id"], actor), "statement_id"])
    issues = set(positions.loc[positions["statement_id"].isin(own) | _eq(positions["actor_id"], actor), "issue_id"])
    circle = set(positions.loc[positions["issue_id"].isin(issues), "actor_id"]) | {actor}
    kept = positions["issue_id"].isin(issues) | positions["actor_id"].isin(circle) | positions["statement_id"].isin(own)
    shown = own | set(positions.loc[kept, "statement_id"])
    return _masks(dossier, shown, kept)


def issue_rows(dossier, issue: str) -> dict[str, pd.Series]:
    """Masks of :data:`SLICED_TABLES` rows an issue brief of ``issue`` can show."""
    positions = dossier.positions
    shown = set(positions.loc[_eq(positions["issue_id"], issue), "statement_id"])
    return _masks(dossier, shown, positions["statement_id"].isin(shown))


def _eq(column: pd.Series, value: str) -> pd.Series:
    return column.eq(value).fillna(False).astype(bool)


def _masks(dossier, statements: set, positions: pd.Series) -> dict[str, pd.Series]:
    return {"statements": dossier.statements["statement_id"].isin(statements),
            "reports": dossier.reports["statement_id"].isin(statements), "positions": positions}


def _below(actors: pd.DataFrame, actor: str) -> set:
    """The actor and everyone below it in the ``parent_id`` chain (its officials speak for it)."""
    children: dict[str, list[str]] = {}
    for child, parent in zip(actors["actor_id"], actors["parent_id"]):
        if isinstance(parent, str) and parent:
            children.setdefault(parent, []).append(child)
    found, todo = {actor}, [actor]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def common_hash(dossier) -> bytes:
    """What every slice of ``dossier`` holds whole: the descriptor, each unsliced table's file,
    and the dossier-wide facts a header shows (row counts, period, latest date, title)."""
    from parley.analysis import latest_date, period_text

    digest = hashlib.sha256()
    folder = dossier.schema.path.parent
    digest.update(dossier.schema.path.read_bytes())
    for name, table in sorted(dossier.schema.tables.items()):
        if name not in SLICED_TABLES:
            file = folder / table.path
            digest.update(f"\0{name}\0".encode() + (file.read_bytes() if file.is_file() else b"<missing>"))
    facts = (dossier.counts(), period_text(dossier), str(latest_date(dossier)), dossier.title, dossier.id)
    digest.update(repr(facts).encode())
    return digest.digest()


def row_hashes(dossier) -> dict:
    """A 64-bit hash of each row of each of :data:`SLICED_TABLES` (typed, as the kernel reads them)."""
    return {name: pd.util.hash_pandas_object(dossier.table(name), index=False).to_numpy() for name in SLICED_TABLES}


@dataclass(frozen=True)
class Common:
    """What a :class:`Slicer` takes once per dossier: :func:`common_hash` and :func:`row_hashes`."""

    digest: bytes
    rows: dict


def slice_hash(dossier, rows: dict[str, pd.Series], common: Common | None = None) -> str:
    """Hash of a slice: :func:`common_hash` and the ``rows`` of each of :data:`SLICED_TABLES`
    (their row hashes, in file order, with the columns' names)."""
    common = common or Common(common_hash(dossier), row_hashes(dossier))
    digest = hashlib.sha256(common.digest)
    for name in SLICED_TABLES:
        digest.update(f"\0{name}\0{list(dossier.table(name).columns)}\0".encode())
        digest.update(common.rows[name][rows[name].to_numpy(dtype=bool)].tobytes())
    return digest.hexdigest()[:12]
