#!/usr/bin/env bash
# GreenMail standalone (an SMTP server that keeps what it receives, with an HTTP API to read it back)
# for local development and tests, run from the Maven Central jar of infra/greenmail/pom.xml.
# SMTP and the API on 127.0.0.1 only; no authentication; every recipient gets a mailbox on delivery.
# Messages are kept in memory: a restart empties every mailbox.
#
#   bash scripts/infra/greenmail.sh start|stop|status
#
#   start   resolve the jar (once), start, wait until the API answers, check it listens on loopback
#           only; reuses a GreenMail that already answers on the API port
#   stop    stop it, only if this script started it
#   status  exit 0 if GreenMail's API answers on 127.0.0.1:$GREENMAIL_API_PORT
#
# Read a mailbox: curl http://127.0.0.1:8025/api/user/ops@example.test/messages/
#
# Environment (relative paths are relative to the project root):
#   GREENMAIL_SMTP_PORT      SMTP port                      (default 3025)
#   GREENMAIL_API_PORT       HTTP API port                  (default 8025)
#   GREENMAIL_STATE_DIR      pid file and logs              (default .infra/greenmail)
#   GREENMAIL_HEAP_OPTS      (default "-Xms32m -Xmx128m")
#   GREENMAIL_START_TIMEOUT  seconds to wait for the API    (default 60)
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$INFRA_ROOT"

GREENMAIL_SMTP_PORT="${GREENMAIL_SMTP_PORT:-3025}"
GREENMAIL_API_PORT="${GREENMAIL_API_PORT:-8025}"
GREENMAIL_HEAP_OPTS="${GREENMAIL_HEAP_OPTS:--Xms32m -Xmx128m}"
GREENMAIL_START_TIMEOUT="${GREENMAIL_START_TIMEOUT:-60}"
for v in GREENMAIL_SMTP_PORT GREENMAIL_API_PORT GREENMAIL_START_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || infra_die "$v must be a number, got '${!v}'"
done

SVC_NAME=greenmail
SVC_POM="$INFRA_ROOT/infra/greenmail/pom.xml"
SVC_STATE_DIR="$(infra_abspath "${GREENMAIL_STATE_DIR:-.infra/greenmail}")"
SVC_LIBS_DIR="$SVC_STATE_DIR/libs"
SVC_JAR_GLOB='greenmail-standalone-*.jar'
SVC_MARKER="-Dlonghaul.greenmail.state=$SVC_STATE_DIR"
# shellcheck source=scripts/infra/java-service.sh
source "$INFRA_ROOT/scripts/infra/java-service.sh"

API_URL="http://127.0.0.1:$GREENMAIL_API_PORT"

answers() {
  curl -sf --max-time 3 "$API_URL/api/service/readiness" 2>/dev/null | grep -q 'Service running' &&
    infra_port_open "$GREENMAIL_SMTP_PORT"
}

cmd_start() {
  infra_require curl
  local pid
  if pid="$(svc_our_pid)"; then
    svc_wait_ready "$pid" answers "$GREENMAIL_START_TIMEOUT"
    svc_log "already running (pid $pid), reusing it"
    return 0
  fi
  if infra_port_open "$GREENMAIL_API_PORT"; then
    answers || infra_die "port 127.0.0.1:$GREENMAIL_API_PORT is taken by something that is not GreenMail (set GREENMAIL_API_PORT)"
    infra_port_open "$GREENMAIL_SMTP_PORT" || infra_die "a GreenMail answers on $API_URL but nothing on SMTP port $GREENMAIL_SMTP_PORT"
    svc_log "a GreenMail not started by this script already answers on $API_URL; reusing it (stop will leave it alone)"
    return 0
  fi
  if infra_port_open "$GREENMAIL_SMTP_PORT"; then
    infra_die "SMTP port 127.0.0.1:$GREENMAIL_SMTP_PORT is already in use (set GREENMAIL_SMTP_PORT)"
  fi

  local jar started=$SECONDS
  jar="$(svc_jar)"
  svc_log "starting $(basename "$jar"): SMTP 127.0.0.1:$GREENMAIL_SMTP_PORT, API $API_URL ..."
  # shellcheck disable=SC2086
  pid="$(svc_launch $GREENMAIL_HEAP_OPTS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true \
    -Dgreenmail.hostname=127.0.0.1 \
    -Dgreenmail.smtp.hostname=127.0.0.1 "-Dgreenmail.smtp.port=$GREENMAIL_SMTP_PORT" \
    -Dgreenmail.api.hostname=127.0.0.1 "-Dgreenmail.api.port=$GREENMAIL_API_PORT" \
    -Dgreenmail.auth.disabled \
    -jar "$jar")"
  svc_wait_ready "$pid" answers "$GREENMAIL_START_TIMEOUT"
  svc_check_loopback "$pid"
  svc_log "ready after $((SECONDS - started))s (pid $pid, log $SVC_OUT)"
}

svc_main "$API_URL" "$@"
