# Two commands on a fresh machine with Python 3.11+: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: site test lint bench install install-test sample-data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# An editable install compiles nothing, and with PYTHONDONTWRITEBYTECODE set every run would compile hubkb again.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q generator
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Set up and build the sample site (all six locales) into site/.
site: install
	$(BIN)/hubkb build
	@echo
	@echo "Read it: $(BIN)/hubkb serve  then open http://127.0.0.1:8000/  (opening site/index.html from disk works too, without search)"

## Set up and run every test, with the linters.
test: install-test lint
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy

## Set up and run the build-speed benchmark (stock mkdocs-material in the same run; a few minutes).
bench: install-test
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/build_speed.py

## Regenerate the bundled sample snapshot (sample data, not Metabase's).
sample-data: install
	$(BIN)/python -c "from generator.sample import regenerate_bundled; regenerate_bundled()"

clean:
	rm -rf site .site.building catalog.json site_src/.generated
	rm -rf site_src/*/index.md site_src/*/resources site_src/*/tools site_src/*/browse site_src/*/search \
		site_src/*/status site_src/*/improve
