#!/usr/bin/env bash
# Callers during ERP faults: for each fault, concurrent callers try to repeat their last order against the handler +
# DemoErp; afterwards the fault is lifted, the queue drains, and the ERP's orders are compared with the accepted ones.
# Faults (DemoErp POST /admin/faults, or the process stopped): slow (twice the 1500 ms budget), 5xx on every request,
# down, and 5xx on the commit only (POST /transactions/{id}/commit: prepared, accepted, then the commit fails until
# the fault is lifted). Usage: scripts/faults.sh [concurrent calls (default 20)] [calls per fault (default 100)]
# FAULTS="slow down" picks some of: none slow 5xx down commit-5xx.
# Then the fault drills of the other parts (tests/FunctionsIvr.Tests/Faults, also run by scripts/test.sh): Table Storage
# down mid-call and hanging mid-call (connections accepted, nothing answered), Service Bus sends failing and hanging, SMTP
# down and hanging, an ERP commit failing for a few seconds (ridden out by the pause before a failed delivery is
# answered) and until it is dead-lettered. Each drives whole calls through the real handler
# (Azurite, the in-process Service Bus fake delivered as the Functions host does, a real SMTP listener) and appends its
# row to .local/bench/faults-drills.md. ERP=0 runs only the drills, DRILLS=0 only the ERP part.
# Loopback only, bounded by the call counts. Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONCURRENCY=${1:-20}
CALLS=${2:-100}
ERP_PORT=${BENCH_ERP_PORT:-5191}; IVR_PORT=${BENCH_IVR_PORT:-7191}
ERP_URL=http://127.0.0.1:$ERP_PORT; IVR_URL=http://127.0.0.1:$IVR_PORT
HASH=bench-hash; CONTACT=c-1001
ACCEPTED_PROMPT=$(python3 -c "import json; print(json.load(open('src/FunctionsIvr/appsettings.json'))['Prompts']['order_accepted'])")
OUT=$ROOT/.local/bench; mkdir -p "$OUT"
ESCALATIONS=$ROOT/src/FunctionsIvr/.local   # the handler's content root: tickets/, mail/, whatsapp/

