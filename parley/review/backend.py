"""The review notebook's one door to the dossier: reads for the view, decisions through the CLI's code.

Everything the notebook changes goes through the same functions ``parley review`` calls (accept,
reject, edit, the validator behind them, their messages), so a decision taken in the notebook is
the decision the CLI would take. This module only translates a card (what the analyst set in the
notebook) into those calls; when the dossier model changes, this is the file that follows it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from parley import paths
from parley.errors import IngestError
from parley.journal import recover_dossier
from parley.review import additions, decisions
from parley.review.evidence import occurrences
from parley.review.queue import read_candidates
from parley.review.store import read_csv
from parley.review import intake
from parley.data.schema import read_schema


@dataclass(frozen=True)
class SourceView:
    """A source as the notebook shows it."""

    source_id: str
    title: str
    outlet: str
    published: str
    text: str


@dataclass(frozen=True)
class ActorView:
    actor_id: str
    name: str
    kind: str
    parent_id: str
    participation: str = ""  # party | official | mediator | outside_voice | joint (empty in older dossiers)


@dataclass(frozen=True)
class IssueView:
    issue_id: str
    label: str
    minus2_means: str
    plus2_means: str


@dataclass(frozen=True)
class StatementView:
    """An utterance already coded (a candidate for "another report of …")."""

    statement_id: str
    source_id: str
    speaker_id: str
    text: str
    char_start: int
    char_end: int


@dataclass
class PositionDraft:
    """One position on a card; ``stance`` is ``None`` until the analyst (or a suggestion) sets it."""

    issue_id: str = ""
    stance: int | None = None
    red_line: bool = False
    condition: str = ""


@dataclass
class Card:
    """What the analyst has set for one proposal so far (nothing is written until a decision)."""

    candidate_id: str
    kind: str
    char_start: int
    char_end: int
    speaker_id: str = ""
    new_actor: str = ""
    new_actor_party: str = ""
    on_behalf_of: str | None = None  # None: the CLI's default (the speaker's state)
    positions: list[PositionDraft] = field(default_factory=list)
    report_of: str = ""
    note: str = ""


def card_from_row(row: dict[str, str]) -> Card:
    """A fresh card holding exactly what the queue proposes (accepting it unchanged = ``review accept ID``)."""
    issues = [i for i in row.get("issues", "").split("|") if i]
    stance = int(row["stance"]) if row.get("stance") not in ("", None) else None
    red_line = row.get("red_line") == "true"
    return Card(
        candidate_id=row["candidate_id"],
        kind=row["kind"],
        char_start=int(row["char_start"]),
        char_end=int(row["char_end"]),
        speaker_id=row.get("speaker_id", ""),
        new_actor="" if row.get("speaker_id") else row.get("new_actor", ""),
        positions=[PositionDraft(issue_id, stance, red_line) for issue_id in issues],
        report_of=row.get("report_of", ""),
        note=row.get("reviewer_note", ""),
    )


class Backend:
    """Reads and decisions for one dossier (a name or a folder)."""

    def __init__(self, dossier: str | Path = paths.DEFAULT_DOSSIER):
        self.dossier = dossier
        self.recovered: list[str] = []
        self.recover()
        self.folder = decisions._folder(dossier)

    def recover(self) -> list[str]:
        """Finish or undo a change a crash interrupted (a killed kernel mid-accept); the messages say what was done."""
        folder = paths.dossier_dir(self.dossier)
        if (folder / "datapackage.json").is_file():
            self.recovered = [r.message for r in recover_dossier(folder, quiet=True)]
        return self.recovered

    # --- reads -------------------------------------------------------------------------------
    def _table(self, name: str) -> list[dict[str, str]]:
        schema = read_schema(self.folder)
        return read_csv(self.folder / schema.tables[name].path)[1]

    def sources(self) -> list[dict[str, str]]:
        return self._table("sources")

    def source(self, source_id: str) -> SourceView:
        row = next((r for r in self.sources() if r["source_id"] == source_id), None)
        if row is None:
            known = ", ".join(r["source_id"] for r in self.sources()[:20])
            raise IngestError(f"source {source_id!r} is not in {self.folder / 'sources.csv'}; sources are {known}")
        text = decisions._source_texts(self.folder).get(source_id)
        if text is None:
            raise IngestError(f"source {source_id}: its seed file {row.get('seed_file', '')!r} cannot be read")
        return SourceView(source_id, row.get("title", ""), row.get("outlet", ""), row.get("published", ""), text)

    def candidates(self, source_id: str) -> list[dict[str, str]]:
        rows = [r for r in read_candidates(self.folder) if r["source_id"] == source_id]
        return sorted(rows, key=lambda r: (int(r["char_start"]), int(r["char_end"])))

    def actors(self) -> list[ActorView]:
        return [ActorView(r["actor_id"], r.get("name", ""), r.get("kind", ""), r.get("parent_id", ""), r.get("participation", "")) for r in self._table("actors")]

    def default_on_behalf(self, speaker_id: str, new_actor: str = "", party: str = "") -> str:
        """Whom a statement speaks for when the reviewer says nothing: the CLI's own rule (``decisions._on_behalf``)."""
        actors = {r["actor_id"]: r for r in self._table("actors")}
        if new_actor:
            return party  # a new speaker given a party is recorded as its official (``--new-actor X --on-behalf-of P``)
        return decisions._on_behalf(decisions.Decision(), speaker_id, actors, []) if speaker_id in actors else ""

    def issues(self) -> list[IssueView]:
        return [IssueView(r["issue_id"], r.get("label", ""), r.get("minus2_means", ""), r.get("plus2_means", "")) for r in self._table("issues")]

    def statements(self) -> list[StatementView]:
        """One view per report of an utterance (the living-dossier model's ``reports.csv``), or per
        statement where statements hold their own span (the older model)."""
        schema = read_schema(self.folder)
        statements = self._table("statements")
        spans = self._table("reports") if "reports" in schema.tables else statements
        speakers = {r["statement_id"]: r.get("speaker_id", "") for r in statements}
        return [
            StatementView(r["statement_id"], r["source_id"], speakers.get(r["statement_id"], ""), r.get("text", ""), int(r["char_start"]), int(r["char_end"]))
            for r in spans
            if r.get("char_start", "").isdigit() and r.get("char_end", "").isdigit()
        ]

    # --- decisions (the CLI's functions) -----------------------------------------------------
    def accept(self, card: Card, row: dict[str, str], coder: str) -> str:
        """Accept one card: ``review accept`` with the card's choices, its moved span or changed kind
        included (one transaction: a crash leaves the candidate as it was or accepted, never moved only)."""
        decision = self.decision(card, coder)
        if row.get("report_of") and not card.report_of:  # the analyst cleared ingest's "another report of …"
            decision = dataclasses.replace(decision, new_statement=True)
        moved = (card.char_start, card.char_end) != (int(row["char_start"]), int(row["char_end"]))
        decision = dataclasses.replace(decision, span=(card.char_start, card.char_end) if moved else None,
                                       kind=card.kind if card.kind != row["kind"] else None)
        (statement_id,) = decisions.accept(self.dossier, [card.candidate_id], decision)
        return statement_id

    @staticmethod
    def decision(card: Card, coder: str) -> decisions.Decision:
        """The CLI's :class:`Decision` for a card; refuses a position the analyst left unfinished."""
        if card.report_of:
            if "report_of" not in {f.name for f in dataclasses.fields(decisions.Decision)}:
                raise IngestError(
                    f"candidate {card.candidate_id}: 'another report of {card.report_of}' needs the reports table of the "
                    "living-dossier model, which this Parley does not have yet; clear it to accept as a new statement")
            # Another report of an utterance already coded: its speaker and positions are that utterance's.
            return decisions.Decision(report_of=card.report_of, coder=coder, note=card.note.strip())
        for number, position in enumerate(card.positions, start=1):
            if not position.issue_id:
                raise IngestError(f"candidate {card.candidate_id}: position {number} has no issue; choose one or remove the position")
            if position.stance is None:
                raise IngestError(f"candidate {card.candidate_id}: position {number} ({position.issue_id}) has no stance; set -2..+2 or remove the position")
        new = card.new_actor.strip()
        on_behalf = card.on_behalf_of
        if new and card.new_actor_party and on_behalf is None:
            on_behalf = card.new_actor_party
        return decisions.Decision(
            speaker=None if new else card.speaker_id,
            new_actor=new or None,
            actor_kind="person" if new else None,
            on_behalf_of=on_behalf,
            coder=coder,
            note=card.note.strip(),
            **_positions(card),
        )

    def reject(self, candidate_id: str, note: str = "") -> None:
        decisions.reject(self.dossier, [candidate_id], note)

    def enums(self) -> dict[str, list[str]]:
        """Allowed values of the fields the add forms offer as lists, read from datapackage.json (the one declaration)."""
        schema = read_schema(self.folder)
        wanted = {"actor_kind": ("actors", "kind"), "participation": ("actors", "participation"), "event_kind": ("events", "kind"),
                  "event_status": ("events", "status")}
        found = {}
        for key, (table, name) in wanted.items():
            field_ = schema.tables[table].by_name.get(name) if table in schema.tables else None
            found[key] = list(field_.enum or []) if field_ is not None else []
        return found

    def add(self, what: str, fields: dict[str, str], source_id: str, span: tuple[int, int] | None = None) -> str:
        """Add an actor, issue or event through :mod:`parley.review.additions` (``parley add``'s own
        functions, each one validated crash-safe transaction); ``span``, the analyst's selection, is
        the evidence: its words, and which occurrence of them it is."""
        function = _ADD[what]
        evidence, occurrence = "", None
        if span is not None:
            text = self.source(source_id).text
            evidence = text[span[0]:span[1]]
            occurrence = occurrences(text, evidence).index(span[0]) + 1
        elif what == "event":
            raise IngestError("add event: select the words of the article that report it first (they are its evidence)")
        return function(self.dossier, fields, source_id=source_id, evidence=evidence, occurrence=occurrence)

    def add_candidate(self, source_id: str, char_start: int, char_end: int) -> str:
        """Queue a span the analyst selected that no proposal covers; returns its candidate id."""
        return intake.add_candidate(self.dossier, source_id, char_start, char_end)


#: What the notebook's "+" adds, and the add service's function for each.
_ADD = {"actor": additions.add_actor, "issue": additions.add_issue, "event": additions.add_event}


def _positions(card: Card) -> dict:
    """The card's positions in the Decision's terms: one spec each when the decisions code takes a
    list (several positions, each its own stance), else one stance for every issue (the older model)."""
    specs = getattr(decisions, "PositionSpec", None)
    if specs is not None:
        return {"positions": tuple(specs(p.issue_id, p.stance, p.red_line, p.condition.strip()) for p in card.positions)}
    shapes = {(p.stance, p.red_line, p.condition.strip()) for p in card.positions}
    if len(shapes) > 1:
        raise IngestError(f"candidate {card.candidate_id}: positions with different stances, red lines or conditions need the "
                          "living-dossier decisions (several positions per statement), which this Parley does not have yet; give them one stance")
    stance, red_line, condition = shapes.pop() if shapes else (None, False, "")
    return {"issues": tuple(p.issue_id for p in card.positions), "stance": stance, "red_line": red_line, "condition": condition}
