#!/usr/bin/env bash
# Runs the whole Keyless platform locally, no Docker: the dev Kafka broker and the three services from their
# built jars, against the PostgreSQL server on 127.0.0.1:5432.
#
#   deploy/local/platform.sh start [--build]   build the jars if missing (or always with --build), start all
#   deploy/local/platform.sh stop              stop the services and the dev broker this script started
#   deploy/local/platform.sh status
#   deploy/local/platform.sh reset             stop, then drop the databases and the dev broker's data
#                                              (the dev secrets in keys/ are kept)
#
# Idempotent: "start" leaves running parts alone. Everything it creates lives in $KEYLESS_HOME (default
# ~/.keyless): keys/ (dev secrets, made once), apps/ (a copy of each service's quarkus-app, so a rebuild does
# not pull the jar from under a running service), logs/, run/ (pid files), kafka-dev/. Processes are stopped
# by their recorded pid only.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES=(scheduler context issuer)
declare -A PORTS=([scheduler]="${KEYLESS_SCHEDULER_PORT:-8080}" [context]="${KEYLESS_CONTEXT_PORT:-8081}" \
  [issuer]="${KEYLESS_ISSUER_PORT:-8082}")
# health, metrics and OpenAPI (each service's management interface)
declare -A MANAGEMENT_PORTS=([scheduler]="${KEYLESS_SCHEDULER_MANAGEMENT_PORT:-9080}" \
  [context]="${KEYLESS_CONTEXT_MANAGEMENT_PORT:-9081}" [issuer]="${KEYLESS_ISSUER_MANAGEMENT_PORT:-9082}")
KEYS_DIR="${KEYLESS_KEYS_DIR:-$KEYLESS_HOME/keys}"
RUN_DIR="$KEYLESS_HOME/run"
LOG_DIR="$KEYLESS_HOME/logs"
APPS_DIR="$KEYLESS_HOME/apps"
JAVA_OPTS="${KEYLESS_JAVA_OPTS:--Xms64m -Xmx384m}"
EXECUTOR_JAR="$REPO_DIR/executor/target/keyless-executor.jar"

service_jar() { echo "$REPO_DIR/$1-service/target/quarkus-app/quarkus-run.jar"; }

build() {
  local force="$1" missing="false" service
  for service in "${SERVICES[@]}"; do
    [[ -f "$(service_jar "$service")" ]] || missing="true"
  done
  [[ -f "$EXECUTOR_JAR" ]] || missing="true"
  if [[ "$force" == "true" || "$missing" == "true" ]]; then
    log "building Keyless (./mvnw package -DskipTests), a few minutes the first time"
    (cd "$REPO_DIR" && mvnw package -DskipTests)
  fi
}

check_postgres() {
  if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    die "PostgreSQL is not answering on 127.0.0.1:5432 (start it, e.g. pg_ctlcluster 15 main start)"
  fi
}

