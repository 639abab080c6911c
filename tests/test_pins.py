"""The dependency pins agree: requirements.txt, environment.yml (pip section) and constraints.txt."""

from __future__ import annotations

import re
from importlib import metadata

import pytest
import yaml

from parley import paths

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(lines: list[str], origin: str) -> dict[str, str]:
    """Name -> version of every ``name==version`` line; anything else but comments is an error."""
    pins: dict[str, str] = {}
    for line in lines:
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#") or line == "-e .":
            continue
        match = PIN.match(line)
        assert match, f"{origin}: {line!r} is not pinned as name==version"
        name = _normal(match.group(1))
        assert name not in pins, f"{origin}: {name} pinned twice"
        pins[name] = match.group(2)
    return pins


def _file_pins(name: str) -> dict[str, str]:
    return parse_pins((paths.PROJECT_ROOT / name).read_text(encoding="utf-8").splitlines(), name)


def _conda_pip_pins() -> dict[str, str]:
    environment = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip section"
    return parse_pins(pip_sections[0], "environment.yml")


def test_environment_yml_pins_equal_requirements():
    assert _conda_pip_pins() == _file_pins("requirements.txt")


def test_requirements_agree_with_constraints():
    constraints = _file_pins("constraints.txt")
    requirements = _file_pins("requirements.txt")
    disagree = {n: (v, constraints.get(n)) for n, v in requirements.items() if constraints.get(n) != v}
    assert not disagree, f"requirements.txt vs constraints.txt (name: (requirement, constraint)): {disagree}"


@pytest.mark.parametrize("name", sorted(_file_pins("requirements.txt")))
def test_installed_version_is_the_pinned_one(name):
    assert metadata.version(name) == _file_pins("requirements.txt")[name]


def test_parse_pins_rejects_loose_and_duplicate_pins():
    assert parse_pins(["# c", "", "Foo_Bar==1.0  # why", "-e ."], "x") == {"foo-bar": "1.0"}
    with pytest.raises(AssertionError, match="not pinned"):
        parse_pins(["pandas>=3"], "x")
    with pytest.raises(AssertionError, match="pinned twice"):
        parse_pins(["pandas==3", "Pandas==3"], "x")


def test_airflow_environment_keeps_parleys_pins():
    """.venv-airflow (the DAG test) installs requirements-airflow.txt with constraints-airflow.txt:
    every package it shares with constraints.txt has the same version, and Airflow is pinned in both."""
    airflow_constraints = _file_pins("constraints-airflow.txt")
    constraints = _file_pins("constraints.txt")
    disagree = {n: (v, airflow_constraints.get(n)) for n, v in constraints.items() if airflow_constraints.get(n) != v}
    assert not disagree, f"constraints.txt vs constraints-airflow.txt (name: (parley, airflow env)): {disagree}"
    lines = (paths.PROJECT_ROOT / "requirements-airflow.txt").read_text(encoding="utf-8").splitlines()
    assert "-r requirements.txt" in lines
    extra = parse_pins([line for line in lines if not line.startswith("-r ")], "requirements-airflow.txt")
    assert extra and all(airflow_constraints.get(n) == v for n, v in extra.items()), extra
