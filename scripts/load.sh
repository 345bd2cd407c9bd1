#!/usr/bin/env bash
# Whole calls under load: many concurrent simulated callers repeat their last order against the handler + DemoErp
# (in-memory state, in-process queue), then, once the queue has drained, the orders in the ERP are compared with the
# orders the callers heard accepted: each must be committed exactly once.
# Usage: scripts/load.sh [concurrent calls (default 1000)] [calls in all (default 2000)]
# Loopback only; bounded by the call count and 180 s. Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONCURRENCY=${1:-1000}
CALLS=${2:-2000}
ERP_PORT=${BENCH_ERP_PORT:-5191}; IVR_PORT=${BENCH_IVR_PORT:-7191}
ERP_URL=http://127.0.0.1:$ERP_PORT; IVR_URL=http://127.0.0.1:$IVR_PORT
HASH=bench-hash
CONTACT=c-1001   # Jan Kowalski, 48600100200: "the usual" is his last order
ACCEPTED_PROMPT=$(python3 -c "import json; print(json.load(open('src/FunctionsIvr/appsettings.json'))['Prompts']['order_accepted'])")
OUT=$ROOT/.local/bench; mkdir -p "$OUT"

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT INT TERM
wait_http() { for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "not answering: $1" >&2; return 1; }
orders() { curl -fsS -H 'X-Api-Key: demo-key' "$ERP_URL/orders?contactId=$CONTACT&pageSize=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['totalCount'])"; }

for project in src/FunctionsIvr src/FunctionsIvr.DemoErp bench/LoadDriver; do dotnet build "$project" -c Release --nologo -v quiet >/dev/null; done

ASPNETCORE_URLS=$ERP_URL Logging__LogLevel__Default=Warning \
  dotnet src/FunctionsIvr.DemoErp/bin/Release/net10.0/FunctionsIvr.DemoErp.dll >"$OUT/load-erp.log" 2>&1 &
pids+=($!)
(cd src/FunctionsIvr && ASPNETCORE_URLS=$IVR_URL ASPNETCORE_ENVIRONMENT=Production Erp__BaseUrl=$ERP_URL Erp__ApiKey=demo-key \
  Ivr__Hash=$HASH Ivr__SessionKey=$(head -c 32 /dev/urandom | base64) \
  exec dotnet bin/Release/net10.0/FunctionsIvr.dll >"$OUT/load-ivr.log" 2>&1) &
pids+=($!)
wait_http "$ERP_URL/health"; wait_http "$IVR_URL/"

before=$(orders)
# Menu key 2 (repeat the last order), hear the summary, 1 to confirm; then the main menu times out to the end.
result=$(dotnet bench/LoadDriver/bin/Release/net10.0/LoadDriver.dll --label load --url "$IVR_URL/api/ivr" \
  --connections "$CONCURRENCY" --max-calls "$CALLS" --seconds 180 --warmup 0 --hash $HASH \
  --script "2,1" --max-steps 20 --count-prompt "$ACCEPTED_PROMPT" | tee "$OUT/load.txt" | grep '^RESULT' || true)
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result" | head -n 1; }

# The commits run on the in-process queue after the callers heard "accepted": wait until the count stops moving.
last=-1; stable=0
for _ in $(seq 1 120); do
  now=$(orders)
  if [ "$now" = "$last" ]; then stable=$((stable + 1)); [ $stable -ge 5 ] && break; else stable=0; fi
  last=$now; sleep 1
done
committed=$((last - before))

cat <<TXT | tee "$OUT/load-summary.md"

| concurrent calls | calls | callbacks | p50 ms | p99 ms | invalid answers | errors | budget overruns (1500 ms) | orders accepted | orders committed after drain |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| $CONCURRENCY | $(field calls) | $(field requests) | $(field p50) | $(field p99) | $(field invalid) | $(field errors) | $(field overruns) | $(field prompt_heard) | $committed |

orders committed exactly once: $([ "$committed" = "$(field prompt_heard)" ] && echo yes || echo "NO ($committed committed for $(field prompt_heard) accepted)")
TXT
