#!/usr/bin/env bash
# The one place where a service's runtime configuration is assembled (used by platform.sh and by the
# system tests). Prints NAME=VALUE lines, one per environment variable, for:
#
#   deploy/local/service-env.sh scheduler|context|issuer
#
# Inputs (environment, with defaults):
#   KEYLESS_KEYS_DIR       secrets made by secrets.sh              ($KEYLESS_HOME/keys)
#   KEYLESS_KAFKA          Kafka bootstrap servers                 (127.0.0.1:9092)
#   KEYLESS_DB_PREFIX      databases are PREFIX_scheduler, ...     (keyless)
#   KEYLESS_DB_HOST, KEYLESS_DB_PORT, KEYLESS_DB_USER              (127.0.0.1, 5432, postgres)
#   KEYLESS_HOST           host name in the services' public URLs  (localhost)
#   KEYLESS_SCHEDULER_PORT, KEYLESS_CONTEXT_PORT, KEYLESS_ISSUER_PORT (8080, 8081, 8082)
#   KEYLESS_SCHEDULER_MANAGEMENT_PORT, KEYLESS_CONTEXT_MANAGEMENT_PORT, KEYLESS_ISSUER_MANAGEMENT_PORT
#                          health, metrics and OpenAPI              (9080, 9081, 9082)
# The variables are the services' own configuration properties in environment-variable form (which win
# over application.properties), so no service needs a special "local" profile.
set -euo pipefail

service="${1:?usage: service-env.sh scheduler|context|issuer}"
KEYLESS_HOME="${KEYLESS_HOME:-$HOME/.keyless}"
keys="${KEYLESS_KEYS_DIR:-$KEYLESS_HOME/keys}"
kafka="${KEYLESS_KAFKA:-127.0.0.1:9092}"
db_prefix="${KEYLESS_DB_PREFIX:-keyless}"
db_host="${KEYLESS_DB_HOST:-127.0.0.1}"
db_port="${KEYLESS_DB_PORT:-5432}"
db_user="${KEYLESS_DB_USER:-postgres}"
host="${KEYLESS_HOST:-localhost}"
scheduler_port="${KEYLESS_SCHEDULER_PORT:-8080}"
context_port="${KEYLESS_CONTEXT_PORT:-8081}"
issuer_port="${KEYLESS_ISSUER_PORT:-8082}"
scheduler_management_port="${KEYLESS_SCHEDULER_MANAGEMENT_PORT:-9080}"
context_management_port="${KEYLESS_CONTEXT_MANAGEMENT_PORT:-9081}"
issuer_management_port="${KEYLESS_ISSUER_MANAGEMENT_PORT:-9082}"

secret() {
  [[ -s "$keys/$1" ]] || { echo "service-env.sh: missing $keys/$1 (run secrets.sh)" >&2; exit 1; }
  tr -d '\n' < "$keys/$1"
}

common() {
  local port="$1" management_port="$2" schema="$3"
  local db="${db_prefix}_${schema}"
  echo "QUARKUS_HTTP_PORT=$port"
  echo "QUARKUS_MANAGEMENT_PORT=$management_port"
  echo "QUARKUS_DATASOURCE_USERNAME=$db_user"
  echo "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://$db_host:$db_port/$db?currentSchema=$schema"
  echo "QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://$db_host:$db_port/$db?search_path=$schema"
  echo "KAFKA_BOOTSTRAP_SERVERS=$kafka"
  echo "MP_JWT_VERIFY_PUBLICKEY_LOCATION=file:$keys/admin-public.pem"
  echo "KEYLESS_JOB_CREDENTIAL_PUBLIC_KEY_LOCATION=file:$keys/job-credential-public.pem"
}

case "$service" in
  scheduler)
    common "$scheduler_port" "$scheduler_management_port" scheduler
    echo "SMALLRYE_JWT_SIGN_KEY_LOCATION=file:$keys/job-credential-private.pem"
    echo "KEYLESS_SCHEDULER_EXECUTOR_TOKEN=$(secret executor-token)"
    ;;
  context)
    common "$context_port" "$context_management_port" context
    echo "KEYLESS_CONTEXT_KEY_ENCRYPTION_KEY=$(secret context-kek)"
    echo "KEYLESS_INTERNAL_API_TOKEN=$(secret internal-api-token)"
    echo "QUARKUS_REST_CLIENT_ISSUER_URL=http://$host:$issuer_port"
    ;;
  issuer)
    common "$issuer_port" "$issuer_management_port" issuer
    echo "KEYLESS_ISSUER_BASE_URL=http://$host:$issuer_port"
    echo "KEYLESS_ISSUER_KEYS_KEK=$(secret issuer-kek)"
    echo "QUARKUS_REST_CLIENT_CONTEXT_URL=http://$host:$context_port"
    echo "KEYLESS_INTERNAL_API_TOKEN=$(secret internal-api-token)"
    ;;
  *) echo "service-env.sh: unknown service $service" >&2; exit 2 ;;
esac
