"""A review session: the proposals of one source, decided one card at a time.

This is the review notebook's controller, and all of its behaviour: the widget in
:mod:`parley.review.widgets` only draws :meth:`ReviewSession.state` and sends back actions
(``{"do": "accept"}``, ``{"do": "stance", "value": -2}``, …) that :meth:`ReviewSession.dispatch`
carries out. Decisions go through :class:`parley.review.backend.Backend`, i.e. the CLI's code;
any :class:`~parley.errors.ParleyError` it raises becomes the session's message, word for word.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from parley import paths
from parley.errors import IngestError, ParleyError
from parley.review.backend import Backend, Card, PositionDraft, card_from_row

STANCES = (-2, -1, 0, 1, 2)
ADDABLE = ("actor", "issue", "event")
DEFAULT_HIGH_CONFIDENCE = 0.8
SHORT = 90


def _short(text: str, limit: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ReviewSession:
    """Proposals of one source (the first with pending proposals when ``source_id`` is empty)."""

    def __init__(self, dossier: str | Path = paths.DEFAULT_DOSSIER, source_id: str = "", *, coder: str = "parley-review",
                 high_confidence: float = DEFAULT_HIGH_CONFIDENCE, backend: Backend | None = None):
        if not 0 <= high_confidence <= 1:
            raise IngestError(f"high_confidence {high_confidence!r} is not allowed; use a number from 0 to 1")
        if not coder.strip():
            raise IngestError("coder is empty; give your name or initials (kept with every statement you accept)")
        self.backend = backend or Backend(dossier)
        self.coder = coder.strip()
        self.high_confidence = high_confidence
        self.source_id = source_id or self._first_source_with_work()
        self.source = self.backend.source(self.source_id)
        self.message: tuple[str, str] = ("info", "")
        self.current: str | None = None
        self.active_position = 0
        self.skipped: set[str] = set()
        self.bulk_open = False
        self.ack = 0  # the seq of the last action carried out (the widget knows when it is answered)
        self.cards: dict[str, Card] = {}
        self.reload()
        self.current = self._next_pending(None)
        if self.backend.recovered:  # a decision a crash interrupted (a killed kernel): say what recovery did
            self.message = ("info", "recovered: " + " ".join(self.backend.recovered))

    def _first_source_with_work(self) -> str:
        sources = self.backend.sources()
        if not sources:
            raise IngestError(f"{self.backend.folder}: the dossier has no source yet; run `parley ingest ARTICLE.txt` first")
        for source in sources:
            if any(r["status"] == "pending" for r in self.backend.candidates(source["source_id"])):
                return source["source_id"]
        return sources[0]["source_id"]

    # --- reading ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the queue and the dossier; cards of proposals still pending keep the analyst's edits."""
        self.rows = {r["candidate_id"]: r for r in self.backend.candidates(self.source_id)}
        self.cards = {cid: self.cards.get(cid) or card_from_row(row) for cid, row in self.rows.items() if row["status"] == "pending"}
        self.actors = {a.actor_id: a for a in self.backend.actors()}
        self.issues = {i.issue_id: i for i in self.backend.issues()}
        self.statements = self.backend.statements()
        self.enums = self.backend.enums()

    def pending(self) -> list[str]:
        """Ids still to decide, in text order (skipped ones included: skipping is not deciding)."""
        return [cid for cid, row in self.rows.items() if row["status"] == "pending"]

    def _next_pending(self, after: str | None, step: int = 1, fresh_first: bool = True) -> str | None:
        """The next (``step=-1``: previous) pending proposal after ``after``, going round; skipped ones last."""
        order = list(self.rows)
        if not order:
            return None
        base = order.index(after) if after in order else (-1 if step > 0 else len(order))
        ring = [order[(base + step * k) % len(order)] for k in range(1, len(order) + 1)]
        pending = [cid for cid in ring if self.rows[cid]["status"] == "pending"]
        fresh = [cid for cid in pending if cid not in self.skipped] if fresh_first else []
        return (fresh or pending or [None])[0]

    @property
    def card(self) -> Card | None:
        return self.cards.get(self.current) if self.current else None

    def high_confidence_ready(self) -> list[str]:
        """Pending proposals at or above the threshold whose card is complete (accepting them needs no choice)."""
        ready = []
        for cid in self.pending():
            card = self.cards[cid]
            complete = all(p.issue_id and p.stance is not None for p in card.positions) and (card.speaker_id or card.new_actor)
            if float(self.rows[cid].get("confidence") or 0) >= self.high_confidence and complete and not card.report_of:
                ready.append(cid)
        return ready

    # --- actions ----------------------------------------------------------------------------
    def dispatch(self, action: dict) -> None:
        """Carry out one action from the widget; a Parley error becomes the message, nothing else changes."""
        handler = ACTIONS.get(str(action.get("do")))
        if isinstance(action.get("seq"), int):
            self.ack = action["seq"]
        if handler is None:
            self.message = ("error", f"unknown action {action.get('do')!r}; actions are {', '.join(sorted(ACTIONS))}")
            return
        self.message = ("info", "")
        try:
            handler(self, action)
        except ParleyError as exc:
            self.message = ("error", str(exc))
            self.reload()

    def _need_card(self) -> Card:
        card = self.card
        if card is None:
            raise IngestError("no proposal is open: every proposal of this source is decided")
        return card

    def _position(self, action: dict) -> PositionDraft:
        card = self._need_card()
        if not card.positions:
            card.positions.append(PositionDraft())
            self.active_position = 0
        index = int(action.get("position", self.active_position))
        if not 0 <= index < len(card.positions):
            raise IngestError(f"position {index + 1} does not exist; this card has {len(card.positions)}")
        self.active_position = index
        return card.positions[index]

    def go(self, action: dict) -> None:
        """``{"do": "go", "to": "next" | "previous" | candidate id}``."""
        target = action.get("to", "next")
        if target in ("next", "previous"):
            self.current = self._next_pending(self.current, 1 if target == "next" else -1, fresh_first=False)
        elif target in self.rows:
            self.current = target
        else:
            raise IngestError(f"no proposal {target!r} in source {self.source_id}")
        self.active_position = 0

    def skip(self, _action: dict) -> None:
        card = self._need_card()
        self.skipped.add(card.candidate_id)
        self.current = self._next_pending(card.candidate_id)
        self.message = ("info", f"skipped {card.candidate_id}: still pending, it comes round again")

    def accept(self, _action: dict) -> None:
        card = self._need_card()
        statement_id = self.backend.accept(card, self.rows[card.candidate_id], self.coder)
        what = "another report of" if card.report_of else "statement"
        self._decided(card.candidate_id, f"accepted {card.candidate_id} as {what} {statement_id}")

    def reject(self, action: dict) -> None:
        card = self._need_card()
        self.backend.reject(card.candidate_id, str(action.get("note", "")).strip() or card.note.strip())
        self._decided(card.candidate_id, f"rejected {card.candidate_id}: it will not be proposed again")

    def _decided(self, cid: str, message: str) -> None:
        self.reload()
        self.skipped.discard(cid)
        self.current = self._next_pending(cid)
        self.active_position = 0
        left = len(self.pending())
        self.message = ("info", f"{message}; {left} left")

    def bulk(self, action: dict) -> None:
        """``{"do": "bulk", "step": "open" | "cancel" | "confirm"}``: look at the high-confidence list, then accept it."""
        step = action.get("step", "open")
        if step != "confirm":
            self.bulk_open = step == "open"
            return
        ready = self.high_confidence_ready()
        if not ready:
            raise IngestError(f"no pending proposal has confidence >= {self.high_confidence:.2f} and a complete card")
        done = []
        try:
            for cid in ready:
                done.append(self.backend.accept(self.cards[cid], self.rows[cid], self.coder))
        finally:
            self.bulk_open = False
            self.reload()
            self.current = self._next_pending(None)
        self.message = ("info", f"accepted {len(done)} high-confidence proposal(s): {', '.join(done)}; {len(self.pending())} left")

    def speaker(self, action: dict) -> None:
        """``{"do": "speaker", "actor": id}`` or ``{"do": "speaker", "new": name, "party": id}``."""
        card = self._need_card()
        if action.get("new") is not None:
            name, party = str(action["new"]).strip(), str(action.get("party") or "")
            if not name:
                raise IngestError("the new speaker's name is empty; type the name as the article gives it")
            if party and party not in self.actors:
                raise IngestError(f"party {party!r} is not an actor of the dossier")
            card.speaker_id, card.new_actor, card.new_actor_party = "", name, party
            return
        actor = str(action.get("actor", ""))
        if actor and actor not in self.actors:
            raise IngestError(f"speaker {actor!r} is not an actor of the dossier; choose one from the list or add a new one")
        card.speaker_id, card.new_actor, card.new_actor_party = actor, "", ""

    def on_behalf(self, action: dict) -> None:
        """``{"do": "on_behalf", "actor": id | "" | None}`` (``None``: the speaker's own state, as the CLI does)."""
        card = self._need_card()
        actor = action.get("actor")
        if actor and actor not in self.actors:
            raise IngestError(f"on behalf of {actor!r}: not an actor of the dossier")
        card.on_behalf_of = actor

    def kind(self, action: dict) -> None:
        self._need_card().kind = str(action.get("value", ""))

    def span(self, action: dict) -> None:
        """``{"do": "span", "start": n, "end": m}``: code-point offsets of a selection; on the open card, or a new proposal."""
        start, end = int(action["start"]), int(action["end"])
        text = self.source.text
        if not 0 <= start < end <= len(text):
            raise IngestError(f"offsets {start}..{end} are outside source {self.source_id} ({len(text)} characters)")
        if action.get("new"):
            cid = self.backend.add_candidate(self.source_id, start, end)
            self.reload()
            self.current = cid
            self.message = ("info", f"new proposal {cid} from the selection: choose its speaker")
            return
        card = self._need_card()
        card.char_start, card.char_end = start, end
        self.message = ("info", f"span set to {start}..{end}: “{_short(text[start:end], 60)}”")

    def add_position(self, _action: dict) -> None:
        card = self._need_card()
        card.positions.append(PositionDraft())
        self.active_position = len(card.positions) - 1

    def remove_position(self, action: dict) -> None:
        card = self._need_card()
        if card.positions:
            index = int(action.get("position", self.active_position))
            del card.positions[index]
            self.active_position = max(0, min(self.active_position, len(card.positions) - 1))

    def position(self, action: dict) -> None:
        """``{"do": "position", "position": i, "issue"|"stance"|"red_line"|"condition": value}``."""
        position = self._position(action)
        if "issue" in action:
            issue = str(action["issue"])
            if issue and issue not in self.issues:
                raise IngestError(f"issue {issue!r} is not in the dossier; issues are {', '.join(sorted(self.issues))}")
            position.issue_id = issue
        if "stance" in action:
            stance = action["stance"]
            if stance is not None and stance not in STANCES:
                raise IngestError(f"stance {stance!r} is not allowed; use an integer from -2 to 2")
            position.stance = stance
        if "red_line" in action:
            position.red_line = not position.red_line if action["red_line"] == "toggle" else bool(action["red_line"])
        if "condition" in action:
            position.condition = str(action["condition"])

    def report_of(self, action: dict) -> None:
        card = self._need_card()
        statement = str(action.get("statement", ""))
        if statement and statement not in {s.statement_id for s in self.statements}:
            raise IngestError(f"statement {statement!r} is not in the dossier")
        card.report_of = statement

    def add(self, action: dict) -> None:
        """``{"do": "add", "what": "actor"|"issue"|"event", "fields": {...}, "evidence": {"start", "end"}}``."""
        what = str(action.get("what", ""))
        if what not in ADDABLE:
            raise IngestError(f"cannot add {what!r}; add one of {', '.join(ADDABLE)}")
        fields = {str(k): str(v).strip() for k, v in (action.get("fields") or {}).items() if str(v).strip()}
        span = None
        if action.get("evidence"):
            span = int(action["evidence"]["start"]), int(action["evidence"]["end"])
            if not 0 <= span[0] < span[1] <= len(self.source.text):
                raise IngestError(f"evidence offsets {span[0]}..{span[1]} are outside source {self.source_id}")
        new_id = self.backend.add(what, fields, self.source_id, span)
        self.reload()
        words = self.source.text[span[0]:span[1]] if span else ""
        self.message = ("info", f"added {what} {new_id}" + (f" (evidence: “{_short(words, 60)}”)" if words else ""))

    def note(self, action: dict) -> None:
        self._need_card().note = str(action.get("text", ""))

    # --- the view ---------------------------------------------------------------------------
    def summary(self) -> str:
        """One line, stable across runs (the notebook's text output)."""
        statuses = [r["status"] for r in self.rows.values()]
        return (f"Review of {self.source_id} ({self.source.outlet or 'outlet unknown'}, {self.source.published or 'date unknown'}): "
                f"{len(statuses)} proposal(s), {statuses.count('pending')} left, {statuses.count('accepted')} accepted, "
                f"{statuses.count('rejected')} rejected; {len(self.high_confidence_ready())} at confidence >= {self.high_confidence:.2f}")

    def state(self) -> dict:
        """Everything the widget draws, as JSON-ready data (see :mod:`parley.review.view`)."""
        from parley.review.view import session_state

        return session_state(self)


ACTIONS: dict[str, Callable[[ReviewSession, dict], None]] = {
    "go": ReviewSession.go,
    "skip": ReviewSession.skip,
    "accept": ReviewSession.accept,
    "reject": ReviewSession.reject,
    "bulk": ReviewSession.bulk,
    "speaker": ReviewSession.speaker,
    "on_behalf": ReviewSession.on_behalf,
    "kind": ReviewSession.kind,
    "span": ReviewSession.span,
    "add_position": ReviewSession.add_position,
    "remove_position": ReviewSession.remove_position,
    "position": ReviewSession.position,
    "report_of": ReviewSession.report_of,
    "note": ReviewSession.note,
    "add": ReviewSession.add,
}
