#!/usr/bin/env bash
# The README's test command: set up .venv with the test dependencies, make sure a browser is there for the
# browser tests, then run everything: ruff, unit tests, app tests, browser tests, and nbval over every notebook.
# Extra arguments are passed to pytest (e.g. scripts/test.sh -k confinement).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/install-browser.sh || true   # the browser tests say why they skip (or fail under CI=true)

echo "== ruff"
.venv/bin/ruff check .
echo "== pytest (unit, app, browser, notebooks with nbval)"
exec .venv/bin/python -m pytest tests notebooks --nbval-lax -p no:cacheprovider "$@"
