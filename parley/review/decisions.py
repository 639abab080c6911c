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
from parley.review.queue import STATUSES, candidates_bytes, candidates_path, find, read_candidates, slugify, statement_kinds
from parley.journal import dossier_transaction
from parley.review.store import appended, read_csv, require_valid, validate_change
from parley.data.schema import read_schema

DEFAULT_CODER = "parley-review"


@dataclass(frozen=True)
class PositionSpec:
    """One position a reviewer codes for a statement: issue, stance, red line, condition."""

    issue: str
    stance: int
    red_line: bool = False
    condition: str = ""

    @classmethod
    def parse(cls, text: str) -> PositionSpec:
        """``ISSUE:STANCE[:redline][:condition]``, e.g. ``sanctions_relief:-2:redline`` or
        ``ceasefire:1::only with guarantees`` (the condition may hold colons)."""
        parts = str(text).split(":", 3)
        if len(parts) < 2 or not parts[0].strip():
            raise IngestError(f"--position {text!r}: write ISSUE:STANCE[:redline][:condition], e.g. sanctions_relief:-2:redline")
        issue, stance = parts[0].strip(), parts[1].strip()
        if stance not in {"-2", "-1", "0", "1", "2", "+1", "+2"}:
            raise IngestError(f"--position {text!r}: stance {stance!r} is not allowed; use an integer from -2 to 2")
        flag = parts[2].strip().lower() if len(parts) > 2 else ""
        if flag not in ("", "redline", "red_line", "red-line", "no"):
            raise IngestError(f"--position {text!r}: the third part is 'redline' or empty, not {flag!r}")
        return cls(issue, int(stance), flag in ("redline", "red_line", "red-line"), parts[3].strip() if len(parts) > 3 else "")


@dataclass
class Decision:
    """Overrides a reviewer may give when accepting (``None`` keeps the candidate's value).

    ``positions`` codes several positions at once, each with its own issue, stance, red line and
    condition; without it ``issues``/``stance``/``red_line``/``condition`` give one stance for
    every issue. ``report_of`` makes the candidate another report of an existing statement (an
    outlet's account of an utterance already in the dossier) instead of a new statement; a
    candidate ingest proposed as another report (its ``report_of`` column) is accepted so by
    default, and ``new_statement`` codes it as a new statement instead.
    ``on_behalf_of`` with ``new_actor`` records that party as the new actor's parent.
    ``span`` (code-point offsets) and ``kind`` move or re-kind the one candidate accepted, in the
    same transaction as the acceptance (what ``review edit`` then ``review accept`` would do).
    """

    speaker: str | None = None
    new_actor: str | None = None
    actor_kind: str | None = None
    participation: str | None = None
    on_behalf_of: str | None = None
    issues: tuple[str, ...] | None = None
    stance: int | None = None
    red_line: bool | None = None
    condition: str = ""
    positions: tuple[PositionSpec, ...] | None = None
    report_of: str | None = None
    new_statement: bool = False
    span: tuple[int, int] | None = None
    kind: str | None = None
    completeness: str | None = None
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
            _respan(row, _source_texts(folder).get(row["source_id"]), int(row["char_start"]), int(row["char_end"]))
        change.write(candidates_path(folder), candidates_bytes(rows))
    return row


def _respan(row: dict[str, str], text: str | None, start: int, end: int) -> None:
    """Move a candidate to ``start..end`` of its source; its text is re-read there, never typed in."""
    if text is None:
        raise IngestError(f"source {row['source_id']} of candidate {row['candidate_id']} has no readable seed file")
    if not 0 <= start < end <= len(text):
        raise IngestError(f"offsets {start}..{end} are outside source {row['source_id']} ({len(text)} characters); need 0 <= start < end <= {len(text)}")
    row["char_start"], row["char_end"], row["text"] = str(start), str(end), text[start:end]


def _edit_value(folder: Path, name: str, value: object) -> str:
    if name == "kind":
        _choice_of_kind(str(value), statement_kinds(folder))
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


