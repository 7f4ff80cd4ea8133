#!/usr/bin/env bash
# Sets up and runs the whole platform on this machine, from a fresh clone:
#   Node 24 + pnpm (bootstrapped), dependencies, PostgreSQL + Redis (started if down), ffmpeg,
#   the local Ceph RGW (S3 + STS + IAM on 127.0.0.1:7480) with the demo buckets and roles,
#   database migrations + the demo tenants, then the API (:3000), the worker and the web app (:5173).
# Usage:
#   scripts/dev.sh            run in the foreground; Ctrl-C stops what it started
#   scripts/dev.sh --detach   start everything, print the URLs, return (stop with: scripts/dev.sh stop)
#   scripts/dev.sh stop       stop the API, worker and web started by this script (by PID)
#   scripts/dev.sh stop --all ... and the local Ceph RGW too
# Env (all optional): API_PORT (3000), WEB_PORT (5173), DATABASE_URL (…/isola), DEMO_PASSWORD
#   (isola-demo), ISOLA_DEV_STATE (.local: PID files and logs) — the smoke test runs a second stack
#   this way without disturbing yours.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
STATE="${ISOLA_DEV_STATE:-$ROOT/.local}"
RUN="$STATE/run"
LOGS="$STATE/logs"
export API_PORT="${API_PORT:-3000}" WEB_PORT="${WEB_PORT:-5173}"
mkdir -p "$RUN" "$LOGS"

# stop_pid NAME: signal the process recorded in .local/run/NAME.pid if it is still ours
stop_pid() {
  local f="$RUN/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid=$(tr -dc '0-9' <"$f")
  if [[ -n "$pid" ]] && [[ -r /proc/$pid/environ ]] && tr '\0' '\n' <"/proc/$pid/environ" | grep -qx "ISOLA_DEV_STATE=$STATE"; then
    echo "[dev] stopping $1 (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  fi
  rm -f "$f"
}
stop_all() { for p in web worker api; do stop_pid "$p"; done; }

if [[ "${1:-}" == stop ]]; then
  stop_all
  if [[ "${2:-}" == --all ]]; then bash infra/local/ceph-down.sh; fi
  exit 0
fi
DETACH=0
[[ "${1:-}" == --detach ]] && DETACH=1

. scripts/bootstrap.sh
echo "[dev] installing dependencies"
pnpm install --frozen-lockfile --reporter=append-only | tail -n 2
bash infra/local/services.sh
bash infra/local/ceph-up.sh
echo "[dev] building"
pnpm turbo run build --output-logs=errors-only

export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/isola}"
echo "[dev] migrating $DATABASE_URL"
pnpm --silent --filter @isola/database db:ensure
pnpm --silent --filter @isola/database migrate:deploy
echo "[dev] provisioning the demo buckets and roles, seeding the demo tenants"
node infra/local/dist/cli.js provision
node infra/local/dist/cli.js seed

# start NAME CMD...: run in its own process group, tagged so stop_pid only ever kills our own
start() {
  local name=$1; shift
  stop_pid "$name"
  ISOLA_DEV_STATE="$STATE" setsid "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}
start api node apps/api/dist/main.js
start worker node apps/worker/dist/main.js
ISOLA_API_URL="http://127.0.0.1:$API_PORT" start web pnpm --filter @isola/web exec vite --logLevel warn --port "$WEB_PORT"

wait_http() { # URL NAME LOG
  for _ in $(seq 1 120); do curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0; sleep 0.5; done
  echo "[dev] $2 did not come up; last lines of $3:" >&2; tail -n 30 "$3" >&2; return 1
}
wait_http "http://127.0.0.1:$API_PORT/api/health" API "$LOGS/api.log"
wait_http "http://localhost:$WEB_PORT/" web "$LOGS/web.log"
kill -0 "$(cat "$RUN/worker.pid")" 2>/dev/null || { echo "[dev] the worker exited:" >&2; tail -n 30 "$LOGS/worker.log" >&2; exit 1; }

PASSWORD="${DEMO_PASSWORD:-isola-demo}"
cat <<MSG

  Isola is running.
    Web app      http://localhost:$WEB_PORT
    API          http://127.0.0.1:$API_PORT/api   (health: http://127.0.0.1:$API_PORT/api/health)
    S3 / STS     http://127.0.0.1:7480       (local Ceph RGW)
    Logs         $LOGS/{api,worker,web}.log

  Demo logins (password: $PASSWORD)
    admin@aurora.test    member@aurora.test    Aurora Pictures — isolated: its own bucket and role
    admin@harbor.test    member@harbor.test    Harbor Post — hosted in the platform's bucket
    support@isola.test                         platform support staff

MSG
if [[ "$DETACH" == 1 ]]; then
  echo "  Stop with: scripts/dev.sh stop   (add --all to stop the local RGW too)"
  exit 0
fi
echo "  Ctrl-C stops the API, worker and web (the local RGW keeps running; scripts/dev.sh stop --all stops it)."
trap 'echo; stop_all; exit 0' INT TERM
wait
