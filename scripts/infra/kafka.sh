#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, broker+controller) for local development, tests and CI,
# run straight from the Maven Central jars listed in infra/kafka/pom.xml. No Docker needed.
#
#   bash scripts/infra/kafka.sh start|stop|restart|status|libs|reset
#
#   start    resolve jars (once), write config, format storage (once), start, wait until ready;
#            reuses a broker that is already running
#   stop     stop the broker, only if this script started it (SIGTERM, then SIGKILL on timeout)
#   restart  stop + start
#   status   exit 0 if a broker answers on 127.0.0.1:$KAFKA_PORT, 1 otherwise
#   libs     only resolve the jars into $KAFKA_LIBS_DIR
#   reset    stop, then delete the data directory (topics, offsets, cluster id)
#
# Environment (relative paths are relative to the project root):
#   KAFKA_PORT              client listener port               (default 9092)
#   KAFKA_CONTROLLER_PORT   KRaft controller port              (default 9093)
#   KAFKA_STATE_DIR         config, pid file and logs          (default .infra/kafka)
#   KAFKA_DATA_DIR          log.dirs / metadata                (default $KAFKA_STATE_DIR/data)
#   KAFKA_LOG_DIR           broker log files                   (default $KAFKA_STATE_DIR/logs)
#   KAFKA_LIBS_DIR          resolved jars, shared              (default .infra/kafka/libs)
#   KAFKA_HEAP_OPTS         (default "-Xms256m -Xmx512m")
#   KAFKA_JVM_EXTRA_OPTS    appended to the broker's JVM options
#   KAFKA_START_TIMEOUT     seconds to wait for readiness      (default 90)
#   KAFKA_STOP_TIMEOUT      seconds before SIGKILL             (default 30)
#   KAFKA_MVN_ARGS          extra arguments for mvn (e.g. "-o" for offline)
#
# A second, independent broker (e.g. for a test):
#   KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 KAFKA_STATE_DIR=.infra/kafka-2 bash scripts/infra/kafka.sh start
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$INFRA_ROOT"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_STATE_DIR="$(infra_abspath "${KAFKA_STATE_DIR:-.infra/kafka}")"
KAFKA_DATA_DIR="$(infra_abspath "${KAFKA_DATA_DIR:-$KAFKA_STATE_DIR/data}")"
KAFKA_LOG_DIR="$(infra_abspath "${KAFKA_LOG_DIR:-$KAFKA_STATE_DIR/logs}")"
KAFKA_LIBS_DIR="$(infra_abspath "${KAFKA_LIBS_DIR:-.infra/kafka/libs}")"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_JVM_EXTRA_OPTS="${KAFKA_JVM_EXTRA_OPTS:-}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
KAFKA_MVN_ARGS="${KAFKA_MVN_ARGS:-}"

KAFKA_POM="$INFRA_ROOT/infra/kafka/pom.xml"
PID_FILE="$KAFKA_STATE_DIR/kafka.pid"
SERVER_PROPS="$KAFKA_STATE_DIR/server.properties"
LOG4J_PROPS="$KAFKA_STATE_DIR/log4j.properties"
TOOLS_LOG4J_PROPS="$KAFKA_STATE_DIR/tools-log4j.properties"
ADMIN_PROPS="$KAFKA_STATE_DIR/admin.properties"
SERVER_LOG="$KAFKA_LOG_DIR/server.log"
STDOUT_LOG="$KAFKA_LOG_DIR/kafka.out"
PROBE_LOG="$KAFKA_LOG_DIR/probe.log"
LIBS_MARKER="$KAFKA_LIBS_DIR/.resolved"
# Put into the broker's command line so that a pid can be checked to really be *this* broker.
PID_MARKER="-Dlonghaul.kafka.state=$KAFKA_STATE_DIR"

for v in KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_START_TIMEOUT KAFKA_STOP_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || infra_die "$v must be a number, got '${!v}'"
done
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || infra_die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

