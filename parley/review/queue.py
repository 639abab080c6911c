"""The review queue: ``data/<dossier>/candidates.csv``.

Proposals wait here until a person accepts, rejects or edits them. The file sits beside the
curated tables but is *not* a resource of ``datapackage.json``: the published data package holds
only what a person accepted. Its columns are declared once, in :data:`COLUMNS`.

A candidate's id is short, to be typed: ``c<seed>-<n>``, the number of the source's seed file
(``003_…txt`` → ``c3``) and the proposal's place in that source's queue (``c3-7``: the seventh
proposal of the fourth article). Both are fixed once given (seeds are numbered once and never
renamed; ``n`` follows the source's highest id), so the same history yields the same ids, and
ids never change once queued. A source whose seed file is not named ``NNN_<sha16>.txt``, and queues
written before short ids, keep the older ``c_<12 hex>`` (a hash of source, offsets and text);
both are accepted wherever an id is asked for. A candidate already queued, accepted or rejected
(same source and offsets) is never proposed twice.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from parley.errors import DossierInvalid, IngestError, excerpt
from parley.data.schema import read_schema
from parley.ingest.match import ReportMatch
from parley.ingest.propose import Proposal
from parley.review.store import csv_bytes, read_csv

FILE_NAME = "candidates.csv"
STATUSES = ("pending", "accepted", "rejected")


def statement_kinds(folder: Path) -> tuple[str, ...]:
    """The statement kinds the dossier's ``datapackage.json`` allows (a candidate's ``kind`` is one)."""
    return read_schema(folder).enum("statements", "kind")

#: (column, meaning). The one declaration of the queue's columns.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("candidate_id", "Short stable id 'c<seed number>-<n>' (the n-th proposal of the source whose seed file is <seed number>_….txt); older queues: 'c_' + 12 hex digits of SHA-256 over source_id, char_start, char_end and text."),
    ("source_id", "Source (sources.csv) the text is taken from."),
    ("source_sha256", "SHA-256 of the seed file the offsets refer to."),
    ("kind", "direct_quote, reported_speech or assessment (as in statements.csv)."),
    ("text", "Verbatim text: the source text between char_start and char_end."),
    ("char_start", "0-based code-point offset of the first character."),
    ("char_end", "Offset one past the last character."),
    ("speaker_id", "Dossier actor proposed as the speaker; empty when unknown or new."),
    ("new_actor", "Name of a speaker the dossier does not know yet (proposed as a new actor)."),
    ("speaker_mention", "How the article refers to the speaker there (he, the researcher, Lavrov)."),
    ("attribution_cue", "Words of the source that attribute the statement."),
    ("method", "How the speaker was found: cue, inverted, viewpoint, colon, carry-over, continuation, inherited, nearest, none."),
    ("issues", "Suggested issue ids, pipe-separated, best first (parley.ingest.suggest: the issues' words and what is already coded)."),
    ("stance", "Suggested stance -2..+2 on the first issue; empty when no guess."),
    ("stance_label", "support, oppose, conditional, neutral (a suggested 0) or unclear."),
    ("red_line", "true when the wording suggests a red line."),
    ("stance_confidence", "0..1: the stance suggestion's probability (parley.ingest.suggest); below the threshold the stance is left empty."),
    ("confidence", "0..1: how sure the extractor is of span and speaker together."),
    ("issue_confidence", "0..1: the first suggested issue's probability; below the threshold no issue is suggested."),
    ("flags", "Pipe-separated: truncated (the text leaves the quotation open), paragraphs (a quotation over several paragraphs, breaks kept), partial_quote (a reported statement holding quoted words), headline."),
    ("quoted_spans", "Spans of the quoted words inside a reported statement, as start-end|start-end (offsets in the source)."),
    ("report_of", "Statement this candidate is proposed to be another report of (parley.ingest.match: same speaker, close dates, near-identical or overlapping words); accepting it adds a report of that statement. Empty: a new statement."),
    ("report_score", "0..100: how alike the words are (rapidfuzz on folded text); empty when report_of is."),
    ("report_match", "near-identical (the whole wording) or overlapping (a partial quote, a truncated excerpt); empty when report_of is."),
    ("status", "pending, accepted or rejected."),
    ("statement_id", "The statement created on acceptance."),
    ("reviewer_note", "The reviewer's note."),
)
FIELDS = tuple(name for name, _ in COLUMNS)


def slugify(text: str, limit: int = 40) -> str:
    """Lower-case ASCII slug for ids (``Sergei Lavrov`` -> ``sergei_lavrov``, ``US–Ukraine talks`` -> ``us_ukraine_talks``): new sources and actors."""
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PZS" else ch for ch in unicodedata.normalize("NFKD", text))  # dashes, quotes: word breaks
    plain = spaced.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")
    return slug[:limit].rstrip("_")


def candidates_path(folder: Path) -> Path:
    """Where a dossier's queue lives."""
    return Path(folder) / FILE_NAME


