# ROMA Connect toolkit. Every target bootstraps what it needs: only python3 (3.11+), make and the
# system's node/npm have to be on the machine. `make help` lists the targets.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
SPEC := openapi.yaml

# uv must use the machine's interpreter (no downloads here) and the project's .venv.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# One ruff cache for the whole tree (the generated packages have their own ruff settings and
# would otherwise each get a .ruff_cache of their own).
export RUFF_CACHE_DIR := $(CURDIR)/.ruff_cache
# Redocly CLI: no usage reporting, no update banner.
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

VENV_STAMP := $(VENV)/.synced
NODE_STAMP := node_modules/.installed

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# --- bootstrap ------------------------------------------------------------------------------

# uv itself lives in its own small venv, so `uv sync` never removes it from .venv.
$(TOOLS)/.uv-$(UV_VERSION):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required; set PYTHON=/path/to/python3.11")'
	@rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@touch $@

$(VENV_STAMP): pyproject.toml uv.lock $(TOOLS)/.uv-$(UV_VERSION)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: setup
setup: $(VENV_STAMP) $(NODE_STAMP) ## Create .venv (uv, locked) and node_modules (npm ci)

# --- code generation ------------------------------------------------------------------------

GENERATOR_INPUTS := $(SPEC) generator/generate.py generator/openapi-python-client.yaml \
	$(wildcard generator/templates/*) uv.lock
GENERATE_STAMP := build/.generate-stamp

.PHONY: generate
generate: $(GENERATE_STAMP) ## Regenerate generated/ from openapi.yaml (a no-op when nothing changed)

$(GENERATE_STAMP): $(GENERATOR_INPUTS) | $(VENV_STAMP)
	$(PY) -m generator.generate
	@# The generated packages are workspace members: keep their metadata in uv.lock current.
	$(UV) lock --quiet
	@mkdir -p $(@D) && touch $@

.PHONY: check-generated
check-generated: $(VENV_STAMP) ## Fail, naming the files, if generated/ is not what openapi.yaml produces
	$(PY) -m generator.generate --check

# --- checks ---------------------------------------------------------------------------------

.PHONY: lint-spec
lint-spec: $(VENV_STAMP) $(NODE_STAMP) ## Check openapi.yaml: structure, every example, Redocly recommended
	$(PY) -m generator.lint_spec $(SPEC)
	node_modules/.bin/redocly lint $(SPEC) --config generator/redocly.yaml --format=stylish

.PHONY: lint
lint: $(VENV_STAMP) ## ruff (lint + format check) and mypy --strict, generated code included
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

.PHONY: test
test: lint-spec lint check-generated ## Everything CI gates on: spec, lint, types, drift, pytest
	$(PY) -m pytest

.PHONY: format
format: $(VENV_STAMP) ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# --- publishing the spec ------------------------------------------------------------------------

BASE ?=

.PHONY: publish
publish: $(VENV_STAMP) $(NODE_STAMP) ## Write dist/: bundles (YAML, JSON, dereferenced), HTML reference, examples, changelog entry
	$(PY) -m generator.publish

.PHONY: breaking
breaking: $(VENV_STAMP) ## Fail on client-breaking spec changes without a major bump (BASE=rev; default: latest tag, else HEAD~1)
	$(PY) -m generator.breaking $(if $(BASE),--base $(BASE))

.PHONY: check-ts
check-ts: publish ## TypeScript smoke test: openapi-typescript on dist/openapi.yaml, tsc on tests/typescript
	@mkdir -p build/ts
	node_modules/.bin/openapi-typescript dist/openapi.yaml --output build/ts/roma-connect.ts
	node_modules/.bin/tsc -p tests/typescript

# --- the emulator and fuzzing ----------------------------------------------------------------

PORT ?= 8080
BASE_URL ?=
TOKEN ?=
PROJECT_ID ?=
EXAMPLES ?= 1000
SEED ?=
export BASE_URL TOKEN PROJECT_ID

.PHONY: demo
demo: $(VENV_STAMP) ## The whole chain: embedded emulator with demo data, list it with the CLI, stop
	$(PY) -m roma_connect.demo

.PHONY: serve
serve: $(VENV_STAMP) ## Run the emulator with demo data on 127.0.0.1:8080 (PORT= to change; Ctrl-C stops)
	$(VENV)/bin/roma-connect emulator --port $(PORT) --seed 1000 --fixtures docs/examples/instances.yaml

.PHONY: fuzz
fuzz: $(VENV_STAMP) ## schemathesis on BASE_URL (TOKEN, PROJECT_ID) or the embedded emulator; EXAMPLES, SEED
	$(PY) -m tests.fuzz --examples $(EXAMPLES) $(if $(SEED),--seed $(SEED))

# --- benchmarks ---------------------------------------------------------------------------------

.PHONY: bench
bench: $(VENV_STAMP) ## Measure against the official SDK and the floors (a few minutes); docs/bench/
	$(PY) -m benchmarks

# --- housekeeping ---------------------------------------------------------------------------

.PHONY: clean
clean: ## Remove environments, caches and build output (generated/ is kept: it is committed)
	rm -rf $(VENV) $(TOOLS) node_modules .pytest_cache .mypy_cache .ruff_cache build dist reports
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
