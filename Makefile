# Two commands for a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: setup run test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 (or run make PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The CPU build of PyTorch first, so that nothing pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Ingest the sample knowledge base and open a terminal chat (SQLite, embedded Chroma).
run: setup
	$(BIN)/sgbot ingest knowledge/
	$(BIN)/sgbot chat

## The whole test suite (PostgreSQL tests run when 127.0.0.1:5432 answers, and skip saying so otherwise).
test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check bot ingest tests
	$(BIN)/mypy bot ingest

bench: setup
	$(BIN)/sgbot bench

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
