#!/usr/bin/env bash
# Whole calls under load, through the simulator's load mode: many concurrent simulated calls, paced like real callers
# (a pause before every callback: listening to the prompt, pressing keys), follow the load mix in scenarios/load
# (repeat orders by two demo callers, order status, a guest's price check and an order by keypad code) against the
# handler as deployed (Release, Production, Hash and Session signing on, in-memory state, in-process queue) and the
# DemoErp with its stock multiplied so stock never runs out. After the calls the simulator waits for the commit
# queue to drain and checks, call by call in the DemoErp (GET /admin/placed-orders), that every order a caller heard
# accepted was committed exactly once.
#
# Usage: scripts/load.sh [concurrent calls (default 1000)] [calls in all (default 2 × concurrent)]
# Environment (defaults): THINK_MS (2000) mean pause before each callback, THINK_JITTER (0.5) pause spread ±50 %,
#   RAMP_UP_MS (20000) the first wave of calls starts within this, DRAIN_SECONDS (120) longest wait for the commits,
#   STOCK_MULTIPLIER (10000) DemoErp stock × this, MAX_SECONDS (900) hard bound on the simulator,
#   BUDGET_MS (1500, the handler's Ivr:CallbackBudgetMs) an answer slower than this is an overrun,
#   LOAD_ERP_PORT (5291), LOAD_IVR_PORT (7291): both must be free (the script refuses to measure someone else's servers).
# Prints the simulator's report, then the Markdown row for docs/performance.md and "orders committed exactly once:
# yes|NO (…)" (also in .local/bench/load-summary.md). Exit 0 only when invalid answers, errors, budget overruns,
# duplicates and missing orders are all 0. Loopback only. Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONCURRENCY=${1:-1000}
CALLS=${2:-$((2 * CONCURRENCY))}
THINK_MS=${THINK_MS:-2000}; THINK_JITTER=${THINK_JITTER:-0.5}; RAMP_UP_MS=${RAMP_UP_MS:-20000}
DRAIN_SECONDS=${DRAIN_SECONDS:-120}; BUDGET_MS=${BUDGET_MS:-1500}; STOCK_MULTIPLIER=${STOCK_MULTIPLIER:-10000}; MAX_SECONDS=${MAX_SECONDS:-900}
ERP_PORT=${LOAD_ERP_PORT:-5291}; IVR_PORT=${LOAD_IVR_PORT:-7291}
ERP_URL=http://127.0.0.1:$ERP_PORT; IVR_URL=http://127.0.0.1:$IVR_PORT
HASH=load-hash
OUT=$ROOT/.local/bench; mkdir -p "$OUT"

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT INT TERM
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$ERP_PORT" "$IVR_PORT"; do
  if listening "$port"; then echo "load: port $port is already in use; set LOAD_ERP_PORT / LOAD_IVR_PORT to free ports" >&2; exit 2; fi
done
wait_http() { for _ in $(seq 1 300); do curl -fsS -o /dev/null "$@" 2>/dev/null && return 0; sleep 0.1; done; echo "not answering: $*" >&2; return 1; }
# A thousand calls hold a thousand sockets on each side of the loopback.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

for project in src/FunctionsIvr src/FunctionsIvr.DemoErp src/FunctionsIvr.Simulator; do
  dotnet build "$project" -c Release --nologo -v quiet >/dev/null
done

ASPNETCORE_URLS=$ERP_URL Logging__LogLevel__Default=Warning DemoErp__StockMultiplier=$STOCK_MULTIPLIER \
  dotnet src/FunctionsIvr.DemoErp/bin/Release/net10.0/FunctionsIvr.DemoErp.dll >"$OUT/load-erp.log" 2>&1 &
pids+=($!)
(cd src/FunctionsIvr && ASPNETCORE_URLS=$IVR_URL ASPNETCORE_ENVIRONMENT=Production Erp__BaseUrl=$ERP_URL Erp__ApiKey=demo-key \
  Ivr__Hash=$HASH Ivr__SessionKey=$(head -c 32 /dev/urandom | base64) \
  exec dotnet bin/Release/net10.0/FunctionsIvr.dll >"$OUT/load-ivr.log" 2>&1) &
pids+=($!)
wait_http "$ERP_URL/health"; wait_http "$IVR_URL/"
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "load: a server did not start; see $OUT/load-erp.log and $OUT/load-ivr.log" >&2; exit 2; }
done

echo "load: $CONCURRENCY concurrent calls, $CALLS in all, scenarios/load in turn; pause ${THINK_MS} ms ± $(python3 -c "print(round($THINK_JITTER * 100))") % before each callback, first wave within ${RAMP_UP_MS} ms; DemoErp stock × $STOCK_MULTIPLIER"
set +e
timeout "$MAX_SECONDS" dotnet src/FunctionsIvr.Simulator/bin/Release/net10.0/FunctionsIvr.Simulator.dll load \
  --url "$IVR_URL/api/ivr" --hash "$HASH" --budget-ms "$BUDGET_MS" --prompts src/FunctionsIvr/appsettings.json \
  --calls "$CALLS" --concurrency "$CONCURRENCY" --scenario scenarios/load \
  --think-ms "$THINK_MS" --think-jitter "$THINK_JITTER" --ramp-up-ms "$RAMP_UP_MS" \
  --erp-url "$ERP_URL" --erp-api-key demo-key --drain-seconds "$DRAIN_SECONDS" \
  --markdown --overruns-fail | tee "$OUT/load.txt"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 124 ]; then
  echo "load: the simulator did not finish within $MAX_SECONDS s (MAX_SECONDS); no summary" >&2
  exit 124
fi

{
  echo
  echo "$CONCURRENCY concurrent calls wanted, $CALLS calls, pause ${THINK_MS} ms ± $(python3 -c "print(round($THINK_JITTER * 100))") %, ramp-up ${RAMP_UP_MS} ms, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  grep -E '^\|' "$OUT/load.txt" | tail -n 3
  echo
  grep -E '^orders committed exactly once:' "$OUT/load.txt" | tail -n 1
} | tee "$OUT/load-summary.md"
exit "$rc"
