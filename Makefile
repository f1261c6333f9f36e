# qualityplan: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3.11
export HOST PORT PYTHON

.PHONY: help setup setup-deps run test lint bench clean

help:
	@echo "make run     set up (idempotent) and serve on http://$(HOST):$(PORT)/ with the job queue; prints the demo logins"
	@echo "make test    ruff, import-linter, migrations check, pytest on SQLite + headless Chromium, pytest on PostgreSQL"
	@echo "make setup   .venv + locked deps, front-end assets, migrate, collectstatic, units + 2017 plan + demo data"
	@echo "make bench   set up, install the bench extras, run bench/bench_*.py, write docs/benchmarks.md"
	@echo "make lint    ruff format --check, ruff check, lint-imports"

setup:
	@scripts/setup.sh

setup-deps:
	@SETUP_DB=0 scripts/setup.sh

run: setup
	@scripts/run.sh

test: setup-deps
	@scripts/test.sh

lint: setup-deps
	@.venv/bin/ruff format --check . && .venv/bin/ruff check . && .venv/bin/lint-imports --no-cache

bench: setup
	@scripts/bench.sh

clean:
	rm -rf node_modules qualityplan/static/vendor var/staticfiles var/test-reports var/screenshots
