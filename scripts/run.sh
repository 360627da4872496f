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
# after an hour, compressed responses. qdpv.serving.voila_app is voila itself (same options, same voila.json),
# plus the compression that voila.json asks for and Voila 0.5.13 on its own does not apply. Preheated kernels
# are on: for the gallery and every app one kernel waits that has already run the notebook, so a page skips
# the kernel start and the app's first run (an app is interactive 1.2-3.6 s, 15-40 %, sooner on the 2-core
# test machine). The cost: 7 waiting kernels (~850 MB, the server +180 MB) and
# pre-running them at start (~20 s on 2 cores), which slows a page opened meanwhile (gallery ~8 s, not ~3 s).
# One kernel per notebook is what one learner needs; fill_delay 0 replaces a taken kernel at once (a
# reload within fill_delay would wait for the replacement). qdpv.serving.kernel_manager.PoolAwareKernelManager
# stops the culler from killing a waiting kernel just as a page takes it. Less memory: only the gallery's pool with
# --VoilaKernelManager.kernel_pools_config='{"default": {"pool_size": 0}, "00_start_here.ipynb": {"pool_size": 1}}'
# or none with --VoilaConfiguration.preheat_kernel=False. Measured: docs/performance.md, "Preheated kernels".
# To serve other machines, add --Voila.ip=0.0.0.0 --Voila.tornado_settings=allow_remote_access=True (and put
# authentication in front). tests/test_security.py checks the shipped, local-only settings.
exec .venv/bin/python -m qdpv.serving.voila_app notebooks/ --port="$port" --no-browser
