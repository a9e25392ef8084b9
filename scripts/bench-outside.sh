#!/usr/bin/env bash
# The Data API's hot endpoints measured from outside, as an integrator's load
# would see them and as issue 29 measured them: the release `ponte` binary on
# loopback and wrk (Debian's `wrk` package) with 32 connections on 2 threads,
# 6 s per endpoint, each endpoint run RUNS times (default 3), alternating,
# every rate and its ratio to that round's `GET /healthz` printed. The
# in-process bench (`cargo bench -p ponte-server --bench api`) is the one kept
# in CI's reach; this one needs wrk and a free port 18181.
#
#   scripts/bench-outside.sh                       # SQLite in a temp dir
#   scripts/bench-outside.sh postgres://…/emptydb  # an empty PostgreSQL database
set -euo pipefail
cd "$(dirname "$0")/.."
PID=
D=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$D"' EXIT
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
cargo build --release -q -p ponte
BIN=${CARGO_TARGET_DIR:-target}/release/ponte
PORT=18181
BASE=http://127.0.0.1:$PORT
export PONTE_DATA_DIR=$D PONTE_LISTEN=127.0.0.1:$PORT PONTE_RATE_LIMIT=off RUST_LOG=warn
export PONTE_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
export PONTE_DATABASE_URL=${1:-sqlite://$D/ponte.db?mode=rwc}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

CLIENT=$("$BIN" --init clients create --name Bench --webhook-url https://example.com/hooks --json 2>/dev/null)
AUTH="{\"accessKey\":\"$(echo "$CLIENT" | field apiKey)\",\"secretKey\":\"$(echo "$CLIENT" | field apiSecret)\"}"
"$BIN" serve >"$D/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
TOKEN=$(curl -fs -XPOST -H 'content-type: application/json' -d "$AUTH" "$BASE/data/v1/auth" | field accessToken)
LINK=$(curl -fs -XPOST -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"personalTaxId":"529.982.247-25","email":"ana@example.com","redirectUrl":"https://app.example.com/done"}' \
  "$BASE/data/v1/links" | field linkId)

LUA=$PWD/scripts/bench-outside.lua
# rate METHOD PATH [BODY] [AUTHORIZATION]: requests per second; any failure stops the run.
rate() {
  BENCH_METHOD=$1 BENCH_BODY=${3:-} BENCH_AUTH=${4:-} wrk -t2 -c32 -d6s -s "$LUA" "$BASE$2" |
    tail -n1 | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
bad = {k: d[k] for k in ("non2xx", "connect", "read", "write", "timeout") if d[k]}
assert not bad, bad
print(round(d["rate"]))'
}
for round in $(seq 1 "${RUNS:-3}"); do
  H=$(rate GET /healthz)
  A=$(rate POST /data/v1/auth "$AUTH")
  G=$(rate GET "/data/v1/links/$LINK" "" "Bearer $TOKEN")
  python3 -c "h,a,g=$H,$A,$G; print(f'round $round: healthz {h} req/s, auth {a} ({a/h:.3f}), GET link {g} ({g/h:.3f})')"
done
