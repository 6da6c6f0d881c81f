#!/usr/bin/env bash
# services.sh - run the three taskstream services locally as background processes.
# Why: `make up` needs the whole pipeline without Docker; each service runs from its
# built dist/ with pid and log under $TASKSTREAM_RUN_DIR/services, and is ready once
# its /readyz answers 200. Environment variables pass through to the services.
# SERVICE_NODE_ARGS adds node flags NODE_OPTIONS refuses, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
# (split on spaces, no quoting).
# Usage: services.sh start|stop|status [ingest] [bridge] [consumer]
set -euo pipefail
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
LOG_TAG=services

SERVICES_DIR="$TASKSTREAM_RUN_DIR/services"
ALL=(ingest bridge consumer)
declare -A PORT=([ingest]="${INGEST_PORT:-8080}" [bridge]="${BRIDGE_PORT:-8081}" [consumer]="${CONSUMER_PORT:-8082}")
START_TIMEOUT="${SERVICE_START_TIMEOUT:-60}"
# V8 grows the old generation lazily up to a quarter of the machine's memory, and the young
# generation to 3 x 16 MiB; caps make it collect sooner, keeping resident memory near the live
# set. Measured on a 300k-task run, consumer peak RSS: no caps 338 MiB; old space 192 MiB 210;
# old 128 + semi-space 8 MiB (with 4 MiB fetches) 140, at the same CPU per task. An old-space
# cap of 96 MiB ran out of heap with 8 MiB fetches: keep it above the live set.
# Ingest gets a 16 MiB semi-space: its requests in flight (eight batches of 1,000 tasks in the
# bench) outlived an 8 MiB young generation and were copied by every scavenge; five alternating
# pairs of 300k-task runs: ingest CPU per task 14-16 -> 12-17 (mean 15.4 -> 13.8) µs, peak RSS
# 113-117 -> 134-137 MiB. NODE_OPTIONS, when set, replaces these defaults for every service.
declare -A SEMI_SPACE_MIB=([ingest]=16 [bridge]=8 [consumer]=8)
# glibc gives each thread that allocates its own malloc arena (up to 8 per core), and each keeps
# memory it freed. Two arenas: consumer peak RSS on 300k-task runs 144-149 -> 136-139 MiB in five
# alternating pairs, ingest unchanged, CPU per task within the spread. MALLOC_ARENA_MAX, when set, wins.
MALLOC_ARENAS="${MALLOC_ARENA_MAX:-2}"
node_options() {
  echo "${NODE_OPTIONS:---max-old-space-size=128 --max-semi-space-size=${SEMI_SPACE_MIB[$1]}}"
}

ready() {
  curl -fsS -o /dev/null "http://127.0.0.1:${PORT[$1]}/readyz" 2>/dev/null
}

start_one() {
  local name="$1" pidfile="$SERVICES_DIR/$1.pid" main="$TASKSTREAM_ROOT/services/$1/dist/main.js" deadline
  [[ -f "$main" ]] || die "$main is missing: run 'npm run build' first"
  if pid_alive "$pidfile"; then
    log "$name already running (pid $(cat "$pidfile"))"
    return 0
  fi
  port_open 127.0.0.1 "${PORT[$name]}" && die "port ${PORT[$name]} is taken by a process we did not start"
  mkdir -p "$SERVICES_DIR"
  local extra_args=()
  read -ra extra_args <<<"${SERVICE_NODE_ARGS:-}"
  spawn_daemon "$pidfile" "$SERVICES_DIR/$name.log" env MALLOC_ARENA_MAX="$MALLOC_ARENAS" NODE_OPTIONS="$(node_options "$name")" node "${extra_args[@]}" "$main"
  deadline=$((SECONDS + START_TIMEOUT))
  until ready "$name"; do
    pid_alive "$pidfile" || die "$name exited during start; last log lines:$(printf '\n'; tail -n 20 "$SERVICES_DIR/$name.log")"
    ((SECONDS < deadline)) || die "$name not ready after ${START_TIMEOUT}s (log: $SERVICES_DIR/$name.log)"
    sleep 0.2
  done
  log "$name ready on :${PORT[$name]} (pid $(cat "$pidfile"), log $SERVICES_DIR/$name.log)"
}

selected() {
  if (($#)); then printf '%s\n' "$@"; else printf '%s\n' "${ALL[@]}"; fi
}

cmd="${1:-}"
shift || true
case "$cmd" in
  start) while read -r s; do start_one "$s"; done < <(selected "$@") ;;
  # Consumers drain in-flight work on SIGTERM: give them their drain time.
  stop) while read -r s; do stop_by_pid "$SERVICES_DIR/$s.pid" "$s" 40; done < <(selected "$@" | tac) ;;
  status)
    rc=0
    while read -r s; do
      if pid_alive "$SERVICES_DIR/$s.pid" && ready "$s"; then echo "$s: ready (pid $(cat "$SERVICES_DIR/$s.pid"), :${PORT[$s]})"; else echo "$s: not running or not ready"; rc=3; fi
    done < <(selected "$@")
    exit "$rc"
    ;;
  *) echo "usage: $0 start|stop|status [ingest bridge consumer]" >&2; exit 2 ;;
esac
