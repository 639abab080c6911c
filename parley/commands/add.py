"""``parley add``: events, event status changes, actors, issues and aliases, with evidence as exact words;
and the analyst's own notes."""

from __future__ import annotations

import click

from parley import paths

_dossier_option = click.option("--dossier", "-d", default=paths.DEFAULT_DOSSIER, show_default=True, help="Dossier name or folder.")
_source_option = click.option("--source", "source_id", metavar="SOURCE_ID", help="Source whose words are the evidence.")
_evidence_option = click.option("--evidence", default="", metavar="WORDS",
                                help="The exact words of the source that say it; Parley finds their offsets.")
_occurrence_option = click.option("--occurrence", type=click.IntRange(min=1), metavar="N",
                                  help="Which occurrence of the words (1 = first) when they are in the source more than once.")


@click.group(name="add", context_settings={"help_option_names": ["-h", "--help"]})
def command() -> None:
    """Add what the articles tell, giving evidence as the source's own words (never offsets).

    \b
    parley add event --title T --kind talks --status planned --party usa --party ukraine \\
                     --source SRC --evidence "talks in Jeddah on Tuesday"
    parley add status EVENT_ID held --source SRC --evidence "met in Jeddah"
    parley add actor "JD Vance" --parent usa            (an official of the United States)
    parley add issue --label L --description D --minus2 M --plus2 P
    parley add alias ACTOR_ID "Name as printed" [--source SRC]
    parley add note --as-of 2025-02-18 --author "A. Analyst" "Your bottom line."

    Words that are not in the source, or are there more than once (choose with --occurrence N),
    stop with a message listing what was found. Every change is validated and crash-safe; the
    same functions are parley.review.add_event, update_event, add_actor, add_issue, add_alias,
    add_note.
    """


@command.command(name="event")
@_dossier_option
@click.option("--title", required=True, help="Display title of the event.")
@click.option("--kind", default="other", show_default=True, help="events.kind: meeting, summit, visit, talks, announcement, other.")
@click.option("--status", default="planned", show_default=True, help="held, planned, postponed or cancelled, as this source reports it.")
@click.option("--date", default="", metavar="YYYY-MM-DD", help="Date of the event; leave it out when the source gives none.")
@click.option("--place", default="", help="Where it is held.")
@click.option("--party", "parties", multiple=True, metavar="ACTOR_ID", help="A participant (repeatable).")
@click.option("--host", "hosts", multiple=True, metavar="ACTOR_ID", help="A host (repeatable).")
@click.option("--excluded", multiple=True, metavar="ACTOR_ID", help="A party to the matter left out (repeatable).")
@click.option("--notes", default="", help="Coder's notes.")
@click.option("--source", "source_id", required=True, metavar="SOURCE_ID", help="Source that reports the event.")
@click.option("--evidence", required=True, metavar="WORDS", help="The exact words of the source that report it.")
@_occurrence_option
def event_command(dossier, title, kind, status, date, place, parties, hosts, excluded, notes, source_id, evidence, occurrence) -> None:
    """Add an event, anchored to the words of the source that reports it."""
    from parley.review.additions import add_event

    event_id = add_event(dossier, {"title": title, "kind": kind, "status": status, "date": date, "place": place, "parties": "|".join(parties),
                                   "hosts": "|".join(hosts), "excluded": "|".join(excluded), "notes": notes},
                         source_id=source_id, evidence=evidence, occurrence=occurrence)
    click.echo(f"added: event {event_id}")


@command.command(name="status")
@_dossier_option
@click.argument("event_id")
@click.argument("status", metavar="STATUS")
@click.option("--source", "source_id", required=True, metavar="SOURCE_ID", help="Source that reports the change.")
@click.option("--evidence", required=True, metavar="WORDS", help="The exact words of the source that say so.")
@_occurrence_option
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="The event's date from now on (a postponement's new date).")
@click.option("--date-reported", default=None, metavar="YYYY-MM-DD", help="When the source said so (default its publication date; a live blog's entry may be later).")
@click.option("--notes", default="", help="Coder's notes.")
def status_command(dossier, event_id, status, source_id, evidence, occurrence, date, date_reported, notes) -> None:
    """Record an event's new STATUS (held, planned, postponed, cancelled) with the source that says so."""
    from parley.review.additions import update_event

    update_id = update_event(dossier, event_id, status, source_id=source_id, evidence=evidence, occurrence=occurrence, date=date,
                             date_reported=date_reported, notes=notes)
    click.echo(f"added: {event_id} is {status} (update {update_id})")