def accept(dossier: str | Path, candidate_ids: list[str], decision: Decision | None = None, *, details: bool = False) -> list:
    """Accept candidates: append statements (or reports of existing ones), positions and new
    actors, then validate.

    Returns the ids of the statements created or reported again (with ``details``, pairs of the
    id and whether the candidate became another report of it). Nothing is written when any
    candidate cannot be accepted or when the validator finds a problem afterwards.
    """
    decision = decision or Decision()
    folder = _folder(dossier)
    schema = read_schema(folder)
    _check_decision(decision, schema)
    with dossier_transaction(folder, _action("review accept", candidate_ids), check=validate_change) as change:
        require_valid(folder)
        rows = read_candidates(folder)
        chosen = [find(rows, cid) for cid in candidate_ids]
        coding = _Coding.read(folder, schema)
        if decision.span is not None or decision.kind is not None:
            _amend(chosen, decision, coding.texts, statement_kinds(folder))
        created = [coding.accept_one(row, decision) for row in chosen]
        reported = [row["statement_id"] in coding.statements_before for row in chosen]
        for table, new_rows in (("actors", coding.new_actors), ("statements", coding.new_statements), ("reports", coding.new_reports),
                                ("positions", coding.new_positions)):
            if new_rows:
                path = folder / schema.tables[table].path
                change.write(path, appended(path, new_rows))
        change.write(candidates_path(folder), candidates_bytes(rows))
    return list(zip(created, reported, strict=True)) if details else created


def _amend(chosen: list[dict[str, str]], decision: Decision, texts: dict[str, str], kinds: tuple[str, ...]) -> None:
    """Apply a decision's span and kind to the one candidate it accepts (before it is coded)."""
    if len(chosen) != 1:
        raise IngestError(f"a new span or kind is for one candidate; {len(chosen)} were given")
    (row,) = chosen
    if row["status"] != "pending":
        raise IngestError(f"candidate {row['candidate_id']} is {row['status']}; only pending candidates can be accepted (edit --reopen a rejected one)")
    if decision.kind is not None:
        row["kind"] = _choice_of_kind(decision.kind, kinds)
    if decision.span is not None:
        _respan(row, texts.get(row["source_id"]), int(decision.span[0]), int(decision.span[1]))


def _choice_of_kind(kind: str, kinds: tuple[str, ...]) -> str:
    if kind not in kinds:
        raise IngestError(f"kind {kind!r} is not allowed; use one of {', '.join(kinds)}")
    return kind


def _check_decision(decision: Decision, schema) -> None:
    """The decision's kind, participation and completeness, against the enums ``datapackage.json`` declares."""
    for value, (table, field_name), what in ((decision.actor_kind, ("actors", "kind"), "actor kind"),
                                             (decision.participation, ("actors", "participation"), "participation"),
                                             (decision.completeness, ("reports", "completeness"), "completeness")):
        allowed = schema.enum(table, field_name)
        if value is not None and value not in allowed:
            raise IngestError(f"{what} {value!r} is not allowed; use one of {', '.join(allowed)}")
    for option, value in (("--date-said", decision.date_said), ("--date-reported", decision.date_reported)):
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise IngestError(f"{option} {value!r} is not an ISO date (YYYY-MM-DD)") from None
    if decision.report_of and (decision.positions or decision.issues or decision.stance is not None):
        raise IngestError("--report-of adds another report of a statement that has its positions already; give no --position, --issue or --stance with it")
    if decision.report_of and decision.new_statement:
        raise IngestError("--report-of and --new-statement contradict each other; give one")


def _codes_anew(decision: Decision) -> bool:
    """Whether a decision codes the candidate's own speaker or positions (so it cannot be a report of another statement)."""
    return bool(decision.positions or decision.issues or decision.stance is not None or decision.speaker is not None or decision.new_actor)


