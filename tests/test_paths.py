"""Tests of parley.paths: one place for every path, environment overrides, names vs paths."""

from __future__ import annotations

from pathlib import Path

from parley import paths


def test_project_root_holds_the_package_and_the_seed_dossier():
    assert (paths.PROJECT_ROOT / "parley" / "paths.py").is_file()
    assert (paths.PROJECT_ROOT / "data" / paths.DEFAULT_DOSSIER / "datapackage.json").is_file()
    assert paths.SEEDS_DIR == paths.PROJECT_ROOT / "seeds"


def test_defaults_without_environment(monkeypatch):
    monkeypatch.delenv("PARLEY_DATA_DIR", raising=False)
    monkeypatch.delenv("PARLEY_REPORTS_DIR", raising=False)
    assert paths.data_dir() == paths.PROJECT_ROOT / "data"
    assert paths.reports_dir() == paths.PROJECT_ROOT / "reports"


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(tmp_path / "r"))
    assert paths.data_dir() == tmp_path / "d"
    assert paths.reports_dir() == tmp_path / "r"
    assert paths.dossier_dir("riyadh_2025") == tmp_path / "d" / "riyadh_2025"


def test_empty_environment_variable_means_default(monkeypatch):
    monkeypatch.setenv("PARLEY_DATA_DIR", "")
    assert paths.data_dir() == paths.PROJECT_ROOT / "data"


def test_dossier_dir_takes_a_name_or_a_path(monkeypatch, tmp_path, tiny_dir):
    monkeypatch.delenv("PARLEY_DATA_DIR", raising=False)
    assert paths.dossier_dir("riyadh_2025") == paths.PROJECT_ROOT / "data" / "riyadh_2025"
    assert paths.dossier_dir(tiny_dir) == tiny_dir
    monkeypatch.chdir(tiny_dir.parent)
    assert paths.dossier_dir("tiny") == tiny_dir  # a folder in the cwd with a descriptor is a path
    assert paths.dossier_dir("./tiny") == tiny_dir
    assert paths.dossier_dir("nonexistent") == paths.PROJECT_ROOT / "data" / "nonexistent"


def test_display_path_is_relative_to_the_project_reports_or_data_never_absolute(monkeypatch, tmp_path):
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(tmp_path / "r"))
    assert paths.display_path(paths.NOTEBOOKS_DIR / "briefing.ipynb") == "notebooks/briefing.ipynb"
    assert paths.display_path(tmp_path / "r" / "tiny" / "2025-03-04" / "briefing.html") == "reports/tiny/2025-03-04/briefing.html"
    assert paths.display_path(tmp_path / "d" / "tiny" / "statements.csv") == "data/tiny/statements.csv"
    assert paths.display_path(tmp_path / "elsewhere" / "x.ipynb") == "x.ipynb"


def test_paths_do_not_depend_on_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("PARLEY_DATA_DIR", raising=False)
    before = paths.dossier_dir("riyadh_2025")
    monkeypatch.chdir(tmp_path)
    assert paths.dossier_dir("riyadh_2025") == before
    assert paths.notebook_path("briefing") == paths.NOTEBOOKS_DIR / "briefing.ipynb"
    assert paths.notebook_path("x/other.ipynb") == tmp_path / "x" / "other.ipynb"


def test_paths_module_imports_nothing_of_parley():
    source = Path(paths.__file__).read_text(encoding="utf-8")
    assert "from parley" not in source and "import parley" not in source


def test_a_worker_finds_the_failed_record_by_the_one_run_files_name(tmp_path):
    from parley.editions.worker import failed_record

    assert failed_record(tmp_path) is None
    files = paths.RunFiles(tmp_path, "actor_profile-russia")
    for path in (files.html, files.ipynb, files.run_json):
        path.write_text("{}", encoding="utf-8")
    assert failed_record(tmp_path) is None
    files.failed_ipynb.write_text("{}", encoding="utf-8")
    assert failed_record(tmp_path) == files.failed_ipynb
