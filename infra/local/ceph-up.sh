#!/usr/bin/env bash
# Starts Isola's local S3 + STS + IAM: a single-node Ceph cluster (1 mon, 1 osd, no mgr) and a
# RADOS Gateway on 127.0.0.1:7480 (S3_ENDPOINT in local.env), then creates the three RGW users:
#   isola-admin   LOCAL_ADMIN_*     caps roles=*;users=*;buckets=*  (infra/local and tests only)
#   isola-api     API_PLATFORM_*    no caps (AssumeRole needs none; IAM calls → 403)
#   isola-worker  WORKER_PLATFORM_* no caps
# Buckets and roles are not created here: run `node dist/cli.js provision` (package @isola/local-stack).
#
# Idempotent: when our cluster is already running and the gateway answers, it says so and exits 0
# without touching it. Otherwise it stops whatever is left of ours, WIPES $LOCAL_STACK_DIR/ceph and
# starts fresh (memstore data does not survive a restart of the OSD anyway). To restart radosgw alone
# and keep the data, use rgw-restart.sh.
#
# Usage: ceph-up.sh [--fresh] [--no-ffmpeg] [--skip-install]
#   --fresh         wipe and restart even when the cluster is running
#   --no-ffmpeg     do not install ffmpeg (the worker's transcoder; installed by default)
#   --skip-install  never call apt-get (also SKIP_INSTALL=1)
# Env: OSD_BACKEND=memstore|bluestore (default memstore: objects in RAM, ≤ 4 GiB; bluestore: a 10 GiB
#      sparse file, for big data), LOCAL_STACK_DIR and everything else from local.env.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ceph-stack.sh"
TAG=ceph-up

FRESH=0 WITH_FFMPEG=1 SKIP_INSTALL="${SKIP_INSTALL:-0}"
for arg in "$@"; do
  case "$arg" in
    --fresh) FRESH=1 ;;
    --no-ffmpeg) WITH_FFMPEG=0 ;;
    --skip-install) SKIP_INSTALL=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "[$TAG] unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
