"""Adding what the articles tell, without offsets: events, event status changes, actors, issues, aliases;
and the analyst's own notes (:func:`add_note`), which cite no source.

Evidence is given as the exact words of a source; :func:`parley.review.evidence.locate` finds
their offsets (an ambiguous or missing phrase is an error that lists what it found). Each function
is one crash-safe :func:`parley.journal.dossier_transaction` checked by the validator, so the CLI
(``parley add …``) and the review notebook change a dossier the same way::

    from parley.review import add_event, update_event
    add_event("riyadh_2025", {"title": "US–Ukraine talks in Jeddah", "kind": "talks", "status": "planned",
                              "parties": "usa|ukraine"}, source_id="afp_2025_03_10",
              evidence="talks in Jeddah on Tuesday")
    update_event("riyadh_2025", "us_ukraine_talks_in_jeddah", "held", source_id="afp_2025_03_11",
                 evidence="met in Jeddah")

``fields`` may be a dict (the notebook's form) or keywords; unknown names are refused. Every
function returns the id it created (``event_id``, ``update_id``, ``actor_id``, ``issue_id``,
``note_id``; the actor id for an alias).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from parley import paths
from parley.data.schema import PACKAGE_FILE, read_schema
from parley.errors import IngestError
from parley.journal import dossier_transaction
from parley.review.evidence import Span, locate
from parley.review.intake import slugify
from parley.review.store import appended, csv_bytes, read_csv, require_valid, validate_change

__all__ = ["add_actor", "add_alias", "add_event", "add_issue", "add_note", "update_event", "find_evidence"]

#: Fields each kind of addition takes (beyond source and evidence).
EVENT_FIELDS = ("title", "kind", "status", "date", "place", "parties", "hosts", "excluded", "notes")
ACTOR_FIELDS = ("name", "kind", "participation", "parent_id", "aliases", "roles", "members", "notes")
ISSUE_FIELDS = ("label", "description", "minus2_means", "plus2_means", "keywords")
NOTE_FIELDS = ("as_of", "notebook", "author", "written_on", "text")
#: The optional table of analyst's notes; a dossier that does not declare it yet gets the seed
#: dossier's declaration of it (the schema file every dossier is made from).
NOTES_TABLE = "analyst_notes"


@dataclass
class _Dossier:
    """A dossier folder and what an addition reads from it (inside the transaction's lock)."""

    folder: Path
    schema: object

    @classmethod
    def open(cls, dossier: str | Path) -> _Dossier:
        folder = paths.dossier_dir(dossier)
        return cls(folder, read_schema(folder))

    def path(self, table: str) -> Path:
        return self.folder / self.schema.tables[table].path

    def rows(self, table: str) -> list[dict[str, str]]:
        return read_csv(self.path(table))[1]

    def ids(self, table: str, key: str) -> set[str]:
        return {row[key] for row in self.rows(table)}

    def enum(self, table: str, field: str) -> list[str]:
        return list(self.schema.tables[table].by_name[field].enum or [])

    def source(self, source_id: str) -> dict[str, str]:
        for row in self.rows("sources"):
            if row["source_id"] == source_id:
                return row
        known = sorted(self.ids("sources", "source_id"))
        raise IngestError(f"source {source_id!r} is not in the dossier; sources are {', '.join(known[:20])}{' …' if len(known) > 20 else ''}")

    def text(self, source_id: str) -> str:
        row = self.source(source_id)
        path = self.schema.seed_path(row.get("seed_file", ""))
        if path is None or not path.is_file():
            raise IngestError(f"source {source_id!r} has no readable seed file ({row.get('seed_file', '')})")
        return path.read_bytes().decode("utf-8")  # bytes as they are: offsets count code points of the file


def _values(fields: Mapping[str, object] | None, extra: Mapping[str, object], allowed: tuple[str, ...], what: str) -> dict[str, str]:
    values = {**(fields or {}), **extra}
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise IngestError(f"{what}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    return {k: "" if v is None else str(v).strip() for k, v in values.items()}


def _choice(value: str, allowed: list[str], what: str) -> str:
    if value not in allowed:
        raise IngestError(f"{what} {value!r} is not allowed; use one of {', '.join(allowed)}")
    return value


def _new_id(text: str, taken: set[str], what: str) -> str:
    base = slugify(text)
    if not base:
        raise IngestError(f"{what}: {text!r} gives no id (it needs letters or digits)")
    new, suffix = base, 2
    while new in taken:
        new, suffix = f"{base}_{suffix}", suffix + 1
    return new


def _pipe(value: str) -> list[str]:
    return [item.strip() for item in value.split("|") if item.strip()]


def find_evidence(dossier: str | Path, source_id: str, evidence: str, occurrence: int | None = None) -> Span:
    """Where ``evidence`` (exact words) is in source ``source_id`` of ``dossier``; see :func:`locate`."""
    d = _Dossier.open(dossier)
    return locate(d.text(source_id), evidence, occurrence, source_id=f"source {source_id}")


def add_event(dossier: str | Path, fields: Mapping[str, object] | None = None, *, source_id: str, evidence: str,
              occurrence: int | None = None, **values: object) -> str:
    """Add an event reported by ``source_id`` in the words ``evidence``.

    Fields: ``title`` (required), ``kind`` (events.kind, default ``other``), ``status`` (default
    ``planned``), ``date`` (ISO, empty when unknown), ``place``, ``parties`` / ``hosts`` /
    ``excluded`` (actor ids, ``|`` between them: event_parties rows), ``notes``.
    """
    given = _values(fields, values, EVENT_FIELDS, "add event")
    if not given.get("title"):
        raise IngestError("add event: a title is required")
    d = _Dossier.open(dossier)
    span = locate(d.text(source_id), evidence, occurrence, source_id=f"source {source_id}")
    actors = d.ids("actors", "actor_id")
    roles = [(actor, role) for key, role in (("parties", "participant"), ("hosts", "host"), ("excluded", "excluded")) for actor in _pipe(given.get(key, ""))]
    unknown = sorted({actor for actor, _ in roles} - actors)
    if unknown:
        raise IngestError(f"add event: {', '.join(unknown)} not actors of the dossier (add them first: parley add actor)")
    event_id = _new_id(given["title"], d.ids("events", "event_id"), "add event")
    row = {
        "event_id": event_id, "date": given.get("date", ""), "kind": _choice(given.get("kind") or "other", d.enum("events", "kind"), "event kind"),
        "title": given["title"], "place": given.get("place", ""),
        "status": _choice(given.get("status") or "planned", d.enum("events", "status"), "event status"),
        "source_id": source_id, "evidence": span.text, "evidence_start": str(span.start), "evidence_end": str(span.end),
        "notes": given.get("notes", ""),
    }
    with dossier_transaction(d.folder, f"add event {event_id}", check=validate_change) as change:
        require_valid(d.folder)
        change.write(d.path("events"), appended(d.path("events"), [row]))
        if roles:
            rows = [{"event_id": event_id, "actor_id": actor, "role": role} for actor, role in roles]
            change.write(d.path("event_parties"), appended(d.path("event_parties"), rows))
    return event_id


def update_event(dossier: str | Path, event_id: str, status: str, *, source_id: str, evidence: str, occurrence: int | None = None,
                 date: str | None = None, date_reported: str | None = None, notes: str = "") -> str:
    """Record that ``source_id`` reports a new status of ``event_id`` (planned → held, postponed,
    cancelled…), in the words ``evidence``; ``date`` is the event's date from then on (a
    postponement's new date), ``date_reported`` the day the source said so (default its
    publication date; a live blog's later entry may be later)."""
    d = _Dossier.open(dossier)
    if event_id not in d.ids("events", "event_id"):
        raise IngestError(f"no event {event_id!r} in the dossier; add it first (parley add event)")
    _choice(status, d.enum("event_updates", "status"), "event status")
    span = locate(d.text(source_id), evidence, occurrence, source_id=f"source {source_id}")
    reported = date_reported or d.source(source_id).get("published", "")
    if not reported:
        raise IngestError(f"source {source_id} has no publication date; give date_reported (--date-reported YYYY-MM-DD)")
    update_id = _new_id(f"{event_id}_{status}_{reported}", d.ids("event_updates", "update_id"), "update event")
    row = {"update_id": update_id, "event_id": event_id, "status": status, "date": date or "", "date_reported": reported, "source_id": source_id,
           "evidence": span.text, "evidence_start": str(span.start), "evidence_end": str(span.end), "notes": notes}
    with dossier_transaction(d.folder, f"add status {event_id} {status}", check=validate_change) as change:
        require_valid(d.folder)
        change.write(d.path("event_updates"), appended(d.path("event_updates"), [row]))
    return update_id


def _evidence_note(d: _Dossier, source_id: str | None, evidence: str, occurrence: int | None) -> str:
    """A note naming where the source says it (the tables of actors and issues hold no offsets)."""
    if not evidence:
        return ""
    if not source_id:
        raise IngestError("evidence needs the source it is from (source_id / --source)")
    span = locate(d.text(source_id), evidence, occurrence, source_id=f"source {source_id}")
    return f"Evidence: {source_id} characters {span.start}–{span.end}, “{span.text}”."


def add_actor(dossier: str | Path, fields: Mapping[str, object] | None = None, *, source_id: str | None = None, evidence: str = "",
              occurrence: int | None = None, **values: object) -> str:
    """Add an actor: ``name`` (required), ``kind`` (default ``person``), ``participation`` (default:
    ``official`` with a ``parent_id``, ``party`` for a state, bloc or government, else
    ``outside_voice``; ``joint`` for a group), ``parent_id`` (the party an official speaks for),
    ``aliases`` and ``roles`` (``|`` between them), ``members`` (a joint speaker's member parties,
    ``|`` between them: actor_members rows), ``notes``. Evidence words, when given, are checked and
    noted."""
    given = _values(fields, values, ACTOR_FIELDS, "add actor")
    name = given.get("name", "")
    if not name:
        raise IngestError("add actor: a name is required")
    d = _Dossier.open(dossier)
    actors = {row["actor_id"]: row for row in d.rows("actors")}
    for actor_id, row in actors.items():
        if row.get("name", "").casefold() == name.casefold() or name in _pipe(row.get("aliases", "")):
            raise IngestError(f"add actor: {name!r} is already actor {actor_id!r}; add another name with parley add alias")
    kind = _choice(given.get("kind") or "person", d.enum("actors", "kind"), "actor kind")
    parent = given.get("parent_id", "")
    if parent and parent not in actors:
        raise IngestError(f"add actor: parent {parent!r} is not an actor of the dossier")
    default = "official" if parent and kind == "person" else "party" if kind in ("state", "government", "bloc") else "joint" if kind == "group" else "outside_voice"
    participation = _choice(given.get("participation") or default, d.enum("actors", "participation"), "participation")
    note = " ".join(filter(None, [given.get("notes", ""), _evidence_note(d, source_id, evidence, occurrence)]))
    actor_id = _new_id(name, set(actors), "add actor")
    aliases = list(dict.fromkeys([name, *_pipe(given.get("aliases", ""))]))
    row = {"actor_id": actor_id, "name": name, "kind": kind, "participation": participation, "parent_id": parent,
           "aliases": "|".join(aliases), "roles": "|".join(_pipe(given.get("roles", ""))), "notes": note}
    members = _pipe(given.get("members", ""))
    unknown = sorted(set(members) - set(actors))
    if unknown:
        raise IngestError(f"add actor: member(s) {', '.join(unknown)} not actors of the dossier")
    with dossier_transaction(d.folder, f"add actor {actor_id}", check=validate_change) as change:
        require_valid(d.folder)
        change.write(d.path("actors"), appended(d.path("actors"), [row]))
        if members:
            change.write(d.path("actor_members"), appended(d.path("actor_members"), [{"group_id": actor_id, "member_id": m} for m in members]))
    return actor_id


def add_issue(dossier: str | Path, fields: Mapping[str, object] | None = None, *, source_id: str | None = None, evidence: str = "",
              occurrence: int | None = None, **values: object) -> str:
    """Add an issue: ``label``, ``description``, ``minus2_means``, ``plus2_means`` (all required) and
    ``keywords`` (``|`` between them). Evidence words, when given, are checked (issues keep no note)."""
    given = _values(fields, values, ISSUE_FIELDS, "add issue")
    missing = [name for name in ISSUE_FIELDS[:4] if not given.get(name)]
    if missing:
        raise IngestError(f"add issue: {', '.join(missing)} required (what the issue is and what each end of its −2..+2 scale means)")
    d = _Dossier.open(dossier)
    _evidence_note(d, source_id, evidence, occurrence)
    issue_id = _new_id(given["label"], d.ids("issues", "issue_id"), "add issue")
    row = {"issue_id": issue_id, **{name: given.get(name, "") for name in ISSUE_FIELDS[:4]}, "keywords": "|".join(_pipe(given.get("keywords", "")))}
    with dossier_transaction(d.folder, f"add issue {issue_id}", check=validate_change) as change:
        require_valid(d.folder)
        change.write(d.path("issues"), appended(d.path("issues"), [row]))
    return issue_id


def add_alias(dossier: str | Path, actor_id: str, alias: str, *, source_id: str | None = None, occurrence: int | None = None) -> str:
    """Add another name of ``actor_id`` (as a source prints it: with ``source_id``, the name must
    occur in that source)."""
    alias = alias.strip()
    if not alias or "|" in alias:
        raise IngestError(f"add alias: {alias!r} is not a name (empty, or holds '|')")
    d = _Dossier.open(dossier)
    header, rows = read_csv(d.path("actors"))
    row = next((r for r in rows if r["actor_id"] == actor_id), None)
    if row is None:
        raise IngestError(f"add alias: no actor {actor_id!r} in the dossier")
    for other in rows:
        if alias in _pipe(other.get("aliases", "")) or other.get("name", "") == alias:
            raise IngestError(f"add alias: {alias!r} already names actor {other['actor_id']!r}")
    if source_id:
        locate(d.text(source_id), alias, occurrence or 1, source_id=f"source {source_id}")
    row["aliases"] = "|".join([*_pipe(row.get("aliases", "")), alias])
    with dossier_transaction(d.folder, f"add alias {actor_id}", check=validate_change) as change:
        require_valid(d.folder)
        change.write(d.path("actors"), csv_bytes([header, *([r.get(c, "") for c in header] for r in rows)]))
    return actor_id


def add_note(dossier: str | Path, fields: Mapping[str, object] | None = None, **values: object) -> str:
    """Add the analyst's own bottom line for the edition of ``as_of``: ``as_of``, ``author`` and
    ``text`` (required), ``notebook`` (whose pages show it; empty: the main briefing) and
    ``written_on`` (default today: the day a person writes it). A dossier that does not declare
    the optional ``analyst_notes`` table gets it in the same transaction. The text is kept as
    written (line breaks too); it is the analyst's, never a source's."""
    given = _values(fields, values, NOTE_FIELDS, "add note")
    missing = [name for name in ("as_of", "author", "text") if not given.get(name)]
    if missing:
        raise IngestError(f"add note: {', '.join(missing)} required (the edition's as-of date, who writes the note, and its text)")
    d = _Dossier.open(dossier)
    declared = NOTES_TABLE in d.schema.tables
    seed = d if declared else _Dossier.open(paths.PROJECT_ROOT / "data" / paths.DEFAULT_DOSSIER)
    if given.get("notebook"):
        _choice(given["notebook"], seed.enum(NOTES_TABLE, "notebook"), "add note: notebook")
    taken = d.ids(NOTES_TABLE, "note_id") if declared else set()
    note_id = _new_id(f"note {given['as_of']} {given.get('notebook') or 'briefing'}", taken, "add note")
    row = {"note_id": note_id, "as_of": given["as_of"], "notebook": given.get("notebook", ""), "author": given["author"],
           "written_on": given.get("written_on") or dt.date.today().isoformat(), "text": given["text"]}
    with dossier_transaction(d.folder, f"add note {note_id}", check=validate_change) as change:
        require_valid(d.folder)
        if declared:
            change.write(d.path(NOTES_TABLE), appended(d.path(NOTES_TABLE), [row]))
        else:
            resource = _seed_resource(seed)
            header = [f["name"] for f in resource["schema"]["fields"]]
            change.create(d.folder / resource["path"], csv_bytes([header, [row[name] for name in header]]))
            change.write(d.folder / PACKAGE_FILE, _with_resource(d.folder / PACKAGE_FILE, resource))
    return note_id


def _seed_resource(seed: _Dossier) -> dict:
    descriptor = json.loads((seed.folder / PACKAGE_FILE).read_text(encoding="utf-8"))
    return copy.deepcopy(next(r for r in descriptor["resources"] if r.get("name") == NOTES_TABLE))


def _with_resource(package: Path, resource: dict) -> bytes:
    """``datapackage.json`` with one more resource, written as the dossier writes it (2-space indent)."""
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"].append(resource)
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
