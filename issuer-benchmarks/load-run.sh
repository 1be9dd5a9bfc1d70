#!/usr/bin/env bash
# Load run of the public issuer endpoints (JWKS, discovery) beside a trivial endpoint of the same service.
# Starts issuer-service from its built jar (prod profile, its own database keyless_issuer_bench, a throw-away
# KEK and keys), drives it with WellKnownLoad, and stops what it started (by pid).
#
#   ./mvnw -B -q -pl issuer-service,issuer-benchmarks -am package -DskipTests
#   issuer-benchmarks/load-run.sh [seconds-per-endpoint=15] [concurrency=16]
#
# Environment: ISSUER_BENCH_PORT (18082), ISSUER_BENCH_MANAGEMENT_PORT (19082), KAFKA_BOOTSTRAP_SERVERS
# (127.0.0.1:9192), PGHOST (127.0.0.1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER=${1:-15}
CONCURRENCY=${2:-16}
PORT=${ISSUER_BENCH_PORT:-18082}
MANAGEMENT_PORT=${ISSUER_BENCH_MANAGEMENT_PORT:-19082}
APP="$ROOT/issuer-service/target/quarkus-app/quarkus-run.jar"
CLASSES="$ROOT/issuer-benchmarks/target/classes"
PG="${PGHOST:-127.0.0.1}"

if [[ ! -f "$APP" || ! -d "$CLASSES" ]]; then
  echo "build first: ./mvnw -B -q -pl issuer-service,issuer-benchmarks -am package -DskipTests" >&2
  exit 1
fi

WORK=$(mktemp -d)
PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID"
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

psql -h "$PG" -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'keyless_issuer_bench'" | grep -q 1 \
  || psql -h "$PG" -U postgres -d postgres -qc "create database keyless_issuer_bench"
head -c 32 /dev/urandom | base64 > "$WORK/kek"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/private.pem" 2>/dev/null
openssl pkey -in "$WORK/private.pem" -pubout -out "$WORK/public.pem"

KEYLESS_ISSUER_DB_NAME=keyless_issuer_bench \
KEYLESS_DB_HOST="$PG" \
KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9192}" \
KEYLESS_ISSUER_KEK_FILE="$WORK/kek" \
KEYLESS_INTERNAL_API_TOKEN="bench-$RANDOM$RANDOM" \
KEYLESS_ADMIN_PUBLIC_KEY_LOCATION="file:$WORK/public.pem" \
KEYLESS_JOB_CREDENTIAL_PUBLIC_KEY_LOCATION="file:$WORK/public.pem" \
KEYLESS_ISSUER_BASE_URL="http://localhost:$PORT" \
  java -Dquarkus.http.port="$PORT" -Dquarkus.management.port="$MANAGEMENT_PORT" \
       -Dmp.messaging.incoming.job-contexts.group.id="issuer-bench-$$" \
       -Dmp.messaging.incoming.job-lifecycle.group.id="issuer-bench-$$" \
       -jar "$APP" > "$WORK/issuer.log" 2>&1 &
PID=$!

for _ in $(seq 1 120); do
  if curl -fs -o /dev/null "http://localhost:$PORT/org/00000000-0000-4000-8000-000000000000/.well-known/jwks-pub.json"; then
    break
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "issuer-service did not start:" >&2
    tail -20 "$WORK/issuer.log" >&2
    exit 1
  fi
  sleep 1
done

java -cp "$CLASSES" dev.keyless.issuer.bench.WellKnownLoad "http://localhost:$PORT" "$SECONDS_PER" "$CONCURRENCY" \
  "http://localhost:$MANAGEMENT_PORT"
