"""parley.fileio: atomic single files and crash-safe multi-file dossier transactions (in-process
behaviour; tests/ingest/test_ingest_crash.py kills real processes)."""

from __future__ import annotations

import json
import os

import pytest

from parley.errors import DossierInvalid, JournalConflict
from parley.fileio import export_csv, spreadsheet_safe, write_atomic
from parley.journal import JOURNAL, dossier_transaction, recover_dossier


@pytest.fixture
def folder(tmp_path):
    dossier = tmp_path / "data" / "d"
    dossier.mkdir(parents=True)
    (tmp_path / "seeds").mkdir()
    (dossier / "datapackage.json").write_text(json.dumps({"name": "d", "parley": {"seeds_dir": "../../seeds"}}))
    (dossier / "a.csv").write_bytes(b"a\n1\n")
    (dossier / "b.csv").write_bytes(b"b\n1\n")
    return dossier


def _files(folder):
    return {p.relative_to(folder.parent.parent).as_posix(): p.read_bytes() for p in sorted(folder.parent.parent.rglob("*")) if p.is_file()}


def test_writes_are_staged_until_the_block_ends(folder):
    with dossier_transaction(folder, "test") as tx:
        tx.write(folder / "a.csv", b"a\n2\n")
        tx.create(folder.parent.parent / "seeds" / "s.txt", b"text", read_only=True)
        assert (folder / "a.csv").read_bytes() == b"a\n1\n"  # nothing on disk yet
        assert tx.read(folder / "a.csv") == b"a\n2\n"
    assert (folder / "a.csv").read_bytes() == b"a\n2\n"
    seed = folder.parent.parent / "seeds" / "s.txt"
    assert seed.read_bytes() == b"text" and oct(seed.stat().st_mode & 0o777) == "0o444"
    assert not any(p.name.startswith(".journal") for p in folder.iterdir())


def test_an_exception_in_the_block_changes_nothing(folder):
    before = _files(folder)
    with pytest.raises(RuntimeError):
        with dossier_transaction(folder, "test") as tx:
            tx.write(folder / "a.csv", b"x")
            raise RuntimeError("boom")
    assert _files(folder) == before


def test_a_failing_check_restores_every_file_and_removes_created_ones(folder):
    before = _files(folder)
    seen = {}

    def check(path):
        seen.update(_files(folder))  # the check sees the changed files
        raise DossierInvalid("invalid")

    with pytest.raises(DossierInvalid):
        with dossier_transaction(folder, "test", check=check) as tx:
            tx.write(folder / "a.csv", b"a\n2\n")
            tx.write(folder / "c.csv", b"c\n")
            tx.create(folder.parent.parent / "seeds" / "s.txt", b"text", read_only=True)
    assert seen["data/d/a.csv"] == b"a\n2\n" and seen["seeds/s.txt"] == b"text"
    assert _files(folder) == before


def test_create_refuses_an_existing_file(folder):
    from parley.errors import IngestError

    with pytest.raises(IngestError, match="already exists"):
        with dossier_transaction(folder, "test") as tx:
            tx.create(folder / "a.csv", b"x")
    assert (folder / "a.csv").read_bytes() == b"a\n1\n"


def test_writes_outside_the_dossier_and_its_seeds_are_refused(folder, tmp_path):
    with pytest.raises(ValueError, match="outside dossier"):
        with dossier_transaction(folder, "test") as tx:
            tx.write(tmp_path / "elsewhere.txt", b"x")
    assert not (tmp_path / "elsewhere.txt").exists()


def test_a_planted_journal_cannot_reach_files_outside_the_dossier(folder, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    journal = folder / JOURNAL
    journal.mkdir()
    (journal / "0.new").write_bytes(b"pwned")
    (journal / "COMMITTED").write_bytes(b"x")
    (journal / "manifest.json").write_text(json.dumps({"action": "evil", "files": [{"path": "../../victim.txt", "new": "0.new", "new_sha256": "0" * 64, "old": None, "old_sha256": None}]}))
    with pytest.raises(JournalConflict, match="outside the dossier and its seeds folder"):
        recover_dossier(folder)
    assert victim.read_bytes() == b"keep me"


def test_an_unreadable_manifest_is_a_conflict_not_a_traceback(folder):
    (folder / JOURNAL).mkdir()
    (folder / JOURNAL / "manifest.json").write_text("[1, 2")
    with pytest.raises(JournalConflict, match="unreadable journal manifest"):
        recover_dossier(folder)


def test_recovery_without_a_journal_is_a_no_op(folder):
    assert recover_dossier(folder) == []


def test_write_atomic_keeps_mode_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    os.chmod(target, 0o600)
    write_atomic(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_cells_are_neutralised_in_exports(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-2", "+1", "0.5", "-1.5e3", "lavrov", "", 2, None])
def test_numbers_and_plain_text_pass_unchanged(cell):
    assert spreadsheet_safe(cell) == cell


def test_export_csv_writes_safe_cells(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"actor_id": ["=cmd|'/C calc'!A0", "lavrov"], "stance": pd.array([-2, None], dtype="Int64")})
    export_csv(tmp_path / "x.csv", frame)
    assert (tmp_path / "x.csv").read_text() == "actor_id,stance\n'=cmd|'/C calc'!A0,-2\nlavrov,\n"
