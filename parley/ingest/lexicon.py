"""What the extractor knows from a dossier: actors (names, aliases, roles), issues, what is coded.

The lexicon is read from the dossier's own ``actors.csv`` and ``issues.csv`` (aliases, roles and
keywords are pipe-separated there), so a new dossier brings its own vocabulary and nothing about
one negotiation is written into the code. Without a dossier the lexicon is empty and the extractor
still finds quotations and names people from the article itself.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from parley import paths
from parley.errors import DossierInvalid
from parley.data.schema import read_schema
from parley.ingest.coded import Coded, coded_examples


@dataclass(frozen=True)
class ActorEntry:
    """One actor of the dossier as the extractor sees it."""

    actor_id: str
    name: str
    kind: str
    parent_id: str = ""
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def surface_names(self) -> tuple[str, ...]:
        """The name and every alias, longest first, without duplicates."""
        names = {n.strip() for n in (self.name, *self.aliases) if n and n.strip()}
        return tuple(sorted(names, key=lambda n: (-len(n), n)))


@dataclass(frozen=True)
class IssueEntry:
    """One issue and its keyword lexicon."""

    issue_id: str
    label: str
    keywords: tuple[str, ...] = ()
    minus2_means: str = ""
    plus2_means: str = ""
    description: str = ""


@dataclass
class Lexicon:
    """Actors and issues of a dossier, with the compiled patterns that find them in text."""

    actors: dict[str, ActorEntry] = field(default_factory=dict)
    issues: dict[str, IssueEntry] = field(default_factory=dict)
    coded: tuple[Coded, ...] = ()  # what the analyst coded so far (the suggester's examples)

    def party_of(self, actor_id: str) -> str:
        """The top of an actor's parent chain (the party an official speaks for); '' for none."""
        seen: set[str] = set()
        while actor_id in self.actors and self.actors[actor_id].parent_id and actor_id not in seen:
            seen.add(actor_id)
            actor_id = self.actors[actor_id].parent_id
        return actor_id if actor_id in self.actors else ""

    @classmethod
    def empty(cls) -> Lexicon:
        """A lexicon that knows nobody (extraction from the article alone)."""
        return cls()

    # ------------------------------------------------------------------ names

    @cached_property
    def name_index(self) -> dict[str, str]:
        """Surface name -> actor id (names and aliases as written; ambiguous ones dropped)."""
        owners: dict[str, set[str]] = {}
        for actor in self.actors.values():
            for name in actor.surface_names:
                owners.setdefault(name, set()).add(actor.actor_id)
            if actor.is_person:
                for name in actor.surface_names:
                    parts = name.split()
                    if len(parts) > 1 and parts[-1][:1].isupper():
                        owners.setdefault(parts[-1], set()).add(actor.actor_id)
        return {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1}

    @cached_property
    def name_pattern(self) -> re.Pattern[str] | None:
        """One regex matching any surface name (longest first, whole words)."""
        names = sorted(self.name_index, key=lambda n: (-len(n), n))
        if not names:
            return None
        alternatives = [_name_regex(n) for n in names]
        return re.compile(r"(?<![\w'’-])(?:" + "|".join(alternatives) + r")(?![\w-])")

    @cached_property
    def role_index(self) -> dict[str, tuple[str, ...]]:
        """Lower-cased role phrase -> actor ids holding it."""
        roles: dict[str, list[str]] = {}
        for actor in self.actors.values():
            for role in actor.roles:
                key = " ".join(role.lower().split())
                if key:
                    roles.setdefault(key, []).append(actor.actor_id)
        return {k: tuple(v) for k, v in roles.items()}

    @cached_property
    def role_pattern(self) -> re.Pattern[str] | None:
        """One case-insensitive regex matching any role phrase of the dossier."""
        roles = sorted(self.role_index, key=lambda r: (-len(r), r))
        if not roles:
            return None
        return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in roles) + r")(?![\w-])", re.IGNORECASE)

    @cached_property
    def role_heads(self) -> frozenset[str]:
        """Last word of every role phrase (``researcher``, ``minister``)."""
        return frozenset(r.split()[-1] for r in self.role_index)

    def resolve_name(self, name: str) -> str | None:
        """The actor id a free-form name refers to, or ``None``.

        Tries the exact name or alias (case-insensitive), then any word of the name that is an
        actor's surname or one-word alias. Used to compare speakers by identity.
        """
        wanted = _fold(name)
        if not wanted:
            return None
        for surface, actor_id in self.name_index.items():
            if _fold(surface) == wanted:
                return actor_id
        tokens = [t for t in wanted.split() if len(t) > 2]
        for surface, actor_id in self.name_index.items():
            folded = _fold(surface)
            if " " not in folded and folded in tokens and surface[:1].isupper():
                return actor_id
        return None

    # ------------------------------------------------------------------ issues

    @cached_property
    def keyword_index(self) -> dict[str, tuple[str, ...]]:
        """Lower-cased keyword -> issue ids using it."""
        index: dict[str, list[str]] = {}
        for issue in self.issues.values():
            for keyword in issue.keywords:
                key = " ".join(keyword.lower().split())
                if key and issue.issue_id not in index.get(key, []):
                    index.setdefault(key, []).append(issue.issue_id)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def keyword_pattern(self) -> re.Pattern[str] | None:
        keywords = sorted(self.keyword_index, key=lambda k: (-len(k), k))
        if not keywords:
            return None
        return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keywords) + r")(?![\w-])", re.IGNORECASE)


def _name_regex(name: str) -> str:
    """A name as a regex: spaces match any run of spaces; a lower-case first letter may be capital."""
    escaped = re.escape(name).replace(r"\ ", r"\s+")
    first = name[0]
    if first.islower():
        escaped = f"[{first}{first.upper()}]" + escaped[1:]
    return escaped


def _fold(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", plain.lower()).split())


def fold_name(text: str) -> str:
    """Public form of the name folding used to compare speakers (see :func:`_fold`)."""
    return _fold(text)


def _split_pipe(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


def _read_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DossierInvalid(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    return list(csv.DictReader(io.StringIO(text)))


def load_lexicon(dossier: str | Path) -> Lexicon:
    """Build the lexicon of a dossier (by name or folder) from its actors and issues tables.

    Raises
    ------
    DossierNotFound
        When the dossier folder or its ``datapackage.json`` is missing.
    """
    folder = paths.dossier_dir(dossier)
    schema = read_schema(folder)
    actors: dict[str, ActorEntry] = {}
    for row in _read_rows(folder / schema.tables["actors"].path):
        actor_id = (row.get("actor_id") or "").strip()
        if not actor_id:
            continue
        actors[actor_id] = ActorEntry(
            actor_id=actor_id,
            name=(row.get("name") or actor_id).strip(),
            kind=(row.get("kind") or "").strip(),
            parent_id=(row.get("parent_id") or "").strip(),
            aliases=_split_pipe(row.get("aliases", "")),
            roles=_split_pipe(row.get("roles", "")),
        )
    issues: dict[str, IssueEntry] = {}
    for row in _read_rows(folder / schema.tables["issues"].path):
        issue_id = (row.get("issue_id") or "").strip()
        if not issue_id:
            continue
        issues[issue_id] = IssueEntry(
            issue_id=issue_id,
            label=(row.get("label") or issue_id).strip(),
            keywords=_split_pipe(row.get("keywords", "")),
            minus2_means=row.get("minus2_means", ""),
            plus2_means=row.get("plus2_means", ""),
            description=row.get("description", ""),
        )
    return Lexicon(actors=actors, issues=issues, coded=tuple(coded_examples(folder)))
