"""``ingest_article``: add an article to a dossier's seeds and queue its proposals for review.

Steps, all or nothing (one :func:`parley.journal.dossier_transaction`, crash-safe):

1. read and check the article: refused only when it is not an article (empty, binary, not UTF-8,
   markup, huge, not English); unpaired quote marks and an article without quotations are fine
   (a quotation left open is proposed and flagged truncated);
2. copy it byte for byte to ``<seeds>/<NNN>_<sha16>.txt`` (never overwriting) and register it in
   ``sources.csv``; facts not given stay empty (author, URL, date are never guessed); an article
   already registered (same SHA-256) is reused;
3. extract proposals and append the new ones to ``candidates.csv`` as pending: a proposal already
   queued (any status) or already a statement of that source is skipped;
4. run the validator; on any problem, restore every file.

Nothing reaches statements or positions here: that needs ``parley review accept``.

:func:`add_candidate` queues a span a reviewer selected by hand (the review notebook's "new
proposal from the selection"): the text is read from the source at the offsets, never typed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from parley import paths
from parley.errors import IngestError
from parley.review.queue import candidate_id, candidates_bytes, candidates_path, read_candidates, row_from_proposal, short_ids, slugify, statement_kinds
from parley.ingest.lexicon import load_lexicon
from parley.ingest.match import ReportMatch, known_reports, match_proposals
from parley.ingest.propose import Proposal, analyse_article
from parley.journal import dossier_transaction
from parley.review.store import appended, read_csv, require_valid, validate_change
from parley.ingest.text import check_english, read_article
from parley.data.schema import read_schema

_SEED_NAME = re.compile(r"^(\d{3,})_([0-9a-f]{16})\.txt$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_]*$")
TITLE_MAX = 200


@dataclass
class IngestResult:
    """What one ingest did."""

    source_id: str
    seed_file: str
    new_source: bool
    proposed: list[dict[str, str]] = field(default_factory=list)
    skipped: int = 0
    unbalanced: list[str] = field(default_factory=list)
    truncated: int = 0
    reports: int = 0  # proposals that look like another report of a statement already coded

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for row in self.proposed:
            kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
        counted = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items())) or "nothing new"
        source = f"registered source {self.source_id} ({self.seed_file})" if self.new_source else f"source {self.source_id} already registered ({self.seed_file})"
        skipped = f"; {self.skipped} already queued or coded, not proposed again" if self.skipped else ""
        truncated = f"; {self.truncated} quotation(s) left open by the text, flagged truncated" if self.truncated else ""
        reports = f"; {self.reports} look like another report of a statement already coded (review list shows which)" if self.reports else ""
        return f"{source}; proposed {len(self.proposed)} candidate(s): {counted}{skipped}{truncated}{reports}"


def _check_date(value: str | None, option: str) -> str:
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise IngestError(f"{option} {value!r} is not an ISO date; write it as YYYY-MM-DD (2025-02-18), or leave it out when unknown") from None


def _title_from_text(text: str) -> tuple[str, str]:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= TITLE_MAX:
        return first, "Title taken from the first line of the text."
    cut = first[:TITLE_MAX].rsplit(" ", 1)[0]
    return cut + "…", "Title cut from the first line of the text (no headline line)."


def _existing_seed(seeds_dir: Path, sha: str, data: bytes) -> str | None:
    """A seed file already holding these bytes (left by an earlier run), or ``None``.

    A file with the same hash prefix but other bytes is never overwritten nor reused.
    """
    for path in sorted(seeds_dir.glob(f"*_{sha[:16]}.txt")):
        if path.read_bytes() == data:
            return path.name
        raise IngestError(f"{path}: already exists with other bytes under this article's hash prefix; seeds are never overwritten, so move it away first")
    return None


def _next_seed_name(seeds_dir: Path, sha: str) -> str:
    indices = [int(m.group(1)) for p in seeds_dir.iterdir() if (m := _SEED_NAME.match(p.name))] if seeds_dir.is_dir() else []
    return f"{(max(indices) + 1) if indices else 0:03d}_{sha[:16]}.txt"


def ingest_article(
    article: str | Path,
    dossier: str | Path = paths.DEFAULT_DOSSIER,
    *,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    url: str | None = None,
    author: str | None = None,
    source_id: str | None = None,
    headlines: bool = False,
    kind: str = "article",
    origin: str | None = None,
    reliability: str | None = None,
) -> IngestResult:
    """Ingest one article into a dossier (see the module docstring for the steps).

    Parameters
    ----------
    article
        Path of a UTF-8 plain-text article.
    dossier
        Dossier name or folder.
    title, outlet, published, url, author
        What is known of the source; unknowns stay empty (the title defaults to the first line).
    source_id
        Id for a new source; by default ``<outlet>_<yyyy_mm_dd>`` or ``source_<sha8>``.
    headlines
        Also propose what the headlines quote or report (by default they are not statements).
    kind, origin, reliability
        The source's kind (``article``, ``live_blog``, ``wire``…; see ``sources.kind`` in
        ``datapackage.json``), the wire or outlet it republishes (empty: its own reporting) and
        its Admiralty reliability grade A–F (empty: not graded).

    Raises
    ------
    IngestError
        Bad article or option (nothing is changed).
    DossierNotFound, DossierInvalid
        Unknown dossier, a dossier already invalid, or a change the validator rejects (then every
        file is restored).
    """
    article = Path(article)
    data, text = read_article(article)
    check_english(text, str(article))
    published = _check_date(published, "--published")
    folder = paths.dossier_dir(dossier)
    schema = read_schema(folder)
    lexicon = load_lexicon(folder)
    analysed, proposals = analyse_article(text, lexicon, headlines=headlines)
    unbalanced = [str(p) for p in analysed.mark_problems]

    sha = hashlib.sha256(data).hexdigest()
    sources_file = folder / schema.tables["sources"].path
    seeds_dir = schema.seeds_dir
    with dossier_transaction(folder, f"ingest {article.name[:80]}", check=validate_change) as change:
        # Everything is read under the dossier's lock: two ingests of the same bytes at once
        # see each other's source instead of both registering it.
        require_valid(folder)
        _, sources = read_csv(sources_file)
        existing = next((row for row in sources if row.get("sha256") == sha), None)
        if existing is not None:
            result = IngestResult(existing["source_id"], existing["seed_file"], False, unbalanced=unbalanced)
        else:
            if not seeds_dir.is_dir():
                raise IngestError(f"{seeds_dir}: the seeds folder (datapackage.json parley.seeds_dir) does not exist; create it first")
            new_id = _source_id(source_id, outlet, published, sha, {row.get("source_id", "") for row in sources})
            found_title, title_note = (title.strip(), "") if title and title.strip() else _title_from_text(text)
            seed_file = _existing_seed(seeds_dir, sha, data)
            if seed_file is None:
                seed_file = _next_seed_name(seeds_dir, sha)
                change.create(seeds_dir / seed_file, data, read_only=True)
            row = {
                "source_id": new_id,
                "seed_file": seed_file,
                "sha256": sha,
                "title": found_title,
                "outlet": (outlet or "").strip(),
                "kind": kind,
                "origin": (origin or "").strip(),
                "reliability": (reliability or "").strip(),
                "author": (author or "").strip(),
                "url": (url or "").strip(),
                "published": published,
                "language": "en",
                "translated_from": "",
                "notes": _source_notes(title_note, outlet, author, url, published),
            }
            change.write(sources_file, appended(sources_file, [row]))
            result = IngestResult(new_id, seed_file, True, unbalanced=unbalanced)
        queue = read_candidates(folder)
        date = published or next((row.get("published", "") for row in sources if row.get("source_id") == result.source_id), "")
        matches = match_proposals(proposals, known_reports(folder, lexicon.party_of), date, lexicon.party_of)
        result.proposed, result.skipped = _new_rows(folder, schema, result.source_id, sha, list(zip(proposals, matches, strict=True)), queue)
        for row, short in zip(result.proposed, short_ids(result.seed_file, queue, len(result.proposed)) or [], strict=False):
            row["candidate_id"] = short
        result.reports = sum(1 for row in result.proposed if row["report_of"])
        result.truncated = sum(1 for row in result.proposed if "truncated" in row["flags"].split("|"))
        if result.proposed or not candidates_path(folder).exists():
            change.write(candidates_path(folder), candidates_bytes(queue + result.proposed))
    return result


def _source_id(wanted: str | None, outlet: str | None, published: str, sha: str, taken: set[str]) -> str:
    if wanted:
        if not _SLUG.match(wanted):
            raise IngestError(f"--source-id {wanted!r} is not a slug; use lower-case letters, digits and _ (ara_2025_02_18)")
        if wanted in taken:
            raise IngestError(f"--source-id {wanted!r} is already a source of this dossier; choose another id")
        return wanted
    base = slugify(outlet or "", 24) or "source"
    base = f"{base}_{published.replace('-', '_')}" if published else f"{base}_{sha[:8]}"
    candidate = base
    if candidate in taken:
        candidate = f"{base}_{sha[:8]}"
    return candidate


def _source_notes(title_note: str, outlet: str | None, author: str | None, url: str | None, published: str) -> str:
    unknown = [name for name, value in (("outlet", outlet), ("author", author), ("URL", url), ("publication date", published)) if not value]
    parts = ["Registered by parley ingest."]
    if title_note:
        parts.append(title_note)
    if unknown:
        parts.append(f"Not given at ingest, left empty: {', '.join(unknown)}.")
    return " ".join(parts)


def _new_rows(folder: Path, schema, source_id: str, sha: str, proposals: list[tuple[Proposal, ReportMatch | None]],
              queue: list[dict[str, str]]) -> tuple[list[dict[str, str]], int]:
    queued = {row["candidate_id"] for row in queue} | {(row["source_sha256"], row["char_start"], row["char_end"]) for row in queue}
    _, reports = read_csv(folder / schema.tables["reports"].path)
    coded = {(row.get("char_start", ""), row.get("char_end", "")) for row in reports if row.get("source_id") == source_id}
    rows: list[dict[str, str]] = []
    skipped = 0
    for proposal, match in proposals:
        row = row_from_proposal(proposal, source_id, sha, match)
        key = (sha, row["char_start"], row["char_end"])
        spans = {(row["char_start"], row["char_end"])} | {(str(s), str(e)) for s, e in proposal.quoted}
        if row["candidate_id"] in queued or key in queued or spans & coded:
            skipped += 1
            continue
        queued.add(row["candidate_id"])
        queued.add(key)
        rows.append(row)
    return rows, skipped


#: Opening quote marks: a span right after one of these is a direct quotation by default.
QUOTE_MARKS = "\"'“”‘’«»„‚"


def add_candidate(dossier: str | Path, source_id: str, char_start: int, char_end: int, kind: str | None = None) -> str:
    """Queue the span ``char_start..char_end`` (code points) of a source as a pending proposal; returns its id.

    The kind defaults to ``direct_quote`` when the span opens right after a quote mark, else
    ``reported_speech``. The speaker is left for the reviewer to choose.

    Raises
    ------
    IngestError
        Unknown source, offsets outside its text, a span of white space only, an unknown kind,
        or a span already queued.
    """
    from parley.review.decisions import _folder, _source_texts

    folder = _folder(dossier)
    text = _source_texts(folder).get(source_id)
    if text is None:
        raise IngestError(f"source {source_id!r} is not registered with a readable seed file")
    if not 0 <= char_start < char_end <= len(text):
        raise IngestError(f"offsets {char_start}..{char_end} are outside source {source_id} ({len(text)} characters); need 0 <= start < end <= {len(text)}")
    span = text[char_start:char_end]
    if not span.strip():
        raise IngestError(f"offsets {char_start}..{char_end} of source {source_id} hold only white space; select words")
    kind = kind or ("direct_quote" if char_start > 0 and text[char_start - 1] in QUOTE_MARKS else "reported_speech")
    if kind not in (kinds := statement_kinds(folder)):
        raise IngestError(f"kind {kind!r} is not allowed; use one of {', '.join(kinds)}")
    schema = read_schema(folder)
    source = next((s for s in read_csv(folder / schema.tables["sources"].path)[1] if s["source_id"] == source_id), {})
    sha = source.get("sha256", "")
    with dossier_transaction(folder, f"review add {source_id} {char_start}..{char_end}") as change:
        rows = read_candidates(folder)
        queued = next((r for r in rows if (r["source_id"], r["char_start"], r["char_end"]) == (source_id, str(char_start), str(char_end))), None)
        if queued is not None:
            raise IngestError(f"the span {char_start}..{char_end} is already candidate {queued['candidate_id']}")
        new_id = (short_ids(source.get("seed_file", ""), rows, 1) or [candidate_id(source_id, char_start, char_end, span)])[0]
        rows.append({
            "candidate_id": new_id, "source_id": source_id, "source_sha256": sha, "kind": kind, "text": span,
            "char_start": str(char_start), "char_end": str(char_end), "method": "reviewer", "red_line": "false",
            "stance_confidence": "0.00", "confidence": "1.00", "status": "pending",
        })
        change.write(candidates_path(folder), candidates_bytes(rows))
    return new_id
