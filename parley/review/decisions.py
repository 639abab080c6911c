"""Reviewing the queue: accept, reject or edit candidates.

Accepting is the only way into the curated tables. It appends a statement (and a position per
issue when speaker, issue and stance are known, and an actor when the speaker is new) to the
dossier's CSV files, then runs the validator; on any problem every file is restored. Rejected
candidates stay in the queue, marked, so the same article never proposes them again.

In a notebook, :func:`review_frame` shows the queue as a table with each candidate's context.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from parley import paths
from parley.errors import IngestError
from parley.review.queue import STATUSES, candidates_bytes, candidates_path, find, read_candidates
from parley.review.intake import slugify
from parley.ingest.propose import KINDS
from parley.fileio import dossier_transaction
from parley.review.store import appended, read_csv, require_valid, validate_change
from parley.data.schema import read_schema

ACTOR_KINDS = ("state", "government", "person", "organisation", "bloc", "group")
#: A speaker whose parent is one of these kinds speaks on its behalf by default (a minister for his state).
ON_BEHALF_KINDS = ("state", "government")
DEFAULT_CODER = "parley-review"


@dataclass
class Decision:
    """Overrides a reviewer may give when accepting (``None`` keeps the candidate's value)."""

    speaker: str | None = None
    new_actor: str | None = None
    actor_kind: str | None = None
    on_behalf_of: str | None = None
    issues: tuple[str, ...] | None = None
    stance: int | None = None
    red_line: bool | None = None
    condition: str = ""
    date_said: str | None = None
    date_reported: str | None = None
    coder: str = DEFAULT_CODER
    note: str = ""


def _folder(dossier: str | Path) -> Path:
    folder = paths.dossier_dir(dossier)
    read_schema(folder)  # a clear DossierNotFound when it is not a dossier
    return folder


def _action(command: str, candidate_ids: list[str]) -> str:
    """How a change is named in its journal (and in what recovery prints): short, one line."""
    shown = " ".join(candidate_ids)
    shown = shown if len(shown) <= 120 else shown[:119] + "…"
    return f"{command} {shown}".replace("\n", " ")


def list_candidates(dossier: str | Path = paths.DEFAULT_DOSSIER, status: str | None = "pending", source_id: str | None = None) -> list[dict[str, str]]:
    """Rows of the queue, optionally only one status (``None`` = all) and one source."""
    if status is not None and status not in STATUSES:
        raise IngestError(f"status {status!r} is not allowed; use one of {', '.join(STATUSES)}")
    rows = read_candidates(_folder(dossier))
    return [r for r in rows if (status is None or r["status"] == status) and (source_id is None or r["source_id"] == source_id)]


def review_frame(dossier: str | Path = paths.DEFAULT_DOSSIER, status: str | None = "pending", context: int = 80):
    """The queue as a pandas DataFrame with the text around each candidate (for a notebook)."""
    import pandas as pd

    folder = _folder(dossier)
    texts = _source_texts(folder)
    rows = []
    for row in list_candidates(folder, status):
        text = texts.get(row["source_id"], "")
        start, end = int(row["char_start"]), int(row["char_end"])
        rows.append(
            {
                "id": row["candidate_id"],
                "kind": row["kind"],
                "speaker": row["speaker_id"] or (f"NEW: {row['new_actor']}" if row["new_actor"] else ""),
                "issues": row["issues"],
                "stance": row["stance"],
                "confidence": float(row["confidence"] or 0),
                "context": f"…{text[max(0, start - context):start]}[[{text[start:end]}]]{text[end:end + context]}…".replace("\n", " "),
                "status": row["status"],
            }
        )
    return pd.DataFrame(rows)


def _source_texts(folder: Path) -> dict[str, str]:
    schema = read_schema(folder)
    _, sources = read_csv(folder / schema.tables["sources"].path)
    texts = {}
    for row in sources:
        path = schema.seed_path(row.get("seed_file", ""))  # never a file outside the seeds folder
        if path is not None and path.is_file():
            texts[row["source_id"]] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


def reject(dossier: str | Path, candidate_ids: list[str], note: str = "") -> list[str]:
    """Mark candidates rejected (kept in the queue so they are never proposed again)."""
    folder = _folder(dossier)
    with dossier_transaction(folder, _action("review reject", candidate_ids)) as change:
        rows = read_candidates(folder)
        chosen = [find(rows, cid) for cid in candidate_ids]
        for row in chosen:
            if row["status"] == "accepted":
                raise IngestError(f"candidate {row['candidate_id']} is accepted (statement {row['statement_id']}); remove the statement by hand instead")
            row["status"] = "rejected"
            if note:
                row["reviewer_note"] = note
        change.write(candidates_path(folder), candidates_bytes(rows))
    return [r["candidate_id"] for r in chosen]


EDITABLE = ("kind", "char_start", "char_end", "speaker_id", "new_actor", "issues", "stance", "red_line", "reviewer_note", "status")


def edit(dossier: str | Path, candidate_id: str, **changes: object) -> dict[str, str]:
    """Change fields of a pending or rejected candidate.

    Offsets may be moved (the text is then re-read from the source, never typed in); ``status``
    may be set back to ``pending`` to reopen a rejected candidate. Accepted candidates are final.
    """
    folder = _folder(dossier)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise IngestError(f"cannot edit {', '.join(unknown)}; editable fields are {', '.join(EDITABLE)}")
    with dossier_transaction(folder, _action("review edit", [candidate_id])) as change:
        rows = read_candidates(folder)
        row = find(rows, candidate_id)
        if row["status"] == "accepted":
            raise IngestError(f"candidate {row['candidate_id']} is already accepted (statement {row['statement_id']}); edit statements.csv instead")
        for name, value in changes.items():
            if value is None:
                continue
            value = _edit_value(folder, name, value)
            row[name] = value
        if "char_start" in changes or "char_end" in changes:
            text = _source_texts(folder).get(row["source_id"])
            if text is None:
                raise IngestError(f"source {row['source_id']} of candidate {row['candidate_id']} has no readable seed file")
            start, end = int(row["char_start"]), int(row["char_end"])
            if not 0 <= start < end <= len(text):
                raise IngestError(f"offsets {start}..{end} are outside source {row['source_id']} ({len(text)} characters); need 0 <= start < end <= {len(text)}")
            row["text"] = text[start:end]
        change.write(candidates_path(folder), candidates_bytes(rows))
    return row


def _edit_value(folder: Path, name: str, value: object) -> str:
    if name == "kind" and value not in KINDS:
        raise IngestError(f"kind {value!r} is not allowed; use one of {', '.join(KINDS)}")
    if name == "status" and value != "pending":
        raise IngestError("status can only be set back to pending here; use accept or reject to decide")
    if name in ("char_start", "char_end"):
        try:
            return str(int(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise IngestError(f"{name} {value!r} is not a whole number") from None
    if name == "stance" and value != "":
        if str(value) not in {"-2", "-1", "0", "1", "2"}:
            raise IngestError(f"stance {value!r} is not allowed; use an integer from -2 to 2")
    if name == "speaker_id" and value:
        actors = _actors(folder)
        if value not in actors:
            raise IngestError(f"speaker {value!r} is not an actor of the dossier; known actors: {', '.join(sorted(actors)[:30])}; or give --new-actor NAME")
    if name == "issues":
        issues = _issues(folder)
        values = list(value) if isinstance(value, (list, tuple)) else [v for v in str(value).split("|") if v]
        bad = [v for v in values if v not in issues]
        if bad:
            raise IngestError(f"issue(s) {', '.join(bad)} not in the dossier; issues are {', '.join(sorted(issues))}")
        return "|".join(values)
    if name == "red_line":
        return "true" if value in (True, "true") else "false"
    return str(value)


def _actors(folder: Path) -> dict[str, dict[str, str]]:
    schema = read_schema(folder)
    _, rows = read_csv(folder / schema.tables["actors"].path)
    return {r["actor_id"]: r for r in rows}


def _issues(folder: Path) -> set[str]:
    schema = read_schema(folder)
    _, rows = read_csv(folder / schema.tables["issues"].path)
    return {r["issue_id"] for r in rows}


def accept(dossier: str | Path, candidate_ids: list[str], decision: Decision | None = None) -> list[str]:
    """Accept candidates: append statements, positions and new actors, then validate.

    Returns the ids of the statements created. Nothing is written when any candidate cannot be
    accepted or when the validator finds a problem afterwards.
    """
    decision = decision or Decision()
    folder = _folder(dossier)
    schema = read_schema(folder)
    if decision.actor_kind is not None and decision.actor_kind not in ACTOR_KINDS:
        raise IngestError(f"actor kind {decision.actor_kind!r} is not allowed; use one of {', '.join(ACTOR_KINDS)}")
    for option, value in (("--date-said", decision.date_said), ("--date-reported", decision.date_reported)):
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise IngestError(f"{option} {value!r} is not an ISO date (YYYY-MM-DD)") from None
    with dossier_transaction(folder, _action("review accept", candidate_ids), check=validate_change) as change:
        require_valid(folder)
        rows = read_candidates(folder)
        chosen = [find(rows, cid) for cid in candidate_ids]
        actors = _actors(folder)
        issues = _issues(folder)
        _, sources = read_csv(folder / schema.tables["sources"].path)
        sources_by_id = {s["source_id"]: s for s in sources}
        texts = _source_texts(folder)
        _, statements = read_csv(folder / schema.tables["statements"].path)
        taken_statements = {s["statement_id"] for s in statements}
        new_actors: list[dict[str, str]] = []
        new_statements: list[dict[str, str]] = []
        new_positions: list[dict[str, str]] = []
        created: list[str] = []
        for row in chosen:
            cid = row["candidate_id"]
            if row["status"] != "pending":
                raise IngestError(f"candidate {cid} is {row['status']}; only pending candidates can be accepted (edit --reopen a rejected one)")
            source = sources_by_id.get(row["source_id"])
            if source is None or row["source_id"] not in texts:
                raise IngestError(f"candidate {cid}: source {row['source_id']} is not registered with a readable seed file")
            start, end = int(row["char_start"]), int(row["char_end"])
            if texts[row["source_id"]][start:end] != row["text"]:
                raise IngestError(f"candidate {cid}: its text is not the source text at {start}..{end}; fix the offsets with `parley review edit`")
            speaker_id = _speaker(decision, row, actors, new_actors, cid)
            on_behalf = _on_behalf(decision, speaker_id, actors, new_actors)
            date_reported = decision.date_reported or source.get("published", "")
            if not date_reported:
                raise IngestError(f"candidate {cid}: source {row['source_id']} has no publication date; give --date-reported YYYY-MM-DD")
            statement_id = f"s_{row['source_id']}_{start}_{end}"
            if statement_id in taken_statements:
                raise IngestError(f"candidate {cid}: statement {statement_id} already exists")
            taken_statements.add(statement_id)
            notes = " ".join(filter(None, [decision.note, f"From candidate {cid} (speaker found by {row['method'] or 'reviewer'})."]))
            new_statements.append(
                {
                    "statement_id": statement_id,
                    "source_id": row["source_id"],
                    "speaker_id": speaker_id,
                    "on_behalf_of_id": on_behalf,
                    "kind": row["kind"],
                    "text": row["text"],
                    "char_start": str(start),
                    "char_end": str(end),
                    "attribution_cue": row["attribution_cue"],
                    "date_said": decision.date_said or "",
                    "date_reported": date_reported,
                    "coder": decision.coder or DEFAULT_CODER,
                    "review_status": "accepted",
                    "notes": notes,
                }
            )
            chosen_issues = decision.issues if decision.issues is not None else tuple(i for i in row["issues"].split("|") if i)
            bad = [i for i in chosen_issues if i not in issues]
            if bad:
                raise IngestError(f"candidate {cid}: issue(s) {', '.join(bad)} not in the dossier; issues are {', '.join(sorted(issues))}")
            stance = decision.stance if decision.stance is not None else (int(row["stance"]) if row["stance"] not in ("", None) else None)
            if stance is not None and not -2 <= stance <= 2:
                raise IngestError(f"stance {stance} is not allowed; use an integer from -2 to 2")
            holder = on_behalf or speaker_id
            if holder and chosen_issues and stance is not None:
                red_line = decision.red_line if decision.red_line is not None else row["red_line"] == "true"
                for issue_id in chosen_issues:
                    new_positions.append(
                        {
                            "position_id": f"p_{row['source_id']}_{start}_{holder}_{issue_id}",
                            "statement_id": statement_id,
                            "issue_id": issue_id,
                            "actor_id": holder,
                            "stance": str(stance),
                            "red_line": "true" if red_line else "false",
                            "condition": decision.condition,
                            "notes": decision.note,
                        }
                    )
            row["status"] = "accepted"
            row["statement_id"] = statement_id
            if decision.note:
                row["reviewer_note"] = decision.note
            created.append(statement_id)
        if new_actors:
            path = folder / schema.tables["actors"].path
            change.write(path, appended(path, new_actors))
        path = folder / schema.tables["statements"].path
        change.write(path, appended(path, new_statements))
        if new_positions:
            path = folder / schema.tables["positions"].path
            change.write(path, appended(path, new_positions))
        change.write(candidates_path(folder), candidates_bytes(rows))
    return created


def _speaker(decision: Decision, row: dict[str, str], actors: dict[str, dict[str, str]], new_actors: list[dict[str, str]], cid: str) -> str:
    if decision.speaker is not None:
        if decision.speaker and decision.speaker not in actors and decision.speaker not in {a["actor_id"] for a in new_actors}:
            raise IngestError(f"--speaker {decision.speaker!r} is not an actor of the dossier; give an actor id or --new-actor NAME")
        return decision.speaker
    name = decision.new_actor if decision.new_actor is not None else ("" if row["speaker_id"] else row["new_actor"])
    if not name:
        return row["speaker_id"]
    for actor_id, actor in [*actors.items(), *((a["actor_id"], a) for a in new_actors)]:
        if actor.get("name", "").casefold() == name.casefold() or name in actor.get("aliases", "").split("|"):
            return actor_id
    base = slugify(name) or "actor_" + hashlib.sha256(name.encode()).hexdigest()[:8]
    actor_id = base
    taken = set(actors) | {a["actor_id"] for a in new_actors}
    suffix = 2
    while actor_id in taken:
        actor_id, suffix = f"{base}_{suffix}", suffix + 1
    kind = decision.actor_kind or "person"
    parts = name.split()
    aliases = [name] + ([parts[-1]] if kind == "person" and len(parts) > 1 else [])
    new_actors.append(
        {
            "actor_id": actor_id,
            "name": name,
            "kind": kind,
            "parent_id": "",
            "aliases": "|".join(dict.fromkeys(aliases)),
            "roles": "",
            "notes": f"Added by parley review from candidate {cid}; check kind, parent and roles.",
        }
    )
    return actor_id


def _on_behalf(decision: Decision, speaker_id: str, actors: dict[str, dict[str, str]], new_actors: list[dict[str, str]]) -> str:
    if decision.on_behalf_of is not None:
        if decision.on_behalf_of and decision.on_behalf_of not in actors:
            raise IngestError(f"--on-behalf-of {decision.on_behalf_of!r} is not an actor of the dossier")
        return decision.on_behalf_of
    actor = actors.get(speaker_id)
    if not actor or actor.get("kind") != "person":
        return ""
    parent = actors.get(actor.get("parent_id", ""))
    return parent["actor_id"] if parent and parent.get("kind") in ON_BEHALF_KINDS else ""
