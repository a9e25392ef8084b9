#!/usr/bin/env bash
# The OpenAPI document against the server it describes: Schemathesis
# (scripts/schemathesis.toml) runs every operation of the three dialects
# against a fresh `ponte serve` (sandbox on, random loopback port), with
# requests the document allows (each must be accepted, or refused only for a
# rule the document cannot express) and requests it forbids (each must be
# refused), and checks every answer against the document: status, content
# type, headers and body schema. Any disagreement fails the run.
#
#   scripts/api-fuzz.sh                     # builds target/debug/ponte first
#   PONTE_BIN=target/release/ponte scripts/api-fuzz.sh
#
# Schemathesis comes from PyPI the first time (pinned below), cached in
# target/api-fuzz; the run is bounded (25 examples per operation, fixed seed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
CACHE=$TARGET/api-fuzz
SCHEMATHESIS=schemathesis==4.32.5
mkdir -p "$CACHE"

BIN=${PONTE_BIN:-}
if [ -z "$BIN" ]; then
  cargo build -q -p ponte
  BIN=$TARGET/debug/ponte
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

VENV=$CACHE/venv
if [ "$(cat "$VENV/.ponte-stamp" 2>/dev/null)" != "$SCHEMATHESIS" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "$SCHEMATHESIS"
  echo "$SCHEMATHESIS" >"$VENV/.ponte-stamp"
fi

DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
PONTE_LISTEN=127.0.0.1:$PORT PONTE_DATA_DIR=$DATA/ponte "$BIN" serve >"$DATA/serve.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do
  curl -fs "$BASE/readyz" >/dev/null 2>&1 && [ -f "$DATA/ponte/sandbox-client.json" ] && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$DATA/serve.log" >&2; echo "api-fuzz: ponte serve exited" >&2; exit 1; }
  sleep 0.1
done
eval "$(python3 scripts/api-fuzz-tokens.py "$BASE" "$DATA/ponte/sandbox-client.json")"

# Pages for browsers (the widget, the demo, the docs) are left to the browser tests. Run from
# the throwaway folder: Schemathesis keeps a cache of past failures in its working directory,
# and each run starts without one.
cd "$DATA"
"$VENV/bin/st" --config-file "$ROOT/scripts/schemathesis.toml" run "$BASE/openapi.json" \
  --exclude-tag Widget --exclude-tag Operations \
  --phases examples,coverage,fuzzing --workers 1 --seed 20261206 \
  --no-color
