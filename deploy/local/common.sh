# shellcheck shell=bash
# common.sh - shared settings and helpers for the local (no Docker) service stack.
# Sourced by redis.sh, kafka.sh, jaeger.sh and stack.sh so that every script agrees on
# the cache dir (downloads/builds, outside the repo), the run dir (pids, logs, data),
# the ports, and how to wait for / stop a process.

TASKSTREAM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TASKSTREAM_CACHE="${TASKSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/taskstream}"
TASKSTREAM_RUN_DIR="${TASKSTREAM_RUN_DIR:-$TASKSTREAM_ROOT/.run}"

REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
# Stay on 3.x: kafkajs needs protocol versions that Kafka 4 removed.
KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
JAEGER_OTLP_HTTP_PORT="${JAEGER_OTLP_HTTP_PORT:-4318}"
JAEGER_OTLP_GRPC_PORT="${JAEGER_OTLP_GRPC_PORT:-4317}"
JAEGER_QUERY_PORT="${JAEGER_QUERY_PORT:-16686}"

export TASKSTREAM_ROOT TASKSTREAM_CACHE TASKSTREAM_RUN_DIR
export REDIS_PORT KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_VERSION
export JAEGER_OTLP_HTTP_PORT JAEGER_OTLP_GRPC_PORT JAEGER_QUERY_PORT

# log MSG... - print a tagged message to stderr (stdout stays free for data).
log() {
  printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "${LOG_TAG:-stack}" "$*" >&2
}

# die MSG... - log and exit non-zero.
die() {
  log "ERROR: $*"
  exit 1
}

# port_open HOST PORT - true if a TCP connect succeeds right now.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# wait_for_port HOST PORT TIMEOUT_S - poll until the port accepts connections.
wait_for_port() {
  local host="$1" port="$2" timeout="$3" deadline
  deadline=$((SECONDS + timeout))
  until port_open "$host" "$port"; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $host:$port"
      return 1
    fi
    sleep 0.2
  done
}

# pid_alive PIDFILE - true if the pidfile names a live (non-zombie) process.
pid_alive() {
  local pidfile="$1" pid state
  [[ -s "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# stop_by_pid PIDFILE NAME TIMEOUT_S - SIGTERM, wait up to TIMEOUT_S, then SIGKILL.
stop_by_pid() {
  local pidfile="$1" name="$2" timeout="$3" pid deadline
  if ! pid_alive "$pidfile"; then
    log "$name not running"
    rm -f "$pidfile"
    return 0
  fi
  pid="$(tr -dc '0-9' <"$pidfile")"
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while pid_alive "$pidfile"; do
    if ((SECONDS >= deadline)); then
      log "$name did not exit after ${timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "$name stopped"
}

# spawn_daemon PIDFILE LOGFILE CMD... - run CMD detached (own session, stdin closed,
# output appended to LOGFILE); the pid written is the pid of CMD itself.
spawn_daemon() {
  local pidfile="$1" logfile="$2" i
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $0 are for the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "failed to spawn $1 (no pidfile after 5s)"
}

# apt_install [--update-first] PKG... - install Debian packages without letting their
# maintainer scripts start system services (policy-rc.d 101), so e.g. the packaged
# redis-server never grabs our ports. Without --update-first, `apt-get update` runs
# only if the plain install fails.
apt_install() {
  local update_first=0 sudo=() created_policy=0 rc=0
  if [[ "${1:-}" == --update-first ]]; then
    update_first=1
    shift
  fi
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install $*"
    sudo=(sudo)
  fi
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  log "apt-get install $*"
  local -a install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@")
  if ((update_first)); then
    "${sudo[@]}" apt-get update -q >&2 && "${install[@]}" >&2 || rc=$?
  elif ! "${install[@]}" >&2; then
    log "install failed; retrying after apt-get update"
    "${sudo[@]}" apt-get update -q >&2 && "${install[@]}" >&2 || rc=$?
  fi
  if ((created_policy)); then
    "${sudo[@]}" rm -f /usr/sbin/policy-rc.d
  fi
  return "$rc"
}
