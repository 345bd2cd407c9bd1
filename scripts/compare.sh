#!/usr/bin/env bash
# Is a change to the handler faster or slower? Compares the handler built from the working tree ("new") with the
# handler at a git revision ("old", default HEAD), on this machine, over loopback only.
#
# Both run at once, as deployed (Production settings, Hash and Session signing on, Information logs as JSON, the
# DemoErp as ERP, in-process queue, in-memory state), and one load driver process alternates slices between them
# (old, new, old, new, …) as scripts/bench.sh does for its ratio: this shared machine's speed drifts by a third within
# minutes, so two runs a minute apart compare the machine, not the builds. The driver also favours one of its two
# targets by a per cent or two, so the comparison runs twice, each build once in each place, and the figure is the
# geometric mean of the two ratios. Run the same build against itself (no change in the working tree) to see the noise.
#
# Usage: scripts/compare.sh [REV]
# COMPARE_ROUNDS (10) slices per build and order, COMPARE_SLICE (2) seconds per slice, COMPARE_WARMUP (20) unmeasured
# seconds for each build first (the JIT's background tiering). About 2.5 minutes plus the builds.
# Ports (loopback): COMPARE_ERP_PORT 5291, COMPARE_OLD_PORT 7291, COMPARE_NEW_PORT 7292.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REV=${1:-HEAD}
ROUNDS=${COMPARE_ROUNDS:-10}; SLICE=${COMPARE_SLICE:-2}; WARMUP=${COMPARE_WARMUP:-20}
ERP_PORT=${COMPARE_ERP_PORT:-5291}; OLD_PORT=${COMPARE_OLD_PORT:-7291}; NEW_PORT=${COMPARE_NEW_PORT:-7292}
HASH=compare-hash
SESSION_KEY=$(head -c 32 /dev/urandom | base64)
OUT=$ROOT/.local/compare; mkdir -p "$OUT"
WORK=$(mktemp -d)
DRIVER="dotnet $ROOT/bench/LoadDriver/bin/Release/net10.0/LoadDriver.dll"
SCRIPT="3,32525,9" # the bench's call: a known caller looks up a product by its keypad code

git rev-parse --verify --quiet "$REV^{commit}" >/dev/null || { echo "not a revision: $REV" >&2; exit 2; }
for port in "$ERP_PORT" "$OLD_PORT" "$NEW_PORT"; do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "127.0.0.1:$port is already in use; pick free ports with COMPARE_ERP_PORT / COMPARE_OLD_PORT / COMPARE_NEW_PORT" >&2
    exit 1
  fi
done

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  git worktree remove --force "$WORK/old" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop_all EXIT INT TERM

wait_http() {
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "not answering: $1" >&2; return 1
}

echo "== building Release: the working tree, and $REV ($(git rev-parse --short "$REV")) in a temporary worktree"
for project in src/FunctionsIvr src/FunctionsIvr.DemoErp bench/LoadDriver; do
  dotnet build "$project" -c Release --nologo -v quiet >/dev/null
done
git worktree add --detach --quiet "$WORK/old" "$REV"
dotnet build "$WORK/old/src/FunctionsIvr" -c Release --nologo -v quiet >/dev/null

(cd src/FunctionsIvr.DemoErp/bin/Release/net10.0 && ASPNETCORE_URLS=http://127.0.0.1:$ERP_PORT Logging__LogLevel__Default=Warning \
  exec dotnet FunctionsIvr.DemoErp.dll >"$OUT/erp.log" 2>&1) &
pids+=($!)
start_handler() { # folder port label
  (cd "$1" && exec env ASPNETCORE_URLS=http://127.0.0.1:$2 ASPNETCORE_ENVIRONMENT=Production \
    Erp__BaseUrl=http://127.0.0.1:$ERP_PORT Erp__ApiKey=demo-key Ivr__Hash=$HASH Ivr__SessionKey=$SESSION_KEY \
    dotnet bin/Release/net10.0/FunctionsIvr.dll >"$OUT/$3.log" 2>&1) &
  pids+=($!)
}
start_handler "$WORK/old/src/FunctionsIvr" "$OLD_PORT" old
start_handler "$ROOT/src/FunctionsIvr" "$NEW_PORT" new
wait_http "http://127.0.0.1:$ERP_PORT/health"; wait_http "http://127.0.0.1:$OLD_PORT/"; wait_http "http://127.0.0.1:$NEW_PORT/"

url() { echo "http://127.0.0.1:$1/api/ivr"; }
echo "== unmeasured ${WARMUP} s against each"
for port in "$OLD_PORT" "$NEW_PORT"; do
  warm=$($DRIVER --label warm-up --url "$(url "$port")" --connections 64 --seconds 1 --warmup "$WARMUP" --hash $HASH --script "$SCRIPT" || true)
  grep -q '^RESULT .* invalid=0 errors=0 ' <<<"$warm" \
    || { echo "the warm-up against :$port gave invalid answers or errors:" >&2; grep -E '^RESULT|^  problem' <<<"$warm" >&2 || true; exit 1; }
done

side_by_side() { # first-label first-port second-label second-port
  $DRIVER --label "$1" --url "$(url "$2")" --also-label "$3" --also-url "$(url "$4")" --rounds "$ROUNDS" \
    --connections 64 --seconds "$SLICE" --warmup 1 --hash $HASH --script "$SCRIPT" | grep -E '^RESULT|^  problem' | tee -a "$OUT/runs.txt" || true
}
field() { sed -n "s/.*label=$2 .* $3=\([^ ]*\).*/\1/p" <<<"$1" | head -n 1; }

echo "== $ROUNDS slices of $SLICE s each, old first"
first=$(side_by_side old "$OLD_PORT" new "$NEW_PORT")
echo "== $ROUNDS slices of $SLICE s each, new first"
second=$(side_by_side new "$NEW_PORT" old "$OLD_PORT")

for line in "$first" "$second"; do
  for build in old new; do
    [ "$(field "$line" "$build" invalid)" = 0 ] && [ "$(field "$line" "$build" errors)" = 0 ] \
      || { echo "the $build build gave invalid answers or errors:" >&2; grep -E '^  problem' <<<"$line" >&2 || true; exit 1; }
  done
done

python3 - "$(field "$first" old rps)" "$(field "$first" new rps)" "$(field "$second" old rps)" "$(field "$second" new rps)" \
  "$(field "$first" old p99)" "$(field "$first" new p99)" "$(field "$second" old p99)" "$(field "$second" new p99)" \
  "$(git rev-parse --short "$REV")" <<'PY'
import math, sys
old1, new1, old2, new2, p_old1, p_new1, p_old2, p_new2 = map(float, sys.argv[1:9])
rev = sys.argv[9]
print()
print("| build | order | requests/s | p99 ms |")
print("|---|---|---:|---:|")
print(f"| old ({rev}) | first | {old1:.0f} | {p_old1:.2f} |")
print(f"| new (working tree) | second | {new1:.0f} | {p_new1:.2f} |")
print(f"| new (working tree) | first | {new2:.0f} | {p_new2:.2f} |")
print(f"| old ({rev}) | second | {old2:.0f} | {p_old2:.2f} |")
print()
print(f"throughput new/old: {math.sqrt((new1 / old1) * (new2 / old2)):.3f} (old first {new1 / old1:.3f}, new first {new2 / old2:.3f})")
PY
