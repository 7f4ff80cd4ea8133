#!/usr/bin/env bash
# Makes sure the machine's PostgreSQL and Redis answer on 127.0.0.1 (starting them with the commands
# in shared/STACK.md if they are down) and that Debian's ffmpeg is installed. Idempotent.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == PONG ]]; }

if ! pg_up; then
  echo "[services] PostgreSQL is down, starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 50); do pg_up && break; sleep 0.2; done
  pg_up || { echo "[services] PostgreSQL did not start; see /var/log/postgresql" >&2; exit 1; }
fi
if ! redis_up; then
  echo "[services] Redis is down, starting it"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 50); do redis_up && break; sleep 0.2; done
  redis_up || { echo "[services] Redis did not start; see /var/log/redis/ci.log" >&2; exit 1; }
fi

if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  echo "[services] installing ffmpeg (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends ffmpeg >/dev/null
fi
echo "[services] PostgreSQL, Redis and ffmpeg ready"
