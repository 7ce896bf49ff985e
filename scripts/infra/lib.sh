# shellcheck shell=bash
# Helpers shared by scripts/infra/*.sh. Source it, do not run it.
# Everything here only ever talks to 127.0.0.1.

# Project root, whatever the caller's cwd.
INFRA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INFRA_STATE_DIR="${INFRA_STATE_DIR:-$INFRA_ROOT/.infra}"
# Services that up.sh started itself (one name per line); down.sh only stops those.
INFRA_STARTED_FILE="$INFRA_STATE_DIR/started-by-us"

infra_ts() { date '+%Y-%m-%dT%H:%M:%S%z'; }
infra_log() { printf '[infra %s] %s\n' "$(infra_ts)" "$*"; }
infra_warn() { printf '[infra %s] WARNING: %s\n' "$(infra_ts)" "$*" >&2; }
infra_die() {
  printf '[infra %s] ERROR: %s\n' "$(infra_ts)" "$*" >&2
  exit 1
}

# Make a path absolute; relative paths are taken relative to the project root.
infra_abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$INFRA_ROOT/$1" ;;
  esac
}

infra_require() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || infra_die "required command '$cmd' not found in PATH"
  done
}

# True if something accepts TCP connections on 127.0.0.1:$1 (bash /dev/tcp, no nc needed).
infra_port_open() {
  local port="$1"
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" >/dev/null 2>&1
}

# True if the process exists (and is not a zombie).
infra_pid_alive() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

infra_mark_started() {
  mkdir -p "$INFRA_STATE_DIR"
  touch "$INFRA_STARTED_FILE"
  grep -qx "$1" "$INFRA_STARTED_FILE" || printf '%s\n' "$1" >>"$INFRA_STARTED_FILE"
}

infra_was_started() {
  [[ -f "$INFRA_STARTED_FILE" ]] && grep -qx "$1" "$INFRA_STARTED_FILE"
}

infra_unmark_started() {
  [[ -f "$INFRA_STARTED_FILE" ]] || return 0
  local tmp="$INFRA_STARTED_FILE.tmp"
  grep -vx "$1" "$INFRA_STARTED_FILE" >"$tmp" || true
  mv -f "$tmp" "$INFRA_STARTED_FILE"
}

# Send this script's stdout and stderr to the terminal and to .infra/infra.log.
infra_tee_to_log() {
  mkdir -p "$INFRA_STATE_DIR"
  INFRA_LOG="$INFRA_STATE_DIR/infra.log"
  exec 3>&1 4>&2
  exec > >(tee -a "$INFRA_LOG") 2>&1
  INFRA_TEE_PID=$!
  trap infra_finish_tee EXIT
}

# shellcheck disable=SC2317  # called through the EXIT trap
infra_finish_tee() {
  local rc=$?
  exec 1>&3 2>&4
  wait "$INFRA_TEE_PID" 2>/dev/null || true
  exit "$rc"
}
