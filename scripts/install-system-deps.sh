#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: Debian's Chromium (for the browser
# smoke test). Go comes with the machine; DVID itself is built by scripts/install-dvid.mjs.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "install-system-deps: chromium is missing and cannot be installed here (need root and apt-get)" >&2
  fi
fi
command -v go >/dev/null 2>&1 || echo "install-system-deps: no Go toolchain: the real-DVID suite will be skipped unless DVID_REQUIRED=1" >&2
exit 0
