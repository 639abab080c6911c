"""The checks a dossier passes, in order (the registry ``CHECKS``), and the rules of meaning they use.

Field types, enums and keys are NOT declared here: they are read from ``datapackage.json``. What a
Table Schema cannot express (spans into source texts, date order, coverage) is declared once below.
Adding a check is one function decorated with :func:`check`; it reads a :class:`CheckRun` and
appends problems.
The rules of the living-dossier model (participation, joint members, report dates, one position per
statement × actor × issue) are in :mod:`parley.data.model_rules`, registered here too.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from parley import paths
from parley.data.scan import CheckRun, Frame
from parley.data.schema import TABLES, Field
from parley.data.tables import to_integers
from parley.errors import Problem


_SPAN_CHUNK = 65_536  # quotes compared with their source at a time


def isin(values: pd.Series, reference: pd.Series | list) -> np.ndarray:
    """``values.isin(reference)`` as a numpy mask, by pyarrow's hash lookup: pandas' own ``isin`` on
    pyarrow-backed strings took 8.5 s for a million keys against a million (pyarrow: 0.4 s)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    left = pa.array(values.astype(str).array)
    right = pa.array(reference if isinstance(reference, list) else reference.astype(str).array, type=left.type)
    return pc.is_in(left, value_set=right).to_numpy(zero_copy_only=False).astype(bool)


# ---------------------------------------------------------------------------------------------
# Rules of meaning that a Table Schema cannot express. Field types, enums and keys are NOT here:
# they are read from datapackage.json.


@dataclass(frozen=True)
class Span:
    """A pair of offset columns pointing into a source's text (and the column quoting it, if any)."""

    table: str
    source: str
    start: str
    end: str
    text: str | None = None


#: Tables a dossier cannot do without; the others may hold a header and no rows.
NONEMPTY_TABLES = ("sources", "actors", "issues", "statements", "reports")

#: Offsets into source texts.
SPANS = (
    Span("reports", source="source_id", start="char_start", end="char_end", text="text"),
    Span("events", source="source_id", start="evidence_start", end="evidence_end", text="evidence"),
    Span("event_updates", source="source_id", start="evidence_start", end="evidence_end", text="evidence"),
)

#: (table, earlier date, later date): the first may not fall after the second. Dates across
#: tables (said before the earliest report) are rules of :mod:`parley.model_checks`.
DATE_ORDER: tuple[tuple[str, str, str], ...] = ()

#: (table, key, supporting table, its key): every row needs at least one supporting row.
COVERAGE = (
    ("statements", "statement_id", "reports", "statement_id"),
    ("judgments", "judgment_id", "judgment_support", "judgment_id"),
)

#: Plain-words reading of the patterns the schema uses (a fallback shows the pattern itself).
PATTERN_HINTS = {
    r"^[a-z0-9][a-z0-9_]*$": "ids are lowercase slugs: letters a-z, digits and _, starting with a letter or digit",
    r"^[^|]+(\|[^|]+)*$": "a pipe-separated list without empty items (a|b|c)",
    r"^[0-9a-f]{64}$": "64 lowercase hexadecimal digits (a SHA-256)",
    r"^[a-z]{2}$": "a two-letter lowercase ISO 639-1 code such as en",
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.txt$": "a plain .txt file name inside the seeds folder",
}

_DELIMITERS = {";": "';'", "\t": "a tab", "|": "'|'"}
_SUGGEST_LIMIT = 2000  # offer "did you mean" only against this many candidate keys


# ---------------------------------------------------------------------------------------------
# The checks, in order. Adding one is one decorated function.

CHECKS: list[Callable[[CheckRun], None]] = []


def check(function: Callable[[CheckRun], None]) -> Callable[[CheckRun], None]:
    """Register a check: a function of the run that appends problems."""
    CHECKS.append(function)
    return function


