#!/usr/bin/env bash
# The README's run command: set up .venv, then serve the app gallery with Voila on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
port=${QDPV_PORT:-8866}
echo
echo "qdpv-lab app gallery: http://127.0.0.1:${port}/voila/render/00_start_here.ipynb"
echo "(Ctrl-C stops the server)"
echo
# The kit's Voila template (share/jupyter/voila/templates/qdpv) is found through JUPYTER_PATH.
export JUPYTER_PATH="$PWD/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# voila.json in this folder holds the server settings (loopback only, no tracebacks, kernel limits).
exec .venv/bin/voila notebooks/ --port="$port" --no-browser
