"""What a view of a dossier shows, and what changed since an earlier edition: a diff of records.

:func:`edition_of` takes the records behind every view of a dossier at an as-of date (an
:class:`parley.data.edition.Edition`, kept beside a published page); :func:`diff_editions`
compares a baseline edition with the one now, record kind by record kind. Each kind is a
registered :class:`RecordKind` (the shipped ones are in :mod:`parley.analysis.differs`), so
adding a kind of record is one :func:`register` call, not an edit here. "What changed" is never
a date filter: a record coded today about last week is new since yesterday's edition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from parley.data.edition import Edition, plain

#: Columns of :func:`diff_editions`.
CHANGE_COLUMNS = ["kind", "change", "id", "what", "detail", "actor_id", "issue_id", "date"]


@dataclass(frozen=True)
class RecordKind:
    """One kind of record an edition keeps, and how two editions of it differ.

    Attributes
    ----------
    name
        Key in the edition file (``"statements"``).
    columns
        What the edition keeps of each record, in order; the first column is the record's key.
    snapshot
        ``snapshot(dossier, as_of) -> DataFrame`` with ``columns``: the records a view of that date shows.
    differ
        ``differ(before, now, context) -> DataFrame`` with :data:`CHANGE_COLUMNS` but ``kind``;
        ``before`` is empty when there is no baseline (everything is new). A baseline that did
        not keep this kind (a run recorded before the kind was registered) is not diffed on it.
    changes
        The ``change`` values this differ gives, in the order a page lists them.
    count_new
        Optional ``count_new(context, actor, issue) -> {change: n}``: how many changes about
        ``actor``/``issue`` the differ lists against no baseline, counted without taking the
        snapshot or listing them (a first edition of a large dossier lists every statement as new);
        without it, :func:`first_edition_counts` takes the snapshot and runs the differ.
    """

    name: str
    columns: tuple[str, ...]
    snapshot: Callable
    differ: Callable
    changes: tuple[str, ...]
    count_new: Callable | None = None


#: Record kinds in registration order (also the order "What changed" lists them).
RECORD_KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    """Add a record kind to every edition taken from now on and to every diff."""
    RECORD_KINDS[kind.name] = kind
    return kind


@dataclass(frozen=True)
class DiffContext:
    """What a differ may look at besides the two record frames: the dossier now and the view date."""

    dossier: object
    as_of: pd.Timestamp
    now: Edition
    before: Edition | None
    cache: dict = field(default_factory=dict)  # what several differs look up once (the utterances' words)


def edition_of(dossier, as_of: pd.Timestamp, label: str = "") -> Edition:
    """The edition a view of ``dossier`` at ``as_of`` shows: every registered kind's records."""
    records = {name: plain(kind.snapshot(dossier, as_of), kind.columns) for name, kind in RECORD_KINDS.items()}
    return Edition(dossier.id, f"{as_of:%Y-%m-%d}", dossier.version, records, label=label)


def diff_editions(before: Edition | None, now: Edition, dossier, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every change from ``before`` to ``now``, kind by kind (``before=None``: everything is new).

    Returns
    -------
    DataFrame
        Columns :data:`CHANGE_COLUMNS`, kinds in registration order, each kind's changes in its
        declared order, then by id.
    """
    context = DiffContext(dossier, as_of, now, before)
    frames = []
    for name, kind in RECORD_KINDS.items():
        previous = pd.DataFrame(columns=list(kind.columns), dtype=object) if before is None else before.table(name)
        current = now.table(name)
        if current is None or previous is None:  # a baseline that kept no such records says nothing of them
            continue
        found = kind.differ(previous, current, context)
        if found is None or found.empty:
            continue
        order = {change: i for i, change in enumerate(kind.changes)}
        found = found.assign(kind=name, _order=found["change"].map(order)).sort_values(["_order", "id"], kind="stable")
        frames.append(found.reindex(columns=CHANGE_COLUMNS))
    if not frames:
        return pd.DataFrame(columns=CHANGE_COLUMNS, dtype=object)
    return pd.concat(frames, ignore_index=True)


def first_edition_counts(dossier, as_of: pd.Timestamp, actor: str | None = None, issue: str | None = None) -> dict[str, int]:
    """How many changes of each kind :func:`diff_editions` lists against no baseline, about
    ``actor``/``issue`` as :func:`changes_about` picks them, in the order a diff lists them, zeros
    left out: what a first edition's "What changed" says, counted without listing every record.
    Equal to counting ``changes_about(diff_editions(None, edition_of(...), ...), actor, issue)``."""
    listed = {name: plain(kind.snapshot(dossier, as_of), kind.columns) for name, kind in RECORD_KINDS.items() if kind.count_new is None}
    context = DiffContext(dossier, as_of, Edition(dossier.id, f"{as_of:%Y-%m-%d}", dossier.version, listed), None)
    counts: dict[str, int] = {}
    for name, kind in RECORD_KINDS.items():
        if kind.count_new is not None:
            found = kind.count_new(context, actor, issue)
        else:
            changes = kind.differ(pd.DataFrame(columns=list(kind.columns), dtype=object), listed[name], context)
            found = {} if changes is None or changes.empty else changes_about(changes, actor, issue)["change"].value_counts().to_dict()
        counts.update({change: int(found[change]) for change in kind.changes if found.get(change)})
    return counts


def changes_about(changes: pd.DataFrame, actor: str | None = None, issue: str | None = None) -> pd.DataFrame:
    """The changes about an actor and/or an issue (a change's ``actor_id`` and ``issue_id`` hold
    ``|``-joined ids): what an actor profile or issue brief lists, and its catalogue headline."""
    for subject, column in ((actor, "actor_id"), (issue, "issue_id")):
        if subject:
            ids = changes[column].map(lambda v: set(str(v).split("|")) if isinstance(v, str) else set())
            changes = changes.loc[ids.map(lambda found: subject in found).astype(bool)]
    return changes


def change_order() -> list[str]:
    """Every change a diff can list, in order (for counts that show zeros too)."""
    return [change for kind in RECORD_KINDS.values() for change in kind.changes]


def headline(changes: pd.DataFrame | None, limit: int = 8) -> str:
    """One line for a catalogue: ``new statement: 2 · stance shift: 1 · new event: 1`` (or ``no change``)."""
    if changes is None or changes.empty:
        return "no change"
    counts = changes["change"].value_counts()
    parts = [f"{c}: {int(counts[c])}" for c in change_order() if c in counts.index]
    more = len(parts) - limit
    return " · ".join(parts[:limit]) + (f" · {more} more kind(s)" if more > 0 else "")
