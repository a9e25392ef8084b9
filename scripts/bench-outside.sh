#!/usr/bin/env bash
# The Data API's hot endpoints measured from outside, as an integrator's load
# would see them: the release `ponte` binary on loopback and `oha` (cargo
# install oha) with 32 connections for 6 s per endpoint. The in-process bench
# (`cargo bench -p ponte-server --bench api`) is the one kept in CI's reach;
# this one needs oha and a free port 18181.
#
#   scripts/bench-outside.sh                       # SQLite in a temp dir
#   scripts/bench-outside.sh postgres://…/emptydb  # an empty PostgreSQL database
set -euo pipefail
cd "$(dirname "$0")/.."
PID=
D=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$D"' EXIT
command -v oha >/dev/null || { echo "needs oha: cargo install oha" >&2; exit 2; }
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

rate() {
  oha --no-tui --output-format json -z 6s -c 32 "$@" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["summary"]; assert s["successRate"] == 1.0, d.get("statusCodeDistribution"); print(round(s["requestsPerSec"]))'
}
H=$(rate "$BASE/healthz")
A=$(rate -m POST -H 'content-type: application/json' -d "$AUTH" "$BASE/data/v1/auth")
G=$(rate -H "authorization: Bearer $TOKEN" "$BASE/data/v1/links/$LINK")
python3 -c "h,a,g=$H,$A,$G; print(f'healthz {h} req/s, auth {a} ({a/h:.3f}), GET link {g} ({g/h:.3f})')"