create_databases() {
  local service db
  for service in "${SERVICES[@]}"; do
    db="${KEYLESS_DB_PREFIX:-keyless}_$service"
    if [[ -z "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      log "creating database $db"
      psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db" > /dev/null
    fi
  done
}

start_service() {
  local service="$1" port="${PORTS[$1]}" pid_file="$RUN_DIR/$1.pid" env_lines
  if pid_alive "$pid_file"; then
    log "$service-service already running (pid $(cat "$pid_file"))"
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is taken by a process this script did not start; stop it or set KEYLESS_${service^^}_PORT"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/${MANAGEMENT_PORTS[$service]}") 2>/dev/null; then
    die "port ${MANAGEMENT_PORTS[$service]} is taken by a process this script did not start; stop it or set KEYLESS_${service^^}_MANAGEMENT_PORT"
  fi
  rm -rf "${APPS_DIR:?}/$service"
  mkdir -p "$APPS_DIR"
  cp -r "$REPO_DIR/$service-service/target/quarkus-app" "$APPS_DIR/$service"
  mapfile -t env_lines < <(KEYLESS_KEYS_DIR="$KEYS_DIR" KEYLESS_KAFKA="127.0.0.1:9092" \
    KEYLESS_SCHEDULER_PORT="${PORTS[scheduler]}" KEYLESS_CONTEXT_PORT="${PORTS[context]}" \
    KEYLESS_ISSUER_PORT="${PORTS[issuer]}" KEYLESS_SCHEDULER_MANAGEMENT_PORT="${MANAGEMENT_PORTS[scheduler]}" \
    KEYLESS_CONTEXT_MANAGEMENT_PORT="${MANAGEMENT_PORTS[context]}" \
    KEYLESS_ISSUER_MANAGEMENT_PORT="${MANAGEMENT_PORTS[issuer]}" "$LOCAL_DIR/service-env.sh" "$service")
  log "starting $service-service on port $port (log: $LOG_DIR/$service-service.log)"
  # exported in a subshell rather than passed to env(1), so no secret ever shows in a process list
  (
    cd "$APPS_DIR/$service"
    for line in "${env_lines[@]}"; do export "${line?}"; done
    # shellcheck disable=SC2086 # JAVA_OPTS holds several options: it is split into words on purpose
    nohup java $JAVA_OPTS -jar quarkus-run.jar > "$LOG_DIR/$service-service.log" 2>&1 &
    echo $! > "$pid_file"
  )
}

wait_ready() {
  local service="$1" port="${MANAGEMENT_PORTS[$1]}" pid_file="$RUN_DIR/$1.pid"
  for _ in $(seq 1 180); do
    if curl -fsS "http://127.0.0.1:$port/q/health/ready" > /dev/null 2>&1; then
      return 0
    fi
    if ! pid_alive "$pid_file"; then
      tail -n 40 "$LOG_DIR/$service-service.log" >&2 || true
      die "$service-service exited during start (log: $LOG_DIR/$service-service.log)"
    fi
    sleep 0.5
  done
  tail -n 40 "$LOG_DIR/$service-service.log" >&2 || true
  die "$service-service was not ready within 90 s (log: $LOG_DIR/$service-service.log)"
}

start() {
  local force_build="false" service
  [[ "${1:-}" == "--build" ]] && force_build="true"
  command -v openssl > /dev/null || die "openssl is needed to generate the dev secrets"
  command -v curl > /dev/null || die "curl is needed to check the services' health"
  check_postgres
  build "$force_build"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  "$LOCAL_DIR/secrets.sh" "$KEYS_DIR"
  "$LOCAL_DIR/kafka.sh" start --name dev --port 9092
  create_databases
  # issuer first: context-service calls it, and every service consumes what the others publish
  for service in issuer context scheduler; do
    start_service "$service"
  done
  for service in issuer context scheduler; do
    wait_ready "$service"
  done
  log "Keyless is up:"
  printf '  scheduler-service  http://localhost:%s   (pipelines, jobs, executor claims)\n' "${PORTS[scheduler]}"
  printf '  context-service    http://localhost:%s   (contexts, secrets, job environment)\n' "${PORTS[context]}"
  printf '  issuer-service     http://localhost:%s   (OIDC discovery, JWKS: /org/{orgId}/.well-known/...)\n' "${PORTS[issuer]}"
  printf '  health, metrics    http://localhost:{%s,%s,%s}/q/health/ready, /q/metrics, /q/openapi\n' \
    "${MANAGEMENT_PORTS[scheduler]}" "${MANAGEMENT_PORTS[context]}" "${MANAGEMENT_PORTS[issuer]}"
  printf '  Kafka              127.0.0.1:9092\n'
  printf '  logs               %s\n' "$LOG_DIR"
  printf '  admin token        deploy/local/admin-token.sh --platform | --org ORG_ID\n'
  printf '  executor token     %s\n' "$KEYS_DIR/executor-token"
}

stop() {
  local service
  for service in scheduler context issuer; do
    stop_pid "$service-service" "$RUN_DIR/$service.pid"
  done
  "$LOCAL_DIR/kafka.sh" stop --name dev
}

reset() {
  local service
  stop
  for service in "${SERVICES[@]}"; do
    log "dropping database ${KEYLESS_DB_PREFIX:-keyless}_$service"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS ${KEYLESS_DB_PREFIX:-keyless}_$service WITH (FORCE)"
  done
  rm -rf "$KEYLESS_HOME/kafka-dev"
}

status() {
  local service rc=0
  for service in "${SERVICES[@]}"; do
    if pid_alive "$RUN_DIR/$service.pid"; then
      printf '%-18s running (pid %s) on port %s\n' "$service-service" "$(cat "$RUN_DIR/$service.pid")" "${PORTS[$service]}"
    else
      printf '%-18s stopped\n' "$service-service"
      rc=3
    fi
  done
  printf '%-18s %s\n' "kafka (dev)" "$("$LOCAL_DIR/kafka.sh" status --name dev 2>/dev/null || true)"
  return "$rc"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  reset) reset ;;
  *) die "usage: $0 start [--build] | stop | status | reset" ;;
esac
