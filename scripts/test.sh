#!/usr/bin/env bash
# The README's test command: set up .venv with the test dependencies, make sure a browser is there for the
# browser tests, then run everything: ruff, unit tests, app tests, browser tests, and nbval over every notebook.
# Extra arguments are passed to both pytest runs (e.g. scripts/test.sh -k confinement); the exit status is the
# first failure's, and a run that the arguments leave without tests (pytest's status 5) does not count as one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/install-browser.sh || true   # the browser tests say why they skip (or fail under CI=true)

echo "== ruff"
.venv/bin/ruff check .
echo "== pytest (unit, app, browser tests; the app notebooks with nbval, lax: do they run?)"
first=0
.venv/bin/python -m pytest tests notebooks --ignore=notebooks/worked --nbval-lax -p no:cacheprovider "$@" || first=$?
echo "== pytest (the worked notebooks and their solutions with nbval, strict: stored outputs compared)"
# A printed number that differs from the stored one fails; after a deliberate change run
# scripts/refresh_worked.py and review the new numbers. Figure cells carry # NBVAL_IGNORE_OUTPUT.
second=0
.venv/bin/python -m pytest notebooks/worked instructor --nbval --nbval-current-env \
  --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=120 -p no:cacheprovider "$@" || second=$?
if [ "$first" -eq 5 ] && [ "$second" -eq 5 ]; then exit 5; fi
for status in "$first" "$second"; do
  if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
done
