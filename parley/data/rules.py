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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from parley.data import provenance
from parley.data.scan import CheckRun, Frame, arrow_isin
from parley.data.schema import TABLES, Field
from parley.data.strings import mix
from parley.data.tables import to_integers
from parley.errors import Problem


def isin(values: pd.Series, reference: pd.Series | list) -> np.ndarray:
    """``values.isin(reference)`` as a numpy mask, by pyarrow's hash lookup (:func:`parley.data.scan.arrow_isin`)."""
    return arrow_isin(values, reference)


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
        cells_of(run, f)


def cells_of(run: CheckRun, f: Frame) -> None:
    """:func:`_cells` of one table: it reads and fills only that table's frame (its verdicts, parsed
    values and caches), so tables may be checked at once, each with a :meth:`CheckRun.fork` of its own."""
    if not f.usable:
        return
    for spec in f.table.fields:
        if spec.name in f.frame.columns:
            _check_field(run, f, spec)


def _check_field(run: CheckRun, f: Frame, spec: Field) -> None:
    """Every constraint of one field. A cell's verdict depends only on its value, so the verdicts are
    reached once per distinct value and spread over the rows (a million ids, sixteen issues)."""
    column = f.frame[spec.name].astype(str)
    distinct = run.distinct(f, spec.name) if _has_constraints(spec) else None
    if distinct is None:
        verdicts = _verdicts(spec, column)
        spread = _as_is
    else:
        verdicts = _verdicts(spec, distinct.values)
        spread = distinct.spread
    empty = spread(verdicts.empty)
    if spec.required:
        run.report_rows(f, empty, spec.name, _required_message(spec), "required")
    run.report_rows(f, spread(verdicts.bad_type), spec.name, _type_message(spec), "type")
    if spec.type in ("integer", "number", "boolean", "date"):
        f.parsed[spec.name] = verdicts.parsed if distinct is None else distinct.spread_series(verdicts.parsed, f.frame.index)
    else:
        f.parsed[spec.name] = column
    for mask, message, code in verdicts.failures:
        run.report_rows(f, spread(mask), spec.name, message, code)
    f.valid[spec.name] = pd.Series(spread(verdicts.valid), index=f.frame.index)  # filled, well typed, within every constraint
    if spec.constraints.get("unique") and f.table.primary_key != (spec.name,):
        _duplicates(run, f, [spec.name], "unique", "must be unique")


def _as_is(mask: np.ndarray) -> np.ndarray:
    return mask


def _has_constraints(spec: Field) -> bool:
    """A field whose cells are checked for more than being filled (a type, an enum or a constraint)."""
    checked = ("pattern", "minimum", "maximum", "minLength", "maxLength")
    return spec.type != "string" or spec.enum is not None or any(name in spec.constraints for name in checked)


@dataclass(frozen=True)
class _Verdicts:
    """What the constraints of one field say of each value: masks over the values given."""

    empty: np.ndarray
    bad_type: np.ndarray
    parsed: pd.Series
    valid: np.ndarray  # filled, well typed, within every constraint
    failures: list[tuple[np.ndarray, str, str]]  # (mask, message, code), in the order they are reported


def _verdicts(spec: Field, column: pd.Series) -> _Verdicts:
    """The verdicts of every constraint of ``spec`` on the text values ``column``."""
    empty = column.eq("").to_numpy()
    constraints = spec.constraints
    parsed, well_typed = _parse(spec, column)
    bad_type = ~empty & ~well_typed
    valid = ~empty & well_typed
    failures: list[tuple[np.ndarray, str, str]] = []
    if spec.enum is not None:
        allowed = [str(v) for v in spec.enum]
        outside = valid & ~column.isin(allowed).to_numpy()
        failures.append((outside, f"not an allowed value; allowed: {', '.join(allowed)}", "enum"))
        valid = valid & ~outside
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        matches = column.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        mismatch = valid & ~matches
        path_like = np.zeros(len(column), dtype=bool)
        if mismatch.any():
            path_like[mismatch] = column[mismatch].str.contains(r"[/\\]|\.\.", regex=True).to_numpy(dtype=bool)
        failures.append((mismatch & path_like, "contains a path separator or '..'; ids and file names are plain names without '/', '\\' or '..'", "pattern"))
        hint = PATTERN_HINTS.get(pattern)
        failures.append((mismatch & ~path_like, f"{hint} (pattern {pattern})" if hint else f"does not match the pattern {pattern}", "pattern"))
        valid = valid & ~mismatch
    lo, hi = constraints.get("minimum"), constraints.get("maximum")
    if (lo is not None or hi is not None) and spec.type in ("integer", "number", "date"):
        outside = _out_of_range(spec, parsed, lo, hi) & valid
        if lo is not None and hi is not None:
            allowed = f"allowed {lo} to {hi}"
        elif lo is not None:
            allowed = f"must be at least {lo}"
        else:
            allowed = f"must be at most {hi}"
        failures.append((outside, f"out of range; {allowed}", "range"))
        valid = valid & ~outside
    if "minLength" in constraints or "maxLength" in constraints:
        lengths = column.str.len().to_numpy()
        short = valid & (lengths < constraints.get("minLength", 0))
        long = valid & (lengths > constraints.get("maxLength", np.inf))
        failures.append((short, f"too short; at least {constraints.get('minLength')} characters", "length"))
        failures.append((long, f"too long; at most {constraints.get('maxLength')} characters", "length"))
        valid = valid & ~short & ~long
    return _Verdicts(empty, bad_type, parsed, valid, failures)


