# Leanlog: `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Seconds between two runs of send_reminders under `make run`.
REMINDER_EVERY ?= 300
# Python keeps its compiled files (and pytest its rewritten test modules) in __pycache__, even
# where the environment says not to: each test worker and server process would compile again.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run dev test test-postgres screenshots check browser bench bench-import backup loadtest clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-test.txt
	touch $@

# The translations (locale/<language>/LC_MESSAGES/*.po) compiled for Django, again when one changes.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/*.po)
COMPILED := $(CATALOGUES:.po=.mo)
%.mo: %.po $(VENV)/.installed
	$(BIN)/python tools/compile_messages.py $<

# After changing words in the code: every language's catalogue gets the new and changed messages
# (docs/languages.md says how to translate them); a test fails while any is untranslated.
MESSAGES_ARGS = --locale de --locale es --add-location file --no-wrap --no-obsolete \
	--ignore ".venv/*" --ignore "tests/*" --ignore "staticfiles/*" --ignore ".bench-static/*" --ignore "static/vendor/*"
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages $(MESSAGES_ARGS)
	$(BIN)/python manage.py makemessages --domain djangojs $(MESSAGES_ARGS)

# A secret key made once for this clone, kept out of git (0600): sessions survive restarts.
SECRET_FILE := .secret_key
$(SECRET_FILE):
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# How `make run` serves: gunicorn with DEBUG off, as on a real server, but over plain HTTP on
# this machine (no HTTPS redirect, no Secure-only cookies: LEANLOG_HTTPS=0).
RUN_ENV = DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" LEANLOG_HTTPS=0 \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost} LEANLOG_BIND=$(HOST):$(PORT)

run: $(VENV)/.installed $(SECRET_FILE) $(COMPILED)
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py load_demo --if-empty --site http://$(HOST):$(PORT)/
	@echo "Leanlog is at http://$(HOST):$(PORT)/ (Ctrl-C stops it; the data stays in db.sqlite3)."
	@# Reminders every five minutes in the background while the server runs; stopped with it.
	( while true; do $(RUN_ENV) $(BIN)/python manage.py send_reminders; sleep $(REMINDER_EVERY); done ) & \
	  loop=$$!; trap 'pkill -P $$loop 2>/dev/null; kill $$loop 2>/dev/null' EXIT INT TERM; \
	  $(RUN_ENV) $(BIN)/gunicorn -c config/serving/gunicorn.py

# The autoreloading development server, DEBUG on: for changing the code, not for serving.
dev: $(VENV)/.installed $(COMPILED)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo --if-empty --site http://$(HOST):$(PORT)/
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests (Playwright's own download does not work offline);
# poppler-utils' pdftotext reads the printed report.
browser:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "Could not install$$missing: browser tests will be skipped (they fail under CI=true)."; \
	  else echo "Missing:$$missing. Install them (apt-get install$$missing) to run the browser tests."; fi; \
	fi

check: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Parallel on every core (pytest-xdist); each worker has its own test database and browser and
# takes whole files, so a module that starts servers starts them once. Files go out in the
# order tests/conftest.py sorts them (servers, then browsers, then the rest), not by their size.
TEST_WORKERS ?= auto
PYTEST = DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: $(VENV)/.installed browser check $(COMPILED)
	$(PYTEST)

# The browser tests again, saving what they see into tests/screenshots/ to be looked at.
screenshots: $(VENV)/.installed browser $(COMPILED)
	LEANLOG_SCREENSHOTS=1 $(PYTEST) -m browser

# The database-sensitive rest of the suite against PostgreSQL (the local server by default):
# browser and slow tests already ran once under `make test`, but for the slow ones about the
# database itself (postgres_too); tests that never open the database are left out too
# (tests/conftest.py).
test-postgres: $(VENV)/.installed $(COMPILED)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/leanlog} \
	  $(PYTEST) -m "not browser and (not slow or postgres_too)"

# As `make run` serves: DEBUG off, the static files collected (into a folder of the bench's own).
BENCH_ENV = $(RUN_ENV) DJANGO_ALLOWED_HOSTS=testserver LEANLOG_STATIC_ROOT=$(CURDIR)/.bench-static

bench: $(VENV)/.installed $(SECRET_FILE) $(COMPILED)
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BENCH_ENV) $(BIN)/python manage.py bench_report

bench-import: $(VENV)/.installed
	$(BIN)/python manage.py bench_import

backup: $(VENV)/.installed
	$(BIN)/python manage.py backup

clean:
	rm -rf $(VENV) staticfiles .bench-static .pytest_cache .ruff_cache

# Two app servers behind nginx on the local PostgreSQL and Redis, under a bounded load (README: Scaling out).
loadtest: $(VENV)/.installed
	$(BIN)/python -m deploy.loadtest
