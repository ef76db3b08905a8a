# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run test lint audit bench faults mutants clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev,bench]"
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	@$(BIN)/python manage.py demo_banner
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile.dev

test: install
	@if command -v node >/dev/null; then node --test tests/js/*.mjs; \
	elif [ "$$REQUIRE_BROWSER" = 1 ]; then echo "REQUIRE_BROWSER=1 but the JavaScript unit tests need Node.js 20 (node is missing)" >&2; exit 1; \
	else echo "skipped the JavaScript unit tests: they need Node.js 20 — install it, then run: node --test tests/js/*.mjs"; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Security lint and known-vulnerability check (pip-audit needs pypi.org; it says when it could not check).
audit: install
	.ci/audit

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# The college under a provincial 08:30 (PostgreSQL + Redis on 127.0.0.1): see bench/run.py.
# PRESET=small (default, CI smoke test) or PRESET=full (71,000 organisations, 100,000 trainees).
PRESET ?= small
bench: install
	$(BIN)/python -m bench.run --preset $(PRESET)

# Faults with counts on private servers (PostgreSQL's initdb/pg_ctl and redis-server on PATH): see bench/faults.py.
# `make test` runs it too where PostgreSQL and Redis are required (tests/config/test_faults.py).
faults: install
	$(BIN)/python -m bench.faults

# Mutation testing of the rule modules (cosmic-ray), kill rate per module: see bench/mutants.py. Not in CI.
mutants: install
	$(BIN)/python -m pip install --quiet ".[mutants]"
	$(BIN)/python -m bench.mutants $(MODULES)

clean:
	rm -rf var db.sqlite3 media/images media/original_images media/media media/documents
