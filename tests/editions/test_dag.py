"""dags/parley_briefings.py: one Airflow task per briefing of the spec, each calling the same entry point.

The task list and one task are checked in this venv; then the DAG runs under real Apache Airflow 3
in its own venv (``.venv-airflow``, built by ``make airflow-setup`` on first use, never skipped):
Airflow's DagBag imports it with no error and the tasks match the spec, and ``airflow dags test``
publishes every briefing of a small spec and the catalogue.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from parley.editions.spec import expand_spec

ROOT = Path(__file__).resolve().parents[2]
DAG_FILE = ROOT / "dags" / "parley_briefings.py"
SHIPPED_SPEC = ROOT / "briefings.yml"
FIXTURE = Path(__file__).resolve().parents[1] / "notebooks" / "sched_fixture.ipynb"


def load_dag_module():
    spec = importlib.util.spec_from_file_location("parley_briefings_dag", DAG_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def small_spec(tmp_path: Path, tiny_dir: Path, as_of: str) -> Path:
    """A copy of the tiny dossier under ``tmp_path/data`` and a 4-page spec on it, as of ``as_of``."""
    shutil.copytree(tiny_dir, tmp_path / "data" / "tiny")
    path = tmp_path / "spec.yml"
    path.write_text(textwrap.dedent(f"""
        defaults: {{dossier: tiny, as_of: {as_of}, since: previous}}
        briefings:
          - name: quick-{{subject}}
            notebook: {FIXTURE}
            for_each: {{subject: [a, b]}}
          - notebook: issue_brief
            for_each: {{issue: issues}}
    """))
    return path


@pytest.fixture
def tiny_spec(tmp_path, tiny_dir, monkeypatch):
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PARLEY_REPORTS_DIR", str(tmp_path / "reports"))
    return small_spec(tmp_path, tiny_dir, "dossier")


def test_the_dag_holds_one_task_per_briefing_of_the_shipped_spec(monkeypatch):
    monkeypatch.delenv("PARLEY_DATA_DIR", raising=False)
    module = load_dag_module()
    tasks = module.briefing_tasks(SHIPPED_SPEC)
    names = [b.name for b in expand_spec(SHIPPED_SPEC)]
    assert [t["task_id"] for t in tasks] == names
    assert all(t["op_kwargs"] == {"spec": str(SHIPPED_SPEC.resolve()), "name": t["task_id"]} for t in tasks)
    assert module.CATALOGUE_TASK not in names


def test_a_task_renders_and_publishes_its_briefing_through_the_shared_entry_point(tiny_spec, tmp_path):
    import datetime as dt

    module = load_dag_module()
    tasks = module.briefing_tasks(tiny_spec)
    assert [t["task_id"] for t in tasks] == ["quick-a", "quick-b", "issue_brief-border_line", "issue_brief-further_talks"]
    record = module.render_task(**tasks[0]["op_kwargs"], data_interval_end=dt.datetime(2025, 3, 4))
    assert record["status"] == "published" and record["name"] == "quick-a"
    assert (tmp_path / "reports" / record["html"]).is_file()
    again = module.render_task(**tasks[0]["op_kwargs"])
    assert again["status"] == "unchanged"
    assert Path(module.catalogue_task()).name == "index.html"


AIRFLOW_VENV = ROOT / ".venv-airflow"
DAGBAG_PROBE = """
import json, sys
try:
    from airflow.dag_processing.dagbag import DagBag
except ImportError:
    from airflow.models.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])  # examples are off: AIRFLOW__CORE__LOAD_EXAMPLES=False
dag = bag.dags.get(sys.argv[2])
tasks = {} if dag is None else {
    t.task_id: {"upstream": sorted(t.upstream_task_ids), "callable": t.python_callable.__name__,
                "op_kwargs": t.op_kwargs, "trigger_rule": getattr(t.trigger_rule, "value", t.trigger_rule)} for t in dag.tasks}
print(json.dumps({"import_errors": {k: str(v) for k, v in bag.import_errors.items()},
                  "dag_ids": sorted(bag.dag_ids), "tasks": tasks}))
