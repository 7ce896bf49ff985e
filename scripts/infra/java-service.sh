# shellcheck shell=bash
# Helpers for a local service run from a single jar resolved from Maven Central (s3mock.sh,
# greenmail.sh). Source it after lib.sh, having set:
#   SVC_NAME        name in log lines                 SVC_POM       pom listing the one jar
#   SVC_LIBS_DIR    where the jar is copied           SVC_JAR_GLOB  its file name pattern
#   SVC_STATE_DIR   pid file, logs, data              SVC_MARKER    -D option that tags our JVM
# The pid file is trusted only while that pid's command line still carries SVC_MARKER, so a stop
# never signals a process this script did not start.

SVC_PID_FILE="$SVC_STATE_DIR/$SVC_NAME.pid"
SVC_OUT="$SVC_STATE_DIR/logs/$SVC_NAME.out"

svc_log() { infra_log "$SVC_NAME: $*"; }

svc_pom_checksum() { sha256sum "$SVC_POM" | awk '{print $1}'; }

svc_libs_ready() {
  [[ -f "$SVC_LIBS_DIR/.resolved" ]] && [[ "$(cat "$SVC_LIBS_DIR/.resolved")" == "$(svc_pom_checksum)" ]] &&
    compgen -G "$SVC_LIBS_DIR/$SVC_JAR_GLOB" >/dev/null
}

# Prints the jar, resolving it with Maven first if needed (serialised between concurrent callers).
svc_jar() {
  if ! svc_libs_ready; then
    infra_require mvn flock sha256sum
    mkdir -p "$(dirname "$SVC_LIBS_DIR")"
    exec 8>"$SVC_LIBS_DIR.lock"
    flock -w 600 8 || infra_die "$SVC_NAME: timed out waiting for the lock $SVC_LIBS_DIR.lock"
    if ! svc_libs_ready; then
      local tmp="$SVC_LIBS_DIR.tmp.$$"
      rm -rf "$tmp"
      svc_log "resolving the jar from Maven Central with $SVC_POM (first run only) ..." >&2
      # shellcheck disable=SC2086
      if ! mvn -q -B -Dstyle.color=never ${INFRA_MVN_ARGS:-} -f "$SVC_POM" \
        dependency:copy-dependencies "-DoutputDirectory=$tmp" >"$tmp.mvn.log" 2>&1; then
        cat "$tmp.mvn.log" >&2 || true
        rm -rf "$tmp" "$tmp.mvn.log"
        infra_die "$SVC_NAME: mvn could not resolve the jar (see the output above)"
      fi
      rm -f "$tmp.mvn.log"
      compgen -G "$tmp/$SVC_JAR_GLOB" >/dev/null || infra_die "$SVC_NAME: mvn ran but no $SVC_JAR_GLOB landed in $tmp"
      svc_pom_checksum >"$tmp/.resolved"
      rm -rf "$SVC_LIBS_DIR"
      mv "$tmp" "$SVC_LIBS_DIR"
    fi
    exec 8>&-
  fi
  compgen -G "$SVC_LIBS_DIR/$SVC_JAR_GLOB" | head -n1
}

# Prints the pid of the JVM this script started (and that still runs); returns 1 otherwise.
svc_our_pid() {
  [[ -f "$SVC_PID_FILE" ]] || return 1
  local pid
  pid="$(tr -d '[:space:]' <"$SVC_PID_FILE")"
  if infra_pid_alive "$pid" && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$SVC_MARKER"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$SVC_PID_FILE"
  return 1
}

