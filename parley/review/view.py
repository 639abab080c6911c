"""What the review widget draws: a session as JSON-ready data (no markup here; the widget escapes).

Offsets are code points of the source text, as in every Parley table; the widget converts them
to and from the browser's UTF-16 positions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parley.review.queue import statement_kinds

if TYPE_CHECKING:
    from parley.review.session import ReviewSession


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def actor_label(session: ReviewSession, actor_id: str) -> str:
    actor = session.actors.get(actor_id)
    if actor is None:
        return actor_id
    parent = session.actors.get(actor.parent_id)
    return f"{actor.name} ({actor.kind}{', ' + parent.name if parent else ''})"


def marks(session: ReviewSession) -> list[dict]:
    """Every highlighted span: proposals (at their card's span while pending) and statements coded by hand."""
    found = []
    queued = set()
    for cid, row in session.rows.items():
        card = session.cards.get(cid)
        start, end = (card.char_start, card.char_end) if card else (int(row["char_start"]), int(row["char_end"]))
        status = row["status"]
        if status == "pending" and cid in session.skipped:
            status = "skipped"
        found.append({"id": cid, "start": start, "end": end, "status": status, "current": cid == session.current})
        queued.add((int(row["char_start"]), int(row["char_end"])))
    for statement in session.statements:
        if statement.source_id == session.source_id and (statement.char_start, statement.char_end) not in queued:
            found.append({"id": statement.statement_id, "start": statement.char_start, "end": statement.char_end, "status": "coded", "current": False})
    return sorted(found, key=lambda m: (m["start"], m["end"]))


def card_state(session: ReviewSession) -> dict | None:
    card = session.card
    if card is None:
        return None
    row = session.rows[card.candidate_id]
    speaker = card.speaker_id
    default_behalf = session.backend.default_on_behalf(speaker, card.new_actor, card.new_actor_party)
    positions = []
    for position in card.positions:
        issue = session.issues.get(position.issue_id)
        positions.append({
            "issue": position.issue_id,
            "label": issue.label if issue else "",
            "minus2": issue.minus2_means if issue else "",
            "plus2": issue.plus2_means if issue else "",
            "stance": position.stance,
            "red_line": position.red_line,
            "condition": position.condition,
        })
    return {
        "id": card.candidate_id,
        "kind": card.kind,
        "start": card.char_start,
        "end": card.char_end,
        "text": session.source.text[card.char_start:card.char_end],
        "moved": (card.char_start, card.char_end) != (int(row["char_start"]), int(row["char_end"])),
        "confidence": float(row.get("confidence") or 0),
        "method": row.get("method", ""),
        "cue": row.get("attribution_cue", ""),
        "mention": row.get("speaker_mention", ""),
        "speaker": speaker,
        "speaker_label": actor_label(session, speaker) if speaker else "",
        "proposed_speaker": row.get("speaker_id") or (f"new: {row['new_actor']}" if row.get("new_actor") else ""),
        "new_actor": card.new_actor,
        "new_actor_party": card.new_actor_party,
        "on_behalf_of": card.on_behalf_of,
        "default_on_behalf": default_behalf,
        "default_on_behalf_label": actor_label(session, default_behalf) if default_behalf else "",
        "positions": positions,
        "report_of": card.report_of,
        "note": card.note,
    }


def utterances(session: ReviewSession) -> list[dict]:
    """Statements of other sources, the choices for "another report of …" (same speaker first)."""
    speaker = session.card.speaker_id if session.card else ""
    first: dict[str, object] = {}
    for report in session.statements:  # one entry per utterance: its first report elsewhere
        if report.source_id != session.source_id:
            first.setdefault(report.statement_id, report)
    others = sorted(first.values(), key=lambda s: (s.speaker_id != speaker, s.statement_id))
    return [{"id": s.statement_id, "label": f"{s.statement_id} · {s.speaker_id or '?'}: “{_short(s.text, 60)}” ({s.source_id})"} for s in others]


def parties(session: ReviewSession) -> list[dict]:
    """Who a new speaker may belong to: the parties (living-dossier model), else states, governments and blocs."""
    actors = list(session.actors.values())
    chosen = [a for a in actors if a.participation == "party"] or [a for a in actors if a.kind in ("state", "government", "bloc", "organisation", "group")]
    return [{"id": a.actor_id, "label": a.name} for a in chosen]


def session_state(session: ReviewSession) -> dict:
    """The whole view of a session."""
    statuses = [r["status"] for r in session.rows.values()]
    ready = session.high_confidence_ready()
    return {
        "source": {"id": session.source_id, "title": session.source.title, "outlet": session.source.outlet, "published": session.source.published},
        "text": session.source.text,
        "marks": marks(session),
        "current": session.current,
        "card": card_state(session),
        "active_position": session.active_position,
        "actors": [{"id": a, "label": actor_label(session, a)} for a in sorted(session.actors)],
        "parties": parties(session),
        "issues": [{"id": i.issue_id, "label": i.label, "minus2": i.minus2_means, "plus2": i.plus2_means} for i in session.issues.values()],
        "utterances": utterances(session),
        "kinds": list(statement_kinds(session.backend.folder)),
        "enums": session.enums,
        "counts": {"total": len(statuses), "left": statuses.count("pending"), "accepted": statuses.count("accepted"),
                   "rejected": statuses.count("rejected"), "skipped": len(session.skipped & set(session.pending()))},
        "bulk": {"open": session.bulk_open, "threshold": session.high_confidence,
                 "ready": [{"id": cid, "label": f"{session.cards[cid].speaker_id or session.cards[cid].new_actor}: “{_short(session.rows[cid]['text'], 70)}”"} for cid in ready]},
        "message": {"level": session.message[0], "text": session.message[1]},
        "ack": session.ack,
    }
