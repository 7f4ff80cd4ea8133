# Shared by ceph-up.sh, ceph-down.sh and rgw-restart.sh (sourced, not run).
#
# Loads infra/local/local.env (variables already set in the environment win, as in loadLocalEnv()),
# derives the cluster's paths and offers the helpers the scripts share. Processes are only ever
# identified by the PID files under $CEPH_DIR/run, and a PID is only trusted when /proc/PID/cmdline
# still names our ceph.conf (guards against PID reuse). Nothing here kills by process name.

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# KEY=VALUE lines, '#' comments; no quoting or expansion (the TS loader reads the same file the same way).
load_local_env() {
  local file="$LOCAL_DIR/local.env" line key value
  [[ -r "$file" ]] || { echo "missing $file" >&2; return 1; }
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    [[ -z "${!key+set}" ]] && export "$key=$value"
  done <"$file"
  return 0
}
load_local_env || exit 1

STACK_DIR="${LOCAL_STACK_DIR:-/tmp/isola-local}"
STACK_DIR="${STACK_DIR%/}"
case "$STACK_DIR" in
  /?*) ;;
  *) echo "LOCAL_STACK_DIR must be an absolute path other than / (got '${LOCAL_STACK_DIR:-}')" >&2; exit 2 ;;
esac
CEPH_DIR="$STACK_DIR/ceph"
CONF="$CEPH_DIR/ceph.conf"
RUN_DIR="$CEPH_DIR/run"
LOG_DIR="$CEPH_DIR/log"
MARKER="$CEPH_DIR/.isola-local-stack"   # proves the folder is ours before anything wipes it
RGW_NAME=client.rgw.isola

# The gateway's address comes from S3_ENDPOINT and must be loopback: this stack never listens elsewhere.
if [[ ! "${S3_ENDPOINT:-}" =~ ^http://127\.0\.0\.1:([0-9]+)/?$ ]]; then
  echo "S3_ENDPOINT must be http://127.0.0.1:<port> (got '${S3_ENDPOINT:-}')" >&2
  exit 2
fi
RGW_PORT="${BASH_REMATCH[1]}"
RGW_URL="http://127.0.0.1:$RGW_PORT"
MON_PORTS=(3300 6789)

T_START=$(date +%s%3N)
# log TAG message…  →  "[TAG  1.2s] message"
log() {
  local tag="$1" ms
  shift
  ms=$(($(date +%s%3N) - T_START))
  printf '[%s %3d.%01ds] %s\n' "$tag" $((ms / 1000)) $(((ms % 1000) / 100)) "$*"
}

# ours PID → 0 when that process was started with our ceph.conf.
# A zombie (daemon exited, not reaped yet by PID 1) has an empty cmdline and counts as stopped.
ours() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONF"
}

# daemon_pid NAME (mon.a, osd.0, client.rgw.isola) → prints the PID when it is running and ours.
daemon_pid() {
  local f="$RUN_DIR/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  ours "$pid" || return 1
  echo "$pid"
}

# stop_daemon NAME TAG → TERM, then KILL after 10 s; removes the PID file. Only our own PID.
stop_daemon() {
  local name="$1" tag="$2" f="$RUN_DIR/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(tr -dc '0-9' <"$f")"
  if ! ours "$pid"; then
    log "$tag" "$name: pid '${pid}' not running (or not ours), skipping"
    rm -f "$f"
    return 0
  fi
  log "$tag" "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do ours "$pid" || break; sleep 0.1; done
  if ours "$pid"; then
    log "$tag" "$name (pid $pid) still alive after 10 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do ours "$pid" || break; sleep 0.1; done
  fi
  rm -f "$f"
}

port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# rgw_answers → 0 when the gateway answers an anonymous request (ListBuckets as anonymous: 200).
rgw_answers() { curl -fsS -o /dev/null --max-time 2 "$RGW_URL/" 2>/dev/null; }

# wait_rgw SECONDS → 0 as soon as the gateway answers.
wait_rgw() {
  local deadline=$(($(date +%s) + $1))
  until rgw_answers; do
    (($(date +%s) < deadline)) || return 1
    sleep 0.2
  done
}

# start_rgw → starts radosgw with our conf (it daemonizes and writes $RUN_DIR/$RGW_NAME.pid).
start_rgw() { radosgw -c "$CONF" -n "$RGW_NAME"; }

# ensure_packages TAG PKG… → apt-get installs whichever are missing (idempotent; no-op when all present).
ensure_packages() {
  local tag="$1" p missing=()
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "[$tag] need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  log "$tag" "installing with apt-get: ${missing[*]}"
  # wait for another apt/dpkg run instead of failing on its lock
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
  "${apt[@]}" update
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
  log "$tag" "installed: ${missing[*]}"
}
