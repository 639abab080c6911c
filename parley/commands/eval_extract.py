"""``parley eval-extract``: score the quote extractor against a gold annotation."""

from __future__ import annotations

import json

import click


@click.command(name="eval-extract")
@click.argument("gold", type=click.Path(dir_okay=False, path_type=str), metavar="GOLD.csv")
@click.argument("article", type=click.Path(dir_okay=False, path_type=str), metavar="ARTICLE")
@click.option("--dossier", "-d", help="Use this dossier's actors and issues (and compare speakers as actors).")
@click.option("--headlines", is_flag=True, help="Propose what headlines quote or report too (as `parley ingest --headlines`).")
@click.option("--no-leave-one-out", "all_coded", is_flag=True, help="Suggest with everything coded, the statement itself included (an upper bound, not a fair measure).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the scores and the disagreements.")
def command(gold: str, article: str, dossier: str | None, headlines: bool, all_coded: bool, as_json: bool) -> None:
    """Extract ARTICLE and score it against GOLD.csv.

    GOLD.csv has the columns of tests/fixtures/gold/seed-quotes-gold.csv (quote_text, kind,
    speaker, char_start, ...). Scores: precision, recall and F1 of direct-quote spans (exact, and
    by overlap), speaker accuracy on the paired quotes, and recall of reported statements.
    With --dossier, also the issue and stance suggestions against the gold file's issue and
    stance columns: issue_top1_accuracy, stance_direction_accuracy, stance_coverage and
    wrong_suggestion_rate, each statement suggested from the dossier's other coded statements
    (leave-one-out). Nothing is written.
    """
    from parley.ingest.evaluate import evaluate_article
    from parley.ingest.lexicon import load_lexicon

    lexicon = load_lexicon(dossier) if dossier else None
    result = evaluate_article(gold, article, lexicon, headlines=headlines, leave_one_out=not all_coded)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(f"direct quotes  exact    P {result['quote_exact_precision']:.3f}  R {result['quote_exact_recall']:.3f}  F1 {result['quote_exact_f1']:.3f}")
    click.echo(f"direct quotes  overlap  P {result['quote_overlap_precision']:.3f}  R {result['quote_overlap_recall']:.3f}  F1 {result['quote_overlap_f1']:.3f}")
    click.echo(f"speaker accuracy        {result['speaker_accuracy']:.3f}  ({result['speaker_pairs']} paired quotes)")
    click.echo(f"reported recall         {result['reported_recall']:.3f}  ({result['gold_reported']} gold, {result['proposed_reported']} proposed)")
    if "issue_top1_accuracy" in result:
        fmt = lambda v: "  -  " if v is None else f"{v:.3f}"  # noqa: E731
        click.echo(f"issue top-1             {fmt(result['issue_top1_accuracy'])}  ({result['issue_rows']} gold rows on the dossier's issues; coverage {fmt(result['issue_coverage'])})")
        click.echo(f"stance direction        {fmt(result['stance_direction_accuracy'])}  ({result['stance_rows']} rows; coverage {fmt(result['stance_coverage'])}, wrong {fmt(result['wrong_suggestion_rate'])})")
    errors = result["errors"]
    for title, key in (("missed quotes", "missed_quotes"), ("spurious quotes", "spurious_quotes"), ("wrong speakers", "wrong_speakers"), ("missed reported", "missed_reported")):
        for item in errors[key]:
            extra = f" gold {item['gold']!r}, proposed {item['proposed']!r}" if key == "wrong_speakers" else ""
            click.echo(f"  {title}: @{item['char_start']} {item['text']!r}{extra}")
