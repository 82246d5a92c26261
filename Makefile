# Everything a fresh machine needs, behind a few targets.
#   make demo   - set up, check the corpus and run the loopback LA scan demo into reports/
#   make test   - set up (including Chromium for the browser test) and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps demo check-corpus scan-demo test eval bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium drives the dashboard's browser test (Playwright with executable_path).
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "note: could not install chromium; the browser test will be skipped"; \
	  else echo "note: /usr/bin/chromium missing and cannot apt-get; the browser test will be skipped"; fi; \
	fi

check-corpus: $(STAMP)
	@mkdir -p reports
	$(BIN)/noticecheck check corpus/notices --as-of 2026-11-24 --fail-on none --no-color -o reports/corpus-check.txt
	$(BIN)/noticecheck check corpus/notices --as-of 2026-11-24 --fail-on none --format json -o reports/corpus-check.json
	@echo "wrote reports/corpus-check.txt and reports/corpus-check.json"

scan-demo: $(STAMP)
	$(BIN)/noticecheck demo --out reports/demo

demo: check-corpus scan-demo

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n 2 -q

eval: $(STAMP)
	$(BIN)/noticecheck eval corpus --details
	$(BIN)/noticecheck eval corpus/heldout
	$(BIN)/noticecheck eval corpus/heldout2
	if [ -f ../shared/realnotices/labels.jsonl ]; then $(BIN)/noticecheck eval ../shared/realnotices; fi

bench: $(STAMP)
	$(BIN)/python bench/run.py

docs: $(STAMP)
	$(BIN)/python -m noticecheck.rule_docs > docs/rules.md

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
