"""Parley's exception hierarchy. Every message names what was wrong and what would be right.

The CLI turns any :class:`ParleyError` into its message on stderr and its ``exit_code``; a
person never sees a traceback for bad input.
"""

from __future__ import annotations


class ParleyError(Exception):
    """Base of every error Parley raises on purpose."""

    exit_code = 1

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: in a notebook, bad input reads as one message.
        return [f"{type(self).__name__}: {self}"]


class DossierNotFound(ParleyError):
    """The dossier folder or its datapackage.json does not exist."""

    exit_code = 2


class DossierInvalid(ParleyError):
    """The dossier breaks its schema, keys, provenance or meaning rules.

    ``problems`` holds every :class:`parley.data.validate.Problem` found, not just the first.
    """

    exit_code = 2

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class ParameterError(ParleyError):
    """A briefing parameter has a value that is not allowed (names the valid ones)."""

    exit_code = 2


class RenderError(ParleyError):
    """Executing a notebook or exporting its HTML failed; the published report is untouched."""

    exit_code = 1


class SpecError(ParleyError):
    """A batch spec (briefings.yml) is malformed; the message names the entry and field."""

    exit_code = 2


class IngestError(ParleyError):
    """An article cannot be ingested (empty, binary, too large, not text)."""

    exit_code = 2


class DossierBusy(ParleyError):
    """Another Parley command holds the dossier's lock (it is changing the dossier)."""

    exit_code = 3


class JournalConflict(ParleyError):
    """An interrupted change cannot be finished or undone safely; its journal is kept for a person."""

    exit_code = 2


#: Longest excerpt of a value (file contents, a parameter, a cell) any message shows.
EXCERPT_LIMIT = 80


def excerpt(value: object, limit: int = EXCERPT_LIMIT) -> str:
    """A short, printable, one-line excerpt of ``value`` for a message: ``repr`` cut to ``limit``.

    Every message that echoes something read from a file or given by a person goes through
    here, so a message never carries more than ``limit`` characters of it (a secret read by
    mistake, a 2 GB value) and never a raw newline or control character.

    >>> excerpt("x" * 500, 12)
    "'xxxxxxxxxx…"
    """
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value[: limit * 4])
    elif isinstance(value, str) and len(value) > limit * 4:
        value = value[: limit * 4]
    try:
        text = repr(value)
    except Exception:  # a hostile object's __repr__
        text = f"<{type(value).__name__}>"
    if len(text) > limit * 4:
        text = text[: limit * 4]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten(text: object, limit: int = EXCERPT_LIMIT) -> str:
    """Plain text cut to ``limit`` characters on one line (for an exception's own words in a message)."""
    line = " ".join(str(text)[: limit * 4].split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class Problem:
    """One located defect in a dossier: file, row, field, bad value and what is allowed.

    ``row`` is the 1-based line number in the CSV file counting the header as line 1 (so the
    first data row is row 2, as a spreadsheet shows it); ``None`` when the problem is about the
    whole file or column.
    """

    __slots__ = ("file", "row", "field", "value", "message", "code")

    def __init__(self, file: str, row: int | None, field: str | None, value: object, message: str, code: str):
        self.file = file
        self.row = row
        self.field = field
        self.value = value
        self.message = message
        self.code = code

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = "" if self.value is None else f" (value {excerpt(self.value)})"
        return f"{self.location()}: {self.message}{value} [{self.code}]"

    def __repr__(self) -> str:
        return f"Problem({self!s})"

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(str(self))
