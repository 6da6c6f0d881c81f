#!/bin/sh
# create-topics.sh - creates the taskstream topics; safe to run again (--if-not-exists).
# Runs in the apache/kafka image: by the taskstream-topics Job (k8s) and by the
# kafka-init service (deploy/docker-compose.yml). POSIX sh: the image is Alpine.
#
# Reads the services' own variable names (KAFKA_BROKERS, TASKS_TOPIC, KAFKA_SSL,
# KAFKA_SASL_*) plus the topic layout: TASKS_PARTITIONS, DLQ_PARTITIONS,
# REPLICATION_FACTOR, MIN_INSYNC_REPLICAS.
# An existing topic is left as it is: adding partitions moves keys to other
# partitions and breaks per-key order, so that stays a deliberate, manual step.
set -eu

: "${KAFKA_BROKERS:?}" "${TASKS_TOPIC:=tasks}" "${TASKS_PARTITIONS:=12}" "${DLQ_PARTITIONS:=3}"
: "${REPLICATION_FACTOR:=1}" "${MIN_INSYNC_REPLICAS:=1}" "${KAFKA_SSL:=false}" "${KAFKA_SASL_MECHANISM:=}"
BIN="${KAFKA_HOME:-/opt/kafka}/bin"
PROPS="${TMPDIR:-/tmp}/taskstream-client.properties"

# The same TLS/SASL switches as the services, in Kafka client properties.
protocol=PLAINTEXT
[ "$KAFKA_SSL" = true ] && protocol=SSL
: >"$PROPS"
case "$KAFKA_SASL_MECHANISM" in
  "") ;;
  plain) mechanism=PLAIN module=org.apache.kafka.common.security.plain.PlainLoginModule ;;
  scram-sha-256) mechanism=SCRAM-SHA-256 module=org.apache.kafka.common.security.scram.ScramLoginModule ;;
  scram-sha-512) mechanism=SCRAM-SHA-512 module=org.apache.kafka.common.security.scram.ScramLoginModule ;;
  *) echo "unknown KAFKA_SASL_MECHANISM: $KAFKA_SASL_MECHANISM" >&2; exit 2 ;;
esac
if [ -n "$KAFKA_SASL_MECHANISM" ]; then
  protocol="SASL_$protocol"
  printf 'sasl.mechanism=%s\nsasl.jaas.config=%s required username="%s" password="%s";\n' \
    "$mechanism" "$module" "${KAFKA_SASL_USERNAME:?}" "${KAFKA_SASL_PASSWORD:?}" >>"$PROPS"
fi
echo "security.protocol=$protocol" >>"$PROPS"

create() { # topic partitions
  echo "topic $1: $2 partitions, replication $REPLICATION_FACTOR"
  "$BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BROKERS" --command-config "$PROPS" \
    --create --if-not-exists --topic "$1" --partitions "$2" \
    --replication-factor "$REPLICATION_FACTOR" --config "min.insync.replicas=$MIN_INSYNC_REPLICAS"
}

# Retry and results follow the main topic's partitioning (same key, same partition).
create "$TASKS_TOPIC" "$TASKS_PARTITIONS"
create "$TASKS_TOPIC.retry" "$TASKS_PARTITIONS"
create "$TASKS_TOPIC.dlq" "$DLQ_PARTITIONS"
create "$TASKS_TOPIC.results" "$TASKS_PARTITIONS"
"$BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BROKERS" --command-config "$PROPS" --describe --topic "$TASKS_TOPIC"
