#!/usr/bin/env bash
# Stops the local Ceph cluster that ceph-up.sh started: exactly the PIDs recorded in
# $LOCAL_STACK_DIR/ceph/run/*.pid, each only if /proc/PID/cmdline still names our ceph.conf
# (guards against PID reuse). TERM, then KILL after 10 s; gateway first, then the OSD, then the
# monitor (radosgw ignores TERM for a long time once the mon and osd are gone). Never kills by name.
# The data folder is left in place; the next ceph-up.sh wipes it.
#
# Usage: ceph-down.sh
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ceph-stack.sh"
TAG=ceph-down

if [[ ! -d "$RUN_DIR" ]]; then
  log "$TAG" "nothing to stop in $CEPH_DIR"
  exit 0
fi
shopt -s nullglob
for f in "$RUN_DIR"/client.*.pid; do n="$(basename "$f" .pid)"; stop_daemon "$n" "$TAG"; done
for f in "$RUN_DIR"/osd.*.pid; do n="$(basename "$f" .pid)"; stop_daemon "$n" "$TAG"; done
for f in "$RUN_DIR"/mon.*.pid; do n="$(basename "$f" .pid)"; stop_daemon "$n" "$TAG"; done
log "$TAG" "stopped"
