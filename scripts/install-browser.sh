#!/usr/bin/env bash
# Install Debian's chromium for the browser tests when it is missing and this user may install packages.
# playwright drives that system browser; `playwright install` would download one, which does not work offline.
set -uo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: chromium is missing and there is no apt-get; install a Chromium browser by hand" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "install-browser: chromium is missing and this user cannot install packages; browser tests will skip" >&2
  exit 1
fi
echo "install-browser: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null 2>&1
