#!/usr/bin/env bash
# Bring up the local infrastructure longhaul needs, without Docker:
#   PostgreSQL on 127.0.0.1:5432 (db "test"), Redis on 127.0.0.1:6379, Kafka (KRaft) on 127.0.0.1:9092,
#   S3Mock (S3 API) on 127.0.0.1:9090 with bucket "longhaul-results", GreenMail (SMTP) on
#   127.0.0.1:3025 with its HTTP API on 127.0.0.1:8025.
# PostgreSQL and Redis are expected to be installed (Debian packages); they are only started if
# they do not answer, and then recorded in .infra/started-by-us so that down.sh stops only those.
# Kafka, S3Mock and GreenMail are run from Maven Central jars by scripts/infra/kafka.sh, s3mock.sh
# and greenmail.sh; each keeps a pid file and stops only what it started.
# Idempotent: whatever already runs is reused. Output goes to stdout and .infra/infra.log.
#
# Environment: INFRA_SKIP_POSTGRES=1, INFRA_SKIP_REDIS=1, INFRA_SKIP_KAFKA=1, INFRA_SKIP_S3MOCK=1,
# INFRA_SKIP_GREENMAIL=1 skip a service; PGPORT_INFRA (5432), REDIS_PORT (6379), PG_DATABASE (test);
# the KAFKA_* variables of kafka.sh, S3MOCK_* of s3mock.sh, GREENMAIL_* of greenmail.sh.
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$INFRA_ROOT"

PG_PORT="${PGPORT_INFRA:-5432}"
PG_DATABASE="${PG_DATABASE:-test}"
REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
S3MOCK_PORT="${S3MOCK_PORT:-9090}"
GREENMAIL_SMTP_PORT="${GREENMAIL_SMTP_PORT:-3025}"
GREENMAIL_API_PORT="${GREENMAIL_API_PORT:-8025}"
export KAFKA_PORT S3MOCK_PORT GREENMAIL_SMTP_PORT GREENMAIL_API_PORT

infra_tee_to_log

T0=$SECONDS
infra_log "up: project $INFRA_ROOT"

# ------------------------------------------------------------------------------------- postgres
pg_ready() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

start_postgres() {
  if pg_ready; then
    infra_log "postgres: already answering on 127.0.0.1:$PG_PORT, reusing it"
  else
    infra_require pg_ctlcluster pg_isready
    local version out="$INFRA_STATE_DIR/postgres-start.out"
    version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n1 || true)"
    [[ -n "$version" ]] || infra_die "postgres: nothing answers on 127.0.0.1:$PG_PORT and no cluster under /etc/postgresql (apt-get install postgresql)"
    infra_log "postgres: not answering, starting cluster $version/main ..."
    if ! pg_ctlcluster --skip-systemctl-redirect "$version" main start </dev/null >"$out" 2>&1; then
      cat "$out" >&2 || true
      pg_ready || infra_die "postgres: pg_ctlcluster $version main start failed (see above and /var/log/postgresql/)"
    fi
      for _ in $(seq 1 60); do
      pg_ready && break
      sleep 0.5
    done
    pg_ready || infra_die "postgres: started but not accepting connections on 127.0.0.1:$PG_PORT after 30s (see /var/log/postgresql/)"
    infra_mark_started "postgres:$version"
    infra_log "postgres: started cluster $version/main"
  fi
  # Make sure the database the app uses exists (local trust auth as user postgres).
  if command -v psql >/dev/null 2>&1; then
    if [[ "$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
      "select 1 from pg_database where datname = '$PG_DATABASE'" 2>/dev/null || true)" != "1" ]]; then
      if psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "create database \"$PG_DATABASE\"" >/dev/null 2>&1; then
        infra_log "postgres: created database $PG_DATABASE"
      else
        infra_warn "postgres: could not check/create database $PG_DATABASE as user postgres"
      fi
    fi
  fi
}

# ---------------------------------------------------------------------------------------- redis
redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" == "PONG" ]]; }

start_redis() {
  infra_require redis-cli
  if redis_ready; then
    infra_log "redis: already answering on 127.0.0.1:$REDIS_PORT, reusing it"
    return 0
  fi
  infra_require redis-server
  local out="$INFRA_STATE_DIR/redis-start.out"
  infra_log "redis: not answering, starting redis-server on 127.0.0.1:$REDIS_PORT ..."
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    </dev/null >"$out" 2>&1 || {
    cat "$out" >&2 || true
    infra_die "redis: redis-server failed to start"
  }
  for _ in $(seq 1 40); do
    redis_ready && break
    sleep 0.25
  done
  redis_ready || infra_die "redis: started but no PONG on 127.0.0.1:$REDIS_PORT after 10s"
  infra_mark_started "redis:$REDIS_PORT"
  infra_log "redis: started"
}

[[ "${INFRA_SKIP_POSTGRES:-0}" == "1" ]] || start_postgres
[[ "${INFRA_SKIP_REDIS:-0}" == "1" ]] || start_redis
[[ "${INFRA_SKIP_KAFKA:-0}" == "1" ]] || bash "$INFRA_ROOT/scripts/infra/kafka.sh" start
[[ "${INFRA_SKIP_S3MOCK:-0}" == "1" ]] || bash "$INFRA_ROOT/scripts/infra/s3mock.sh" start
[[ "${INFRA_SKIP_GREENMAIL:-0}" == "1" ]] || bash "$INFRA_ROOT/scripts/infra/greenmail.sh" start

infra_log "up: done in $((SECONDS - T0))s. Environment for the app and the tests:"
cat <<EOF
DATABASE_URL=postgres://postgres@127.0.0.1:${PG_PORT}/${PG_DATABASE}
REDIS_URL=redis://127.0.0.1:${REDIS_PORT}
KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT}
S3_ENDPOINT=http://127.0.0.1:${S3MOCK_PORT}
S3_BUCKET=longhaul-results
S3_FORCE_PATH_STYLE=true
S3_ACCESS_KEY_ID=local
S3_SECRET_ACCESS_KEY=local-secret
# GreenMail: SMTP 127.0.0.1:${GREENMAIL_SMTP_PORT}, messages at http://127.0.0.1:${GREENMAIL_API_PORT}/api/user/<address>/messages/
EOF
