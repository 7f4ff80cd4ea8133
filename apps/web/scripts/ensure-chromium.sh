#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser end-to-end tests (apps/web/test/e2e, driven by
# playwright-core). Playwright's own browser download is never used: it cannot work on these machines.
# Idempotent: does nothing when the browser is already there. CHROMIUM_PATH overrides the location.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  echo "[chromium] installing chromium (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends chromium >/dev/null
fi
echo "[chromium] $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