@dataclass
class _Coding:
    """The dossier's rows an acceptance needs, and the rows it adds."""

    actors: dict[str, dict[str, str]]
    members: dict[str, list[str]]
    issues: set[str]
    sources: dict[str, dict[str, str]]
    texts: dict[str, str]
    statements: dict[str, dict[str, str]]
    reports: set[str]
    new_actors: list[dict[str, str]]
    new_statements: list[dict[str, str]]
    new_reports: list[dict[str, str]]
    new_positions: list[dict[str, str]]

    @classmethod
    def read(cls, folder: Path, schema) -> _Coding:
        table = lambda name: read_csv(folder / schema.tables[name].path)[1]  # noqa: E731
        members: dict[str, list[str]] = {}
        for row in table("actor_members"):
            members.setdefault(row["group_id"], []).append(row["member_id"])
        return cls(actors={r["actor_id"]: r for r in table("actors")}, members=members, issues={r["issue_id"] for r in table("issues")},
                   sources={r["source_id"]: r for r in table("sources")}, texts=_source_texts(folder),
                   statements={r["statement_id"]: r for r in table("statements")}, reports={r["report_id"] for r in table("reports")},
                   new_actors=[], new_statements=[], new_reports=[], new_positions=[])

    @property
    def statements_before(self) -> set[str]:
        """Statements that were in the dossier before this acceptance."""
        return set(self.statements) - {row["statement_id"] for row in self.new_statements}

    def accept_one(self, row: dict[str, str], decision: Decision) -> str:
        """Code one pending candidate; returns its statement id (new, or the one it reports again)."""
        cid = row["candidate_id"]
        if row["status"] != "pending":
            raise IngestError(f"candidate {cid} is {row['status']}; only pending candidates can be accepted (edit --reopen a rejected one)")
        source = self.sources.get(row["source_id"])
        if source is None or row["source_id"] not in self.texts:
            raise IngestError(f"candidate {cid}: source {row['source_id']} is not registered with a readable seed file")
        start, end = int(row["char_start"]), int(row["char_end"])
        if self.texts[row["source_id"]][start:end] != row["text"]:
            raise IngestError(f"candidate {cid}: its text is not the source text at {start}..{end}; fix the offsets with `parley review edit`")
        date_reported = decision.date_reported or source.get("published", "")
        if not date_reported:
            raise IngestError(f"candidate {cid}: source {row['source_id']} has no publication date; give --date-reported YYYY-MM-DD")
        report_of = decision.report_of or ("" if decision.new_statement else row.get("report_of", ""))
        if report_of and not decision.report_of and _codes_anew(decision):
            raise IngestError(f"candidate {cid} is proposed as another report of {report_of} ({row.get('report_match') or 'similar'} words, score "
                              f"{row.get('report_score') or '?'}); accept it without --position, --issue, --stance, --speaker or --new-actor "
                              "to add the report, or give --new-statement to code it as a statement of its own")
        if report_of:
            statement_id = self._existing(report_of, cid)
        else:
            statement_id = self._new_statement(row, decision, cid)
        report_id = f"r_{row['source_id']}_{start}_{end}"
        if report_id in self.reports:
            raise IngestError(f"candidate {cid}: report {report_id} already exists")
        self.reports.add(report_id)
        notes = " ".join(filter(None, [decision.note, f"From candidate {cid} (speaker found by {row['method'] or 'reviewer'})."]))
        self.new_reports.append({
            "report_id": report_id, "statement_id": statement_id, "source_id": row["source_id"], "text": row["text"],
            "char_start": str(start), "char_end": str(end), "attribution_cue": row["attribution_cue"], "date_reported": date_reported,
            "completeness": decision.completeness or _completeness(row, source), "coder": decision.coder or DEFAULT_CODER, "notes": notes,
        })
        row["status"], row["statement_id"] = "accepted", statement_id
        if decision.note:
            row["reviewer_note"] = decision.note
        return statement_id

    def _existing(self, statement_id: str, cid: str) -> str:
        if statement_id not in self.statements:
            raise IngestError(f"candidate {cid}: --report-of {statement_id!r} is not a statement of the dossier"
                              "; if ingest proposed it, the statement is gone: give --new-statement or another --report-of")
        return statement_id

    def _new_statement(self, row: dict[str, str], decision: Decision, cid: str) -> str:
        speaker_id = _speaker(decision, row, self.actors, self.new_actors, cid)
        on_behalf = _on_behalf(decision, speaker_id, self.actors, self.new_actors)
        statement_id = f"s_{row['source_id']}_{row['char_start']}_{row['char_end']}"
        if statement_id in self.statements:
            raise IngestError(f"candidate {cid}: statement {statement_id} already exists")
        self.statements[statement_id] = {"statement_id": statement_id}
        self.new_statements.append({
            "statement_id": statement_id, "speaker_id": speaker_id, "on_behalf_of_id": on_behalf, "kind": row["kind"],
            "date_said": decision.date_said or "", "coder": decision.coder or DEFAULT_CODER, "review_status": "accepted",
            "notes": " ".join(filter(None, [decision.note, f"From candidate {cid}."])),
        })
        specs = self._specs(row, decision, cid)
        for holder in self._holders(speaker_id, on_behalf):
            for spec in specs:
                self.new_positions.append({
                    "position_id": f"p_{row['source_id']}_{row['char_start']}_{holder}_{spec.issue}", "statement_id": statement_id,
                    "issue_id": spec.issue, "actor_id": holder, "stance": str(spec.stance), "red_line": "true" if spec.red_line else "false",
                    "condition": spec.condition, "notes": decision.note,
                })
        return statement_id

    def _holders(self, speaker_id: str, on_behalf: str) -> list[str]:
        """Whose position the statement expresses: each member of a joint speaker, else the party it speaks for."""
        holder = on_behalf or speaker_id
        if not holder:
            return []
        actor = self.actors.get(holder) or next((a for a in self.new_actors if a["actor_id"] == holder), {})
        if actor.get("participation") == "joint":
            return self.members.get(holder, [])
        return [holder]

    def _known_issues(self, issues, cid: str) -> None:
        bad = [issue for issue in issues if issue not in self.issues]
        if bad:
            raise IngestError(f"candidate {cid}: issue(s) {', '.join(bad)} not in the dossier; issues are {', '.join(sorted(self.issues))}")

    def _specs(self, row: dict[str, str], decision: Decision, cid: str) -> list[PositionSpec]:
        if decision.positions is not None:
            specs = list(decision.positions)
        else:
            issues = decision.issues if decision.issues is not None else tuple(i for i in row["issues"].split("|") if i)
            self._known_issues(issues, cid)
            stance = decision.stance if decision.stance is not None else (int(row["stance"]) if row["stance"] not in ("", None) else None)
            if stance is None or not issues:
                return []
            red_line = decision.red_line if decision.red_line is not None else row["red_line"] == "true"
            specs = [PositionSpec(issue, stance, bool(red_line), decision.condition) for issue in issues]
        self._known_issues([spec.issue for spec in specs], cid)
        out_of_range = [spec.stance for spec in specs if not -2 <= spec.stance <= 2]
        if out_of_range:
            raise IngestError(f"stance {out_of_range[0]} is not allowed; use an integer from -2 to 2")
        seen = [spec.issue for spec in specs]
        if len(seen) != len(set(seen)):
            raise IngestError(f"candidate {cid}: one issue given twice ({', '.join(sorted({i for i in seen if seen.count(i) > 1}))}); one position per issue")
        return specs


