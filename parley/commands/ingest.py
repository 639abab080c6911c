"""``parley ingest``: add articles to a dossier and queue their proposed statements for review."""

from __future__ import annotations

import json

import click

from parley import paths
from parley.errors import IngestError


@click.command(name="ingest")
@click.argument("articles", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str), metavar="ARTICLE...")
@click.option("--dossier", "-d", default=paths.DEFAULT_DOSSIER, show_default=True, help="Dossier name under the data folder, or a dossier folder.")
@click.option("--title", help="Headline as printed (default: the first line of the text).")
@click.option("--outlet", help="Publishing outlet; left empty when not given.")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date; left empty when not given (never guessed).")
@click.option("--url", help="Canonical URL; left empty when not given.")
@click.option("--author", help="Author as printed; left empty when not given.")
@click.option("--source-id", help="Id of the new source (default <outlet>_<yyyy_mm_dd> or source_<sha8>).")
@click.option("--headlines", is_flag=True, help="Also propose what headlines quote or report (by default a headline is not a statement).")
@click.option("--kind", "source_kind", type=click.Choice(["article", "live_blog", "wire", "press_release", "transcript", "other"]), default="article",
              show_default=True, help="What sort of text: a live_blog's entries may be dated after its publication date.")
@click.option("--origin", help="Wire or outlet this text republishes (SpaceWar carrying AFP: AFP); empty for the outlet's own reporting.")
@click.option("--reliability", type=click.Choice(list("ABCDEF")), help="Admiralty reliability grade of the source, A (completely reliable) to F (cannot be judged).")
@click.option("--allow-no-quotes", is_flag=True, hidden=True, help="No longer needed: an article without quotations is ingested for its reported speech.")
@click.option("--skip-unbalanced", is_flag=True, hidden=True, help="No longer needed: a quotation left open is proposed and flagged truncated.")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def command(articles, dossier, title, outlet, published, url, author, source_id, headlines, source_kind, origin, reliability, allow_no_quotes, skip_unbalanced, as_json) -> None:
    """Copy ARTICLE into the seeds, register its source and propose its statements.

    Every direct quotation and reported statement is proposed with its offsets, a speaker from
    the dossier's actors (or a new actor), suggested issues and a stance. Proposals wait in
    <dossier>/candidates.csv as pending until `parley review` accepts or rejects them; nothing
    reaches statements.csv or positions.csv before that. Ingesting the same article again
    proposes nothing twice.

    \b
    Real wire copy goes in as it is: a quotation over several paragraphs is one
    proposal (its paragraph breaks kept), a quotation the excerpt cuts off is
    proposed and flagged truncated, a short quoted phrase inside a reported
    statement stays part of it, "Quote:" labels are no speakers, and headlines
    are left out unless --headlines. Only what is not an article (empty, binary,
    not UTF-8, HTML/XML/RTF markup, over 1 MB, not English) is refused, with
    exit status 2, and nothing changes. With several articles each one is
    ingested on its own; a bad one stops the run, the ones before it stay ingested.
    """
    from tqdm import tqdm

    from parley.review.intake import ingest_article

    if len(articles) > 1 and (title or url or source_id or author):
        raise IngestError("--title, --url, --author and --source-id describe one article; ingest several articles without them")
    results = []
    for article in tqdm(articles, desc="ingest", unit="article", disable=len(articles) < 5, leave=False):
        result = ingest_article(
            article,
            dossier,
            title=title,
            outlet=outlet,
            published=published,
            url=url,
            author=author,
            source_id=source_id,
            headlines=headlines,
            kind=source_kind,
            origin=origin,
            reliability=reliability,
        )
        results.append((article, result))
        if not as_json:
            tqdm.write(f"{article}: {result.summary()}")
    if as_json:
        payload = [
            {
                "article": article,
                "source_id": r.source_id,
                "seed_file": r.seed_file,
                "new_source": r.new_source,
                "proposed": [row["candidate_id"] for row in r.proposed],
                "skipped": r.skipped,
                "truncated": r.truncated,
                "unpaired_marks": r.unbalanced,
            }
            for article, r in results
        ]
        click.echo(json.dumps(payload if len(payload) > 1 else payload[0], indent=2, ensure_ascii=False))
        return
    click.echo("next: parley review list" + (f" --dossier {dossier}" if dossier != paths.DEFAULT_DOSSIER else ""))
