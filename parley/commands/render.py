"""``parley render NOTEBOOK``: execute a briefing notebook and write its HTML page.

The last line on stdout is the page's path (``make briefing`` shows it); progress and counts
go to stderr. A page that ``parley run`` published (its run record beside it), or is writing now,
is never replaced: the render is written beside it as ``<name>.draft.html`` and stderr says so.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("render")
@click.argument("notebook")
@click.option("--dossier", "-d", help="Dossier name under data/ or a dossier folder (default: the notebook's).")
@click.option("--as-of", "as_of", metavar="DATE", help="ISO date of the view (default: the dossier's parley.as_of).")
@click.option("--since", metavar="DATE", help="ISO date to compare with, for notebooks with a since parameter.")
@click.option("-p", "--parameter", "parameters", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A notebook parameter, typed as the notebook declares it. Repeatable.")
@click.option("-y", "--yaml", "yaml_text", metavar="YAML",
              help="Parameters as a YAML mapping, or the path of a YAML file (-p wins on conflicts).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the HTML and executed notebook (default: reports/<dossier>/<as_of>/).")
@click.option("--png", "png_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write every chart as <nn>_<slug>.png into this folder.")
@click.option("--pdf", "pdf", is_flag=True, help="Also print the page to <name>.pdf beside it (headless Chromium).")
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4", show_default=True,
              help="Paper size of the PDF (Letter writes <name>.letter.pdf).")
@click.option("--cell-timeout", "cell_timeout", type=click.IntRange(min=0), metavar="SECONDS",
              help="Longest a notebook cell may run before it is interrupted and its page fails (0: no limit; "
                   "default: PARLEY_CELL_TIMEOUT, else 600).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def command(notebook, dossier, as_of, since, parameters, yaml_text, out_dir, png_dir, pdf, paper, cell_timeout, quiet):
    """Execute NOTEBOOK (briefing, actor_profile, issue_brief, dataset_qa, or a path) and write its HTML.

    A page that parley run published, or is writing now, is left as it is: the render is written
    beside it as <name>.draft.html (and <name>.draft.ipynb), and stderr says so."""
    if cell_timeout is not None:  # the kernel's executor reads it (parley.report.execute.cell_timeout)
        import os

        from parley.report.execute import CELL_TIMEOUT_VARIABLE

        os.environ[CELL_TIMEOUT_VARIABLE] = str(cell_timeout)
    from parley.errors import ParameterError
    from parley.report.parameters import check_iso_date, coerce_parameter, load_yaml, notebook_parameters, resolve_notebook
    from parley.report.render import render_briefing
    from parley.words import plural

    source = resolve_notebook(notebook)
    declared = notebook_parameters(source)
    values = {}
    if yaml_text:
        candidate = Path(yaml_text)
        text = candidate.read_text(encoding="utf-8") if candidate.suffix in {".yml", ".yaml"} and candidate.is_file() else yaml_text
        loaded = load_yaml(text, where="-y")
        if not isinstance(loaded, dict):
            raise ParameterError(f"-y: expected a YAML mapping of parameter names to values, got {type(loaded).__name__}")
        values.update(loaded)
    for name, text in parameters:
        values[name] = coerce_parameter(name, text, declared)
    if since is not None:
        values["since"] = check_iso_date("since", since)
    if as_of is not None:
        as_of = check_iso_date("as_of", as_of)

    if png_dir is not None:
        from parley.fileio import make_folder

        make_folder(png_dir, "--png")  # before a kernel starts: a bad --png must not leave a page behind
    rendered = render_briefing(source, values, out_dir=out_dir, dossier=dossier, as_of=as_of, progress=not quiet,
                               pdf=paper.lower() if pdf else None)
    if rendered.draft_of:
        click.echo(f"{rendered.draft_of}: that page is left as it is; this render is the draft {rendered.html.name} beside it", err=True)
    click.echo(
        f"{source.stem}: {plural(rendered.n_charts, 'chart')}, dossier {rendered.dossier} as of {rendered.as_of}, "
        f"data {rendered.version}, {rendered.seconds:.1f} s; run record {rendered.ipynb}",
        err=True,
    )
    if rendered.pdf is not None:
        click.echo(f"wrote {rendered.pdf}", err=True)
    if png_dir is not None:
        from parley.report.png import write_pngs

        for path in write_pngs(rendered.ipynb, png_dir):
            click.echo(f"wrote {path}", err=True)
    click.echo(str(rendered.html))
