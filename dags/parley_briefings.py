"""Airflow DAG: every briefing of ``briefings.yml`` as its own task, then the catalogue.

For teams that outgrow one machine: Airflow's workers spread the briefings, each task calling
the same entry point as ``parley run`` (:func:`parley.editions.batch.run_briefing`: render with
:func:`parley.report.render.render_briefing`, check it is whole, publish atomically under the output's
lock, record the run). The catalogue task rebuilds ``reports/index.html`` once all briefings are
done, whether they succeeded or not.

Setup: install Parley where the workers run (``pip install -e <project>``, or its wheel and
pins) with a ``python3`` Jupyter kernel of that environment; point every worker at the same
reports folder (``PARLEY_REPORTS_DIR`` on shared storage, where ``os.replace`` stays atomic: one
filesystem) and data (``PARLEY_DATA_DIR``); copy or symlink this file into Airflow's
``dags/`` folder. Settings, by environment variable:

- ``PARLEY_SPEC``: the spec (default ``briefings.yml`` beside this file's project);
- ``PARLEY_DAG_SCHEDULE``: cron expression (default ``0 6 * * *``, 06:00 daily).

``today`` in the spec is the end of the run's data interval (the day the scheduled run is for),
so a backfill renders the days it covers; a manual run without a logical date uses today.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if not (PROJECT / "parley").is_dir():  # the file was copied elsewhere: rely on the installed package
    PROJECT = None
elif str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

DAG_ID = "parley_briefings"
CATALOGUE_TASK = "catalogue"
SPEC = Path(os.environ.get("PARLEY_SPEC") or (PROJECT / "briefings.yml" if PROJECT else "briefings.yml"))
SCHEDULE = os.environ.get("PARLEY_DAG_SCHEDULE", "0 6 * * *")


def briefing_tasks(spec: str | os.PathLike[str] = SPEC) -> list[dict]:
    """The briefing tasks the DAG holds: ``task_id`` and the ``op_kwargs`` of each.

    One per briefing of the expanded spec, in spec order; ``task_id`` is the briefing's name.
    """
    from parley.editions.spec import expand_spec

    return [{"task_id": briefing.name, "op_kwargs": {"spec": str(Path(spec).resolve()), "name": briefing.name}}
            for briefing in expand_spec(spec)]


def render_task(spec: str, name: str, **context) -> dict:
    """One Airflow task: render and publish one briefing (raises when it fails, so the task fails)."""
    from parley.editions.batch import run_briefing

    return run_briefing(spec, name, today=_run_day(context))


def catalogue_task(**context) -> str:
    """Rebuild ``reports/index.html`` from the catalogue of runs."""
    from parley.editions.catalogue import write_catalogue

    return str(write_catalogue())


def _run_day(context: dict) -> dt.date | None:
    for key in ("data_interval_end", "logical_date"):
        moment = context.get(key)
        if moment is not None:
            return moment.date() if hasattr(moment, "date") else moment
    return None


def _airflow():
    """``(DAG, PythonOperator)`` for Airflow 3 (task SDK, standard provider) or Airflow 2."""
    try:
        from airflow.sdk import DAG
    except ImportError:
        from airflow import DAG
    try:
        from airflow.providers.standard.operators.python import PythonOperator
    except ImportError:
        from airflow.operators.python import PythonOperator
    return DAG, PythonOperator


def build_dag(spec: str | os.PathLike[str] = SPEC, dag_id: str = DAG_ID, schedule: str | None = SCHEDULE):
    """The DAG: one ``PythonOperator`` per briefing, all upstream of the catalogue task."""
    DAG, PythonOperator = _airflow()
    with DAG(
        dag_id=dag_id,
        schedule=schedule,
        start_date=dt.datetime(2025, 1, 1),
        catchup=False,
        max_active_runs=1,
        default_args={"retries": 1, "retry_delay": dt.timedelta(minutes=2)},
        tags=["parley"],
        doc_md=__doc__,
    ) as dag:
        catalogue = PythonOperator(task_id=CATALOGUE_TASK, python_callable=catalogue_task, trigger_rule="all_done")
        for task in briefing_tasks(spec):
            PythonOperator(task_id=task["task_id"], python_callable=render_task, op_kwargs=task["op_kwargs"]) >> catalogue
    return dag


try:
    import airflow  # noqa: F401  (only to know whether we run under Airflow)
except ImportError:
    airflow = None

if airflow is not None:
    dag = build_dag()
