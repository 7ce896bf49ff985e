#!/usr/bin/env bash
# Adobe S3Mock (an S3 API server) for local development and tests, run from the Maven Central jar of
# infra/s3mock/pom.xml. Plain HTTP on 127.0.0.1 only (see infra/s3mock/loopback-only.xml); the
# buckets in S3MOCK_BUCKETS exist once it is up. Any access key and secret are accepted.
#
#   bash scripts/infra/s3mock.sh start|stop|status
#
#   start   resolve the jar (once), start, wait until it answers, check it listens on loopback only;
#           reuses an S3Mock that already answers on the port (and creates missing buckets in it)
#   stop    stop it, only if this script started it
#   status  exit 0 if an S3 server answers on 127.0.0.1:$S3MOCK_PORT
#
# Environment (relative paths are relative to the project root):
#   S3MOCK_PORT           HTTP port                                  (default 9090)
#   S3MOCK_BUCKETS        comma-separated buckets to create          (default longhaul-results)
#   S3MOCK_STATE_DIR      pid file, logs and the objects             (default .infra/s3mock)
#   S3MOCK_HEAP_OPTS      (default "-Xms64m -Xmx384m")
#   S3MOCK_START_TIMEOUT  seconds to wait until it answers           (default 90)
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$INFRA_ROOT"

S3MOCK_PORT="${S3MOCK_PORT:-9090}"
S3MOCK_BUCKETS="${S3MOCK_BUCKETS:-longhaul-results}"
S3MOCK_HEAP_OPTS="${S3MOCK_HEAP_OPTS:--Xms64m -Xmx384m}"
S3MOCK_START_TIMEOUT="${S3MOCK_START_TIMEOUT:-90}"
for v in S3MOCK_PORT S3MOCK_START_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || infra_die "$v must be a number, got '${!v}'"
done

SVC_NAME=s3mock
SVC_POM="$INFRA_ROOT/infra/s3mock/pom.xml"
SVC_STATE_DIR="$(infra_abspath "${S3MOCK_STATE_DIR:-.infra/s3mock}")"
SVC_LIBS_DIR="$SVC_STATE_DIR/libs"
SVC_JAR_GLOB='s3mock-*-exec.jar'
SVC_MARKER="-Dlonghaul.s3mock.state=$SVC_STATE_DIR"
# shellcheck source=scripts/infra/java-service.sh
source "$INFRA_ROOT/scripts/infra/java-service.sh"

BASE_URL="http://127.0.0.1:$S3MOCK_PORT"

# S3Mock answers an unsigned GET / with its bucket list.
answers() { curl -sf --max-time 3 "$BASE_URL/" 2>/dev/null | grep -q '<ListAllMyBucketsResult'; }

ensure_buckets() {
  local bucket
  for bucket in ${S3MOCK_BUCKETS//,/ }; do
    if ! curl -sf --max-time 5 -o /dev/null -I "$BASE_URL/$bucket"; then
      curl -sf --max-time 5 -o /dev/null -X PUT "$BASE_URL/$bucket" || infra_die "s3mock: could not create bucket $bucket"
      svc_log "created bucket $bucket"
    fi
  done
}

cmd_start() {
  infra_require curl
  local pid
  if pid="$(svc_our_pid)"; then
    svc_wait_ready "$pid" answers "$S3MOCK_START_TIMEOUT"
    svc_log "already running (pid $pid), reusing it"
  elif infra_port_open "$S3MOCK_PORT"; then
    answers || infra_die "port 127.0.0.1:$S3MOCK_PORT is taken by something that is not S3Mock (set S3MOCK_PORT)"
    svc_log "an S3 server not started by this script already answers on $BASE_URL; reusing it (stop will leave it alone)"
  else
    local jar data="$SVC_STATE_DIR/data" started=$SECONDS
    jar="$(svc_jar)"
    mkdir -p "$data"
    svc_log "starting $(basename "$jar") on $BASE_URL (objects in $data) ..."
    # shellcheck disable=SC2086
    pid="$(svc_launch $S3MOCK_HEAP_OPTS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true \
      -jar "$jar" \
      "--spring.main.sources=file:$INFRA_ROOT/infra/s3mock/loopback-only.xml" \
      --spring.main.allow-bean-definition-overriding=true \
      --server.ssl.enabled=false --server.address=127.0.0.1 "--server.port=$S3MOCK_PORT" \
      "--com.adobe.testing.s3mock.store.root=$data" --com.adobe.testing.s3mock.store.retainFilesOnExit=true \
      "--com.adobe.testing.s3mock.store.initialBuckets=$S3MOCK_BUCKETS")"
    svc_wait_ready "$pid" answers "$S3MOCK_START_TIMEOUT"
    svc_check_loopback "$pid"
    svc_log "ready after $((SECONDS - started))s (pid $pid, log $SVC_OUT)"
  fi
  ensure_buckets
}

svc_main "$BASE_URL" "$@"
