# The two commands of the README. Each sets up what it needs, idempotently.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: page test fonts system bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	$(PY) -m compileall -q layout      # bytecode even where PYTHONDONTWRITEBYTECODE is set (start-up, issue 14)
	touch $@

fonts system:
	@bash scripts/ensure-system.sh

page: $(STAMP) system
	$(VENV)/bin/layout build content/dangqi-linghang/page.yaml --png

test: $(STAMP) system
	$(PY) -m pytest -q

bench: $(STAMP) system
	$(PY) -m pip install -q --disable-pip-version-check -e '.[bench]'
	$(PY) bench/bench.py
	$(PY) bench/plan_bench.py
	$(PY) bench/plan_survey.py --sets 40 --check

clean:
	rm -rf output/*.pdf output/*.png tests/_failures
