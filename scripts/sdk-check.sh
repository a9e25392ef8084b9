#!/usr/bin/env bash
# The client SDKs (sdks/typescript, sdks/python) against the server they were
# generated from:
#   1. dumps the OpenAPI document (`ponte openapi`), regenerates both SDKs and
#      fails when what they generate differs from what is committed (drift);
#   2. typechecks and builds the TypeScript SDK and packs it (`npm pack`);
#      installs ./sdks/python into a fresh venv from a local wheelhouse;
#   3. starts a real `ponte serve` (sandbox on, fresh data dir, random loopback
#      port) and runs each SDK's flows against it (sdks/*/test*/e2e.*): Data API
#      auth to a verified REPORT_READY webhook and a downloaded report, Documents
#      API to a verified webhook and a downloaded file, a Server API ticket exchange;
#      then the README's SDK examples as written.
#
# Needs node >= 18 with npm, and python3 (>= 3.11) with venv. Packages come from
# npm and PyPI the first time (pinned: sdks/typescript/package-lock.json,
# sdks/python/requirements*.txt) and are cached under target/sdk and
# sdks/typescript/node_modules; after that the script runs offline.
#
#   scripts/sdk-check.sh                    # builds target/debug/ponte first
#   PONTE_BIN=target/release/ponte scripts/sdk-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
CACHE=${PONTE_SDK_CACHE:-$TARGET/sdk}
mkdir -p "$CACHE"
say() { printf '\n== %s\n' "$*"; }
fail() { printf 'sdk-check: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || fail "needs node (>= 18) and npm"
command -v python3 >/dev/null || fail "needs python3 (>= 3.11) with venv"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || fail "needs python3 >= 3.11"

BIN=${PONTE_BIN:-}
if [ -z "$BIN" ]; then
  say "building ponte"
  cargo build -q -p ponte
  BIN=$TARGET/debug/ponte
fi
[ -x "$BIN" ] || fail "no ponte binary at $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

# A file's fingerprint, to reinstall a cache only when its pins changed.
fingerprint() { sha256sum "$@" | sha256sum | cut -c1-16; }

say "dependencies (from the cache when the pins did not change)"
TS=sdks/typescript
if [ "$(cat "$TS/node_modules/.ponte-stamp" 2>/dev/null)" != "$(fingerprint "$TS/package-lock.json")" ]; then
  (cd "$TS" && npm ci --no-audit --no-fund)
  fingerprint "$TS/package-lock.json" >"$TS/node_modules/.ponte-stamp"
fi
GEN=$CACHE/generator-venv
if [ "$(cat "$GEN/.ponte-stamp" 2>/dev/null)" != "$(fingerprint sdks/python/requirements-generator.txt)" ]; then
  rm -rf "$GEN"
  python3 -m venv "$GEN"
  "$GEN/bin/pip" install --quiet --disable-pip-version-check -r sdks/python/requirements-generator.txt
  fingerprint sdks/python/requirements-generator.txt >"$GEN/.ponte-stamp"
fi
WHEELS=$CACHE/wheels
if [ "$(cat "$WHEELS/.ponte-stamp" 2>/dev/null)" != "$(fingerprint sdks/python/requirements.txt)" ]; then
  rm -rf "$WHEELS"
  "$GEN/bin/pip" download --quiet --disable-pip-version-check -d "$WHEELS" -r sdks/python/requirements.txt
  fingerprint sdks/python/requirements.txt >"$WHEELS/.ponte-stamp"
fi

say "regenerating both SDKs from a fresh OpenAPI document"
"$BIN" openapi >sdks/openapi.json
(cd "$TS" && npm_config_offline=true node_modules/.bin/openapi-typescript ../openapi.json -o src/generated/schema.ts)
rm -rf sdks/python/ponte_client
# openapi-python-client formats its output with the pinned ruff from its venv.
PATH="$GEN/bin:$PATH" openapi-python-client generate --path sdks/openapi.json --meta none \
  --config sdks/python/generator-config.yaml --output-path sdks/python/ponte_client 2>&1 |
  grep -v '^Generating ' || true
[ -f sdks/python/ponte_client/client.py ] || fail "openapi-python-client generated nothing"
# What the generators wrote against what is committed (hand-written files may be mid-edit).
GENERATED=(sdks/openapi.json sdks/typescript/src/generated sdks/python/ponte_client)
DRIFT=$(git status --porcelain --untracked-files=all -- "${GENERATED[@]}")
if [ -n "$DRIFT" ]; then
  echo "$DRIFT" >&2
  git --no-pager diff --stat -- "${GENERATED[@]}" >&2
  fail "the generated SDKs differ from what is committed: the OpenAPI document or a generator changed. Commit what this run regenerated (sdks/)."
fi
echo "no drift"

say "TypeScript SDK: build (typechecked), npm pack (offline)"
# `npm pack` builds (prepack: tsc) and the test build below compiles the tests: each
# typechecks what it compiles, so `npm run typecheck` would only compile both again.
PACKED=$(mktemp -d "$CACHE/pack.XXXXXX")
(cd "$TS" && export npm_config_offline=true &&
  npm pack --silent --pack-destination "$PACKED" >/dev/null)
TARBALL=$(ls "$PACKED"/*.tgz)
LISTING=$(tar -tzf "$TARBALL")
for f in package/dist/index.js package/dist/index.d.ts package/dist/generated/schema.d.ts; do
  grep -qx "$f" <<<"$LISTING" || fail "npm pack: $f missing from $(basename "$TARBALL")"
done
echo "packed $(basename "$TARBALL")"
rm -rf "$PACKED"
(cd "$TS" && rm -rf build-test && node_modules/.bin/tsc -p test/tsconfig.json)

say "Python SDK: the hand-written layer linted (ruff, as pinned for the generator)"
"$GEN/bin/ruff" check --no-cache --line-length 120 sdks/python/ponte_sdk sdks/python/tests
"$GEN/bin/ruff" format --no-cache --check --line-length 120 sdks/python/ponte_sdk sdks/python/tests

say "Python SDK: pip install ./sdks/python into a fresh venv (offline, from the wheelhouse)"
VENV=$CACHE/python-venv
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-index --find-links "$WHEELS" \
  -c sdks/python/requirements.txt ./sdks/python
rm -rf sdks/python/build sdks/python/*.egg-info
"$VENV/bin/python" -c 'import ponte_sdk, ponte_client; print("installed ponte_sdk", ponte_sdk.__name__)'

say "a real ponte serve (sandbox, fresh data dir, random loopback port)"
DATA=$(mktemp -d "$CACHE/run.XXXXXX") # not /tmp: nothing else tidies it away mid-run
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export PONTE_DATA_DIR=$DATA/data PONTE_SANDBOX=true PONTE_LOG=warn PONTE_WEBHOOK_RETRY_SCHEDULE=1s,1s,2s
unset PONTE_DATABASE_URL PONTE_PUBLIC_URL PONTE_LISTEN
TS_PORT=$(free_port)
PY_PORT=$(free_port)
TS_CLIENT=$("$BIN" --init clients create --name "SDK check (TypeScript)" --webhook-url "http://127.0.0.1:$TS_PORT/hooks" --json)
PY_CLIENT=$("$BIN" clients create --name "SDK check (Python)" --webhook-url "http://127.0.0.1:$PY_PORT/hooks" --json)
PONTE_LISTEN=127.0.0.1:0 "$BIN" serve >"$DATA/serve.out" 2>"$DATA/serve.err" &
SERVER_PID=$!
URL=
for _ in $(seq 1 150); do
  URL=$(sed -n 's/^ponte listening on //p' "$DATA/serve.out")
  [ -n "$URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DATA/serve.err" >&2; fail "ponte serve exited"; }
  sleep 0.2
done
[ -n "$URL" ] || { cat "$DATA/serve.err" >&2; fail "ponte serve did not listen within 30 s"; }
echo "ponte at $URL"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
run_flows() { # name port client-json command…
  local name=$1 port=$2 client=$3
  shift 3
  say "$name SDK flows"
  PONTE_URL=$URL RECEIVER_PORT=$port \
    PONTE_API_KEY=$(echo "$client" | field apiKey) PONTE_API_SECRET=$(echo "$client" | field apiSecret) \
    PONTE_WEBHOOK_SECRET=$(echo "$client" | field webhookSecret) \
    timeout 120 "$@" || { tail -n 40 "$DATA/serve.err" >&2; fail "$name SDK flows failed"; }
}
run_flows TypeScript "$TS_PORT" "$TS_CLIENT" node "$TS/build-test/test/e2e.js"
run_flows Python "$PY_PORT" "$PY_CLIENT" "$VENV/bin/python" sdks/python/tests/e2e.py
# The README's SDK examples, literally: the block after each `<!-- sdk-check: … -->`.
readme_block() {
  awk -v tag="<!-- sdk-check: $1 -->" '$0 == tag { want = 1; next }
    want && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }' README.md
}
mkdir -p "$DATA/readme/node_modules/@ponte"
ln -s "$ROOT/$TS" "$DATA/readme/node_modules/@ponte/sdk"
readme_block typescript >"$DATA/readme/readme.mjs"
readme_block python >"$DATA/readme/readme.py"
[ -s "$DATA/readme/readme.mjs" ] && [ -s "$DATA/readme/readme.py" ] || fail "README: no SDK example marked <!-- sdk-check: … -->"
# Their output (link URLs with tokens) stays out of the log unless they fail.
readme_run() { # name port client-json command…
  local name=$1
  if ! (cd "$DATA/readme" && run_flows "$@" >"$DATA/readme/out.txt" 2>&1); then
    cat "$DATA/readme/out.txt" >&2
    fail "$name failed"
  fi
  echo "ran the $name example"
}
readme_run "README TypeScript" "$TS_PORT" "$TS_CLIENT" node readme.mjs
readme_run "README Python" "$PY_PORT" "$PY_CLIENT" "$VENV/bin/python" readme.py
say "both SDKs: generated without drift, packaged, and every flow passed"
