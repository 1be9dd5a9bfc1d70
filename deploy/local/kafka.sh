#!/usr/bin/env bash
# Runs a real single-node Kafka broker in KRaft mode from the Kafka jars, no Docker.
#
#   deploy/local/kafka.sh start [--name NAME] [--port PORT] [--fresh]
#   deploy/local/kafka.sh stop  [--name NAME]
#   deploy/local/kafka.sh status [--name NAME]
#
# NAME (default "dev") selects the instance: its data, log and pid live in $KEYLESS_HOME/kafka-NAME.
# PORT (default 9092) is the client port; the controller listens on PORT+1. --fresh wipes the instance's
# data first (the test run uses it so every run starts from empty topics). "start" is idempotent: a running
# instance is left alone.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# the root pom's kafka.version is the one place the Kafka version is written
KAFKA_VERSION="$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$REPO_DIR/pom.xml" | head -n1)"
[[ -n "$KAFKA_VERSION" ]] || die "no <kafka.version> property in $REPO_DIR/pom.xml"
command="${1:-}"; shift || true
name="dev"; port="9092"; fresh="false"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --name) name="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --fresh) fresh="true"; shift ;;
    *) die "unknown option $1" ;;
  esac
done

LIBS="$KEYLESS_HOME/kafka-$KAFKA_VERSION/libs"
INSTANCE="$KEYLESS_HOME/kafka-$name"
PID_FILE="$INSTANCE/kafka.pid"

fetch_jars() {
  # the marker records which broker pom the jars came from, so a change of that pom refreshes them
  local wanted
  wanted="$(sha256sum "$LOCAL_DIR/kafka/pom.xml" | cut -d' ' -f1)"
  if [[ -f "$LIBS/.complete" && "$(cat "$LIBS/.complete")" == "$wanted" ]]; then
    return 0
  fi
  log "resolving Kafka $KAFKA_VERSION jars with Maven"
  rm -rf "$LIBS"
  mkdir -p "$LIBS"
  mvnw -f "$LOCAL_DIR/kafka/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$LIBS" -DincludeScope=runtime
  echo "$wanted" > "$LIBS/.complete"
}

write_config() {
  local controller_port=$((port + 1))
  mkdir -p "$INSTANCE/data"
  cat > "$INSTANCE/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$INSTANCE/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
  cat > "$INSTANCE/log4j2.properties" <<PROPS
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $INSTANCE/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = warn
logger.apache.name = org.apache.kafka
logger.apache.level = warn
PROPS
}

start() {
  if pid_alive "$PID_FILE"; then
    log "Kafka '$name' already running (pid $(cat "$PID_FILE")) on 127.0.0.1:$port"
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is taken by a process this script did not start"
  fi
  fetch_jars
  if [[ "$fresh" == "true" ]]; then
    rm -rf "$INSTANCE"
  fi
  write_config
  if [[ ! -f "$INSTANCE/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid)"
    java -cp "$LIBS/*" -Dlog4j2.configurationFile="$INSTANCE/log4j2.properties" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$INSTANCE/server.properties" --standalone > "$INSTANCE/format.log" 2>&1 \
      || { cat "$INSTANCE/format.log" >&2; die "formatting the Kafka storage failed"; }
  fi
  log "starting Kafka '$name' on 127.0.0.1:$port (logs: $INSTANCE/server.log)"
  nohup java -Xms256m -Xmx768m -cp "$LIBS/*" -Dlog4j2.configurationFile="$INSTANCE/log4j2.properties" \
    kafka.Kafka "$INSTANCE/server.properties" > "$INSTANCE/stdout.log" 2>&1 &
  echo $! > "$PID_FILE"
  wait_port 127.0.0.1 "$port" 60 "Kafka" || { cat "$INSTANCE/stdout.log" >&2; exit 1; }
  log "Kafka '$name' is up (pid $(cat "$PID_FILE"))"
}

case "$command" in
  start) start ;;
  stop) stop_pid "Kafka '$name'" "$PID_FILE" ;;
  status)
    if pid_alive "$PID_FILE"; then echo "running (pid $(cat "$PID_FILE"))"; else echo "stopped"; exit 3; fi ;;
  *) die "usage: $0 start|stop|status [--name NAME] [--port PORT] [--fresh]" ;;
esac
