#!/usr/bin/env bash
# Trigger -> environment served under a steady job rate, against the platform deploy/local/platform.sh runs:
#
#   platform-benchmarks/run.sh RATE_PER_SECOND SECONDS [EXECUTORS]     e.g. run.sh 20 30
#   platform-benchmarks/run.sh pulls SECONDS [CONNECTIONS]             environment pulls vs liveness, e.g. pulls 10 16
#
# Build first (./mvnw -B -q -pl platform-benchmarks -am package -DskipTests). The platform shares ports and
# databases with the system tests: run it under the machine-wide test lock, e.g.
#   flock /tmp/keyless-test.lock bash -c 'deploy/local/platform.sh start && platform-benchmarks/run.sh 20 30; deploy/local/platform.sh stop'
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
[[ -f target/classpath.txt ]] || ../mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt > /dev/null
exec java -cp "target/classes:$(cat target/classpath.txt)" dev.keyless.bench.TriggerToEnvironment "$@"
