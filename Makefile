# Parley — `make help` lists the targets. Every target sets up .venv itself when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AIRFLOW_VENV := .venv-airflow
AIRFLOW_STAMP := $(AIRFLOW_VENV)/.installed
DOSSIER ?= riyadh_2025
AS_OF ?=
PYTEST_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help setup airflow-setup test validate lab briefing briefings watch refresh-notebooks bench clean

## Show this help.
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,t,":"); printf "  \033[1m%-18s\033[0m %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 --display-name "Python 3 (parley)" >/dev/null
	@$(BIN)/parley assets fetch || true
	@touch $@

## Create .venv and install the pinned dependencies and the parley package.
setup: $(STAMP)

# Airflow's own environment: Airflow and Parley's pins, the whole tree pinned by constraints-airflow.txt
# (.venv stays free of Airflow). Parley is installed editable with a python3 kernel in the venv's prefix.
$(AIRFLOW_STAMP): requirements.txt requirements-airflow.txt constraints-airflow.txt pyproject.toml
	@test -x $(AIRFLOW_VENV)/bin/python || $(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/python -m pip install --quiet -r requirements-airflow.txt -c constraints-airflow.txt
	$(AIRFLOW_VENV)/bin/python -m pip install --quiet --no-deps -e .
	$(AIRFLOW_VENV)/bin/python -m pip check
	$(AIRFLOW_VENV)/bin/python -m ipykernel install --prefix $(AIRFLOW_VENV) --name python3 --display-name "Python 3 (parley, airflow)" >/dev/null
	@touch $@

## Create .venv-airflow: Apache Airflow 3 with Parley, for the DAG test and for running the DAG locally.
airflow-setup: $(AIRFLOW_STAMP)

## Run every test (unit, data, notebooks with nbval, browser, the DAG under Airflow). Needs Debian's chromium.
test: $(STAMP) $(AIRFLOW_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Validate the dossier (DOSSIER=riyadh_2025): schema, keys, provenance, meaning.
validate: $(STAMP)
	$(BIN)/parley validate $(DOSSIER)

## Render the main briefing of the seed dossier to reports/ and print the HTML path.
briefing: $(STAMP)
	$(BIN)/parley render briefing --dossier $(DOSSIER) $(if $(AS_OF),--as-of $(AS_OF))

## Render every briefing of briefings.yml in parallel and publish the ones that are whole.
briefings: $(STAMP)
	$(BIN)/parley run briefings.yml

## Publish every briefing, then again (only what changed) each time the data, a notebook or the spec changes; Ctrl-C stops.
watch: $(STAMP)
	$(BIN)/parley run briefings.yml --watch

## Re-execute the notebooks and store their outputs (a deliberate, reviewable diff for nbval).
refresh-notebooks: $(STAMP)
	$(BIN)/parley notebooks refresh

## Measure render cost, HTML size and scale against the goals; writes docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## Open JupyterLab on the project (as root it adds --allow-root).
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

## Remove the virtualenv and generated reports.
clean:
	rm -rf $(VENV) $(AIRFLOW_VENV) reports .pytest_cache
