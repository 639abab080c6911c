"""The view a briefing notebook opens: :func:`open_briefing` checks every parameter and returns a
:class:`BriefingView` (the dossier, the as-of date, the comparison and the subject), which every
section of :mod:`parley.report.sections` reads.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import plotly.io as pio

from parley import analysis, paths
from parley.analysis.bargaining import side_of
from parley.analysis.editions import diff_editions, edition_of
from parley.analysis.evidence import shared_evidence
from parley.data.dossier import Dossier, load_dossier
from parley.data.edition import Edition, read_edition
from parley.data.model import negotiating
from parley.errors import ParameterError, excerpt
from parley.fileio import read_json
from parley.report.baseline import baseline_label, edition_file, find_baseline, read_catalogue
from parley.report.parameters import not_allowed
from parley.report.sections import header

# In a kernel, figures travel as their JSON mimetype: JupyterLab draws it, nbval compares it, and the
# briefing template renders it with plotly.js inlined once (see PITFALLS.md).
pio.renderers.default = "plotly_mimetype"


@dataclass
class BriefingView:
    """One view of a dossier: the dossier, the as-of date, the comparison date and the subject."""

    dossier: Dossier
    as_of: pd.Timestamp
    since: pd.Timestamp | None = None
    actor: str | None = None
    issue: str | None = None
    top_n: int = 12
    baseline: Edition | None = None

    @cached_property
    def evidence(self) -> pd.DataFrame:
        return shared_evidence(self.dossier, self.as_of)

    @cached_property
    def matrix(self) -> pd.DataFrame:
        """:func:`parley.analysis.stance_matrix` of this view, from its evidence (kept on the dossier: the edition asks for it too)."""
        return self.dossier.memo("stance_matrix", self.as_of, lambda: analysis.latest_positions(self.evidence))

    @cached_property
    def party_matrix(self) -> pd.DataFrame:
        """Latest positions of the parties only: what the negotiation views show."""
        return self.matrix.loc[negotiating(self.matrix, self.dossier.actors)]

    @cached_property
    def outside_matrix(self) -> pd.DataFrame:
        """Latest positions of everyone else: outside voices, mediators, officials speaking for themselves."""
        return self.matrix.loc[~negotiating(self.matrix, self.dossier.actors)]

    @cached_property
    def negotiation(self) -> pd.DataFrame:
        """The matrix a negotiation view shows: the parties', or, in the profile of an actor who is
        not a party (an analyst), that actor's own."""
        if self.actor and self.actor in set(self.outside_matrix["actor_id"]):
            return self.matrix
        return self.party_matrix

    @cached_property
    def parties(self) -> dict[str, list[str]]:
        return analysis.table_parties(self.dossier, self.as_of)

    @cached_property
    def table_event(self) -> str | None:
        return analysis.table_event(self.dossier, self.as_of)

    @cached_property
    def sided(self) -> pd.DataFrame:
        return self.negotiation.assign(side=side_of(self.negotiation, self.dossier.actors, self.parties))

    @cached_property
    def blockers(self) -> pd.DataFrame:
        return analysis.deal_blockers(self.matrix, self.dossier.actors)

    @cached_property
    def edges(self) -> pd.DataFrame:
        return analysis.alignment(self.party_matrix)

    @cached_property
    def edition(self) -> Edition:
        """What this view shows: the records behind every section (kept beside a published page)."""
        return edition_of(self.dossier, self.as_of)

    @cached_property
    def compared_with(self) -> Edition | None:
        """The edition "What changed" compares with: the baseline edition, else the dossier as it
        stood at ``since``, else none."""
        if self.baseline is not None:
            return self.baseline
        if self.since is not None:
            return edition_of(self.dossier, self.since, label=f"the dossier as known on {self.since:%Y-%m-%d}")
        return None

    @cached_property
    def diff(self) -> pd.DataFrame:
        """Every change since :attr:`compared_with`, kind by kind (see :mod:`parley.analysis.differs`)."""
        return diff_editions(self.compared_with, self.edition, self.dossier, self.as_of)

    @cached_property
    def changes(self) -> pd.DataFrame:
        """Stance changes since :attr:`compared_with`, with the statement behind each."""
        from parley.analysis.differs import positions_frame

        before = self.compared_with.table("positions") if self.compared_with is not None else None
        before = positions_frame(before) if before is not None else self.matrix.iloc[0:0]
        return analysis.stance_changes(before, self.matrix)

    def name_of(self, actor_id: str | None) -> str:
        names = dict(zip(self.dossier.actors["actor_id"], self.dossier.actors["name"]))
        return names.get(actor_id, actor_id or "")

    def issue_label(self, issue_id: str | None) -> str:
        labels = dict(zip(self.dossier.issues["issue_id"], self.dossier.issues["label"]))
        return labels.get(issue_id, issue_id or "")

    def _repr_html_(self) -> str:
        return header(self).markup

    def __repr__(self) -> str:
        return header(self).text


