# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test browser serve worker bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else "Python 3.11, 3.12 of 3.13 is nodig (gevonden: %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run: install, migrate, load demo data when the database is empty, serve on http://127.0.0.1:5000
run: install
	$(BIN)/fund db upgrade
	$(BIN)/fund demo seed --if-empty
	$(BIN)/fund run --host $(HOST) --port $(PORT)

## make test: install with test extras, the browser for the end-to-end tests, and run every test
test: install-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Debian's Chromium for the Playwright tests (no browser download from elsewhere).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Chromium kon niet worden geinstalleerd; browsertests worden overgeslagen."; \
	  else echo "Chromium ontbreekt (apt-get install chromium); browsertests worden overgeslagen."; fi; }

serve: install
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 wsgi:app

worker: install
	$(BIN)/fund worker

clean:
	rm -rf $(VENV) instance .pytest_cache