OSD_BACKEND="${OSD_BACKEND:-memstore}"
# ceph-osd silently treats an unknown objectstore name as bluestore, so refuse it here
case "$OSD_BACKEND" in memstore | bluestore) ;; *) echo "[$TAG] OSD_BACKEND must be memstore or bluestore" >&2; exit 2 ;; esac
[[ ${#RGW_STS_KEY} -eq 16 ]] || { echo "[$TAG] RGW_STS_KEY must be exactly 16 characters" >&2; exit 2; }

# ---------------------------------------------------------------- packages (idempotent)
if [[ "$SKIP_INSTALL" != 1 ]]; then
  PKGS=(radosgw ceph-mon ceph-osd ceph-common uuid-runtime curl iproute2)
  ((WITH_FFMPEG)) && PKGS+=(ffmpeg)
  ensure_packages "$TAG" "${PKGS[@]}"
fi

# ---------------------------------------------------------------- already running?
admin_can_sign_in() { # a signed ListBuckets as isola-admin → 200 proves the users exist with our keys
  local code
  code=$(curl -sS -o /dev/null --max-time 5 -w '%{http_code}' \
    --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$LOCAL_ADMIN_ACCESS_KEY_ID:$LOCAL_ADMIN_SECRET_ACCESS_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$RGW_URL/" 2>/dev/null) || true
  [[ "$code" == 200 ]]
}
running=()
for d in mon.a osd.0 "$RGW_NAME"; do daemon_pid "$d" >/dev/null && running+=("$d"); done
if ((FRESH == 0 && ${#running[@]} == 3)) && rgw_answers && admin_can_sign_in; then
  backend="$(sed -n 's/^osd_backend=//p' "$MARKER" 2>/dev/null)"
  log "$TAG" "already running: radosgw on $RGW_URL, mon/osd ($backend) in $CEPH_DIR; nothing to do"
  if [[ "$backend" != "$OSD_BACKEND" ]]; then
    log "$TAG" "note: OSD_BACKEND=$OSD_BACKEND requested but the running osd uses $backend (use --fresh to switch)"
  fi
  exit 0
fi
if ((${#running[@]})); then
  if ((FRESH)); then
    log "$TAG" "--fresh: stopping the running cluster (${running[*]})"
  else
    log "$TAG" "our cluster is only partly up (${running[*]} running); restarting it from scratch"
    log "$TAG" "(when only radosgw is down, rgw-restart.sh restarts it and keeps the data)"
  fi
fi
if compgen -G "$RUN_DIR/*.pid" >/dev/null; then
  "$LOCAL_DIR/ceph-down.sh" | sed 's/^/  /'
fi

# ---------------------------------------------------------------- clean slate
for port in "${MON_PORTS[@]}" "$RGW_PORT"; do
  if port_in_use "$port"; then
    echo "[$TAG] port $port is already in use by a process that is not ours:" >&2
    ss -Hltnp "sport = :$port" >&2 || true
    exit 1
  fi
done
if [[ -d "$CEPH_DIR" && -n "$(ls -A "$CEPH_DIR")" && ! -f "$MARKER" ]]; then
  echo "[$TAG] $CEPH_DIR exists but was not created by this script; refusing to wipe it (check LOCAL_STACK_DIR)" >&2
  exit 1
fi
rm -rf "$CEPH_DIR"
mkdir -p "$RUN_DIR" "$LOG_DIR" "$CEPH_DIR"/{mon/ceph-a,osd/ceph-0,rgw,crash}
printf 'created_by=infra/local/ceph-up.sh\nosd_backend=%s\n' "$OSD_BACKEND" >"$MARKER"

# On any failure: say where the logs are, show the tail of the most relevant one and stop what started.
die() {
  trap - ERR
  echo "[$TAG] FAILED: $1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then
    echo "[$TAG] last lines of $2:" >&2
    tail -n 25 "$2" | sed 's/^/  /' >&2
  fi
  echo "[$TAG] logs: $LOG_DIR" >&2
  "$LOCAL_DIR/ceph-down.sh" >&2 || true
  exit 1
}
trap 'die "command at line $LINENO exited with status $?"' ERR

FSID="$(uuidgen)"
# ---------------------------------------------------------------- ceph.conf
cat >"$CONF" <<EOF
# Generated by infra/local/ceph-up.sh — a throw-away, loopback-only cluster.
[global]
fsid = $FSID
mon initial members = a
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind ipv4 = true
ms bind ipv6 = false

# no cephx: loopback-only throw-away cluster
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
# radosgw (a daemon) defaults ms_mon_client_mode to "secure", which needs cephx session keys; with
# auth=none the handshake fails ("get_initial_auth_request returned -13"). Allow crc.
ms mon client mode = crc secure
ms mon service mode = crc secure
ms mon cluster mode = crc secure
ms client mode = crc secure
ms service mode = crc secure
ms cluster mode = crc secure
# fail after 30 s instead of 5 min when the mon is unreachable
client mount timeout = 30

run dir = $RUN_DIR
admin socket = $RUN_DIR/\$name.asok
pid file = $RUN_DIR/\$name.pid
log file = $LOG_DIR/\$name.log
keyring = $CEPH_DIR/keyring
mon data = $CEPH_DIR/mon/ceph-\$id
osd data = $CEPH_DIR/osd/ceph-\$id
crash dir = $CEPH_DIR/crash
log to stderr = false
err to stderr = false

# one OSD, no replication
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 2
mon data avail crit = 1
mon osd full ratio = .97
mon osd backfillfull ratio = .96
mon osd nearfull ratio = .95

[mon]
mon cluster log file = $LOG_DIR/cluster.log
# commit map changes at once instead of batching for 1 s: radosgw's first start issues ~15 pool
# create/set commands, each of which would otherwise cost a full second (16 s → 2.5 s cold start)
paxos propose interval = 0.01
paxos min wait = 0.001

[osd]
osd objectstore = $OSD_BACKEND
memstore device bytes = 4294967296
bluestore block path = $CEPH_DIR/osd/block
bluestore block create = true
bluestore block size = 10737418240
bluestore fsck on mount = false
osd memory target = 939524096

[client]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw enable apis = s3, admin, sts, iam
rgw s3 auth use sts = true
rgw sts key = $RGW_STS_KEY
rgw zone = default
# free deleted data quickly (memstore keeps it in RAM)
rgw gc obj min wait = 30
rgw gc processor period = 30
rgw enable usage log = false
rgw data = $CEPH_DIR/rgw
rgw thread pool size = 64
EOF

log "$TAG" "starting in $CEPH_DIR (osd backend: $OSD_BACKEND)"
# ---------------------------------------------------------------- mon
# mon --mkfs wants a keyring even with auth = none
ceph-authtool --create-keyring "$CEPH_DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$CEPH_DIR/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
  --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
monmaptool --create --clobber --fsid "$FSID" \
  --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' "$CEPH_DIR/monmap" >/dev/null
ceph-mon -c "$CONF" -i a --mkfs --monmap "$CEPH_DIR/monmap" --keyring "$CEPH_DIR/keyring" \
  >"$LOG_DIR/mon-mkfs.log" 2>&1 || die "ceph-mon --mkfs failed" "$LOG_DIR/mon-mkfs.log"
ceph-mon -c "$CONF" -i a || die "ceph-mon did not start" "$LOG_DIR/mon.a.log"
C=(ceph -c "$CONF" --connect-timeout 15)
for _ in $(seq 1 60); do "${C[@]}" mon stat >/dev/null 2>&1 && break; sleep 0.5; done
"${C[@]}" mon stat >/dev/null 2>&1 || die "the monitor does not answer" "$LOG_DIR/mon.a.log"
log "$TAG" "mon.a up (127.0.0.1:3300, 6789)"

# ---------------------------------------------------------------- osd
OSD_UUID="$(uuidgen)"
OSD_ID="$("${C[@]}" osd new "$OSD_UUID")"
[[ "$OSD_ID" == 0 ]] || die "unexpected osd id '$OSD_ID'"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$LOG_DIR/osd-mkfs.log" 2>&1 ||
  die "ceph-osd --mkfs failed" "$LOG_DIR/osd-mkfs.log"
ceph-osd -c "$CONF" -i 0 || die "ceph-osd did not start" "$LOG_DIR/osd.0.log"
for _ in $(seq 1 120); do "${C[@]}" osd dump 2>/dev/null | grep -q '^osd.0 up' && break; sleep 0.5; done
"${C[@]}" osd dump 2>/dev/null | grep -q '^osd.0 up' || die "osd.0 did not come up" "$LOG_DIR/osd.0.log"
log "$TAG" "osd.0 up ($OSD_BACKEND)"

# ---------------------------------------------------------------- radosgw
start_rgw || die "radosgw did not start" "$LOG_DIR/$RGW_NAME.log"
wait_rgw 60 || die "radosgw does not answer on $RGW_URL" "$LOG_DIR/$RGW_NAME.log"
log "$TAG" "radosgw answering on $RGW_URL (apis: s3, admin, sts, iam)"

# ---------------------------------------------------------------- users
RA=(radosgw-admin -c "$CONF" -n "$RGW_NAME" --log-file "$LOG_DIR/radosgw-admin.log")
create_user() { # uid display-name access-key secret-key
  "${RA[@]}" user create --uid="$1" --display-name="$2" --access-key="$3" --secret-key="$4" >/dev/null ||
    die "radosgw-admin user create --uid=$1 failed" "$LOG_DIR/radosgw-admin.log"
}
create_user "$LOCAL_ADMIN_USER" "Isola local admin (infra/local and tests only)" \
  "$LOCAL_ADMIN_ACCESS_KEY_ID" "$LOCAL_ADMIN_SECRET_ACCESS_KEY"
# roles=* for the IAM role API, users=* and buckets=* for RGW's admin API (throwaway test users)
"${RA[@]}" caps add --uid="$LOCAL_ADMIN_USER" --caps="roles=*;users=*;buckets=*" >/dev/null ||
  die "radosgw-admin caps add failed" "$LOG_DIR/radosgw-admin.log"
# The platform principals get no caps: they can call AssumeRole (which needs none on RGW) and nothing else.
create_user "$API_PLATFORM_USER" "Isola API platform principal" \
  "$API_PLATFORM_ACCESS_KEY_ID" "$API_PLATFORM_SECRET_ACCESS_KEY"
create_user "$WORKER_PLATFORM_USER" "Isola worker platform principal" \
  "$WORKER_PLATFORM_ACCESS_KEY_ID" "$WORKER_PLATFORM_SECRET_ACCESS_KEY"
admin_can_sign_in || die "the admin identity cannot sign in to $RGW_URL" "$LOG_DIR/$RGW_NAME.log"
log "$TAG" "users: $LOCAL_ADMIN_USER (caps roles,users,buckets), $API_PLATFORM_USER, $WORKER_PLATFORM_USER (no caps)"

trap - ERR
log "$TAG" "ready: $RGW_URL (region $S3_REGION)"
log "$TAG" "next: buckets and roles: pnpm --filter @isola/local-stack build && pnpm --filter @isola/local-stack provision"
