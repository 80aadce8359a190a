# Tandem: two commands on a fresh machine (Python 3.11, make, node/npm, the package registries).
#   make demo   install everything, build the demo districts, serve http://127.0.0.1:$(PORT)
#   make test   install what the tests need and run the whole suite
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
UV := $(BIN)/uv
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_WORKERS ?= 2
# The links in the demo's emails point at the server it starts (PORT=8080 make demo included).
SITE_URL ?= http://$(HOST):$(PORT)
DEMO_ENV := DEBUG=false SECURE_COOKIES=false TWO_FACTOR_FOR_ADMINS=false SITE_URL="$(SITE_URL)" SECRET_KEY="$$(cat var/secret_key)"

.PHONY: demo serve install install-dev node test test-only test-browser lint bench messages clean up

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Tandem needs $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.9

# Installs are stamped so a second run takes no time; a changed lock file reinstalls.
$(VENV)/.base: requirements/base.txt pyproject.toml | $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements/base.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $@

$(VENV)/.dev: requirements/dev.txt pyproject.toml | $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements/dev.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $@ $(VENV)/.base

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.base node_modules/.stamp
install-dev: $(VENV)/.dev node_modules/.stamp
node: node_modules/.stamp

var/secret_key: | $(PY)
	@mkdir -p var
	@$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# make demo: migrate, seed (once), collect static files, then the web server and the worker.
demo: install var/secret_key
	@$(DEMO_ENV) $(PY) manage.py migrate --no-input -v0
	@$(DEMO_ENV) $(PY) manage.py seed_demo
	@$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v0
	@$(MAKE) --no-print-directory serve

serve:
	@echo "Tandem is at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs). Ctrl-C stops it."
	@$(DEMO_ENV) $(PY) manage.py demo_logins
	@trap 'kill 0' EXIT INT TERM; \
	  $(DEMO_ENV) $(PY) manage.py db_worker & \
	  $(DEMO_ENV) $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
	    --access-logfile - --log-level warning

test: install-dev
	@$(MAKE) --no-print-directory test-only

# The whole suite except the browser tests (make test-browser), on both cores.
test-only:
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run -v0 >/dev/null
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" -p no:randomly

test-browser: install-dev
	@test -x /usr/bin/chromium || { echo "browser tests need Debian's chromium: apt-get install -y chromium"; exit 1; }
	DEBUG=true $(PY) manage.py collectstatic --no-input -v0
	$(BIN)/pytest -m browser tests/browser

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

bench: install-dev
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Re-extract Spanish messages after changing user-facing text, then translate tandem/locale/es.
messages: install-dev
	cd tandem && DEBUG=true ../$(PY) ../manage.py makemessages -l es --no-obsolete
	cd tandem && DEBUG=true ../$(PY) ../manage.py compilemessages -l es

clean:
	rm -rf $(VENV) node_modules staticfiles

# make up: the production stack (deploy/compose.yaml: web, worker, PostgreSQL, Caddy for TLS) with
# Docker. Secrets are made once, under var/ (readable by the container's user; var/ itself is
# private), and passed as files, never as environment values.
var/db_password:
	@mkdir -p var && chmod 700 var
	@head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > $@ && chmod 644 $@
var/database_url: var/db_password
	@printf 'postgres://tandem:%s@db:5432/tandem' "$$(cat var/db_password)" > $@ && chmod 644 $@
var/compose_secret_key:
	@mkdir -p var && chmod 700 var
	@[ -s var/secret_key ] || head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/secret_key
	@chmod 644 var/secret_key && touch $@
up: var/db_password var/database_url var/compose_secret_key
	docker compose -f deploy/compose.yaml up -d --build
	@echo "Tandem is starting at https://$${TANDEM_HOST:-localhost}/ (docker compose -f deploy/compose.yaml ps)"
