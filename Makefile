# hubnet: the two commands of the README, and their parts.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test install lint check pytest bench soak soak-ci mutation mutation-quick clean static messages

demo: install ## Run the demo hub network until Ctrl-C
	$(BIN)/hubnet demo $(DEMO_ARGS)

test: install lint check pytest ## Lint, system and migration checks, the test suite

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24,<27"
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

LEAFLET_DIR := search/static/search/vendor/leaflet
AXE_DIR := tests/vendor/axe-core

# Leaflet from npm into static files (committed, so a clone works without npm);
# axe-core, the accessibility checker the browser tests inject, into tests/.
static: ## Copy Leaflet and axe-core (package-lock.json) into their committed places
	npm ci --no-audit --no-fund
	mkdir -p $(LEAFLET_DIR)
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(LEAFLET_DIR)/
	cp -r node_modules/leaflet/dist/images $(LEAFLET_DIR)/
	cp node_modules/leaflet/LICENSE $(LEAFLET_DIR)/LICENSE
	mkdir -p $(AXE_DIR)
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE $(AXE_DIR)/

# The interface's messages: one catalogue per language and domain in
# hubnet/locale (LOCALE_PATHS). LANGS="-l fr" regenerates only French, so
# translators of different languages touch different files. The .mo files are
# committed (a fresh clone shows translations without gettext installed).
LANGS ?= -l nl -l fr -l de
MESSAGES_IGNORE := -i ".venv/*" -i "var/*" -i "tests/*" -i "bench/*" -i "docs/*" \
	-i "node_modules/*" -i "search/static/search/vendor/*" -i "search/node/*"
messages: install ## Extract the messages into hubnet/locale (needs gettext) and compile them
	DJANGO_SETTINGS_MODULE=hubnet.settings.test $(BIN)/hubnet makemessages $(LANGS) \
		--no-obsolete --add-location=file $(MESSAGES_IGNORE)
	DJANGO_SETTINGS_MODULE=hubnet.settings.test $(BIN)/hubnet makemessages -d djangojs \
		$(LANGS) --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	DJANGO_SETTINGS_MODULE=hubnet.settings.test $(BIN)/hubnet compilemessages $(LANGS) \
		-i .venv -i var -i node_modules

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check:
	DJANGO_SETTINGS_MODULE=hubnet.settings.test $(BIN)/hubnet check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=hubnet.settings.test $(BIN)/hubnet makemigrations --check --dry-run

pytest:
	$(BIN)/pytest --durations=30 $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/federation_sync.py

SOAK_MINUTES ?= 60
SOAK_ARGS ?=

# The demo's eight hubs under supervision while records are published and
# processes killed; prints a JSON report, fails when anything is lost.
soak: install ## Soak the network for SOAK_MINUTES (default 60)
	$(BIN)/python bench/soak.py --minutes $(SOAK_MINUTES) $(SOAK_ARGS)

# CI: three minutes, a kill about every 35 s; the whole target stays under ~6 min.
soak-ci: install
	timeout 540 $(BIN)/python bench/soak.py --minutes 3 --kill-every 35 \
		--node-kill-every 3 --converge-timeout 120 --seed 10 $(SOAK_ARGS)

MUTATION_ARGS ?=

# Break the core modules on purpose (a seeded sample of cosmic-ray's mutants) and
# count how many the tests notice; JSON report, fails below 90 % killed per module.
mutation: install ## Mutation testing of the core modules (~30 min)
	$(BIN)/python bench/mutation.py $(MUTATION_ARGS)

# CI: a few minutes of store.py and records.py; fails on any survivor that is not
# a reviewed equivalent (bench/mutation_equivalents.toml).
mutation-quick: install
	timeout 420 $(BIN)/python bench/mutation.py --quick $(MUTATION_ARGS)

clean:
	rm -rf var/test var/demo