def candidate_id(source_id: str, char_start: int, char_end: int, text: str) -> str:
    """Stable id of a candidate: same source, offsets and text give the same id."""
    digest = hashlib.sha256(f"{source_id}\0{char_start}\0{char_end}\0{text}".encode()).hexdigest()
    return f"c_{digest[:12]}"


_SEED_NUMBER = re.compile(r"^(\d{3,})_[0-9a-f]{16}\.txt$")


def short_ids(seed_file: str, queue: list[dict[str, str]], count: int) -> list[str] | None:
    """The next ``count`` short ids of the source whose seed file is ``seed_file`` (``c3-8``, ``c3-9``…),
    after every id of that source already in ``queue``; ``None`` when the seed file is not numbered."""
    match = _SEED_NUMBER.match(seed_file or "")
    if match is None:
        return None
    prefix = f"c{int(match.group(1))}-"
    taken = [int(row["candidate_id"][len(prefix):]) for row in queue
             if row["candidate_id"].startswith(prefix) and row["candidate_id"][len(prefix):].isdigit()]
    first = max(taken, default=0) + 1
    return [f"{prefix}{n}" for n in range(first, first + count)]


def read_candidates(folder: Path) -> list[dict[str, str]]:
    """Every row of the queue (an empty list when there is no queue yet).

    A queue written by an older version (a subset of :data:`FIELDS`) is read with the missing
    columns empty; the next write stores every column.

    Raises
    ------
    DossierInvalid
        When the header has a column that is not in :data:`FIELDS`, or no ``candidate_id``.
    """
    path = candidates_path(folder)
    header, rows = read_csv(path)
    if path.exists() and (not header or any(name not in FIELDS for name in header) or "candidate_id" not in header):
        raise DossierInvalid(f"{path}: header is {', '.join(header) or '(none)'}; the review queue has columns {', '.join(FIELDS)}")
    for row in rows:  # a queue written before a column was added: the new columns start empty
        for name in FIELDS:
            row.setdefault(name, "")
    kinds = statement_kinds(folder) if rows else ()
    for number, row in enumerate(rows, start=2):
        if len(row) != len(FIELDS):
            raise DossierInvalid(f"{path}, row {number}: has {len(row)} fields, the header has {len(FIELDS)}")
        if row.get("status") not in STATUSES:
            raise DossierInvalid(f"{path}, row {number}, field status: {excerpt(row.get('status'))} is not allowed; use one of {', '.join(STATUSES)}")
        if row.get("kind") not in kinds:
            raise DossierInvalid(f"{path}, row {number}, field kind: {excerpt(row.get('kind'))} is not allowed; use one of {', '.join(kinds)}")
        for name in ("char_start", "char_end"):
            if not _INTEGER.fullmatch(row.get(name) or ""):
                raise DossierInvalid(f"{path}, row {number}, field {name}: {excerpt(row.get(name))} is not an offset; write a whole number of characters such as 0 or 418")
        if row.get("stance") and row["stance"] not in ("-2", "-1", "0", "1", "2"):
            raise DossierInvalid(f"{path}, row {number}, field stance: {excerpt(row['stance'])} is not allowed; use an integer from -2 to 2, or leave it empty")
        for name in ("confidence", "stance_confidence"):
            if row.get(name) and not _DECIMAL.fullmatch(row[name]):
                raise DossierInvalid(f"{path}, row {number}, field {name}: {excerpt(row[name])} is not a number from 0 to 1")
        if int(row["char_start"]) >= int(row["char_end"]):
            raise DossierInvalid(f"{path}, row {number}, field char_start: {row['char_start']} is not before char_end {row['char_end']}")
    return rows