# JVM options for the short-lived CLI tools (readiness probe, storage format): start fast, stay small.
TOOL_JVM_OPTS=(-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$TOOLS_LOG4J_PROPS")

klog() { infra_log "kafka(127.0.0.1:$KAFKA_PORT): $*"; }

# ---------------------------------------------------------------------------------------------
# jars
# ---------------------------------------------------------------------------------------------
pom_checksum() { sha256sum "$KAFKA_POM" | awk '{print $1}'; }

libs_ready() {
  [[ -f "$LIBS_MARKER" ]] && [[ "$(cat "$LIBS_MARKER")" == "$(pom_checksum)" ]] &&
    compgen -G "$KAFKA_LIBS_DIR/kafka_2.13-*.jar" >/dev/null
}

ensure_libs() {
  [[ -f "$KAFKA_POM" ]] || infra_die "missing $KAFKA_POM"
  if libs_ready; then
    return 0
  fi
  infra_require mvn flock sha256sum
  mkdir -p "$(dirname "$KAFKA_LIBS_DIR")"
  # Serialise concurrent resolutions (two brokers started at once share the same jars).
  exec 8>"$KAFKA_LIBS_DIR.lock"
  flock -w 600 8 || infra_die "timed out waiting for the lock $KAFKA_LIBS_DIR.lock"
  if libs_ready; then
    exec 8>&-
    return 0
  fi
  local tmp="$KAFKA_LIBS_DIR.tmp.$$" started=$SECONDS
  rm -rf "$tmp"
  klog "resolving Kafka jars from Maven Central with $KAFKA_POM (first run only) ..."
  # shellcheck disable=SC2086
  if ! mvn -q -B -Dstyle.color=never $KAFKA_MVN_ARGS -f "$KAFKA_POM" \
    dependency:copy-dependencies "-DoutputDirectory=$tmp" >"$tmp.mvn.log" 2>&1; then
    cat "$tmp.mvn.log" >&2 || true
    rm -rf "$tmp"
    infra_die "mvn could not resolve the Kafka jars (see the output above)"
  fi
  rm -f "$tmp.mvn.log"
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || infra_die "mvn ran but no kafka_2.13 jar landed in $tmp"
  pom_checksum >"$tmp/.resolved"
  rm -rf "$KAFKA_LIBS_DIR"
  mv "$tmp" "$KAFKA_LIBS_DIR"
  exec 8>&-
  klog "resolved $(find "$KAFKA_LIBS_DIR" -name '*.jar' | wc -l) jars into $KAFKA_LIBS_DIR in $((SECONDS - started))s"
}

kafka_version() {
  local jar
  jar="$(compgen -G "$KAFKA_LIBS_DIR/kafka_2.13-*.jar" | head -n1 || true)"
  jar="${jar##*/kafka_2.13-}"
  printf '%s\n' "${jar%.jar}"
}

check_java() {
  infra_require java
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  [[ "$major" =~ ^[0-9]+$ ]] || infra_die "could not determine the Java version (java -version failed?)"
  ((major >= 11)) || infra_die "Kafka 3.9 needs Java 11 or newer (17 recommended); found Java $major"
}

# ---------------------------------------------------------------------------------------------
# config
# ---------------------------------------------------------------------------------------------
write_config() {
  mkdir -p "$KAFKA_STATE_DIR" "$KAFKA_DATA_DIR" "$KAFKA_LOG_DIR"
  cat >"$SERVER_PROPS" <<EOF
# Generated by scripts/infra/kafka.sh on every start; edit the script, not this file.
# One KRaft node acting as broker and controller, bound to 127.0.0.1 only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT

log.dirs=${KAFKA_DATA_DIR}
num.network.threads=3
num.io.threads=4
num.recovery.threads.per.data.dir=1

# Single node: every replication factor is 1.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Fewer internal partitions than the default 50: the first consumer group / transactional
# producer on a fresh broker is ready sooner. Only applies when these topics are created.
offsets.topic.num.partitions=10
transaction.state.log.num.partitions=10

# Tests and dev: no artificial wait before the first rebalance.
group.initial.rebalance.delay.ms=0
# The app creates its topics itself; auto creation stays on as a convenience.
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=1

log.retention.hours=168
log.segment.bytes=134217728
log.retention.check.interval.ms=300000
EOF

  cat >"$LOG4J_PROPS" <<'EOF'
# reload4j (log4j 1.2 API) configuration of the local broker; kafka.logs.dir is a -D system property.
log4j.rootLogger=INFO, kafkaAppender

log4j.appender.kafkaAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.kafkaAppender.DatePattern='.'yyyy-MM-dd-HH
log4j.appender.kafkaAppender.File=${kafka.logs.dir}/server.log
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.appender.stateChangeAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.stateChangeAppender.DatePattern='.'yyyy-MM-dd-HH
log4j.appender.stateChangeAppender.File=${kafka.logs.dir}/state-change.log
log4j.appender.stateChangeAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.stateChangeAppender.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.appender.controllerAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.controllerAppender.DatePattern='.'yyyy-MM-dd-HH
log4j.appender.controllerAppender.File=${kafka.logs.dir}/controller.log
log4j.appender.controllerAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.controllerAppender.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.org.apache.kafka.controller=INFO, controllerAppender
log4j.additivity.org.apache.kafka.controller=false
log4j.logger.kafka.controller=INFO, controllerAppender
log4j.additivity.kafka.controller=false
log4j.logger.state.change.logger=INFO, stateChangeAppender
log4j.additivity.state.change.logger=false
EOF

  cat >"$TOOLS_LOG4J_PROPS" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
EOF

  cat >"$ADMIN_PROPS" <<'EOF'
# Admin client settings of the readiness probe: fail fast, the caller retries.
request.timeout.ms=5000
default.api.timeout.ms=10000
socket.connection.setup.timeout.ms=2000
socket.connection.setup.timeout.max.ms=5000
EOF
}

format_storage() {
  if [[ -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  local cluster_id out
  cluster_id="$(java "${TOOL_JVM_OPTS[@]}" -cp "$KAFKA_LIBS_DIR/*" kafka.tools.StorageTool random-uuid 2>>"$PROBE_LOG" | tail -n1 | tr -d '[:space:]')"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || infra_die "kafka.tools.StorageTool random-uuid returned '$cluster_id' (see $PROBE_LOG)"
  klog "formatting storage in $KAFKA_DATA_DIR (cluster id $cluster_id)"
  if ! out="$(java "${TOOL_JVM_OPTS[@]}" -cp "$KAFKA_LIBS_DIR/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$SERVER_PROPS" --ignore-formatted 2>&1)"; then
    printf '%s\n' "$out" >&2
    infra_die "kafka.tools.StorageTool format failed for $KAFKA_DATA_DIR"
  fi
}

# ---------------------------------------------------------------------------------------------
# process
# ---------------------------------------------------------------------------------------------
# Prints the pid of the broker this script started (and that still runs); returns 1 otherwise.
our_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -d '[:space:]' <"$PID_FILE")"
  if infra_pid_alive "$pid" && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$PID_MARKER"; then
    printf '%s\n' "$pid"
    return 0
  fi
  return 1
}

clear_stale_pid() {
  if [[ -f "$PID_FILE" ]] && ! our_pid >/dev/null; then
    rm -f "$PID_FILE"
  fi
}

# Really ready: the broker answers a metadata request through the admin client.
probe_ready() {
  timeout 30 java "${TOOL_JVM_OPTS[@]}" -cp "$KAFKA_LIBS_DIR/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$ADMIN_PROPS" --list \
    >/dev/null 2>>"$PROBE_LOG"
}

log_tail() {
  local f
  for f in "$STDOUT_LOG" "$SERVER_LOG"; do
    if [[ -s "$f" ]]; then
      printf -- '----- last lines of %s -----\n' "$f" >&2
      tail -n 25 "$f" >&2
    fi
  done
}

wait_ready() {
  local pid="$1" started="$2" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if [[ -n "$pid" ]] && ! infra_pid_alive "$pid"; then
      log_tail
      rm -f "$PID_FILE"
      infra_die "Kafka exited during startup; full logs: $KAFKA_LOG_DIR (server.log, kafka.out)"
    fi
    if infra_port_open "$KAFKA_PORT" && probe_ready; then
      klog "ready after $((SECONDS - started))s (Kafka $(kafka_version), pid ${pid:-?}, logs in $KAFKA_LOG_DIR)"
      return 0
    fi
    sleep 1
  done
  log_tail
  if [[ -n "$pid" ]]; then
    klog "stopping the unready broker (pid $pid)"
    terminate_pid "$pid" 15
    rm -f "$PID_FILE"
  fi
  infra_die "Kafka was not ready on 127.0.0.1:$KAFKA_PORT after ${KAFKA_START_TIMEOUT}s (KAFKA_START_TIMEOUT); see $SERVER_LOG, $STDOUT_LOG and $PROBE_LOG"
}

# SIGTERM (controlled shutdown), then SIGKILL after $2 seconds.
terminate_pid() {
  local pid="$1" grace="$2" t0=$SECONDS
  kill -TERM "$pid" 2>/dev/null || true
  while infra_pid_alive "$pid" && ((SECONDS - t0 < grace)); do
    sleep 0.5
  done
  if infra_pid_alive "$pid"; then
    infra_warn "Kafka pid $pid still alive after ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      infra_pid_alive "$pid" || break
      sleep 0.25
    done
    ! infra_pid_alive "$pid" || infra_die "could not kill Kafka pid $pid"
  fi
}

cmd_start() {
  local started=$SECONDS pid
  check_java
  mkdir -p "$KAFKA_STATE_DIR" "$KAFKA_LOG_DIR"
  clear_stale_pid

  if pid="$(our_pid)"; then
    ensure_libs
    if infra_port_open "$KAFKA_PORT" && probe_ready; then
      klog "already running (pid $pid), reusing it"
      return 0
    fi
    klog "pid $pid is running but not ready yet, waiting ..."
    wait_ready "$pid" "$started"
    return 0
  fi

  ensure_libs
  if infra_port_open "$KAFKA_PORT"; then
    write_config
    if probe_ready; then
      klog "a Kafka broker not started by this script already answers on 127.0.0.1:$KAFKA_PORT; reusing it (stop will leave it alone)"
      return 0
    fi
    infra_die "port 127.0.0.1:$KAFKA_PORT is taken by something that is not a working Kafka broker (pick another KAFKA_PORT)"
  fi
  if infra_port_open "$KAFKA_CONTROLLER_PORT"; then
    infra_die "controller port 127.0.0.1:$KAFKA_CONTROLLER_PORT is already in use (set KAFKA_CONTROLLER_PORT)"
  fi

  write_config
  format_storage

  local jvm_opts=()
  # shellcheck disable=SC2206
  jvm_opts=($KAFKA_HEAP_OPTS
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true
    "-Dkafka.logs.dir=$KAFKA_LOG_DIR" "-Dlog4j.configuration=file:$LOG4J_PROPS"
    "$PID_MARKER"
    $KAFKA_JVM_EXTRA_OPTS)

  rm -f "$PID_FILE"
  printf '\n===== %s starting Kafka %s on 127.0.0.1:%s =====\n' "$(infra_ts)" "$(kafka_version)" "$KAFKA_PORT" >>"$STDOUT_LOG"
  klog "starting Kafka $(kafka_version) (KRaft, data in $KAFKA_DATA_DIR) ..."
  # New session so the broker outlives this shell and its process group; the inner shell writes
  # its own pid and then execs java, so the pid file holds the JVM's pid.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    java "${jvm_opts[@]}" -cp "$KAFKA_LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS" \
    </dev/null >>"$STDOUT_LOG" 2>&1 &
  for _ in $(seq 1 50); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  pid="$(tr -d '[:space:]' <"$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || infra_die "could not start java (no pid written); see $STDOUT_LOG"
  wait_ready "$pid" "$started"
}

cmd_stop() {
  local pid
  clear_stale_pid
  if ! pid="$(our_pid)"; then
    if infra_port_open "$KAFKA_PORT"; then
      klog "a broker answers on 127.0.0.1:$KAFKA_PORT but was not started by this script; leaving it alone"
    else
      klog "not running"
    fi
    return 0
  fi
  klog "stopping pid $pid (SIGTERM, up to ${KAFKA_STOP_TIMEOUT}s) ..."
  local started=$SECONDS
  terminate_pid "$pid" "$KAFKA_STOP_TIMEOUT"
  rm -f "$PID_FILE"
  klog "stopped after $((SECONDS - started))s"
}

cmd_status() {
  local pid
  clear_stale_pid
  if pid="$(our_pid)"; then
    if infra_port_open "$KAFKA_PORT"; then
      klog "running (pid $pid, Kafka $(kafka_version), data $KAFKA_DATA_DIR)"
      return 0
    fi
    klog "pid $pid alive but 127.0.0.1:$KAFKA_PORT not answering (starting or stuck; see $SERVER_LOG)"
    return 1
  fi
  if infra_port_open "$KAFKA_PORT"; then
    klog "something answers on 127.0.0.1:$KAFKA_PORT but it was not started by this script"
    return 0
  fi
  klog "not running"
  return 1
}

cmd_reset() {
  cmd_stop
  if infra_port_open "$KAFKA_PORT" && ! our_pid >/dev/null; then
    infra_die "refusing to wipe $KAFKA_DATA_DIR while a foreign broker answers on 127.0.0.1:$KAFKA_PORT"
  fi
  rm -rf "$KAFKA_DATA_DIR"
  klog "deleted $KAFKA_DATA_DIR"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop && cmd_start ;;
  status) cmd_status ;;
  libs) ensure_libs && klog "jars ready in $KAFKA_LIBS_DIR (Kafka $(kafka_version))" ;;
  reset) cmd_reset ;;
  *)
    echo "usage: $0 {start|stop|restart|status|libs|reset}" >&2
    exit 2
    ;;
esac