def _completeness(row: dict[str, str], source: dict[str, str]) -> str:
    """A candidate's completeness unless the reviewer says: quotes are verbatim (translation in a
    translated source), truncated when ingest flagged them so, reported speech a paraphrase."""
    flags = set(row.get("flags", "").split("|"))
    if "truncated" in flags:
        return "truncated"
    if "partial_quote" in flags or row["kind"] != "direct_quote":
        return "paraphrase"
    return "translation" if source.get("translated_from") else "verbatim"


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
    new_actors.append(new_actor_row(name, decision, {*actors, *(a["actor_id"] for a in new_actors)}, actors, f"candidate {cid}"))
    return new_actors[-1]["actor_id"]


def new_actor_row(name: str, decision: Decision, taken: set[str], actors: dict[str, dict[str, str]], origin: str) -> dict[str, str]:
    """The actors.csv row of a new actor named ``name``.

    ``decision.on_behalf_of`` becomes its parent (and makes it an official of that party unless
    ``decision.participation`` says otherwise); a person with no party is an outside voice, a
    state, bloc or government a party.
    """
    base = slugify(name) or "actor_" + hashlib.sha256(name.encode()).hexdigest()[:8]
    actor_id, suffix = base, 2
    while actor_id in taken:
        actor_id, suffix = f"{base}_{suffix}", suffix + 1
    kind = decision.actor_kind or "person"
    parent = decision.on_behalf_of or ""
    if parent and parent not in actors:
        raise IngestError(f"--on-behalf-of {parent!r} is not an actor of the dossier")
    participation = decision.participation or ("official" if parent else "party" if kind in ("state", "government", "bloc") else
                                               "joint" if kind == "group" else "outside_voice")
    parts = name.split()
    aliases = [name] + ([parts[-1]] if kind == "person" and len(parts) > 1 else [])
    return {
        "actor_id": actor_id, "name": name, "kind": kind, "participation": participation, "parent_id": parent,
        "aliases": "|".join(dict.fromkeys(aliases)), "roles": "",
        "notes": f"Added by parley review from {origin}; check kind, participation, parent and roles.",
    }


def _on_behalf(decision: Decision, speaker_id: str, actors: dict[str, dict[str, str]], new_actors: list[dict[str, str]]) -> str:
    """The party a statement speaks for: the reviewer's, else an official speaker's party; empty otherwise."""
    if decision.on_behalf_of is not None:
        if decision.on_behalf_of and decision.on_behalf_of not in actors:
            raise IngestError(f"--on-behalf-of {decision.on_behalf_of!r} is not an actor of the dossier")
        return decision.on_behalf_of
    known = {**actors, **{a["actor_id"]: a for a in new_actors}}
    actor, hops = known.get(speaker_id), 0
    while actor and actor.get("participation") == "official" and actor.get("parent_id") and hops < 8:
        actor, hops = known.get(actor["parent_id"]), hops + 1
    if not actor or hops == 0:
        return ""
    return actor["actor_id"]
