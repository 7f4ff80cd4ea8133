#!/usr/bin/env bash
# Source this file: it puts Node 24 and pnpm on PATH, installing them into .tools/ when the machine's
# Node is older (STACK.md: the node@24 package from the npm registry ships the binary).
#   . scripts/bootstrap.sh
# Idempotent and quiet when everything is already there.
ISOLA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ISOLA_ROOT
ISOLA_TOOLS="$ISOLA_ROOT/.tools"
NODE_MAJOR_WANTED=24
PNPM_VERSION=12.21.0

_isola_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [[ -x "$ISOLA_TOOLS/bin/node" ]]; then
  export PATH="$ISOLA_TOOLS/bin:$PATH"
elif ! command -v node >/dev/null || (( $(_isola_node_major node) < NODE_MAJOR_WANTED )); then
  echo "[bootstrap] installing Node $NODE_MAJOR_WANTED into .tools/ (machine has $(node --version 2>/dev/null || echo none))"
  command -v npm >/dev/null || { echo "[bootstrap] npm is needed to fetch Node $NODE_MAJOR_WANTED" >&2; return 1 2>/dev/null || exit 1; }
  npm install --global --prefix "$ISOLA_TOOLS" --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR_WANTED" >/dev/null
  export PATH="$ISOLA_TOOLS/bin:$PATH"
fi

if [[ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]]; then
  echo "[bootstrap] installing pnpm $PNPM_VERSION into .tools/"
  npm install --global --prefix "$ISOLA_TOOLS" --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >/dev/null
  export PATH="$ISOLA_TOOLS/bin:$PATH"
fi
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
export COREPACK_ENABLE_STRICT=0
