# The two commands of the README's quick start, and a few helpers.
PYTHON := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint format bench serve-production worker load-test audit backup restore

setup:
	@scripts/bootstrap.sh run

# The site and, beside it, the worker that renders PDFs in the background; stopping one (Ctrl+C)
# stops both.
run: setup
	DEBUG=1 $(PYTHON) manage.py migrate --noinput
	DEBUG=1 $(PYTHON) manage.py createcachetable
	DEBUG=1 $(PYTHON) manage.py db_worker --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=1 $(PYTHON) manage.py runserver $(HOST):$(PORT)

# The background worker alone (PDF renders), for a process manager that runs it on its own.
worker: setup
	$(PYTHON) manage.py db_worker --no-reload --interval 0.5

test:
	@scripts/bootstrap.sh test
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Production mode: DEBUG=0 and SECRET_KEY, ALLOWED_HOSTS, SITE_ORIGIN set in the environment.
serve-production: setup
	DEBUG=0 $(PYTHON) manage.py collectstatic --noinput -v0
	DEBUG=0 $(PYTHON) manage.py migrate --noinput
	DEBUG=0 $(PYTHON) manage.py createcachetable
	DEBUG=0 $(PYTHON) manage.py db_worker --no-reload --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=0 BIND=$(HOST):$(PORT) .venv/bin/gunicorn advisor.wsgi --config python:advisor.gunicorn_conf

# Benchmarks: SQLite first, then the same with the scale test on a throwaway PostgreSQL server.
bench: setup
	$(PYTHON) -m bench.run $(BENCH_ARGS) --output bench/results-sqlite.json
	scripts/with-postgres.sh $(PYTHON) -m bench.run $(BENCH_ARGS) --output bench/results.json
	$(PYTHON) -m bench.run --combine bench/results-sqlite.json bench/results.json \
		--output bench/results-latest.json

# Founders completing the wizard against gunicorn in production mode, bounded in time; exits
# non-zero on any failed request. CI runs a short one.
LOAD_USERS ?= 8
LOAD_SECONDS ?= 45
load-test: setup
	$(PYTHON) -m bench.load_test --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

# Known vulnerabilities in the locked dependencies: pip-audit on uv.lock, npm audit on
# package-lock.json; fails on anything it could not check unless scripts/audit-allowlist.toml
# gives the reason (see scripts/audit.py).
audit: setup
	$(PYTHON) scripts/audit.py

# Back up the database DATABASE_URL names (SQLite or PostgreSQL) to backups/ (or BACKUP=file);
# restore one with `make restore BACKUP=file` (stop the app first). See the README, "Operations".
backup: setup
	$(PYTHON) scripts/backup.py backup $(if $(BACKUP),--output $(BACKUP))

restore: setup
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=file" >&2; exit 2; }
	$(PYTHON) scripts/backup.py restore $(BACKUP)
