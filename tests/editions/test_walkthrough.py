"""The month-long walkthrough in small: editions of the seed dossier published by the real ``parley run``
for three dates, with a day's coding done in between through the real ``parley ingest``, ``parley review``
and ``parley add`` commands (the synthetic second-day article of tests/fixtures/editions; nothing in it is
real reporting). Each edition's "What changed" must match exactly the coding done since the edition before,
a forced re-run must say the same, a later edition with nothing new says so and flags the plan whose date
has passed, and the catalogue groups the three editions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parley import paths
from parley.review.queue import read_candidates

PARLEY = Path(sys.executable).parent / "parley"
ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "editions" / "second_day_riyadh.txt"
SPEC = """defaults: {dossier: riyadh_2025, as_of: dossier, since: previous}
briefings:
  - notebook: briefing
"""
#: The coding of the second day, by the words of each proposal: what the analyst decides.
DECISIONS = {
    "named the teams": ["--speaker", "us_russia_talks", "--position", "consultation_process:1"],
    "will be briefed, but it will not sit at this table.": ["--position", "european_participation:-2"],
    "We have not only listened to each other": ["--report-of", "s01_lavrov_heard_each_other"],
    "any European soldier in Ukraine": ["--position", "peacekeeping_troops:-2:redline"],
    "will not recognise any agreement": ["--position", "ukraine_participation:2:redline"],
}
#: What the edition of 19 February must say changed since the edition of 18 February: that coding, nothing else.
SECOND_DAY = ("new outlet: 1 · new source: 1 · new statement: 4 · new report: 1 · red line added: 1 · stance shift: 3 · "
              "event date changed: 1 · judgment due for review: 2")

pytestmark = pytest.mark.slow


def parley(*args: str, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([str(PARLEY), *args], capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, f"parley {' '.join(args)}: {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


@pytest.fixture
def walk(tmp_path):
    """A private copy of the seed dossier and its seeds, an empty reports folder, the spec."""
    shutil.copytree(paths.PROJECT_ROOT / "data" / "riyadh_2025", tmp_path / "data" / "riyadh_2025")
    shutil.copytree(paths.PROJECT_ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "spec.yml").write_text(SPEC, encoding="utf-8")
    env = {**os.environ, "PARLEY_DATA_DIR": str(tmp_path / "data"), "PARLEY_REPORTS_DIR": str(tmp_path / "reports")}
    return tmp_path, env


def code_the_second_day(root: Path, env: dict) -> None:
    parley("ingest", str(ARTICLE), "--title", "Teams named a day after Riyadh; Europe told it will be briefed",
           "--outlet", "Synthetic Desk (fictional)", "--published", "2025-02-19", env=env)
    pending = [row for row in read_candidates(root / "data" / "riyadh_2025") if row["status"] == "pending"]
    chosen = {}
    for row in pending:
        words = [fragment for fragment in DECISIONS if fragment in row["text"]]
        if words:
            chosen[row["candidate_id"]] = DECISIONS[words[0]]
    assert len(chosen) == len(DECISIONS), [row["text"] for row in pending]
    for candidate_id, options in chosen.items():
        parley("review", "accept", candidate_id, *options, env=env)
    parley("review", "reject", *[row["candidate_id"] for row in pending if row["candidate_id"] not in chosen], env=env)
    source_id = next(line.split(",")[0] for line in (root / "data" / "riyadh_2025" / "sources.csv").read_text().splitlines()
                     if "Synthetic Desk" in line)
    parley("add", "status", "us_russia_consultations", "planned", "--date", "2025-02-27", "--source", source_id,
           "--evidence", "The first round of consultations is due in Istanbul on 27 February", env=env)


def edition(root: Path, env: dict, as_of: str, *extra: str) -> dict:
    parley("run", str(root / "spec.yml"), "--as-of", as_of, "--quiet", *extra, env=env)
    return json.loads((root / "reports" / "riyadh_2025" / as_of / "briefing.run.json").read_text(encoding="utf-8"))


def test_three_editions_of_the_seed_say_exactly_what_was_coded_between_them(walk):
    root, env = walk
    first = edition(root, env, "2025-02-18")
    assert first["changes"] == "first edition"

    code_the_second_day(root, env)
    second = edition(root, env, "2025-02-19")
    assert second["changes"] == SECOND_DAY and second["previous_seq"] == first["seq"]
    page = (root / "reports" / "riyadh_2025" / "2025-02-19" / "briefing.html").read_text(encoding="utf-8")
    assert f"Since the edition of 2025-02-18 (run {first['seq']}, data version {first['version']}):" in page
    assert "United States on Europe at the table — +1 → −2: “will be briefed, but it will not sit at this table.”" in page
    assert "Synthetic Desk (fictional) reports Sergei Lavrov" in page and "independent origins 1 → 2 (corroboration up)" in page
    assert "Formal opening of US–Russia consultations — date not set → 2025-02-27" in page

    forced = edition(root, env, "2025-02-19", "--force")  # a re-run never loses what changed
    assert forced["changes"] == SECOND_DAY and forced["previous_seq"] == first["seq"] and forced["seq"] > second["seq"]

    third = edition(root, env, "2025-03-01")  # nothing coded since the 19th
    assert third["changes"] == "no change" and third["previous_seq"] == forced["seq"]
    page = (root / "reports" / "riyadh_2025" / "2025-03-01" / "briefing.html").read_text(encoding="utf-8")
    assert "Overdue:</strong> Formal opening of US–Russia consultations (planned for 2025-02-27)" in page
    assert "Nothing changed" in page

    catalogue = (root / "reports" / "index.html").read_text(encoding="utf-8")
    dates = [part.split("</strong>")[0] for part in catalogue.split('<strong class="parley-date">')[1:]]
    assert dates == ["2025-03-01", "2025-02-19", "2025-02-18"]
    assert f"What changed: {SECOND_DAY}" in catalogue and "What changed: no change" in catalogue
