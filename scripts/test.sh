#!/usr/bin/env bash
# The whole test suite from a fresh clone: bootstraps Node 24 + pnpm, installs, makes sure PostgreSQL,
# Redis, ffmpeg and the local Ceph RGW (S3 + STS + IAM) are up, builds, then runs lint, format check,
# type checks, unit tests, the integration suites (one at a time) against the real servers, and the
# end-to-end suites.
# Tests use their own database (isola_test), Redis DB 9 and throw-away buckets/roles: a running dev
# stack is not disturbed. The local RGW is stopped at the end only if this script started it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
T0=$(date +%s)
step() { printf '\n\033[1m==> %s\033[0m (%ss)\n' "$*" $(( $(date +%s) - T0 )); }

step "install"
pnpm install --frozen-lockfile --reporter=append-only | tail -n 3

step "services: PostgreSQL, Redis, ffmpeg, Ceph RGW"
bash infra/local/services.sh
bash apps/web/scripts/ensure-chromium.sh
STARTED_RGW=0
if ! curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:7480/ 2>/dev/null; then
  bash infra/local/ceph-up.sh --no-ffmpeg
  STARTED_RGW=1
fi
cleanup() { if [[ "$STARTED_RGW" == 1 && "${KEEP_STACK:-0}" != 1 ]]; then bash infra/local/ceph-down.sh >/dev/null || true; fi; }
trap cleanup EXIT

step "build"
pnpm turbo run build --output-logs=errors-only

step "local S3/STS: the platform's buckets and roles, the demo studios (idempotent)"
node infra/local/dist/cli.js provision

step "test database"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/isola_test}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/9}"
DATABASE_URL="$TEST_DATABASE_URL" pnpm --silent --filter @isola/database db:ensure
DATABASE_URL="$TEST_DATABASE_URL" pnpm --silent --filter @isola/database migrate:deploy

step "lint and format"
pnpm --silent lint
pnpm --silent format:check

export ISOLA_TEST_RESULTS="$PWD/.turbo/test-results.jsonl"
mkdir -p .turbo && : >"$ISOLA_TEST_RESULTS"

step "type checks and unit tests"
pnpm turbo run typecheck test:unit --output-logs=errors-only --concurrency=2

step "integration tests (real PostgreSQL, Redis, Ceph RGW, ffmpeg; one suite at a time)"
pnpm turbo run test:integration --concurrency=1 --output-logs=new-only

step "end-to-end: the README run command (scripts/dev.sh) on its own ports and database"
pnpm turbo run test:e2e --concurrency=1 --output-logs=new-only

step "security: authorization matrix, CSRF, headers, rate limit, secrets in logs, fuzzing, session-policy scope"
pnpm turbo run test:security --concurrency=1 --output-logs=new-only

step "summary"
node scripts/test-summary.mjs "$ISOLA_TEST_RESULTS"
