# Parley — `make help` lists the targets. Every target sets up .venv itself when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOSSIER ?= riyadh_2025
AS_OF ?=
PYTEST_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help setup test validate lab briefing briefings refresh-notebooks bench clean

## Show this help.
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,t,":"); printf "  \033[1m%-18s\033[0m %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 --display-name "Python 3 (parley)" >/dev/null
	@$(BIN)/python -m parley.assets fetch || true
	@touch $@

## Create .venv and install the pinned dependencies and the parley package.
setup: $(STAMP)

## Run every test (unit, data, notebooks with nbval, browser). Needs Debian's chromium for browser tests.
test: $(STAMP)
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

## Re-execute the notebooks and store their outputs (a deliberate, reviewable diff for nbval).
refresh-notebooks: $(STAMP)
	$(BIN)/python -m parley.notebooks refresh

## Measure render cost, HTML size and scale against the goals; writes docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## Open JupyterLab on the project (as root it adds --allow-root).
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

## Remove the virtualenv and generated reports.
clean:
	rm -rf $(VENV) reports .pytest_cache