@check
def _header(run: CheckRun) -> None:
    """Columns: wrong delimiter, duplicated, missing, unknown; then blank and ragged rows."""
    for f in run.frames.values():
        expected = f.table.field_names
        header = f.header
        if len(header) == 1 and len(expected) > 1:
            found = [name for sep, name in _DELIMITERS.items() if sep in header[0]]
            if found:
                run.problems.append(Problem(f.table.path, 1, None, header[0], f"only one column found: looks like the delimiter is {found[0]}, expected ','; save the file as comma-separated", "delimiter"))
                f.usable = False
                continue
        seen: set[str] = set()
        for name in header:
            if name in seen:
                run.problems.append(Problem(f.table.path, 1, name, name, f"duplicate column name {name!r}; each column appears once: {', '.join(expected)}", "duplicate-header"))
            seen.add(name)
        for name in expected:
            if name not in seen:
                run.problems.append(Problem(f.table.path, 1, name, None, f"missing column {name!r}; the header must be: {','.join(expected)}", "missing-column"))
        for name in dict.fromkeys(header):
            if name not in f.table.by_name:
                close = difflib.get_close_matches(name, expected, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                run.problems.append(Problem(f.table.path, 1, name, None, f"unknown column {name!r}{hint}; columns allowed: {', '.join(expected)}", "extra-column"))
        if len(header) != len(set(header)):
            f.usable = False  # pandas renamed the copies; which one holds the data is anyone's guess
        run.problems.extend(f.structure)


@check
def _cells(run: CheckRun) -> None:
    """Required, type, enum, pattern, range, length and unique constraints of every field."""
    for f in run.frames.values():
        if not f.usable:
            continue
        for spec in f.table.fields:
            if spec.name in f.frame.columns:
                _check_field(run, f, spec)


def _check_field(run: CheckRun, f: Frame, spec: Field) -> None:
    column = f.frame[spec.name].astype(str)
    empty = column.eq("").to_numpy()
    constraints = spec.constraints
    if spec.required:
        run.report_rows(f, empty, spec.name, _required_message(spec), "required")
    parsed, well_typed = _parse(spec, column)
    bad_type = ~empty & ~well_typed
    run.report_rows(f, bad_type, spec.name, _type_message(spec), "type")
    valid = ~empty & well_typed
    f.parsed[spec.name] = parsed
    if spec.enum is not None:
        allowed = [str(v) for v in spec.enum]
        outside = valid & ~column.isin(allowed).to_numpy()
        run.report_rows(f, outside, spec.name, f"not an allowed value; allowed: {', '.join(allowed)}", "enum")
        valid = valid & ~outside
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        matches = column.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        mismatch = valid & ~matches
        path_like = np.zeros(len(column), dtype=bool)
        if mismatch.any():
            path_like[mismatch] = column[mismatch].str.contains(r"[/\\]|\.\.", regex=True).to_numpy(dtype=bool)
        run.report_rows(f, mismatch & path_like, spec.name, "contains a path separator or '..'; ids and file names are plain names without '/', '\\' or '..'", "pattern")
        hint = PATTERN_HINTS.get(pattern)
        run.report_rows(f, mismatch & ~path_like, spec.name, f"{hint} (pattern {pattern})" if hint else f"does not match the pattern {pattern}", "pattern")
        valid = valid & ~mismatch
    lo, hi = constraints.get("minimum"), constraints.get("maximum")
    if (lo is not None or hi is not None) and spec.type in ("integer", "number", "date"):
        low = _bound(spec, lo)
        high = _bound(spec, hi)
        outside = np.zeros(len(column), dtype=bool)
        if low is not None:
            outside |= (parsed < low).fillna(False).to_numpy(dtype=bool)
        if high is not None:
            outside |= (parsed > high).fillna(False).to_numpy(dtype=bool)
        outside &= valid
        if lo is not None and hi is not None:
            allowed = f"allowed {lo} to {hi}"
        elif lo is not None:
            allowed = f"must be at least {lo}"
        else:
            allowed = f"must be at most {hi}"
        run.report_rows(f, outside, spec.name, f"out of range; {allowed}", "range")
        valid = valid & ~outside
    if "minLength" in constraints or "maxLength" in constraints:
        lengths = column.str.len().to_numpy()
        short = valid & (lengths < constraints.get("minLength", 0))
        long = valid & (lengths > constraints.get("maxLength", np.inf))
        run.report_rows(f, short, spec.name, f"too short; at least {constraints.get('minLength')} characters", "length")
        run.report_rows(f, long, spec.name, f"too long; at most {constraints.get('maxLength')} characters", "length")
        valid = valid & ~short & ~long
    f.valid[spec.name] = pd.Series(valid, index=f.frame.index)  # filled, well typed, within every constraint
    if constraints.get("unique") and f.table.primary_key != (spec.name,):
        _duplicates(run, f, [spec.name], "unique", "must be unique")


def _parse(spec: Field, column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Typed values (NaN/NaT where not parsable) and the mask of cells of the right type."""
    if spec.type == "integer":
        ok = column.str.fullmatch(r"-?[0-9]+").to_numpy(dtype=bool)
        return to_integers(column.where(ok)), ok
    if spec.type == "number":
        parsed = pd.to_numeric(column.where(column.ne("")), errors="coerce")
        return parsed, parsed.notna().to_numpy()
    if spec.type == "boolean":
        parsed = column.isin(spec.true_values)
        return parsed, column.isin([*spec.true_values, *spec.false_values]).to_numpy()
    if spec.type == "date":
        shaped = column.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").to_numpy(dtype=bool)
        parsed = pd.to_datetime(column.where(shaped), format="%Y-%m-%d", errors="coerce")
        return parsed, parsed.notna().to_numpy()
    return column, np.ones(len(column), dtype=bool)


def _bound(spec: Field, value: object) -> object:
    if value is None:
        return None
    return pd.Timestamp(value) if spec.type == "date" else value


def _required_message(spec: Field) -> str:
    allowed = f"; one of: {', '.join(map(str, spec.enum))}" if spec.enum else ""
    return f"required; this cell may not be empty{allowed}"


def _type_message(spec: Field) -> str:
    unknown = "" if spec.required else "; leave it empty when unknown"
    if spec.type == "integer":
        return "not an integer; write a whole number such as 0, 42 or -1"
    if spec.type == "number":
        return "not a number; write digits with a '.' for decimals"
    if spec.type == "boolean":
        return f"not a boolean; write {' or '.join([*spec.true_values, *spec.false_values])}"
    if spec.type == "date":
        return f"not a valid date; write an ISO date YYYY-MM-DD such as 2025-02-18{unknown}"
    return f"not a valid {spec.type}"


def _duplicates(run: CheckRun, f: Frame, key: list[str], code: str, what: str) -> None:
    frame = f.frame[key].astype(str)
    complete = frame.ne("").all(axis=1)
    repeated = frame.duplicated(keep="first") & complete
    if not repeated.any():
        return
    first_index = frame[complete].drop_duplicates(keep="first").reset_index().set_index(key)["index"]
    label = ",".join(key)

    def message(index: int) -> str:
        values = tuple(frame.iloc[index])
        first = first_index.loc[values if len(key) > 1 else values[0]]
        shown = ", ".join(f"{k}={v!r}" for k, v in zip(key, values))
        return f"duplicate {'primary key' if code == 'primary-key' else 'value'} ({shown}); first used on row {int(f.rows[int(first)])}; {what}"

    values = frame.iloc[:, 0] if len(key) == 1 else pd.Series(list(zip(*(frame[k] for k in key))), index=frame.index)
    run.report_rows(f, repeated.to_numpy(), label, message, code, values=values)


@check
def _primary_keys(run: CheckRun) -> None:
    """Primary keys are unique (composite keys as a whole)."""
    for f in run.frames.values():
        key = list(f.table.primary_key)
        if key and f.has(*key):
            _duplicates(run, f, key, "primary-key", "each row needs its own key")


@check
def _foreign_keys(run: CheckRun) -> None:
    """Every filled foreign key names an existing row of the table it points to."""
    for f in run.frames.values():
        for fk in f.table.foreign_keys:
            target = run.frames.get(fk.resource)
            if target is None or not f.has(*fk.fields) or not target.has(*fk.reference_fields):
                continue  # the missing table or column is reported already
            local = f.frame[list(fk.fields)].astype(str)
            filled = local.ne("").all(axis=1).to_numpy()
            reference = target.frame[list(fk.reference_fields)].astype(str)
            if len(fk.fields) == 1:
                known = isin(local.iloc[:, 0], reference.iloc[:, 0])
            else:
                known = pd.MultiIndex.from_frame(local).isin(pd.MultiIndex.from_frame(reference))
            dangling = filled & ~known
            if not dangling.any():
                continue
            candidates = list(dict.fromkeys(reference.iloc[:, 0])) if len(reference) <= _SUGGEST_LIMIT else []
            target_fields = ",".join(fk.reference_fields)

            def message(index: int, local=local, candidates=candidates, target=target, target_fields=target_fields) -> str:
                value = ",".join(local.iloc[index])
                close = difflib.get_close_matches(value, candidates, n=1) if candidates else []
                hint = f"; did you mean {close[0]!r}?" if close else ""
                return f"no row of {target.table.path} has {target_fields} {value!r}{hint} (leave it empty if it is optional and unknown)"

            values = local.iloc[:, 0] if len(fk.fields) == 1 else local.agg(",".join, axis=1)
            run.report_rows(f, dangling, ",".join(fk.fields), message, "foreign-key", values=values)


@check
def _nonempty(run: CheckRun) -> None:
    """Tables a dossier needs hold at least one row."""
    optional = [t for t in TABLES if t not in NONEMPTY_TABLES]
    for name in NONEMPTY_TABLES:
        f = run.frames.get(name)
        if f is not None and len(f.frame) == 0:
            run.problems.append(Problem(f.table.path, None, None, None, f"has a header but no rows; a dossier needs at least one row here (only {', '.join(optional)} may be empty)", "empty-table"))


@check
def _sources(run: CheckRun) -> None:
    """Each source file exists in the seeds folder, is UTF-8 and has the recorded SHA-256."""
    f = run.frames.get("sources")
    if f is None or not f.has("source_id", "seed_file", "sha256"):
        return
    seeds_dir = run.schema.seeds_dir
    shown_dir = _shown(seeds_dir)
    frame = f.frame
    usable = f.valid["source_id"] & f.valid["seed_file"]
    # Plain lists: pandas indexing per row costs more than reading the file (0.3 s for 2,000 sources).
    source_ids, seed_files, hashes = frame["source_id"].tolist(), frame["seed_file"].tolist(), frame["sha256"].tolist()
    hash_valid = f.valid["sha256"].tolist()
    for index in np.flatnonzero(usable.to_numpy()):  # one file per source: a loop is the honest shape
        source_id, seed_file, recorded = source_ids[index], seed_files[index], hashes[index]
        path = seeds_dir / seed_file
        kind = _seed_kind(path, seed_file)
        if kind == "symlink" and path.is_file() and run.schema.seed_path(seed_file) is None:
            run.report(f, int(index), "seed_file", seed_file, f"{seed_file} is a symlink that leaves {shown_dir}; Parley never reads it; copy the text into the seeds folder", "seed-outside")
            continue
        if kind is None or not (kind == "file" or path.is_file()):
            run.report(f, int(index), "seed_file", seed_file, f"no file {seed_file} in {shown_dir} (the seeds folder set by datapackage.json parley.seeds_dir)", "seed-missing")
            continue
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if hash_valid[index] and actual != recorded:
            run.report(f, int(index), "sha256", recorded, f"source edited after coding: {seed_file} now has sha256 {actual}; restore the original bytes (seeds are never edited) or re-code its statements and record the new hash", "seed-hash")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            run.report(f, int(index), "seed_file", seed_file, f"{seed_file} is not UTF-8 (byte {exc.start}); source texts are UTF-8 plain text", "seed-encoding")
            continue
        run.texts.setdefault(source_id, text)


def _seed_kind(path: Path, seed_file: str) -> str | None:
    """``"file"``, ``"symlink"`` (to be resolved: it may leave the seeds folder) or ``None`` (not a
    plain file name, or nothing there). One ``lstat``: resolving every path cost 3 s for 20,000 sources."""
    if Path(seed_file).name != seed_file or seed_file in (".", ".."):
        return None
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        return "symlink"
    return "file" if stat.S_ISREG(mode) else None


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(path)


@check
def _spans(run: CheckRun) -> None:
    """Offsets lie inside their source, start before end, and quoted text equals the source there."""
    for span in SPANS:
        f = run.frames.get(span.table)
        if f is None or not f.has(span.source, span.start, span.end):
            continue
        sources = f.frame[span.source].astype(str)
        known = isin(sources, list(run.texts)) & f.valid[span.start].to_numpy() & f.valid[span.end].to_numpy()
        if not known.any():
            continue
        starts = f.parsed[span.start].fillna(0).astype(np.int64).to_numpy()
        ends = f.parsed[span.end].fillna(0).astype(np.int64).to_numpy()
        lengths = sources.map({k: len(v) for k, v in run.texts.items()}).fillna(0).astype(np.int64).to_numpy()
        reversed_ = known & (starts >= ends)
        run.report_rows(f, reversed_, span.start, lambda i: f"{span.start} {starts[i]} is not before {span.end} {ends[i]}; a span needs {span.start} < {span.end}", "span-order")
        beyond = known & ~reversed_ & (ends > lengths)
        run.report_rows(f, beyond, span.end, lambda i: f"beyond the end of source {sources.iloc[i]!r}, which has {lengths[i]} characters; offsets are 0-based code points, {span.end} exclusive", "span-range")
        if span.text is None or span.text not in f.frame.columns:
            continue
        text_column = f.frame[span.text].astype(str)
        inside = np.flatnonzero(known & ~reversed_ & ~beyond & text_column.ne("").to_numpy())  # an empty text is reported as required
        codes, source_ids = pd.factorize(sources)
        source_texts = [run.texts.get(source_id, "") for source_id in source_ids]
        differs = np.zeros(len(text_column), dtype=bool)
        for at in range(0, len(inside), _SPAN_CHUNK):  # in chunks: a million quotes as Python strings at once cost ~0.5 GB
            rows = inside[at:at + _SPAN_CHUNK]
            found = np.array([source_texts[codes[i]][starts[i]:ends[i]] for i in rows], dtype=object)
            differs[rows] = found != text_column.iloc[rows].to_numpy(dtype=object)
        run.report_rows(f, differs, span.text, lambda i: _span_hint(text_column.iloc[i], source_texts[codes[i]], int(starts[i]), int(ends[i]), span), "span-text")


def _span_hint(text: str, source: str, start: int, end: int, span: Span) -> str:
    """Say where the text and the source at its offsets part, and where the text really is."""
    expected = source[start:end]
    at = len(os.path.commonprefix([expected, text]))
    context = 25
    message = (
        f"text is not the source text at {span.start}={start}, {span.end}={end}: from character {at} "
        f"the source has {expected[at:at + context]!r}, the text has {text[at:at + context]!r}"
    )
    occurrences = [m.start() for m in re.finditer(re.escape(text), source)] if text else []
    if occurrences:
        nearest = min(occurrences, key=lambda p: abs(p - start))
        message += f"; the text occurs at {span.start}={nearest}, {span.end}={nearest + len(text)}"
    else:
        message += "; quote the source verbatim (never paraphrase), with offsets of that exact text"
    return message


@check
def _date_order(run: CheckRun) -> None:
    """An earlier date column never falls after its later one (said before reported)."""
    for table, earlier, later in DATE_ORDER:
        f = run.frames.get(table)
        if f is None or not f.has(earlier, later) or earlier not in f.parsed or later not in f.parsed:
            continue
        both = (f.valid[earlier] & f.valid[later]).to_numpy()
        after = both & (f.parsed[earlier] > f.parsed[later]).fillna(False).to_numpy(dtype=bool)
        later_values = f.frame[later]
        run.report_rows(f, after, earlier, lambda i: f"{earlier} falls after {later} {later_values.iloc[i]}; a statement is said on or before the day it is reported", "date-order")


@check
def _coverage(run: CheckRun) -> None:
    """Rows that must be backed by another table (judgments by statements) are."""
    for table, key, support_table, support_key in COVERAGE:
        f, support = run.frames.get(table), run.frames.get(support_table)
        if f is None or support is None or not f.has(key) or not support.has(support_key):
            continue
        unsupported = f.valid[key].to_numpy() & ~isin(f.frame[key], support.frame[support_key])
        run.report_rows(f, unsupported, key, f"has no supporting row in {support.table.path}; add at least one ({', '.join(support.table.primary_key)}) row for it", "unsupported")