def _out_of_range(spec: Field, parsed: pd.Series, lo: object, hi: object) -> np.ndarray:
    low, high = _bound(spec, lo), _bound(spec, hi)
    outside = np.zeros(len(parsed), dtype=bool)
    if low is not None:
        outside |= (parsed < low).fillna(False).to_numpy(dtype=bool)
    if high is not None:
        outside |= (parsed > high).fillna(False).to_numpy(dtype=bool)
    return outside


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
    if _repeats(run, f, key) is False:
        return  # told from the distinct values' codes; the rows are read only to name a repeat
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


def _repeats(run: CheckRun, f: Frame, key: list[str]) -> bool | None:
    """Whether two rows with every key field filled may share the key: ``False`` is certain (their
    fingerprints differ), ``True`` is then checked row by row; ``None`` when a column holds missing values."""
    if len(key) == 1 and run.increasing(f, key[0]):
        return False  # ids in strictly increasing order (as written by most tools) repeat none
    combined: np.ndarray | None = None
    complete = np.ones(len(f.frame), dtype=bool)
    for name in key:
        prints = run.fingerprints(f, name)
        if prints is None:
            return None
        numbers, filled = prints
        complete &= filled
        combined = numbers if combined is None else mix(combined * np.uint64(0x9E3779B97F4A7C15) + numbers)
    if combined is None:
        return False
    kept = np.sort(combined[complete])
    return bool((kept[1:] == kept[:-1]).any())


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
            reference = target.frame[list(fk.reference_fields)].astype(str)
            single = len(fk.fields) == 1
            codes = run.distinct(f, fk.fields[0]) if single else None
            reference_codes = run.distinct(target, fk.reference_fields[0]) if single else None
            located = run.locate(f, fk.fields[0], target, fk.reference_fields[0]) if single and codes is None else None
            if codes is not None:  # one lookup per distinct value (a dozen actors named by a million statements)
                filled = codes.spread(codes.values.ne("").to_numpy())
                known = codes.isin(reference_codes.values) if reference_codes is not None else run.contains(codes, target, fk.reference_fields[0])
            elif located is not None:  # ids: found by fingerprint, then compared
                filled = local.iloc[:, 0].ne("").to_numpy()
                known = located >= 0
            else:
                filled = local.ne("").all(axis=1).to_numpy()
                if single:
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
    provenance.check_sources(run)


@check
def _spans(run: CheckRun) -> None:
    """Offsets lie inside their source, start before end, and quoted text equals the source there."""
    for span in SPANS:
        provenance.check_span(run, span)
    run.seeds.clear()  # no later check reads the texts: their memory goes now (their lengths stay)


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
        codes, support_codes = run.distinct(f, key), run.distinct(support, support_key)
        located = run.locate(f, key, support, support_key) if codes is None else None
        if codes is not None:
            backed = codes.isin(support_codes.values) if support_codes is not None else run.contains(codes, support, support_key)
        elif located is not None:
            backed = located >= 0
        else:
            backed = isin(f.frame[key], support.frame[support_key])
        unsupported = f.valid[key].to_numpy() & ~backed
        run.report_rows(f, unsupported, key, f"has no supporting row in {support.table.path}; add at least one ({', '.join(support.table.primary_key)}) row for it", "unsupported")
