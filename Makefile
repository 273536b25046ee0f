# Agora's two commands: `make demo` runs hub and kiosk on embedded defaults, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.agora-installed

.PHONY: demo test quick lint bench messages system-kiosk system-test clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "agora: Python 3.11 or newer is needed (found $$($(PYTHON) --version))." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "agora: could not create a virtual environment. Install it with: sudo apt-get install -y python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-kiosk:
	@tools/ensure-packages.sh tools/packages/kiosk.txt

system-test:
	@tools/ensure-packages.sh tools/packages/kiosk.txt tools/packages/audio.txt tools/packages/test.txt

demo: system-kiosk $(STAMP)
	$(BIN)/python tools/demo.py

lint: $(STAMP)
	$(BIN)/ruff check .

test: system-test $(STAMP) lint
	$(BIN)/pytest
	tools/postgres-for-tests.sh $(BIN)/pytest -q -p no:cacheprovider tests/hub tests/sync

# The quick subset for day-to-day work: everything but the slow fault-injection and browser suites.
quick: $(STAMP)
	$(BIN)/pytest -m "not slow and not browser"

# bench/ingest_baseline.py is the WSGI app hub_ingest.py measures against, not a benchmark of its own.
BENCHES := store_scaling store_powercut capture sync_throughput hub_ingest

bench: system-test $(STAMP)
	@status=0; for b in $(BENCHES); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || status=1; done; exit $$status

# After changing a translatable string in hub/: refresh the French catalogue, translate what is new, run it again.
# After editing a kiosk catalogue (assets/translations/<language>/LC_MESSAGES/kiosk.po): compiles it.
messages: system-test $(STAMP)
	for po in assets/translations/*/LC_MESSAGES/kiosk.po; do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done
	cd hub && AGORA_HUB_DATA=$(CURDIR)/var/hub ../$(BIN)/python -m django makemessages -l fr --no-obsolete \
		--ignore=__pycache__ --settings=hub.settings --pythonpath=..
	cd hub && AGORA_HUB_DATA=$(CURDIR)/var/hub ../$(BIN)/python -m django compilemessages --settings=hub.settings \
		--pythonpath=..

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
