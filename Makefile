# Two commands do all the set-up on a fresh machine (see README):
#   make serve   start the local server with the bundled University of Leicester policy
#   make test    run every test: Python (pytest) and the extension's JavaScript (node --test)
#   make model   retrain the tone model that ships in brand_assets/policy/ (needs ../shared/corpora)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: serve test bench model clean

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

# Retrain the tone model (brand_assets/policy/tone_model.npz) from ../shared/corpora: about a minute.
model: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[train]'
	$(PY) scripts/train_tone_model.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
