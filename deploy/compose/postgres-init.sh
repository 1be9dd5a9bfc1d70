#!/usr/bin/env bash
# Runs once, when the PostgreSQL container initializes an empty data directory: one role and one database per
# service, as on Kubernetes. Each service's Flyway then creates its schema inside its own database.
set -euo pipefail
for service in scheduler context issuer; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$service" -v password="$KEYLESS_DB_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
