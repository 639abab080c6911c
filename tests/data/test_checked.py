"""A dossier validated once is not validated again until its data, a source text or the code
changes (parley.data.checked); a dossier with problems fails at every load."""

from __future__ import annotations

import pytest

import parley.data.dossier as dossier_module
from parley.data import checked
from parley.data.dossier import load_dossier
from parley.errors import DossierInvalid


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """A private cache folder, and the number of full validations load_dossier runs."""
    monkeypatch.setenv(checked.CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.delenv(checked.SWITCH_VARIABLE, raising=False)
    calls = []
    real = dossier_module.validate_tables
    monkeypatch.setattr(dossier_module, "validate_tables", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def _replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_same_bytes_are_validated_once(tiny_copy, counted):
    first = load_dossier(tiny_copy)
    second = load_dossier(tiny_copy)
    assert len(counted) == 1
    assert first.version == second.version
    for name in ("statements", "reports", "positions"):
        assert first.table(name).equals(second.table(name)), "a load that skips the checks reads the same tables"


def test_an_edit_to_the_data_validates_again_and_a_bad_one_fails(tiny_copy, counted):
    load_dossier(tiny_copy)
    _replace_in(tiny_copy / "actors.csv", "Northland", "Northland Republic")  # still valid
    load_dossier(tiny_copy)
    assert len(counted) == 2
    rows = (tiny_copy / "positions.csv").read_text(encoding="utf-8").splitlines()
    fields = rows[1].split(",")
    stance = rows[0].split(",").index("stance")
    fields[stance] = "7"  # outside -2..+2
    rows[1] = ",".join(fields)
    (tiny_copy / "positions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for _ in range(2):  # never remembered: every load checks it and fails
        with pytest.raises(DossierInvalid, match="stance"):
            load_dossier(tiny_copy)
    assert len(counted) == 4


def test_an_edit_to_a_source_text_validates_again(tiny_copy, counted):
    load_dossier(tiny_copy)
    seed = next((tiny_copy / "seeds").glob("*.txt"))
    text = seed.read_text(encoding="utf-8")
    seed.write_text("Synthetic preface. " + text, encoding="utf-8")  # every quote's offsets now point elsewhere
    with pytest.raises(DossierInvalid):
        load_dossier(tiny_copy)
    assert len(counted) == 2


def test_new_code_or_the_switch_validates_again(tiny_copy, counted, monkeypatch):
    load_dossier(tiny_copy)
    monkeypatch.setattr(checked, "_code_digest", lambda: "0" * 64)  # as if a module of the package changed
    load_dossier(tiny_copy)
    assert len(counted) == 2
    monkeypatch.setenv(checked.SWITCH_VARIABLE, "off")
    load_dossier(tiny_copy)
    load_dossier(tiny_copy)
    assert len(counted) == 4


def test_parley_validate_always_checks_everything(tiny_copy, counted):
    from parley.data.validate import check_dossier

    load_dossier(tiny_copy)
    _replace_in(tiny_copy / "actors.csv", "Northland", "Northland Republic")
    assert check_dossier(tiny_copy).ok
    seed = next((tiny_copy / "seeds").glob("*.txt"))
    seed.write_text("Synthetic preface. " + seed.read_text(encoding="utf-8"), encoding="utf-8")
    assert not check_dossier(tiny_copy).ok
