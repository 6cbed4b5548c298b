# Set-up is part of each target, so one command works on a fresh machine: a virtual environment
# in .venv with the package and its test tools, and Debian's chromium for the browser tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

.PHONY: install browser run test lint bench fuzz

$(PY):
	$(PYTHON) -m venv $(VENV) || \
	  ($(APT) update -qq && $(APT) install -y -qq python3-venv && $(PYTHON) -m venv $(VENV))

install: $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"

browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ($(APT) update -qq && $(APT) install -y -qq chromium chromium-driver)

run: install
	$(PY) -m dashboard

test: install browser
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -n 2

lint: $(PY)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: install
	$(PY) benchmarks/bench_extract.py
	$(PY) benchmarks/bench_accuracy.py
	$(PY) benchmarks/bench_match.py
	$(PY) benchmarks/bench_compare.py
	$(PY) benchmarks/bench_dashboard.py --claims 100000
	$(PY) benchmarks/bench_browser.py
	$(PY) benchmarks/bench_ingest.py --articles 1000 5000
	$(PY) benchmarks/bench_history.py --revisions 1000
	$(PY) benchmarks/fuzz.py --count 2000

# the long fuzz run: as many inputs as 40 minutes allow (raise --count or --minutes at will)
fuzz: install
	$(PY) benchmarks/fuzz.py --count 100000 --minutes 40 --save fuzz-found