_INTEGER = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"(?:0|1)(?:\.[0-9]{1,6})?|\.[0-9]{1,6}")


def candidates_bytes(rows: list[dict[str, str]]) -> bytes:
    """The queue file's bytes for these rows (header first)."""
    return csv_bytes([list(FIELDS), *([row.get(f, "") for f in FIELDS] for row in rows)])


def row_from_proposal(proposal: Proposal, source_id: str, source_sha256: str, match: ReportMatch | None = None) -> dict[str, str]:
    """A pending queue row for a proposal (``match``: the statement it is likely another report of)."""
    return {
        "candidate_id": candidate_id(source_id, proposal.char_start, proposal.char_end, proposal.text),
        "source_id": source_id,
        "source_sha256": source_sha256,
        "kind": proposal.kind,
        "text": proposal.text,
        "char_start": str(proposal.char_start),
        "char_end": str(proposal.char_end),
        "speaker_id": proposal.speaker_id,
        "new_actor": proposal.new_actor,
        "speaker_mention": proposal.speaker_mention,
        "attribution_cue": proposal.attribution_cue,
        "method": proposal.method,
        "issues": "|".join(proposal.issues),
        "stance": "" if proposal.stance is None else str(proposal.stance),
        "stance_label": proposal.stance_label,
        "red_line": "true" if proposal.red_line else "false",
        "stance_confidence": f"{proposal.stance_confidence:.2f}",
        "confidence": f"{proposal.confidence:.2f}",
        "issue_confidence": f"{proposal.issue_confidence:.2f}",
        "flags": "|".join(proposal_flags(proposal)),
        "quoted_spans": "|".join(f"{start}-{end}" for start, end in proposal.quoted),
        "report_of": match.statement_id if match else "",
        "report_score": f"{match.score:.0f}" if match else "",
        "report_match": match.basis if match else "",
        "status": "pending",
        "statement_id": "",
        "reviewer_note": "",
    }


def proposal_flags(proposal: Proposal) -> list[str]:
    """What a reviewer should know of a proposal's span (see the ``flags`` column)."""
    flags = []
    if proposal.truncated:
        flags.append("truncated")
    if proposal.kind == "direct_quote" and "\n" in proposal.text:
        flags.append("paragraphs")
    if proposal.quoted:
        flags.append("partial_quote")
    if proposal.headline:
        flags.append("headline")
    return flags


def find(rows: list[dict[str, str]], wanted: str) -> dict[str, str]:
    """The row whose id is ``wanted`` or starts with it (a unique prefix is enough)."""
    exact = [r for r in rows if r["candidate_id"] == wanted]
    if exact:
        return exact[0]
    matches = [r for r in rows if r["candidate_id"].startswith(wanted)] if len(wanted) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise IngestError(f"no candidate {excerpt(wanted)} in the review queue; `parley review list` shows the ids")
    raise IngestError(f"{excerpt(wanted)} matches {len(matches)} candidates ({', '.join(r['candidate_id'] for r in matches[:5])}); give more of the id")
