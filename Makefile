# Two commands on a fresh machine: `make run` (product with demo data on SQLite)
# and `make test` (every test). Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format messages bench clean system-deps pdf-deps lock

# Installs are reproducible: every package at the version pinned in requirements.lock
# (pip-compile's output from pyproject.toml's ranges); the project itself goes in
# without resolving anything again. `make lock` refreshes the pins (see README).
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-pin every dependency to the newest release pyproject.toml's ranges allow;
# review the diff of requirements.lock, run `make test`, commit both files.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --upgrade --extra dev --strip-extras --no-emit-find-links \
	  --no-emit-index-url -o requirements.lock pyproject.toml

# gettext for compilemessages checks; Debian's Chromium (and a CJK font for readable
# screenshots) for the browser tests, driven by Playwright — never `playwright install`;
# redis-server for the Redis cache tests (they start and stop their own server).
# Each is only installed where missing.
system-deps:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "installing gettext"; \
	  (apt-get update -qq && apt-get install -y -qq gettext >/dev/null) || echo "warning: gettext not installed"; }
	@test -x /usr/bin/chromium || { \
	  echo "installing chromium"; \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "warning: chromium not installed"; }
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server (the Redis cache tests start their own)"; \
	  (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null) || echo "warning: redis-server not installed"; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  echo "installing a Chinese font"; \
	  (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei >/dev/null) || echo "warning: no Chinese font installed"; }

# WeasyPrint (the PDFs of score sheets, rankings, notices and award letters) lays out
# text with Debian's Pango, and needs a CJK font to draw Chinese.
pdf-deps:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { \
	  echo "installing Pango for WeasyPrint"; \
	  (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null) || echo "warning: Pango not installed (no PDFs)"; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  echo "installing a Chinese font"; \
	  (apt-get update -qq && apt-get install -y -qq fontconfig fonts-wqy-zenhei >/dev/null) || echo "warning: no Chinese font installed"; }

run: $(STAMP) pdf-deps
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py setup_platform
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ — admin at http://$(HOST):$(PORT)/admin/ (Ctrl-C stops both processes)"
	@exec $(BIN)/python manage.py serve_dev $(HOST):$(PORT)

test: $(STAMP) system-deps pdf-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/pytest -n 2 --durations=40 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate .po files for every app and compile them (needs gettext).
messages: $(STAMP) system-deps
	for app in core incubator funding projects cms; do \
	  (cd $$app && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --settings=config.settings.dev --pythonpath=..) || exit 1; \
	done
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Benchmark on a dedicated database (bench.sqlite3, or BENCH_DATABASE_URL), filled once
# per scale by bench_generate; prints a table, writes bench-results.json, never fails on
# time. Quick run: `BENCH_SCALE=0.01 make bench`. See docs/bench.md.
BENCH_SCALE ?= 1.0
BENCH_ARGS ?=
bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.bench $(BIN)/python manage.py bench --scale $(BENCH_SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media private_media static test-artifacts
