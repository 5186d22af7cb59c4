# hubnet: the two commands of the README, and their parts.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test install lint check pytest bench clean

demo: install ## Run the demo hub network until Ctrl-C
	$(BIN)/hubnet demo $(DEMO_ARGS)

test: install lint check pytest ## Lint, system and migration checks, the test suite

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24,<27"
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check:
	DJANGO_SETTINGS_MODULE=hubnet.settings.test $(BIN)/hubnet check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=hubnet.settings.test $(BIN)/hubnet makemigrations --check --dry-run

pytest:
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/federation_sync.py

clean:
	rm -rf var/test var/demo
