# dressform — set-up and main jobs. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= out/demo
# Debian packages: mesa's EGL/GL for the headless preview renderer (moderngl); the X and GL
# client libraries Blender's bpy module links against (it renders headless, but loads them).
# Node and npm install the web page's 3-D viewer (@google/model-viewer) at build time; Chromium
# runs the page's end-to-end tests (Playwright drives Debian's build).
APT_PACKAGES := libegl1 libegl-mesa0 libgl1-mesa-dri libglx-mesa0 \
	libgl1 libx11-6 libxext6 libxfixes3 libxi6 libxkbcommon0 libxrender1 libsm6 libice6
# Commands looked for on the PATH first (a NodeSource node brings its own npm, which Debian's
# npm package conflicts with), and the Debian packages that provide them where missing.
APT_COMMANDS := node:nodejs npm:npm chromium:chromium
# The viewer the try-on page loads, copied from npm's package (served locally, never a CDN).
VIEWER := src/dressform/web/static/vendor/model-viewer.min.js

.PHONY: install system-deps demo test bench lint conformance clean

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	for c in $(APT_COMMANDS); do command -v $${c%%:*} >/dev/null 2>&1 || missing="$$missing $${c#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml | system-deps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch==2.13.0 first, on its own: this pin installs from a local wheel (CPU build).
	$(PY) -m pip install -q "torch==2.13.0"
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

$(VIEWER): web/package.json web/package-lock.json | system-deps
	cd web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $(VIEWER))
	cp web/node_modules/@google/model-viewer/dist/model-viewer.min.js $(VIEWER)

install: system-deps $(STAMP) $(VIEWER)

demo: install
	$(VENV)/bin/dressform demo -o $(OUT)

# The store's tests also run on PostgreSQL: Debian's, started (and installed if missing) by
# scripts/test-postgres.sh unless DRESSFORM_TEST_PG_URL names another server. The tests run one
# file per worker process, a worker per core (the solver and anny run on one thread each), after
# anny's model cache is built once rather than by every worker at the same time.
test: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -c "from dressform.body.model import get_model; get_model()"
	DRESSFORM_TEST_PG_URL="$${DRESSFORM_TEST_PG_URL:-$$(scripts/test-postgres.sh)}" \
	  $(PY) -m pytest -q -n auto --dist loadfile

# The OpenAPI document against the running server: schemathesis, every check (a few minutes).
conformance: install
	scripts/conformance.sh

bench: install
	$(PY) benchmarks/run.py --output BENCHMARKS.md

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache web/node_modules $(dir $(VIEWER))