def _choice(value: str | None, valid: pd.Series, what: str, parameter: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    if value not in set(valid):
        listing = ", ".join(sorted(valid))
        raise ParameterError(f"{parameter}={excerpt(value)} is not {what} of this dossier; valid ids: {listing[:600]}")
    return value


def open_briefing(dossier: str | Path = "riyadh_2025", as_of: str = "", since: str = "", actor: str = "", issue: str = "",
                  top_n: int = 12, baseline: str = "", require: str = "", notebook: str = "") -> BriefingView:
    """Check the parameters, load and validate the dossier, and open a briefing on it.

    Parameters
    ----------
    dossier
        Dossier name under ``data/`` or path to a dossier folder (or a ``Dossier`` already loaded
        and validated: :func:`preflight` passes the one this process loaded).
    as_of
        ISO date of the view; empty takes the dossier's latest date (or the date it pins).
    since
        ISO date to compare with for "what changed" (the dossier as known on that date), used
        when no baseline edition is given or found.
    actor, issue
        Subject of an actor profile or issue brief (ids; an unknown id lists the valid ones).
    top_n
        How many rows long lists keep (quotes, alignment ties); at least 1.
    baseline
        The edition "what changed" compares with: the path of an ``edition.json`` kept by a
        published run (or the ``positions.csv`` of an older one); ``"none"`` for no edition;
        empty finds the last published edition of this page (``notebook`` and subject) in the
        reports folder's catalogue, unless ``since`` is given.
    require
        ``"actor"`` or ``"issue"`` when the notebook needs that subject.
    notebook
        The notebook's name (``"briefing"``): how an empty ``baseline`` finds this page's editions.

    Raises
    ------
    ParameterError, DossierNotFound, DossierInvalid
    """
    allowed = not_allowed("top_n", top_n)
    if allowed:
        raise ParameterError(f"top_n={excerpt(top_n)} must be {allowed}")
    loaded = dossier if isinstance(dossier, Dossier) else load_dossier(dossier)
    as_of_date = analysis.parse_date(as_of, "as_of") or analysis.default_as_of(loaded)
    since_date = analysis.parse_date(since, "since")
    if since_date is not None and since_date > as_of_date:
        raise ParameterError(f"since={excerpt(since)} is after as_of={as_of_date:%Y-%m-%d}; since must be the earlier date")
    actor_id = _choice(actor, loaded.actors["actor_id"], "an actor", "actor")
    issue_id = _choice(issue, loaded.issues["issue_id"], "an issue", "issue")
    if require == "actor" and actor_id is None:
        raise ParameterError(f"this notebook needs actor=<id>; valid ids: {', '.join(sorted(loaded.actors['actor_id']))}")
    if require == "issue" and issue_id is None:
        raise ParameterError(f"this notebook needs issue=<id>; valid ids: {', '.join(sorted(loaded.issues['issue_id']))}")
    recorded = _baseline(str(baseline or "").strip(), loaded, as_of_date, since_date, notebook,
                         {"actor": actor_id or "", "issue": issue_id or ""} if notebook else {})
    return BriefingView(loaded, as_of_date, since_date, actor_id, issue_id, top_n, recorded)


def _baseline(baseline: str, dossier: Dossier, as_of: pd.Timestamp, since: pd.Timestamp | None, notebook: str, subject: dict) -> Edition | None:
    """The baseline edition named, or (``baseline`` empty, no ``since``) the one the catalogue holds."""
    if baseline.lower() == "none":
        return None
    if baseline:
        return read_edition(baseline, label=_label_of(baseline))
    if since is not None or not notebook:
        return None
    reports = paths.reports_dir()
    entry = find_baseline(read_catalogue(reports), dossier_id=dossier.id, as_of=f"{as_of:%Y-%m-%d}",
                          reports=reports, notebook=notebook, subject={k: v for k, v in subject.items() if v})
    return read_edition(edition_file(entry, reports), label=baseline_label(entry)) if entry else None


def _label_of(path: str) -> str:
    """How a page names an edition given by path: from the run record beside it, when there is one."""
    file = Path(path)
    suffix = "." + paths.EDITION_FILE
    record = file.with_name(file.name[: -len(suffix)] + "." + paths.RUN_FILE if file.name.endswith(suffix) else paths.RUN_FILE)
    entry = read_json(record)
    return baseline_label(entry) if isinstance(entry, dict) and entry.get("as_of") else ""


def preflight(notebook, values: dict) -> None:
    """Run a notebook's ``open_briefing(...)`` call in this process, with the parameter values
    the kernel would get (``values``: name -> value).

    ``parley render`` calls it before a kernel starts: every check of :func:`open_briefing` (ids
    against the dossier, dates, ``top_n``, the baseline file) and the dossier's validation fail
    here, with exit status 2, before any file name is built from a subject. Arguments that are
    neither a parameter name nor a literal are left to the notebook. The dossier is loaded through
    :mod:`parley.report.loaded`, so the rest of the render (and a batch worker's next page) reads
    the same one.
    """
    call = _open_briefing_call(notebook)
    if call is None:
        return
    accepted = list(inspect.signature(open_briefing).parameters)
    positional, keywords = call
    kwargs = {}
    for name, node in [*zip(accepted, positional), *keywords.items()]:
        if name not in accepted:
            continue
        if isinstance(node, ast.Name) and node.id in values:
            kwargs[name] = values[node.id]
        elif isinstance(node, ast.Constant):
            kwargs[name] = node.value
    from parley.report import loaded

    kwargs["dossier"] = loaded.dossier(kwargs.get("dossier", inspect.signature(open_briefing).parameters["dossier"].default))
    open_briefing(**kwargs)


def _open_briefing_call(notebook) -> tuple[list, dict] | None:
    """Positional and keyword argument nodes of the notebook's ``open_briefing(...)`` call, if any."""
    for cell in notebook.cells:
        if cell.cell_type != "code" or "open_briefing" not in cell.source:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                target = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if target == "open_briefing":
                    return list(node.args), {k.arg: k.value for k in node.keywords if k.arg}
    return None