pids=(); ERP_PID=
stop_all() { for pid in "${pids[@]}" $ERP_PID; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT INT TERM
# Another run (or a bench) on these ports would answer for us and get its DemoErp reset: refuse to start instead.
port_taken() { (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_http() { for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "not answering: $1" >&2; return 1; }
erp() { curl -fsS -H 'X-Api-Key: demo-key' -H 'Content-Type: application/json' "$@"; }
orders() { erp "$ERP_URL/orders?contactId=$CONTACT&pageSize=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['totalCount'])"; }
escalations() { { find "$ESCALATIONS" -type f 2>/dev/null || true; } | wc -l; }
start_erp() {
  ASPNETCORE_URLS=$ERP_URL Logging__LogLevel__Default=Warning \
    dotnet src/FunctionsIvr.DemoErp/bin/Release/net10.0/FunctionsIvr.DemoErp.dll >>"$OUT/faults-erp.log" 2>&1 &
  ERP_PID=$!; wait_http "$ERP_URL/health"
}

if [ "${ERP:-1}" != 0 ]; then
for port in "$ERP_PORT" "$IVR_PORT"; do
  if port_taken "$port"; then
    echo "127.0.0.1:$port is already in use (another faults or bench run?); pick free ports with BENCH_ERP_PORT / BENCH_IVR_PORT" >&2
    exit 1
  fi
done
for project in src/FunctionsIvr src/FunctionsIvr.DemoErp bench/LoadDriver; do dotnet build "$project" -c Release --nologo -v quiet >/dev/null; done
: >"$OUT/faults-erp.log"
start_erp
(cd src/FunctionsIvr && ASPNETCORE_URLS=$IVR_URL ASPNETCORE_ENVIRONMENT=Production Erp__BaseUrl=$ERP_URL Erp__ApiKey=demo-key \
  Ivr__Hash=$HASH Ivr__SessionKey=$(head -c 32 /dev/urandom | base64) \
  exec dotnet bin/Release/net10.0/FunctionsIvr.dll >"$OUT/faults-ivr.log" 2>&1) &
pids+=($!)
wait_http "$IVR_URL/"

rows=(); problems=()
for fault in ${FAULTS:-none slow 5xx down commit-5xx}; do
  erp -X POST "$ERP_URL/admin/reset" >/dev/null   # stock and orders as seeded
  erp -X DELETE "$ERP_URL/admin/faults" >/dev/null
  sleep 2
  before=$(orders); escalated_before=$(escalations)
  case $fault in
    slow) erp -X POST -d '{"latencyMs":3000}' "$ERP_URL/admin/faults" >/dev/null ;;
    5xx) erp -X POST -d '{"failureRate":1,"failStatus":503}' "$ERP_URL/admin/faults" >/dev/null ;;
    down) kill "$ERP_PID"; wait "$ERP_PID" 2>/dev/null || true ;;
    commit-5xx) erp -X POST -d '{"pathFaults":[{"prefix":"/transactions/","failureRate":1,"failStatus":503}]}' "$ERP_URL/admin/faults" >/dev/null ;;
  esac
  # The driver exits 1 on an invalid answer or an error; its RESULT line says which, and the check below fails the run.
  result=$(dotnet bench/LoadDriver/bin/Release/net10.0/LoadDriver.dll --label "$fault" --url "$IVR_URL/api/ivr" \
    --connections "$CONCURRENCY" --max-calls "$CALLS" --seconds 120 --warmup 0 --hash $HASH \
    --script "2,1" --max-steps 20 --count-prompt "$ACCEPTED_PROMPT" | tee -a "$OUT/faults.txt" | grep '^RESULT' || true)
  # Recovery: the fault is lifted (a restarted DemoErp keeps no orders, so "down" counts from its fresh seed).
  if [ "$fault" = down ]; then start_erp; before=$(orders); else erp -X DELETE "$ERP_URL/admin/faults" >/dev/null; fi
  # The orders count unchanged for 40 s: longer than the app's longest pause between two deliveries of a commit (30 s).
  last=-1; stable=0
  for _ in $(seq 1 180); do
    now=$(orders); if [ "$now" = "$last" ]; then stable=$((stable + 1)); [ $stable -ge 40 ] && break; else stable=0; fi
    last=$now; sleep 1
  done
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result" | head -n 1; }
  committed=$((last - before))
  rows+=("| $fault | $(field calls) | $(field requests) | $(field invalid) | $(field errors) | $(field overruns) | $(field p99) | $(field prompt_heard) | $committed | $(($(escalations) - escalated_before)) |")
  # What callers got must hold whatever the fault: valid answers, in budget, and every accepted order committed.
  if [ -z "$result" ]; then problems+=("$fault: the driver printed no result (see $OUT/faults.txt)")
  else
    for counted in invalid errors overruns; do
      [ "$(field $counted)" = 0 ] || problems+=("$fault: $counted $(field $counted)")
    done
    [ "$committed" = "$(field prompt_heard)" ] || problems+=("$fault: $(field prompt_heard) orders accepted, $committed committed")
  fi
done

{
  echo
  echo "| ERP fault | calls | callbacks | invalid answers | errors | over budget (1500 ms) | p99 ms | orders accepted | orders committed after recovery | escalations written |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee "$OUT/faults-summary.md"
stop_all; pids=(); ERP_PID=
if [ ${#problems[@]} -gt 0 ]; then
  erp_failed=1
  echo "callers during ERP faults: a must-hold figure broke:" >&2
  printf '  %s\n' "${problems[@]}" >&2
fi
fi

if [ "${DRILLS:-1}" != 0 ]; then
  # The drills start their own Azurite (installed into .tools/ like scripts/test.sh does) unless
  # FUNCTIONSIVR_TEST_AZURITE_TABLE_ENDPOINT points at one.
  drills=$OUT/faults-drills.md; rm -f "$drills"
  # Detailed console logging keeps each drill's own lines in the log, passing or not: every answer of every order call
  # with its prompt and time (heard=…@ms), so a slow answer can be traced to its step.
  FAULT_DRILL_REPORT=$drills dotnet test tests/FunctionsIvr.Tests --nologo -v q --logger "console;verbosity=detailed" \
    --filter "FullyQualifiedName~FunctionsIvr.Tests.Faults." >"$OUT/faults-drills.log" 2>&1 \
    || { drills_failed=1; echo "fault drills failed (an invariant broke, see $OUT/faults-drills.log):" >&2; grep -E "Failed |Error Message" -A2 "$OUT/faults-drills.log" >&2 || true; }
  echo
  echo "Fault drills (every answer checked; 'committed' = the ERP holds exactly one order for the transaction and the outbox says Committed):"
  if [ -s "$drills" ]; then cat "$drills"; else echo "(no drill wrote its row; see $OUT/faults-drills.log)"; fi
  [ -z "${drills_failed:-}" ] || exit 1
fi
[ -z "${erp_failed:-}" ] || exit 1
