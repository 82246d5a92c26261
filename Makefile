# Everything a fresh machine needs, behind a few targets.
#   make demo   - set up, check the corpus and run the loopback LA scan demo into reports/
#   make test   - set up (including Chromium and axe-core for the browser tests) and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps node-deps demo check-corpus scan-demo test eval bench docs clean

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

# axe-core (npm registry, pinned) for the self-check page's accessibility test; the test is skipped without it.
AXE_VERSION := 4.14.1
AXE := .node/node_modules/axe-core/axe.min.js
node-deps: $(AXE)
$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix .node axe-core@$(AXE_VERSION) \
	    || echo "note: could not install axe-core; the accessibility test will be skipped"; \
	else echo "note: npm missing; the accessibility test will be skipped"; fi

check-corpus: $(STAMP)
	@mkdir -p reports
	$(BIN)/noticecheck check corpus/notices --as-of 2026-11-24 --fail-on none --no-color -o reports/corpus-check.txt
	$(BIN)/noticecheck check corpus/notices --as-of 2026-11-24 --fail-on none --format json -o reports/corpus-check.json
	@echo "wrote reports/corpus-check.txt and reports/corpus-check.json"

scan-demo: $(STAMP)
	$(BIN)/noticecheck demo --out reports/demo

demo: check-corpus scan-demo
	@echo
	@echo "The self-check page: run  $(BIN)/noticecheck serve  and open http://127.0.0.1:8000/ in a browser"
	@echo "(upload, paste or link a notice; see README 'The self-check page'). Ctrl+C stops it."

test: $(STAMP) system-deps node-deps
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
	rm -rf $(VENV) .node reports/*/ .pytest_cache
