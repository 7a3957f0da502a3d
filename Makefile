# Two commands do all the set-up on a fresh machine (see README):
#   make serve   start the local server with the bundled University of Leicester policy
#   make test    run every test: Python (pytest) and the extension's JavaScript (node --test)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: serve test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

serve: $(VENV)/.installed
	$(VENV)/bin/socialcheck serve --host $(HOST) --port $(PORT)

# pytest exits 5 when it collects no test: make treats that, like any failure, as a failure.
test: $(VENV)/.installed node_modules/.installed
	node --test extension/test/
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
