# The README's two commands: `make run` and `make test`. Everything else is a helper for those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# A throwaway production-like configuration for `check --deploy` (never used to serve anything).
DEPLOY_ENV := DEBUG=0 SECRET_KEY=check-deploy-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))') \
	ALLOWED_HOSTS=diz.example.org

.PHONY: run test lint checks bench system-deps clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "DIZ Portal needs Python 3.11 (found %s)" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Links in emails and PDFs point where the portal is served (unless SITE_URL says otherwise).
SITE_URL ?= http://127.0.0.1:$(PORT)

## run: set up, migrate, load the demo data and serve the portal on http://127.0.0.1:$(PORT) (SQLite, tasks inline)
run: $(BIN)/.installed
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py migrate --noinput
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py load_demo
	@echo "Serving the DIZ Portal on http://127.0.0.1:$(PORT)/ - demo sign-ins are in README.md"
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## lint: ruff's linter and formatter, in check mode
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## checks: no model change without a migration; production settings pass Django's deploy checks
checks: $(BIN)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

## system-deps: Debian packages the browser tests need (Chromium), installed when missing and root
system-deps:
	@scripts/ensure-system-deps.sh

## test: the whole suite (uses DATABASE_URL and REDIS_URL when set)
test: $(BIN)/.installed lint checks system-deps
	$(BIN)/python -m pytest

## bench: load-test key pages against PostgreSQL and Redis with gunicorn (not part of `make test`)
bench: $(BIN)/.installed
	$(BIN)/python scripts/bench.py --scale 10

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
