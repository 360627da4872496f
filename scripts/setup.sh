#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv and install qdpv-lab into it.
#   scripts/setup.sh          runtime dependencies (requirements.txt)
#   scripts/setup.sh --test   runtime + test dependencies (requirements-test.txt)
# pip runs only when the requirements changed since the last successful install (a stamp in .venv). Then the
# installed bokeh's BokehJS goes into the kit's Voila template, whose pages load it as static files the browser
# caches (qdpv/ui/kit/bokehjs.py; files already up to date are left alone).
set -euo pipefail
cd "$(dirname "$0")/.."

reqs=requirements.txt
[ "${1:-}" = "--test" ] && reqs=requirements-test.txt

if [ ! -x .venv/bin/python ]; then
  py=${PYTHON:-}
  if [ -z "$py" ]; then
    for candidate in python3.11 python3.12 python3.13 python3; do
      if command -v "$candidate" >/dev/null 2>&1; then py=$candidate; break; fi
    done
  fi
  [ -n "$py" ] || { echo "setup: no python3 found; install Python 3.11 or newer" >&2; exit 1; }
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "setup: $py is older than Python 3.11" >&2; exit 1; }
  echo "setup: creating .venv with $py"
  "$py" -m venv .venv
fi

stamp=".venv/.installed-$(basename "$reqs" .txt)"
want=$(cat requirements.txt "$reqs" pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing $reqs into .venv (first run takes a few minutes)"
  # (some machines' pip configuration names package folders that do not exist: pip warns once per package)
  {
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  } 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2 || true)
  echo "$want" > "$stamp"
fi
.venv/bin/python -m qdpv.ui.kit.bokehjs share/jupyter/voila/templates/qdpv
