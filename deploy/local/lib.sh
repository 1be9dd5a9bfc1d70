# shellcheck shell=bash
# Shared helpers of the deploy/local scripts (sourced, not run).
set -euo pipefail

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$LOCAL_DIR/../.." && pwd)"
# Everything the scripts create (jars, broker data, keys, logs, pids) lives outside the repository.
KEYLESS_HOME="${KEYLESS_HOME:-$HOME/.keyless}"
mkdir -p "$KEYLESS_HOME"

log() { printf '\033[1;34m[keyless]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[keyless]\033[0m %s\n' "$*" >&2; exit 1; }

# pid_alive FILE: true when FILE names a running process
pid_alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# stop_pid NAME FILE: TERM the process recorded in FILE, KILL it after 30 s, remove FILE
stop_pid() {
  local name="$1" file="$2" pid
  if ! pid_alive "$file"; then
    rm -f "$file"
    return 0
  fi
  pid="$(cat "$file")"
  log "stopping $name (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    sleep 0.5
  done
  log "$name did not stop in 30 s, killing pid $pid"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$file"
}

# wait_port HOST PORT SECONDS NAME
wait_port() {
  local host="$1" port="$2" seconds="$3" name="$4"
  for _ in $(seq 1 $((seconds * 2))); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  die "$name did not open $host:$port within $seconds s"
}

mvnw() {
  "$REPO_DIR/mvnw" -B --no-transfer-progress -q "$@"
}
