# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
TOOLS := $(CURDIR)/.tools
BUN_VERSION := 1.4.4
# Lighthouse for `make bench` (12.x: the last line that runs on Node 20)
LIGHTHOUSE_VERSION := 12.8.2
PORT ?= 3000

export PORT
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export REFLEX_USE_SYSTEM_BUN := 1
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null)
export PATH := $(TOOLS)/node_modules/.bin:$(BIN):$(PATH)

.PHONY: help setup run test test-fast lint bench chromium nginx clean

help:
	@echo "make run    set up and start the portal on http://127.0.0.1:$(PORT)"
	@echo "make test   set up and run the whole test suite (unit, state, HTTP, browser)"
	@echo "make test-fast  the same without the browser tests"
	@echo "make bench  measure the portal against its floors (about 12 minutes; bench/results/)"
	@echo "make lint   ruff"

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

# Reflex downloads bun from the internet by default; take it from the npm registry instead.
$(TOOLS)/node_modules/.bin/bun:
	@command -v npm >/dev/null || { echo "Node.js and npm are needed (to fetch bun)"; exit 1; }
	npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error bun@$(BUN_VERSION)
	@$@ --version >/dev/null

setup: $(VENV)/.installed $(TOOLS)/node_modules/.bin/bun

# Only `make bench` needs it (the phone's scores), from the npm registry like bun.
$(TOOLS)/node_modules/.bin/lighthouse:
	@command -v npm >/dev/null || { echo "Node.js and npm are needed (to fetch lighthouse)"; exit 1; }
	npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	@$@ --version >/dev/null

run: setup
	@bash scripts/run.sh

chromium:
	@bash scripts/ensure_chromium.sh

nginx:
	@bash scripts/ensure_nginx.sh

# Lint, the timing tests alone, then unit/state/HTTP tests in parallel side by side
# with the browser suite (its scale mode: two nodes behind nginx); each step timed.
# STEPS="parallel timing" runs only those, OVERLAP=0 one after the other
# (see scripts/test.sh).
test: setup chromium nginx
	@BIN=$(BIN) bash scripts/test.sh

# Everything but the browser: a couple of minutes.
test-fast: setup
	@BIN=$(BIN) STEPS="lint parallel timing" bash scripts/test.sh

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test,bench]"
	@touch $@

bench: setup chromium $(VENV)/.bench-installed $(TOOLS)/node_modules/.bin/lighthouse
	$(BIN)/python -m bench.run

lint: setup
	$(BIN)/ruff check --no-cache .

clean:
	rm -rf .web .states $(TOOLS)
