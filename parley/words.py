"""Words that agree with their numbers: one plural helper for every count a page shows.

Imports nothing of parley, so figures, sections and templates all use it.
"""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 source"``, ``"3 sources"``, ``"2 red lines"``, ``"1,204 statements"``.

    ``plural_form`` names an irregular plural (``plural(2, "party", "parties")``); otherwise an
    ``s`` is added to the last word (``"red line added"`` → ``"red lines added"`` is a phrase for
    :func:`plural_phrase`).
    """
    count = int(count)
    word = noun if count == 1 else (plural_form or _pluralise(noun))
    return f"{count:,} {word}"


def _pluralise(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def plural_phrase(count: int, phrase: str) -> str:
    """Plural of the noun a phrase starts with: ``plural_phrase(3, "red line added")`` → ``"3 red lines added"``.

    The noun is the phrase up to its last word that is not a past participle or preposition in
    :data:`_TRAILERS` (``added``, ``dropped``, ``changed``, ``on the record`` ...).
    """
    words = phrase.split()
    cut = len(words)
    while cut > 1 and words[cut - 1] in _TRAILERS:
        cut -= 1
    head, tail = " ".join(words[:cut]), " ".join(words[cut:])
    return (plural(count, head) + (" " + tail if tail else "")).strip()


_TRAILERS = frozenset({"added", "dropped", "withdrawn", "cancelled", "held", "changed", "moved", "shifted", "softened", "hardened", "new", "on", "the", "record", "since"})
