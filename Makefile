# Mandate Tracker: `make run` to try it, `make test` to check it. `make help` lists the rest.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
MANAGE := $(VENV)/bin/python manage.py

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# The test suite runs against real PostgreSQL and Redis; these are the local defaults.
TEST_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/mandate_tracker)
TEST_REDIS_URL := $(or $(REDIS_URL),redis://127.0.0.1:6379/0)

.DEFAULT_GOAL := help
.PHONY: help install test-deps run test lint format vendor messages

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced ## Create the virtual environment from uv.lock

test-deps: ## Install what the tests need from Debian: Chromium, the CJK font, gettext (needs root)
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/xgettext ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk gettext >/dev/null; \
		else \
			echo "The tests need: sudo apt-get install -y chromium fonts-noto-cjk gettext"; exit 1; \
		fi; \
	fi

run: export DJANGO_DEBUG = 1
run: install ## Migrate, load S/RES/2692, serve on http://127.0.0.1:8000 with a Celery worker and beat
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_2692
	$(MANAGE) ensure_admin
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT; \
	$(VENV)/bin/celery -A mandate_tracker worker --loglevel=INFO --concurrency=1 & \
	$(VENV)/bin/celery -A mandate_tracker beat --loglevel=INFO & \
	$(MANAGE) runserver 127.0.0.1:8000

test: export DATABASE_URL = $(TEST_DATABASE_URL)
test: export REDIS_URL = $(TEST_REDIS_URL)
test: export DJANGO_SECRET_KEY = test-only-secret-key-4c1e0b6e5a2f48b7a9d3e8f1c6b2a7d0e5f9c3b1
test: export DJANGO_DEBUG = 0
test: export DJANGO_HTTPS = 0
# Live-server threads must not keep connections open, or the test database cannot be dropped.
test: export DJANGO_CONN_MAX_AGE = 0
test: install test-deps ## Run the whole test suite (browser tests included) against PostgreSQL and Redis
	@$(VENV)/bin/python -m tests.services_check
	$(VENV)/bin/pytest --cov --cov-report=term $(PYTEST_ARGS)

lint: install ## ruff check, ruff format --check, makemigrations --check
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

vendor: ## Refresh vendored front-end assets (htmx) from the npm registry
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent htmx.org@2 >/dev/null && tar xzf htmx.org-*.tgz && \
	cp package/dist/htmx.min.js package/LICENSE $(CURDIR)/static/vendor/htmx/ && \
	echo "htmx.org $$(node -p 'require("./package/package.json").version') from the npm registry (make vendor refreshes it)" > $(CURDIR)/static/vendor/htmx/VERSION

messages: install ## Extract translatable strings into locale/ (needs GNU gettext) and compile them
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l fr -l zh_Hans --ignore=.venv --ignore=.tools --ignore=var --no-obsolete
	DJANGO_DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --ignore=.tools