"""


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory):
    """Airflow 3 in its own venv (``make airflow-setup`` builds it on first use) and a migrated SQLite home."""
    subprocess.run(["make", "-s", "-C", str(ROOT), "airflow-setup"], check=True, timeout=1800)
    home = tmp_path_factory.mktemp("airflow_home")
    run_airflow(["airflow", "db", "migrate"], airflow_env(home, {}), timeout=600)
    return home


def airflow_env(home: Path, extra: dict) -> dict:
    """The environment of an Airflow command: its venv first on PATH, nothing of the test's own venv."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("PARLEY_", "AIRFLOW", "JUPYTER", "VIRTUAL_ENV", "PYTHON", "PYTEST"))}
    return {**keep, "PATH": f"{AIRFLOW_VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "VIRTUAL_ENV": str(AIRFLOW_VENV), "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False", "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
            "JUPYTER_PLATFORM_DIRS": "1", "PYTHONDONTWRITEBYTECODE": "1", **extra}


def run_airflow(cmd: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    cmd = [str(AIRFLOW_VENV / "bin" / cmd[0]), *cmd[1:]]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=env["AIRFLOW_HOME"])
    assert done.returncode == 0, f"{' '.join(cmd)} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture
def dag_spec(tmp_path, tiny_dir):
    """A small spec on a copy of the tiny dossier (4 pages), with the folders every Airflow worker shares."""
    path = small_spec(tmp_path, tiny_dir, "today")
    return {"PARLEY_SPEC": str(path), "PARLEY_DATA_DIR": str(tmp_path / "data"),
            "PARLEY_REPORTS_DIR": str(tmp_path / "reports")}


def test_airflow_imports_the_dag_with_one_task_per_briefing_then_the_catalogue(airflow_home, dag_spec, monkeypatch):
    env = airflow_env(airflow_home, dag_spec)
    done = run_airflow(["python", "-c", DAGBAG_PROBE, str(DAG_FILE), "parley_briefings"], env, timeout=300)
    bag = json.loads(done.stdout.strip().splitlines()[-1])
    assert bag["import_errors"] == {}
    assert "parley_briefings" in bag["dag_ids"]
    monkeypatch.setenv("PARLEY_DATA_DIR", dag_spec["PARLEY_DATA_DIR"])
    names = [b.name for b in expand_spec(dag_spec["PARLEY_SPEC"])]
    assert names == ["quick-a", "quick-b", "issue_brief-border_line", "issue_brief-further_talks"]
    tasks = bag["tasks"]
    assert sorted(tasks) == sorted(names + ["catalogue"])
    assert tasks["catalogue"]["upstream"] == sorted(names)
    assert tasks["catalogue"]["callable"] == "catalogue_task" and tasks["catalogue"]["trigger_rule"] == "all_done"
    for name in names:
        assert tasks[name]["upstream"] == []
        assert tasks[name]["callable"] == "render_task"
        assert tasks[name]["op_kwargs"] == {"spec": str(Path(dag_spec["PARLEY_SPEC"]).resolve()), "name": name}


def test_airflow_dags_test_publishes_every_briefing_of_the_spec_and_the_catalogue(airflow_home, dag_spec):
    env = airflow_env(airflow_home, dag_spec)
    run_airflow(["airflow", "dags", "test", "parley_briefings", "2025-03-04"], env, timeout=900)
    reports = Path(dag_spec["PARLEY_REPORTS_DIR"])
    entries = [json.loads(line) for line in (reports / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()]
    names = ["quick-a", "quick-b", "issue_brief-border_line", "issue_brief-further_talks"]
    assert sorted(e["name"] for e in entries) == sorted(names)
    assert {e["status"] for e in entries} == {"published"}
    assert {e["as_of"] for e in entries} == {"2025-03-04"}  # ``today`` is the run's day, not the wall clock
    for name in names:
        page = reports / "tiny" / "2025-03-04" / f"{name}.html"
        assert page.is_file() and page.stat().st_size > 100_000, page
        record = json.loads((reports / "tiny" / "2025-03-04" / f"{name}.run.json").read_text(encoding="utf-8"))
        assert record["name"] == name
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert all(name in index for name in names)
