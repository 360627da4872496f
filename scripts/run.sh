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
# voila.json in this folder holds the server settings: 127.0.0.1 only (and only local Host names), no code
# from the browser, no tracebacks, only images from notebooks/ as files, kernels without an open page culled
# after an hour. Preheated kernels are off (see tests/test_security.py for why); add
# --VoilaConfiguration.preheat_kernel=True --MappingKernelManager.cull_idle_timeout=0 for faster app loads.
# To serve other machines, add --Voila.ip=0.0.0.0 --Voila.tornado_settings=allow_remote_access=True (and put
# authentication in front). tests/test_security.py checks the shipped, local-only settings.
exec .venv/bin/voila notebooks/ --port="$port" --no-browser
