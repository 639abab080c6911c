"""``parley review``: list, show, accept, reject or edit proposed statements."""

from __future__ import annotations

import json

import click

from parley import paths

_dossier_option = click.option("--dossier", "-d", default=paths.DEFAULT_DOSSIER, show_default=True, help="Dossier name or folder.")


@click.group(name="review", context_settings={"help_option_names": ["-h", "--help"]})
def command() -> None:
    """Decide on the proposals `parley ingest` queued in <dossier>/candidates.csv.

    \b
    parley review list                       pending candidates (id, kind, speaker, suggested issue,
                                             stance, red line and their confidences, text)
    parley review show ID                    one candidate with its context
    parley review accept ID... [--issue ...] into statements.csv / positions.csv (validated)
    parley review reject ID... [--note ...]  remembered: never proposed again
    parley review edit ID [--start N ...]    fix span, speaker, issues or stance first

    Ids may be shortened to a unique prefix. In a notebook, parley.review.decisions.review_frame()
    shows the same queue as a table.
    """


@command.command(name="list")
@_dossier_option
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected", "all"]), default="pending", show_default=True)
@click.option("--source", "source_id", help="Only candidates of this source.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def list_command(dossier: str, status: str, source_id: str | None, as_json: bool) -> None:
    """List candidates of the review queue."""
    from parley.review.decisions import list_candidates

    rows = list_candidates(dossier, None if status == "all" else status, source_id)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"no {'' if status == 'all' else status + ' '}candidates")
        return
    for row in rows:
        speaker = row["speaker_id"] or (f"NEW:{row['new_actor']}" if row["new_actor"] else "-")
        text = row["text"] if len(row["text"]) <= 70 else row["text"][:69] + "…"
        issue = (row["issues"] or "-").split("|")[0]
        issue_conf = f" {row['issue_confidence']}" if row.get("issue_confidence") and row["issues"] else ""
        stance = (f"{int(row['stance']):+d}" if row.get("stance") not in ("", None) else "-") + (" RED" if row.get("red_line") == "true" else "")
        stance_conf = f" {row['stance_confidence']}" if row.get("stance") not in ("", None) else ""
        report = f"  another report of {row['report_of']} ({row['report_match']}, score {row['report_score']})" if row.get("report_of") else ""
        click.echo(f"{row['candidate_id']}  {row['status']:8}  {row['kind']:15}  {speaker:18}  {issue + issue_conf:28}  {stance + stance_conf:12}  {row['confidence']}  {text!r}{report}")
    click.echo(f"{len(rows)} candidate(s)")


@command.command(name="show")
@_dossier_option
@click.argument("candidate_id")
def show_command(dossier: str, candidate_id: str) -> None:
    """Show one candidate with the text around it."""
    from parley.review.queue import find
    from parley.review.decisions import _folder, _source_texts, read_candidates

    folder = _folder(dossier)
    row = find(read_candidates(folder), candidate_id)
    text = _source_texts(folder).get(row["source_id"], "")
    start, end = int(row["char_start"]), int(row["char_end"])
    for name, value in row.items():
        if name != "text":
            click.echo(f"{name:16} {value}")
    click.echo(f"\n…{text[max(0, start - 200):start]}[[{text[start:end]}]]{text[end:end + 200]}…")


@command.command(name="accept")
@_dossier_option
@click.argument("candidate_ids", nargs=-1, required=True, metavar="ID...")
@click.option("--speaker", help="Actor id of the speaker (overrides the proposal; '' for none).")
@click.option("--new-actor", help="Name of a new actor to add as the speaker.")
@click.option("--actor-kind", type=click.Choice(["state", "government", "person", "organisation", "bloc", "group"]), help="Kind of the new actor (default person).")
@click.option("--participation", type=click.Choice(["party", "official", "mediator", "outside_voice", "joint"]),
              help="How the new actor takes part (default: official with --on-behalf-of, party for a state/bloc/government, else outside_voice).")
@click.option("--on-behalf-of", help="Party the speaker speaks for (default: an official's party); with --new-actor it becomes the new actor's parent.")
@click.option("--position", "positions", multiple=True, metavar="ISSUE:STANCE[:redline][:condition]",
              help="One position (repeatable), each with its own issue, stance, red line and condition: --position sanctions_relief:-2:redline "
                   "--position ukraine_participation:2. Replaces --issue/--stance.")
