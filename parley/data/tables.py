"""A dossier's CSV files as they are on disk: read as untyped strings, and hashed into a version.

Both :mod:`parley.data.dossier` (which types the frames) and :mod:`parley.data.validate` (which
checks them) read through here, so neither imports the other's internals.
"""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd

from parley.data.layout import Layout, first_record, marks, record_layout, regular_layout
from parley.data.schema import PackageSchema, Table
from parley.errors import Problem

BOM = b"\xef\xbb\xbf"
_HASH_PIECE = 1 << 20  # bytes hashed at a time by dataset_version
_READERS = 2  # tables read at once by read_tables
_ARROW_BLOCK = 1 << 20  # bytes per block pyarrow parses (in parallel): at a million statements 1 MB blocks took ~15% less CPU than 16 MB (cache-sized)


@dataclass(frozen=True)
class RawTable:
    """One CSV read as untyped strings: the frame (``None`` when unreadable), the problems met
    reading it, and where each record sits in the file (``None`` when that cannot be told)."""

    frame: pd.DataFrame | None
    problems: list[Problem]
    layout: Layout | None


def reuse_freed_memory() -> None:
    """Let pyarrow allocate from jemalloc (bundled with pyarrow) instead of its default mimalloc, when
    this build has it; :func:`parley.data.dossier.load_dossier` and ``parley validate`` call it
    before a dossier is read (every process that reads one: commands, workers, page kernels).

    Reading, checking and analysing a dossier allocate and free many column-sized buffers; mimalloc
    hands freed pages back to the system at once, so the next buffer faults in fresh zeroed pages. At
    a million statements that was ~3 s of system CPU against ~1.1 s with jemalloc, which keeps freed
    pages a while (validate wall 4.4 -> 3.2 s, median of 4 alternated), and jemalloc packs the
    analysis' buffers tighter: the briefing's kernel peaked at 2.29 GB with mimalloc, 2.13 GB with
    jemalloc. Buffers already allocated keep their pool; nothing read or computed changes.
    """
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a pyarrow built without jemalloc: its default pool, as before
        pass


def return_freed_memory() -> None:
    """Hand the memory freed by a large build back to the system: pyarrow's pool releases its
    unused pages, glibc's malloc trims its heap (numpy and Python objects), where this system has
    them. Called once a dossier is loaded and after each large frame is built (the utterances, the
    evidence): at a million statements ~0.15 GB of freed buffers stayed resident after the bluf and
    raised every later cell's peak (the briefing's kernel peak 1.71 -> 1.64 GB with it). The values
    live in memory are untouched; a call costs milliseconds.
    """
    import ctypes

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:  # the process's own symbols: libc's are among them (ctypes.util.find_library would run ldconfig)
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: its allocator keeps what it keeps
        pass


def decoded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its categorical columns back as plain values of their categories' type: what an
    analysis hands on from the evidence (a few rows, or a matrix; see
    :data:`parley.analysis.evidence.CODED`), so nothing downstream meets a categorical."""
    coded = {c: frame[c].astype(frame[c].cat.categories.dtype) for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.assign(**coded) if coded else frame


def dataset_version(schema: PackageSchema) -> str:
    """Hash of the descriptor and every resource file, in a fixed order (12 hex digits)."""
    return dataset_digest(schema)[:12]


def dataset_digest(schema: PackageSchema) -> str:
    """The whole SHA-256 (hex) whose first 12 digits are :func:`dataset_version`."""
    digest = hashlib.sha256()
    folder = schema.path.parent
    for rel in [schema.path.name, *sorted(t.path for t in schema.tables.values())]:
        digest.update(rel.encode())
        digest.update(b"\0")
        file = folder / rel
        if file.exists():
            with open(file, "rb") as stream:  # in pieces: a 200 MB table never sits in memory whole
                for piece in iter(lambda: stream.read(_HASH_PIECE), b""):
                    digest.update(piece)
        else:
            digest.update(b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def read_raw_table(schema: PackageSchema, table: Table) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV as untyped strings (empty cells are ``""``).

    Returns the frame (``None`` when the file cannot be read at all) and the problems met while
    reading: missing file, BOM, bytes that are not UTF-8, unparsable CSV.
    """
    raw = read_table(schema, table)
    return raw.frame, raw.problems


