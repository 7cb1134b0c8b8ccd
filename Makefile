# The two commands a newcomer needs:  `make run`  and  `make test`.
.PHONY: run test test-fast setup

STAMP := .venv/.installed

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

# Set up, then serve the chat page on the bundled sample corpus (ingested on first start).
run: $(STAMP)
	.venv/bin/hoidap serve

# Set up, then run every test, the slow ones (real models, servers, browser) included.
test: $(STAMP)
	bash scripts/setup-test-system.sh
	.venv/bin/python -m pytest

test-fast: $(STAMP)
	.venv/bin/python -m pytest -m "not slow"
