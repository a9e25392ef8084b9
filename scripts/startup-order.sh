#!/usr/bin/env bash
# Writes crates/ponte/startup-order.txt: the functions of the release `ponte` that `ponte serve`
# runs from exec until it has answered /healthz and idled for a few seconds (SQLite, sandbox on,
# every worker running), as valgrind's callgrind saw them. crates/ponte/build.rs hands the list to
# the linker, which puts those functions together at the front of the machine code, so an idle
# server maps a few MB of the executable instead of nearly all of it (README, Benchmarks, memory).
# Run it on a fresh release build after changes that move start-up code, then rebuild:
#
#   cargo build --release -p ponte && scripts/startup-order.sh && cargo build --release -p ponte
#
# The build must be `cargo build --release -p ponte` itself: a `cargo bench` builds the same
# binary with its dev-dependencies' features, whose functions have other names, and a list
# written from it matched nothing of the real build (idle RSS 26.5 MiB instead of 16.7).
# Needs valgrind and python3; takes a minute or two (start-up runs ~50 times slower under callgrind).
#
#   scripts/startup-order.sh --check [BIN]   # how much of the list BIN has; fails if 8 are missing
#
# Every listed function the build names differently (an LTO suffix moves with any change) lands
# somewhere else in the 28 MB and maps its own 64 KiB around it at start: 56 of 4,389 missing
# (98.7 % there) cost 2.6 MiB of idle RSS (17.5-17.8 MiB instead of 14.9-15.1).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=crates/ponte/startup-order.txt
if [ "${1:-}" = --check ]; then
  BIN=${2:-target/release/ponte}
  have=$(nm "$BIN" | awk '{print $3}' | sort -u | comm -12 - <(sort -u "$OUT") | wc -l)
  total=$(sort -u "$OUT" | wc -l)
  echo "$BIN has $have of the $total functions in $OUT"
  if [ $((total - have)) -ge 8 ]; then
    echo "the list is stale: scripts/startup-order.sh $BIN, then cargo build --release -p ponte" >&2
    exit 1
  fi
  exit 0
fi
BIN=${1:-target/release/ponte}
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
D=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$D"' EXIT
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PONTE_DATA_DIR=$D/data PONTE_DATABASE_URL="sqlite://$D/p.db?mode=rwc" PONTE_LISTEN=127.0.0.1:$PORT \
PONTE_PUBLIC_URL=http://127.0.0.1:$PORT PONTE_LOG=warn \
PONTE_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= \
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$D/cg.out" "$BIN" serve >/dev/null 2>"$D/err" &
PID=$!
for _ in $(seq 1 600); do
  curl -fs -m 5 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$D/err" >&2; exit 1; }
  sleep 1
done
sleep 10
kill -INT "$PID"; wait "$PID" 2>/dev/null || true; PID=
python3 - "$D/cg.out" "$(realpath "$BIN")" "$OUT" <<'PY'
import re, sys
cg, binary, out = sys.argv[1:]
objects, names, obj, seen = {}, {}, None, []
for line in open(cg, errors="replace"):
    m = re.match(r"(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
    if not m:
        continue
    kind, ident, name = m.groups()
    table = objects if kind.endswith("ob") else names
    if name:
        table[ident] = name
    if kind == "ob":
        obj = objects[ident]
    elif kind == "fn" and obj == binary:
        seen.append(re.sub(r"'\d+$", "", names[ident]))  # callgrind's recursion-depth suffix
# Sorted, so that a new list's diff shows what start-up runs differently.
order = sorted({n for n in seen if not n.startswith("0x") and n != "(below main)"})
with open(out, "w") as f:
    f.write("".join(n + "\n" for n in order))
print(f"{out}: {len(order)} functions")
PY
