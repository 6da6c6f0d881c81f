#!/usr/bin/env bash
# stack.sh - bring the whole local service stack (redis, kafka, jaeger) up or down.
# Why: one entry point for developers and CI; the per-service scripts beside it do
# the work. Start order redis -> kafka (+topics) -> jaeger (jaeger starts in parallel
# with kafka); stop order is the reverse.
# Usage: stack.sh up|down|status [redis] [kafka] [jaeger]   |   stack.sh deps
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$HERE/common.sh"
LOG_TAG=stack

ALL=(redis kafka jaeger)

# Keep the requested services in canonical order; reject unknown names.
select_services() {
  local want svc
  ((${#@})) || set -- "${ALL[@]}"
  for want in "$@"; do
    [[ " ${ALL[*]} " == *" $want "* ]] || die "unknown service '$want' (known: ${ALL[*]})"
  done
  for svc in "${ALL[@]}"; do
    [[ " $* " == *" $svc "* ]] && echo "$svc"
  done
  return 0
}

up() {
  local -a svcs
  mapfile -t svcs < <(select_services "$@")
  local jaeger_job="" has_kafka=0 svc
  for svc in "${svcs[@]}"; do
    case "$svc" in
      redis) "$HERE/redis.sh" start ;;
      kafka) has_kafka=1 ;;
      jaeger)
        "$HERE/jaeger.sh" start &
        jaeger_job=$!
        ;;
    esac
  done
  local rc=0
  if ((has_kafka)); then
    { "$HERE/kafka.sh" start && "$HERE/kafka.sh" topics; } || rc=$?
  fi
  if [[ -n "$jaeger_job" ]]; then
    wait "$jaeger_job" || rc=$?
  fi
  ((rc == 0)) || die "stack up failed (exit $rc)"
  status "${svcs[@]}"
}

down() {
  local -a svcs
  mapfile -t svcs < <(select_services "$@")
  local i
  for ((i = ${#svcs[@]} - 1; i >= 0; i--)); do
    "$HERE/${svcs[i]}.sh" stop
  done
}

status() {
  local -a svcs
  mapfile -t svcs < <(select_services "$@")
  local svc rc=0
  for svc in "${svcs[@]}"; do
    "$HERE/$svc.sh" status || rc=3
  done
  return "$rc"
}

# Everything that needs a registry, done up front (e.g. in a CI setup step).
deps() {
  local -a missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v kcat >/dev/null || missing+=(kcat)
  if ((${#missing[@]})); then
    apt_install --update-first "${missing[@]}"
  fi
  "$HERE/kafka.sh" fetch
  "$HERE/jaeger.sh" build
}

cmd="${1:-}"
shift || true
case "$cmd" in
  up) up "$@" ;;
  down) down "$@" ;;
  status) status "$@" ;;
  deps) deps ;;
  *) echo "usage: $0 up|down|status [redis kafka jaeger] | deps" >&2; exit 2 ;;
esac