# Starts `java "$@"` in its own session (it outlives this shell) and prints its pid.
svc_launch() {
  infra_require java setsid
  mkdir -p "$SVC_STATE_DIR/logs"
  rm -f "$SVC_PID_FILE"
  printf '\n===== %s starting %s =====\n' "$(infra_ts)" "$SVC_NAME" >>"$SVC_OUT"
  # The inner shell writes its own pid, then execs java: the pid file holds the JVM's pid. It keeps
  # no descriptor of ours (3 and 4 are up.sh's saved terminal), so a caller reading our output ends.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$SVC_PID_FILE" java "$SVC_MARKER" "$@" \
    </dev/null >>"$SVC_OUT" 2>&1 3>&- 4>&- 8>&- &
  for _ in $(seq 1 50); do
    [[ -s "$SVC_PID_FILE" ]] && break
    sleep 0.1
  done
  local pid
  pid="$(tr -d '[:space:]' <"$SVC_PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || infra_die "$SVC_NAME: could not start java (no pid written); see $SVC_OUT"
  printf '%s\n' "$pid"
}

# Waits until `$2` (a command) succeeds while pid $1 lives; gives up after $3 seconds.
svc_wait_ready() {
  local pid="$1" probe="$2" timeout="$3" started=$SECONDS
  while ((SECONDS - started < timeout)); do
    if ! infra_pid_alive "$pid"; then
      tail -n 30 "$SVC_OUT" >&2 || true
      rm -f "$SVC_PID_FILE"
      infra_die "$SVC_NAME exited during startup; see $SVC_OUT"
    fi
    if "$probe"; then
      return 0
    fi
    sleep 0.5
  done
  tail -n 30 "$SVC_OUT" >&2 || true
  svc_terminate "$pid" 10
  infra_die "$SVC_NAME was not ready after ${timeout}s; see $SVC_OUT"
}

# The local addresses pid $1 listens on, one per line (from `ss -ltnp`).
svc_listen_addresses() {
  ss -ltnpH 2>/dev/null | awk -v tag="pid=$1," 'index($0, tag) {print $4}'
}

# Fails (and stops pid $1) unless every listening socket of pid $1 is on 127.0.0.1.
svc_check_loopback() {
  local pid="$1" addresses foreign
  infra_require ss
  addresses="$(svc_listen_addresses "$pid")"
  [[ -n "$addresses" ]] || infra_die "$SVC_NAME: ss -ltnp shows no listening socket for pid $pid"
  foreign="$(grep -vE '^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):[0-9]+$' <<<"$addresses" || true)"
  if [[ -n "$foreign" ]]; then
    svc_terminate "$pid" 10
    infra_die "$SVC_NAME listened beyond loopback ($(tr '\n' ' ' <<<"$foreign")); stopped it"
  fi
  svc_log "listening on $(tr '\n' ' ' <<<"$addresses")only (ss -ltnp)"
}

# SIGTERM, then SIGKILL after $2 seconds.
svc_terminate() {
  local pid="$1" grace="$2" started=$SECONDS
  kill -TERM "$pid" 2>/dev/null || true
  while infra_pid_alive "$pid" && ((SECONDS - started < grace)); do
    sleep 0.25
  done
  if infra_pid_alive "$pid"; then
    infra_warn "$SVC_NAME pid $pid still alive after ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$SVC_PID_FILE"
}

# Stops the JVM only if this script started it.
svc_stop() {
  local pid
  if ! pid="$(svc_our_pid)"; then
    svc_log "not started by this script; leaving whatever runs alone"
    return 0
  fi
  svc_log "stopping pid $pid ..."
  svc_terminate "$pid" 20
  svc_log "stopped"
}

# The script's command line: start (the script's cmd_start), stop, status. The script defines
# `answers` (the service responds) and `cmd_start`; $1 of svc_main is where the service answers.
svc_main() {
  local url="$1"
  shift
  case "${1:-}" in
    start) cmd_start ;;
    stop) svc_stop ;;
    status)
      if answers; then
        svc_log "answering on $url$(pid="$(svc_our_pid)" && printf ' (pid %s, started here)' "$pid")"
        return 0
      fi
      svc_log "not running"
      return 1
      ;;
    *)
      echo "usage: $0 {start|stop|status}" >&2
      exit 2
      ;;
  esac
}
