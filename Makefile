# Alliance: `make demo` runs it, `make test` tests it. Everything installs from lock files.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PYTEST_ARGS ?=
TEST_DATABASE_URL ?= $(if $(CI),postgres://postgres@127.0.0.1:5432/test,)

.PHONY: demo test test-sqlite test-postgres install lint bench serve worker clean messages

demo: install
	$(VENV)/bin/alliance demo --serve

install: $(VENV)/.installed node_modules/.installed

.tools/bin/uv:
	"$$(scripts/find-python)" -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) venv --allow-existing --python "$$(scripts/find-python)" $(VENV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
test: install lint
	scripts/ensure-chromium
	$(MAKE) test-sqlite
	@if [ -n "$(TEST_DATABASE_URL)" ]; then $(MAKE) test-postgres; else echo "TEST_DATABASE_URL unset: PostgreSQL run skipped"; fi

test-sqlite:
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres:
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check alliance bench tests
	$(VENV)/bin/mypy alliance
	$(VENV)/bin/python manage.py makemigrations --check --dry-run >/dev/null

# The Spanish catalog: collect the package's strings (tests and tools left out), then translate the
# empty and fuzzy entries in alliance/locale/es/LC_MESSAGES/django.po and run `make messages` again.
messages: install
	$(PY) manage.py makemessages -l es --no-obsolete -i .venv -i node_modules -i var -i .tools -i bench -i tests -i docs
	$(PY) manage.py compilemessages -l es -i .venv -i node_modules

bench: install
	$(PY) -m bench $(BENCH)

serve: install
	$(VENV)/bin/alliance serve

worker: install
	$(VENV)/bin/alliance worker

clean:
	rm -rf $(VENV) .tools node_modules var