@command.command(name="actor")
@_dossier_option
@click.argument("name")
@click.option("--kind", default="person", show_default=True, help="actors.kind: state, government, person, organisation, bloc, group.")
@click.option("--participation", help="party, official, mediator, outside_voice or joint (default: official with --parent, "
                                      "party for a state/government/bloc, else outside_voice).")
@click.option("--parent", "parent_id", default="", metavar="ACTOR_ID", help="The party an official speaks for (or a researcher's institute).")
@click.option("--alias", "aliases", multiple=True, help="Another name used in the sources (repeatable).")
@click.option("--role", "roles", multiple=True, help="A role used to refer to the actor, such as 'US Vice President' (repeatable).")
@click.option("--member", "members", multiple=True, metavar="ACTOR_ID", help="A member party of a joint speaker (repeatable; with --kind group).")
@click.option("--notes", default="", help="Coder's notes.")
@_source_option
@_evidence_option
@_occurrence_option
def actor_command(dossier, name, kind, participation, parent_id, aliases, roles, members, notes, source_id, evidence, occurrence) -> None:
    """Add an actor named NAME."""
    from parley.review.additions import add_actor

    actor_id = add_actor(dossier, {"name": name, "kind": kind, "participation": participation or "", "parent_id": parent_id,
                                   "aliases": "|".join(aliases), "roles": "|".join(roles), "members": "|".join(members), "notes": notes},
                         source_id=source_id, evidence=evidence, occurrence=occurrence)
    click.echo(f"added: actor {actor_id}")


@command.command(name="issue")
@_dossier_option
@click.option("--label", required=True, help="Short display label.")
@click.option("--description", required=True, help="What the issue covers.")
@click.option("--minus2", "minus2_means", required=True, help="What a stance of -2 means.")
@click.option("--plus2", "plus2_means", required=True, help="What a stance of +2 means.")
@click.option("--keyword", "keywords", multiple=True, help="A word suggesting the issue in new statements (repeatable).")
@_source_option
@_evidence_option
@_occurrence_option
def issue_command(dossier, label, description, minus2_means, plus2_means, keywords, source_id, evidence, occurrence) -> None:
    """Add an issue with its stance scale."""
    from parley.review.additions import add_issue

    issue_id = add_issue(dossier, {"label": label, "description": description, "minus2_means": minus2_means, "plus2_means": plus2_means,
                                   "keywords": "|".join(keywords)}, source_id=source_id, evidence=evidence, occurrence=occurrence)
    click.echo(f"added: issue {issue_id}")


@command.command(name="alias")
@_dossier_option
@click.argument("actor_id")
@click.argument("alias")
@_source_option
@_occurrence_option
def alias_command(dossier, actor_id, alias, source_id, occurrence) -> None:
    """Add ALIAS as another name of ACTOR_ID (with --source, the name must be in that source)."""
    from parley.review.additions import add_alias

    add_alias(dossier, actor_id, alias, source_id=source_id, occurrence=occurrence)
    click.echo(f"added: alias {alias!r} of {actor_id}")


@command.command(name="note")
@_dossier_option
@click.argument("text")
@click.option("--as-of", "as_of", required=True, metavar="YYYY-MM-DD", help="As-of date of the edition the note is for: its pages show it.")
@click.option("--author", required=True, help="Who writes the note, as the page should name them.")
@click.option("--notebook", default="", help="Notebook whose pages show it: briefing, actor_profile, issue_brief, dataset_qa (default: the main briefing).")
@click.option("--written-on", "written_on", default="", metavar="YYYY-MM-DD", help="Day the note was written (default: today).")
def note_command(dossier, text, as_of, author, notebook, written_on) -> None:
    """Add TEXT, the analyst's own bottom line for an edition (table analyst_notes), shown above the
    machine-made bottom line and marked as the author's. It cites no source; no machine writes one."""
    from parley.review.additions import add_note

    note_id = add_note(dossier, {"as_of": as_of, "author": author, "notebook": notebook, "written_on": written_on, "text": text})
    click.echo(f"added: note {note_id}")
