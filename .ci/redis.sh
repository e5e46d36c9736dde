#!/usr/bin/env bash
# Starts or stops the Redis server that the ScopeClaims.Http tests share as HybridCache's distributed cache:
# 127.0.0.1:6390 (not the default port, so a developer's own Redis is left alone), no persistence.
#   bash .ci/redis.sh start   # installs Debian's redis-server when missing, starts it, waits for PONG
#   bash .ci/redis.sh stop    # shuts it down without saving
# Then: export SCOPECLAIMS_REDIS=127.0.0.1:6390
set -euo pipefail

port="${SCOPECLAIMS_REDIS_PORT:-6390}"

start() {
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "redis-server is missing; installing Debian's redis-server" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq redis-server >/dev/null
  fi

  if [ "$(redis-cli -p "$port" ping 2>/dev/null || true)" = "PONG" ]; then
    echo "redis already answering on 127.0.0.1:$port"
    return 0
  fi

  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
  for _ in $(seq 1 50); do
    if [ "$(redis-cli -p "$port" ping 2>/dev/null || true)" = "PONG" ]; then
      echo "redis started on 127.0.0.1:$port"
      return 0
    fi
    sleep 0.2
  done

  echo "error: redis did not answer PING on 127.0.0.1:$port within 10 s" >&2
  return 1
}

stop() {
  if command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -p "$port" ping 2>/dev/null || true)" = "PONG" ]; then
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    echo "redis on 127.0.0.1:$port stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