def read_tables(schema: PackageSchema, names: list[str], *, at_once: int = _READERS) -> list[RawTable]:
    """:func:`read_table` of each named table, in that order; ``at_once`` at a time (pyarrow's parser
    and numpy's scans of the bytes release the GIL, so on 2 CPUs the large tables overlap: at a million
    statements the reading went from about 3.3 s to 2 s of wall time, for ~0.2 GB more at its peak)."""
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        return list(pool.map(lambda name: read_table(schema, schema.tables[name]), names))


def read_table(schema: PackageSchema, table: Table) -> RawTable:
    """Read one CSV as untyped strings, with its :class:`~parley.data.layout.Layout`.

    A regular file (every record as wide as the header, quotes well formed, a unique non-blank
    header) is parsed from its bytes by pyarrow, in parallel and without a decoded copy of the
    text; anything else by pandas' C parser from the decoded text, which names what is wrong.
    Both give the same frame (pandas' ``str`` columns).
    """
    file = schema.path.parent / table.path
    name = table.path
    if not file.is_file():
        return RawTable(None, [Problem(name, None, None, None, f"file missing; the data package declares table {table.name!r} at {table.path}", "file-missing")], None)
    data = file.read_bytes()
    problems: list[Problem] = []
    if data.startswith(BOM):
        problems.append(Problem(name, 1, None, None, "starts with a UTF-8 byte-order mark; save as UTF-8 without BOM", "bom"))
        data = data[len(BOM):]
    header = first_record(data) if b"\r" not in data[:65536] else None
    found = marks(data) if header is not None else None  # None: quotes not well formed, or CR/NUL: pandas says what
    frame = _read_regular(data, header, found.quoted_newlines) if found is not None else None
    layout = regular_layout(data, header, len(frame), found) if frame is not None else None
    if layout is not None:
        return RawTable(frame, problems, layout)
    frame = None
    layout = record_layout(data)  # quoted quirks, blank lines: pandas reads it, as it always did
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return RawTable(None, problems + [Problem(name, line, None, data[exc.start : exc.start + 4], f"bytes at offset {exc.start} are not UTF-8; save the file as UTF-8", "encoding")], layout)
    del data
    if not text.strip():
        return RawTable(None, problems + [Problem(name, None, None, None, f"file is empty; expected a header row with columns {', '.join(table.field_names)}", "empty-file")], layout)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, sep=",", quotechar='"', doublequote=True, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        return RawTable(None, problems + [Problem(name, None, None, None, f"not parsable as comma-separated CSV ({exc})", "csv-parse")], layout)
    return RawTable(frame, problems, layout)


def to_integers(column: pd.Series) -> pd.Series:
    """Whole numbers written as text (``-?[0-9]+``; missing or empty cells as NA) as ``Int64``.

    Cast by pyarrow (``pd.to_numeric`` took ~1 s per million cells of pyarrow strings); values
    beyond 64 bits or anything else pyarrow refuses go through ``pd.to_numeric(errors="coerce")``
    as before (then floats, NaN where missing).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = column.astype(str).replace("", None) if len(column) else column.astype(str)
    try:
        values = pc.cast(pa.array(text.array), pa.int64())
    except (pa.ArrowException, TypeError, ValueError):
        return pd.to_numeric(text, errors="coerce")
    missing = values.is_null().to_numpy(zero_copy_only=False)
    filled = values.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return pd.Series(pd.arrays.IntegerArray(filled, missing), index=column.index)


def _read_regular(data: bytes, header: list[str], multiline: bool) -> pd.DataFrame | None:
    """Parse a CSV with pyarrow, every column a string; ``None`` to leave it to pandas (pyarrow
    refuses any record that is not as wide as the header). ``multiline``: some quoted value holds a
    newline (without one, pyarrow may cut blocks at any newline: ~35% less time)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if len(set(header)) != len(header) or any(not name.strip() for name in header):
        return None  # pandas renames duplicates and blanks; its parser keeps those rules
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(block_size=_ARROW_BLOCK),
            parse_options=pacsv.ParseOptions(delimiter=",", quote_char='"', double_quote=True, escape_char=False,
                                              newlines_in_values=multiline, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header}, null_values=[],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=True),
        )
    except (pa.ArrowException, ValueError):  # not UTF-8, or anything pyarrow reads otherwise: pandas says what
        return None
    if table.column_names != header:
        return None
    return table.to_pandas()
