#!/usr/bin/env bash
# Stop what scripts/infra/up.sh started: Kafka, S3Mock and GreenMail if their scripts started them
# (their pid files say so), PostgreSQL and Redis only if up.sh started them (listed in
# .infra/started-by-us as "postgres:<version>" / "redis:<port>"). Whatever was already running
# before up.sh is left alone. Data is kept (use `bash scripts/infra/kafka.sh reset` to wipe Kafka's;
# S3Mock's objects are under .infra/s3mock/data).
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$INFRA_ROOT"
infra_tee_to_log

infra_log "down: project $INFRA_ROOT"
status=0

bash "$INFRA_ROOT/scripts/infra/kafka.sh" stop || status=1
bash "$INFRA_ROOT/scripts/infra/s3mock.sh" stop || status=1
bash "$INFRA_ROOT/scripts/infra/greenmail.sh" stop || status=1

stop_redis() {
  local port="$1"
  infra_log "redis: stopping 127.0.0.1:$port (up.sh started it) ..."
  redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do
    redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 || break
    sleep 0.25
  done
  if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
    infra_warn "redis: still answering on 127.0.0.1:$port"
    return 1
  fi
  infra_log "redis: stopped"
}

stop_postgres() {
  local version="$1"
  infra_log "postgres: stopping cluster $version/main (up.sh started it) ..."
  if ! pg_ctlcluster --skip-systemctl-redirect --mode=fast "$version" main stop </dev/null >/dev/null 2>&1; then
    if [[ "$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')" == "online" ]]; then
      infra_warn "postgres: pg_ctlcluster $version main stop failed"
      return 1
    fi
  fi
  infra_log "postgres: stopped"
}

entries=()
if [[ -f "$INFRA_STARTED_FILE" ]]; then
  mapfile -t entries <"$INFRA_STARTED_FILE"
fi
stopped_any=0
for entry in "${entries[@]}"; do
  [[ -n "$entry" ]] || continue
  case "$entry" in
    redis:*) if stop_redis "${entry#redis:}"; then infra_unmark_started "$entry"; else status=1; fi ;;
    postgres:*) if stop_postgres "${entry#postgres:}"; then infra_unmark_started "$entry"; else status=1; fi ;;
    *) infra_warn "unknown entry '$entry' in $INFRA_STARTED_FILE, ignored" ;;
  esac
  stopped_any=1
done
((stopped_any)) || infra_log "postgres/redis: not started by up.sh, leaving them alone"

infra_log "down: done"
exit "$status"
