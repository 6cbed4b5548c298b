# Set-up is part of each target, so one command works on a fresh machine.
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser run test lint bench

install:
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[test]"

browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver)

run: install
	$(PYTHON) -m dashboard

test: install browser
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest -n 2

lint:
	$(PYTHON) -m ruff check .

bench:
	$(PYTHON) benchmarks/bench_extract.py