@click.option("--issue", "issues", multiple=True, help="Issue id (repeatable); overrides the suggested issues (one stance for all: use --position for several).")
@click.option("--stance", type=click.IntRange(-2, 2), help="Stance -2..+2 on the issues; overrides the suggestion.")
@click.option("--red-line/--no-red-line", default=None, help="Whether the position is a red line.")
@click.option("--condition", default="", help="Condition attached to the position, in your words.")
@click.option("--report-of", metavar="STATEMENT_ID", help="The candidate is another report of this statement (same utterance, another outlet's words): no new statement.")
@click.option("--new-statement", is_flag=True, help="Code the candidate as a statement of its own although ingest proposed it as another report of one.")
@click.option("--completeness", type=click.Choice(["verbatim", "translation", "partial", "truncated", "paraphrase"]),
              help="How much of the utterance this report gives (default: verbatim quote, translation in a translated source, paraphrase for reported speech).")
@click.option("--date-said", metavar="YYYY-MM-DD", help="When it was said, if the source says.")
@click.option("--date-reported", metavar="YYYY-MM-DD", help="Needed only when the source has no publication date.")
@click.option("--coder", default="parley-review", show_default=True, help="Who coded it (you).")
@click.option("--note", default="", help="Reviewer's note, kept with the statement.")
def accept_command(dossier, candidate_ids, speaker, new_actor, actor_kind, participation, on_behalf_of, positions, issues, stance, red_line, condition,
                   report_of, new_statement, completeness, date_said, date_reported, coder, note) -> None:
    """Accept candidates into statements.csv, reports.csv and positions.csv (validated; all or nothing).

    \b
    A statement by an official counts for their party; a joint speaker's positions are coded for
    each member party. Several positions of one statement: repeat --position.
    """
    from parley.review.decisions import Decision, PositionSpec, accept

    decision = Decision(
        participation=participation,
        positions=tuple(PositionSpec.parse(p) for p in positions) if positions else None,
        report_of=report_of,
        new_statement=new_statement,
        completeness=completeness,
        speaker=speaker,
        new_actor=new_actor,
        actor_kind=actor_kind,
        on_behalf_of=on_behalf_of,
        issues=tuple(issues) if issues else None,
        stance=stance,
        red_line=red_line,
        condition=condition,
        date_said=date_said,
        date_reported=date_reported,
        coder=coder,
        note=note,
    )
    for statement_id, reported in accept(dossier, list(candidate_ids), decision, details=True):
        click.echo(f"accepted: {'another report of' if reported else 'statement'} {statement_id}")


@command.command(name="reject")
@_dossier_option
@click.argument("candidate_ids", nargs=-1, required=True, metavar="ID...")
@click.option("--note", default="", help="Why (kept in the queue).")
def reject_command(dossier: str, candidate_ids: tuple[str, ...], note: str) -> None:
    """Reject candidates; they stay in the queue so they are never proposed again."""
    from parley.review.decisions import reject

    for candidate_id in reject(dossier, list(candidate_ids), note):
        click.echo(f"rejected: {candidate_id}")


@command.command(name="edit")
@_dossier_option
@click.argument("candidate_id", metavar="ID")
@click.option("--start", "char_start", type=int, help="New start offset (the text is re-read from the source).")
@click.option("--end", "char_end", type=int, help="New end offset (exclusive).")
@click.option("--kind", type=click.Choice(["direct_quote", "reported_speech", "assessment"]))
@click.option("--speaker", "speaker_id", help="Actor id of the speaker ('' for none).")
@click.option("--new-actor", help="Name of a new actor as the speaker ('' for none).")
@click.option("--issue", "issues", multiple=True, help="Issue id (repeatable); replaces the suggested issues.")
@click.option("--stance", type=click.IntRange(-2, 2))
@click.option("--red-line/--no-red-line", default=None)
@click.option("--note", "reviewer_note", help="Reviewer's note.")
@click.option("--reopen", is_flag=True, help="Set a rejected candidate back to pending.")
def edit_command(dossier, candidate_id, char_start, char_end, kind, speaker_id, new_actor, issues, stance, red_line, reviewer_note, reopen) -> None:
    """Edit a pending (or rejected) candidate before deciding."""
    from parley.review.decisions import edit

    row = edit(
        dossier,
        candidate_id,
        char_start=char_start,
        char_end=char_end,
        kind=kind,
        speaker_id=speaker_id,
        new_actor=new_actor,
        issues=list(issues) if issues else None,
        stance=stance,
        red_line=red_line,
        reviewer_note=reviewer_note,
        status="pending" if reopen else None,
    )
    click.echo(f"edited: {row['candidate_id']}  {row['kind']}  {row['speaker_id'] or row['new_actor'] or '-'}  {row['text']!r}")
