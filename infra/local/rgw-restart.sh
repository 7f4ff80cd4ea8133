#!/usr/bin/env bash
# Restarts radosgw ALONE: the mon and the osd keep running, so buckets, objects, users and roles are
# kept. Stops our radosgw PID (TERM, KILL after 10 s; only if /proc/PID/cmdline names our ceph.conf),
# starts it again with the same ceph.conf and waits until it answers on S3_ENDPOINT.
# Use it to test how the apps ride out a gateway outage.
#
# Usage: rgw-restart.sh [--down-for SECONDS]   (keep the gateway stopped that long before restarting)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ceph-stack.sh"
TAG=rgw-restart

DOWN_FOR=0
while (($#)); do
  case "$1" in
    --down-for) DOWN_FOR="${2:?--down-for needs a number of seconds}"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "[$TAG] unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$DOWN_FOR" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "[$TAG] --down-for must be a number of seconds" >&2; exit 2; }

for d in mon.a osd.0; do
  daemon_pid "$d" >/dev/null || {
    echo "[$TAG] $d of our cluster is not running (in $CEPH_DIR): start the stack with infra/local/ceph-up.sh" >&2
    exit 1
  }
done

stop_daemon "$RGW_NAME" "$TAG"
for _ in $(seq 1 100); do port_in_use "$RGW_PORT" || break; sleep 0.1; done
if port_in_use "$RGW_PORT"; then
  echo "[$TAG] port $RGW_PORT is still in use by a process that is not ours:" >&2
  ss -Hltnp "sport = :$RGW_PORT" >&2 || true
  exit 1
fi
log "$TAG" "radosgw stopped"
if [[ "$DOWN_FOR" != 0 ]]; then
  log "$TAG" "keeping it down for ${DOWN_FOR}s"
  sleep "$DOWN_FOR"
fi

start_rgw || { echo "[$TAG] radosgw did not start; log: $LOG_DIR/$RGW_NAME.log" >&2; exit 1; }
if ! wait_rgw 60; then
  echo "[$TAG] radosgw does not answer on $RGW_URL; last lines of $LOG_DIR/$RGW_NAME.log:" >&2
  tail -n 25 "$LOG_DIR/$RGW_NAME.log" | sed 's/^/  /' >&2
  exit 1
fi
log "$TAG" "radosgw answering on $RGW_URL again (pid $(daemon_pid "$RGW_NAME" || echo '?'))"
