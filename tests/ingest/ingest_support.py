"""Helpers for the ingest tests: a tiny dossier in a temporary folder, built from the real schema.

The dossier's header rows come from the project's ``datapackage.json`` (the one schema), its rows
are written here and are SYNTHETIC. Tests point ``PARLEY_DATA_DIR`` at the temporary folder, so
nothing under the repository's ``data/`` or ``seeds/`` is ever touched.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from parley import paths

HERE = Path(__file__).parent
ARTICLES = HERE / "articles"
GOLD = HERE / "gold"
SEED_GOLD = HERE.parent / "fixtures" / "gold" / "seed-quotes-gold.csv"
SEED_ARTICLE = paths.SEEDS_DIR / "000_85affc11210ea103.txt"
SCHEMA_FILE = paths.PROJECT_ROOT / "data" / "riyadh_2025" / "datapackage.json"

TINY_SEED = 'SYNTHETIC TEST ARTICLE: written for Parley\'s tests; not real reporting.\nLavrov said the talks were "useful" and would go on.\n'

ROWS: dict[str, list[dict[str, str]]] = {
    "actors": [
        {"actor_id": "russia", "name": "Russia", "kind": "state", "participation": "party", "aliases": "Russia|Moscow|the Kremlin|Kremlin"},
        {"actor_id": "ukraine", "name": "Ukraine", "kind": "state", "participation": "party", "aliases": "Ukraine|Kyiv|Kiev"},
        {"actor_id": "usa", "name": "United States", "kind": "state", "participation": "party", "aliases": "United States|US|Washington"},
        {"actor_id": "lavrov", "name": "Sergei Lavrov", "kind": "person", "participation": "official", "parent_id": "russia", "aliases": "Sergei Lavrov|Lavrov", "roles": "Russian foreign minister|foreign minister"},
        {"actor_id": "rubio", "name": "Marco Rubio", "kind": "person", "participation": "official", "parent_id": "usa", "aliases": "Marco Rubio|Rubio", "roles": "Secretary of State"},
    ],
    "issues": [
        {"issue_id": "peacekeeping_troops", "label": "Troops in Ukraine", "description": "European troops in Ukraine.", "minus2_means": "No troops", "plus2_means": "Troops deployed", "keywords": "troops|contingents|soldiers|soldier|force"},
        {"issue_id": "ukraine_participation", "label": "Ukraine at the table", "description": "Ukraine takes part.", "minus2_means": "Decided without Ukraine", "plus2_means": "Ukraine a full party", "keywords": "without ukraine|decisions about ukraine|invited"},
        {"issue_id": "ceasefire", "label": "Ceasefire", "description": "A ceasefire.", "minus2_means": "Keep fighting", "plus2_means": "Ceasefire now", "keywords": "ceasefire|truce|peace"},
    ],
    "statements": [
        {"statement_id": "s01_lavrov_useful", "speaker_id": "lavrov", "on_behalf_of_id": "russia", "kind": "direct_quote", "coder": "tests", "review_status": "accepted"},
    ],
    "reports": [
        {"report_id": "r01_tiny_seed", "statement_id": "s01_lavrov_useful", "source_id": "tiny_seed", "text": "useful",
         "char_start": str(TINY_SEED.index("useful")), "char_end": str(TINY_SEED.index("useful") + 6), "attribution_cue": "Lavrov said", "date_reported": "2031-02-19",
         "completeness": "partial", "coder": "tests"},
    ],
}


@dataclass
class TinyDossier:
    """Paths of the temporary dossier."""

    root: Path
    folder: Path
    seeds: Path

    def table(self, name: str) -> Path:
        return self.folder / f"{name}.csv"

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the dossier and of the seeds folder, by relative path (to prove nothing changed)."""
        files = {}
        for base in (self.folder, self.seeds):
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    files[str(path.relative_to(self.root))] = path.read_bytes()
        return files

    def rows(self, name: str) -> list[dict[str, str]]:
        with self.table(name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))


def build_tiny_dossier(root: Path) -> TinyDossier:
    """Write the tiny dossier under ``root/data/tiny`` and its seed under ``root/seeds``."""
    descriptor = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    descriptor["name"] = "tiny"
    descriptor["title"] = "Tiny test dossier (SYNTHETIC)"
    descriptor.setdefault("parley", {})["seeds_dir"] = "../../seeds"
    folder = root / "data" / "tiny"
    seeds = root / "seeds"
    folder.mkdir(parents=True)
    seeds.mkdir()
    seed_bytes = TINY_SEED.encode()
    sha = hashlib.sha256(seed_bytes).hexdigest()
    seed_file = f"000_{sha[:16]}.txt"
    (seeds / seed_file).write_bytes(seed_bytes)
    rows = dict(ROWS)
    rows["sources"] = [
        {"source_id": "tiny_seed", "seed_file": seed_file, "sha256": sha, "title": "Tiny seed", "kind": "article", "published": "2031-02-19", "language": "en", "notes": "SYNTHETIC"}
    ]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for resource in descriptor["resources"]:
        header = [f["name"] for f in resource["schema"]["fields"]]
        with (folder / resource["path"]).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            for row in rows.get(resource["name"], []):
                writer.writerow({k: row.get(k, "") for k in header})
    return TinyDossier(root, folder, seeds)


def article(name: str) -> Path:
    """Path of a SYNTHETIC test article."""
    return ARTICLES / name
