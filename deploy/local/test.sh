#!/usr/bin/env bash
# Runs the build's test command with what the tests need around it:
#
#   deploy/local/test.sh ./mvnw -B --no-transfer-progress verify     (what README.md and CI run)
#   deploy/local/test.sh ./mvnw -B -q verify -pl context-service -am  (any other command, e.g. one module)
#
# `./mvnw verify` runs every test of the platform: unit tests, each service's @QuarkusTest suite against the real
# PostgreSQL and a real Kafka broker, the system tests (Kafka and the three services as separate processes) and
# the Kubernetes manifest checks. Without arguments this script runs that command.
#
# It first runs shellcheck on the repository's shell scripts (Debian's shellcheck package, installed when missing).
# Then it starts a fresh test broker on 127.0.0.1:9192 (stopped again at the end if this run started it), makes
# sure PostgreSQL answers on 127.0.0.1:5432, and installs Debian's kubernetes-client when kubectl is missing
# (the manifest checks render the overlays with `kubectl kustomize`), and the AWS CLI, boto3 and moto when missing
# (the cloud credential system test). Concurrent runs on one machine wait for
# each other.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apt_install() {
  if [[ "$(id -u)" -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" > /dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" > /dev/null
  fi
}

# The repository's shell scripts (the ones CI runs among them) are checked first: a finding fails the run before
# any test starts. .shellcheckrc lets shellcheck follow each script's `source` of lib.sh.
if ! command -v shellcheck > /dev/null; then
  log "shellcheck is missing: installing Debian's shellcheck package"
  apt_install shellcheck
fi
mapfile -t shell_scripts < <(git -C "$REPO_DIR" ls-files '*.sh' .ci/run)
(cd "$REPO_DIR" && shellcheck --external-sources "${shell_scripts[@]}") || die "shellcheck found problems in the scripts above"

# The suites share machine-wide resources (database "test", broker port 9192, the system tests' databases and
# broker): a second run at the same time would clean schemas and stop the broker under the first. Runs queue on
# one fixed lock file that any user may open (flock needs only a read descriptor).
LOCK_FILE=/tmp/keyless-test.lock
[[ -e "$LOCK_FILE" ]] || (umask 000 && : >> "$LOCK_FILE")
exec 9< "$LOCK_FILE"
if ! flock --nonblock 9; then
  log "another test run holds $LOCK_FILE; waiting for it to finish"
  flock --timeout 2400 9 || die "the other test run did not finish within 40 minutes"
fi

if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  log "PostgreSQL is not answering on 127.0.0.1:5432, starting the local cluster"
  # the database server outlives this run and must not hold its lock
  clusters=(/etc/postgresql/*)
  pg_ctlcluster --skip-systemctl-redirect "${clusters[0]##*/}" main start 9<&-
  wait_port 127.0.0.1 5432 30 "PostgreSQL"
fi

if ! command -v kubectl > /dev/null; then
  log "kubectl is missing: installing Debian's kubernetes-client package"
  apt_install kubernetes-client
fi

# The cloud credential system test runs the AWS CLI and boto3 inside a job against moto's local STS
# (moto_server): Debian packages the first two, moto comes from pip.
if ! command -v aws > /dev/null; then
  log "the AWS CLI is missing: installing Debian's awscli package"
  apt_install awscli
fi
if ! python3 -c 'import boto3' 2> /dev/null; then
  log "boto3 is missing: installing it with pip"
  python3 -m pip install --quiet boto3 || apt_install python3-boto3
fi
if ! command -v moto_server > /dev/null; then
  log "moto_server is missing: installing moto[server] with pip"
  python3 -m pip install --quiet 'moto[server]'
fi

started_broker="false"
if ! "$LOCAL_DIR/kafka.sh" status --name test > /dev/null 2>&1; then
  # a broker left running after an interrupted run must not keep holding the lock
  "$LOCAL_DIR/kafka.sh" start --name test --port 9192 --fresh 9>&-
  started_broker="true"
fi
cleanup() {
  if [[ "$started_broker" == "true" ]]; then
    "$LOCAL_DIR/kafka.sh" stop --name test
  fi
}
trap cleanup EXIT

cd "$REPO_DIR"
if [[ $# -eq 0 ]]; then
  set -- ./mvnw -B --no-transfer-progress verify
fi
"$@"
