"""The dates a batch spec may say: ``2025-02-18``, ``today``, ``yesterday``, ``today-7d``,
``today-2w``, and (for ``since``) ``as_of-7d``; resolved to ISO dates or refused with a
:class:`parley.errors.SpecError` that says what is allowed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from parley.errors import SpecError, excerpt

_RELATIVE = re.compile(r"^(today|yesterday|as_of)\s*(?:([+-])\s*(\d+)\s*(d|day|days|w|week|weeks))?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_date(value: Any, today: dt.date | str | None = None, as_of: str | None = None, where: str = "date") -> str:
    """An ISO date from a spec value: ``2025-02-18``, ``today``, ``yesterday``, ``today-7d``,
    ``today-2w``, or (when ``as_of`` is given) ``as_of-7d``.

    Raises
    ------
    SpecError
        The value is none of these; the message says what is allowed.
    """
    return _resolve_date(value, _today(today), as_of, where, allow_as_of_base=as_of is not None)


def _resolve_date(value: Any, today: dt.date, as_of: str | None, where: str, allow_as_of_base: bool) -> str:
    text = _date_text(value).strip()
    allowed = "an ISO date (YYYY-MM-DD), today, yesterday, or today-N d/w (e.g. today-7d)" + (", or as_of-N d/w" if allow_as_of_base else "")
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise SpecError(f"{where}: {excerpt(text)} is not a calendar date; expected {allowed}") from None
    match = _RELATIVE.match(text.lower())
    if not match or (match.group(1) == "as_of" and not allow_as_of_base):
        raise SpecError(f"{where}: {excerpt(text)} is not a date; expected {allowed}")
    base_name, sign, amount, unit = match.groups()
    base = {"today": today, "yesterday": today - dt.timedelta(days=1)}.get(base_name) or dt.date.fromisoformat(as_of)
    if amount:
        delta = dt.timedelta(days=int(amount) * (7 if unit.startswith("w") else 1))
        base = base + delta if sign == "+" else base - delta
    return base.isoformat()


def _today(today: dt.date | str | None) -> dt.date:
    if today is None:
        return dt.date.today()
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    try:
        return dt.date.fromisoformat(str(today)[:10])
    except ValueError:
        raise SpecError(f"today={excerpt(today)} is not an ISO date (YYYY-MM-DD)") from None


def _date_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))
