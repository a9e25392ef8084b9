#!/usr/bin/env bash
# Three `ponte serve` nodes on one PostgreSQL database and one S3-compatible
# bucket behind a round-robin proxy, N concurrent end-user flows across the
# three dialects, one node killed with SIGKILL in the middle; throughput,
# p50/p99 per dialect and the checks (no webhook sent twice for one attempt,
# none lost, every document stored once, every ticket spent once, the dead
# node's work finished by the others within 30 s). See crates/ponte/benches/nodes/.
#
#   PONTE_BENCH_POSTGRES_URL=$(bash .ci/postgres) scripts/bench-nodes.sh              # 1,000 flows
#   PONTE_BENCH_POSTGRES_URL=… scripts/bench-nodes.sh --flows 150                       # fewer
#   PONTE_BENCH_S3_ENDPOINT=http://127.0.0.1:9000 …                                     # your own S3 server
#
# Without PONTE_BENCH_S3_ENDPOINT it starts moto (pip's moto[server]) on a free
# loopback port, as .ci/run does. Figures go to stdout and target/bench-nodes.json.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PONTE_BENCH_POSTGRES_URL:?needs a PostgreSQL server: PONTE_BENCH_POSTGRES_URL=\$(bash .ci/postgres) $0}"
S3_PID=
trap '[ -n "$S3_PID" ] && kill "$S3_PID" 2>/dev/null || true' EXIT
if [ -z "${PONTE_BENCH_S3_ENDPOINT:-}" ]; then
  if ! command -v moto_server >/dev/null 2>&1; then
    pip install --quiet 'moto[server]'
  fi
  S3_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  moto_server -H 127.0.0.1 -p "$S3_PORT" >/tmp/ponte-bench-moto.log 2>&1 &
  S3_PID=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$S3_PORT/" >/dev/null 2>&1 && break; sleep 0.2; done
  export PONTE_BENCH_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
fi
export PONTE_BENCH_POSTGRES_URL
# Many connections at once: the proxy holds two descriptors for each.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# BENCH_NODES_DEBUG=1 runs it on the debug build instead (no release build to wait for;
# the figures are then a debug build's).
if [ -n "${BENCH_NODES_DEBUG:-}" ]; then
  cargo test -p ponte --bench nodes -- "$@"
else
  cargo bench -p ponte --bench nodes -- "$@"
fi
