#!/usr/bin/env bash
# Measures the IVR handler beside a bare minimal API on this machine, in one run, over loopback only:
#   throughput and latency of whole multi-step calls (and, at 512 connections, how long callbacks wait when they queue
#   in front of the handler), storage round trips per callback, peak RSS under load, and cold start of the published
#   executables. The handler runs three times, as deployed (Production settings, Hash and
#   Session signing on, Information logs as JSON, the DemoErp as ERP, in-process queue):
#     ivr          in-memory state, ERP reads cached as configured by default (Erp:ContactCacheSeconds 60,
#                  Erp:ProductCacheSeconds 30)
#     ivr-nocache  the same with both caches off: every call asks the ERP (the bench repeats one caller and one
#                  product, so "ivr" is the best case for the ERP and this the worst); not with --quick
#     ivr-azurite  state in Table Storage on a local Azurite (installed from npm into .tools/ like scripts/test.sh)
# The ratio's two sides, the bare endpoint and "ivr", are measured side by side by one load driver process, in
# alternating slices (bare, ivr, bare, ivr, …) merged per side (requests over the summed time, percentiles over every
# request): this shared machine's speed drifts by a third within minutes, and one run of each, a minute apart, made
# the ratio drift with it. One process, so the driver's own JIT is over before any slice is measured.
# Usage: scripts/bench.sh [--quick] [--skip-cold-start] [--skip-azurite]
#   --quick   shorter runs (under five minutes including the build); the default runs longer for steadier figures.
# BENCH_IVR_LOG_LEVEL (default Information, as deployed) sets the handler's Logging:LogLevel:Default.
# Ports (loopback): BENCH_ERP_PORT 5191, BENCH_IVR_PORT 7191, BENCH_BARE_PORT 7192; Azurite on a free port.
# Output also lands in .local/bench/. Not part of scripts/test.sh: it loads the machine on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

QUICK=0; COLD=1; AZURITE=1
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --skip-cold-start) COLD=0 ;;
    --skip-azurite) AZURITE=0 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

# --quick: shorter runs, at 64 connections only (the figures the ratios use).
# A fresh process is not at its steady speed for its first 20 s or so under full load: the JIT's background tiering
# competes with the load for the two cores. The bare endpoint and the ivr pass (the ratio and p99 figures) therefore
# start with an unmeasured run of STEADY_WARMUP s: the process as it runs for hours, not as it starts. The ERP- and
# Azurite-bound passes are not held back by the JIT and start with the short warm-up only.
if [ "$QUICK" = 1 ]; then SECONDS_PER_RUN=8; WARMUP=3; COLD_RUNS=3; CONNECTIONS="64"; STEADY_WARMUP=20; ROUNDS=4; SLICE=2
else SECONDS_PER_RUN=30; WARMUP=5; COLD_RUNS=5; CONNECTIONS="8 64"; STEADY_WARMUP=30; ROUNDS=6; SLICE=5; fi
# Overload: eight times the connections of the headline figure, so callbacks queue in front of the handler (accepted
# by the socket, waiting for a thread) and the answer time seen by the caller's side shows it.
OVERLOAD_CONNECTIONS=512
BENCH_STARTED=$(date +%s)
took() { echo "$(( $(date +%s) - BENCH_STARTED ))s"; }
ERP_PORT=${BENCH_ERP_PORT:-5191}; IVR_PORT=${BENCH_IVR_PORT:-7191}; BARE_PORT=${BENCH_BARE_PORT:-7192}
ERP_URL=http://127.0.0.1:$ERP_PORT; IVR_URL=http://127.0.0.1:$IVR_PORT; BARE_URL=http://127.0.0.1:$BARE_PORT
HASH=bench-hash
SESSION_KEY=$(head -c 32 /dev/urandom | base64)
OUT=$ROOT/.local/bench; mkdir -p "$OUT"
WORK=$(mktemp -d); DRIVER="dotnet $ROOT/bench/LoadDriver/bin/Release/net10.0/LoadDriver.dll"

# Another run's servers on these ports would answer for ours and be measured instead: refuse to start.
for port in "$ERP_PORT" "$IVR_PORT" "$BARE_PORT" 7193 7194; do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "127.0.0.1:$port is already in use (another bench run?); pick free ports with BENCH_ERP_PORT / BENCH_IVR_PORT / BENCH_BARE_PORT" >&2
    exit 1
  fi
done

pids=(); PUBLISH_PID=
stop_all() {
  if [ -n "$PUBLISH_PID" ]; then kill -- "-$PUBLISH_PID" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"
}
trap stop_all EXIT INT TERM

wait_http() { # url [method]
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "not answering: $1" >&2; return 1
}

# Azurite comes from npm (network-bound) while the build uses the cores: both at once.
AZURITE_INSTALL_PID=
if [ "$AZURITE" = 1 ] && [ ! -x .tools/azurite/node_modules/.bin/azurite ]; then
  echo "== installing azurite@3.37.0 into .tools/azurite (in the background)"
  npm install --silent --no-audit --no-fund --prefix .tools/azurite azurite@3.37.0 >"$OUT/azurite-install.log" 2>&1 &
  AZURITE_INSTALL_PID=$!
fi

echo "== building Release"
dotnet build src/FunctionsIvr -c Release --nologo -v quiet >/dev/null
# The composite publish for the cold start (one to two minutes of crossgen) runs beside the other builds and the
# Azurite install, and is awaited before anything is measured. It starts after the handler's own build (both restore
# into the project's one assets file), in its own process group, so that stopping the bench stops the compiler too.
if [ "$COLD" = 1 ]; then
  echo "== publishing the handler for the cold start (in the background)"
  setsid -w dotnet publish src/FunctionsIvr -c Release -o "$WORK/ivr" --nologo -v quiet >"$OUT/publish.log" 2>&1 &
  PUBLISH_PID=$!
fi
for project in src/FunctionsIvr.DemoErp bench/LoadDriver; do
  dotnet build "$project" -c Release --nologo -v quiet >/dev/null
done
# The bare endpoint's publish builds it too (framework-dependent: bin/ holds the same build).
dotnet publish bench/BareEndpoint -c Release -o "$WORK/bare" --nologo -v quiet >/dev/null
if [ -n "$PUBLISH_PID" ]; then
  wait "$PUBLISH_PID" || { echo "publishing the handler failed: see $OUT/publish.log" >&2; exit 1; }
  PUBLISH_PID=
fi

echo "== starting DemoErp ($ERP_URL) and bare endpoint ($BARE_URL)"
# Each from its own output folder: its content root, whose configuration files it watches. Started from the
# repository, both woke up for every line the handler logs into .local/bench.
(cd src/FunctionsIvr.DemoErp/bin/Release/net10.0 && ASPNETCORE_URLS=$ERP_URL Logging__LogLevel__Default=Warning \
  exec dotnet FunctionsIvr.DemoErp.dll >"$OUT/erp.log" 2>&1) &
pids+=($!)
(cd bench/BareEndpoint/bin/Release/net10.0 && ASPNETCORE_URLS=$BARE_URL exec dotnet BareEndpoint.dll >"$OUT/bare.log" 2>&1) &
BARE_PID=$!; pids+=($BARE_PID)
wait_http "$ERP_URL/health"; wait_http "$BARE_URL/"

IVR_PID=
start_ivr() { # label [VAR=value ...]: the handler as deployed, except that storage round trips are counted
  local label=$1; shift
  (cd src/FunctionsIvr && exec env ASPNETCORE_URLS=$IVR_URL ASPNETCORE_ENVIRONMENT=Production Erp__BaseUrl=$ERP_URL Erp__ApiKey=demo-key \
    Ivr__Hash=$HASH Ivr__SessionKey=$SESSION_KEY Diagnostics__CountStorage=true \
    Logging__LogLevel__Default=${BENCH_IVR_LOG_LEVEL:-Information} "$@" \
    dotnet bin/Release/net10.0/FunctionsIvr.dll >"$OUT/$label.log" 2>&1) &
  IVR_PID=$!; pids+=($IVR_PID)
  wait_http "$IVR_URL/"
}
stop_ivr() { kill "$IVR_PID" 2>/dev/null || true; wait "$IVR_PID" 2>/dev/null || true; }

# A caller of the demo data looks up a product by its keypad code: Connected (contact lookup in the ERP),
# greeting, menu key 3, code 32525 (product search in the ERP), price and stock read out, then the product menu.
SCRIPT="3,32525,9"
# The driver exits 1 on an invalid answer or an error; its output goes on (it says which), and clean() stops the bench.
run() { # label url connections
  $DRIVER --label "$1" --url "$2" --connections "$3" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" \
    --hash $HASH --script "$SCRIPT" | tee -a "$OUT/runs.txt" || true
}
clean() { # label result-line: stops the bench, saying why, unless the run has a result with 0 invalid answers and 0 errors
  if [ -z "$2" ] || [ "$(field "$2" invalid)" != 0 ] || [ "$(field "$2" errors)" != 0 ]; then
    echo "bench: the $1 run gave invalid answers or errors, or no result: ${2:-(none)}" >&2
    grep -E '^  problem' "$OUT/runs.txt" | tail -n 6 >&2 || true
    exit 1
  fi
}
steady_warm_up() { # url: an unmeasured run until the process runs its optimised code
  local warm
  warm=$($DRIVER --label steady-warm-up --url "$1" --connections 64 --seconds 1 --warmup "$STEADY_WARMUP" --hash $HASH \
    --script "$SCRIPT" | tee -a "$OUT/runs.txt" || true)
  clean "warm-up against $1" "$(grep '^RESULT' <<<"$warm" || true)"
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1" | head -n 1; }

: >"$OUT/runs.txt"
declare -A result storage rss
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system CPU of a process so far, in clock ticks
declare -A cpu
side_by_side() { # connections: the bare endpoint and the handler in ROUNDS alternating slices, by one driver process
  # Both servers had their steady warm-up already: 1 s against each is for the driver's own start.
  # Each server's CPU over the run, per request it answered (every request sent, the unmeasured start of each slice
  # included, as its CPU is): what the ratio comes from.
  local lines bare_before ivr_before
  bare_before=$(cpu_ticks "$BARE_PID"); ivr_before=$(cpu_ticks "$IVR_PID")
  lines=$($DRIVER --label bare --url "$BARE_URL/api/ivr" --also-label ivr --also-url "$IVR_URL/api/ivr" --rounds "$ROUNDS" \
    --connections "$1" --seconds "$SLICE" --warmup 1 --hash $HASH --script "$SCRIPT" | tee -a "$OUT/runs.txt" || true)
  result[bare-$1]=$(grep '^RESULT label=bare ' <<<"$lines" || true); result[ivr-$1]=$(grep '^RESULT label=ivr ' <<<"$lines" || true)
  clean bare "${result[bare-$1]}"; clean ivr "${result[ivr-$1]}"
  local hz; hz=$(getconf CLK_TCK)
  cpu[bare-$1]=$(( ($(cpu_ticks "$BARE_PID") - bare_before) * 1000000 / hz / $(field "${result[bare-$1]}" sent) ))
  cpu[ivr-$1]=$(( ($(cpu_ticks "$IVR_PID") - ivr_before) * 1000000 / hz / $(field "${result[ivr-$1]}" sent) ))
}
# The assemblies the handler loaded that the composite image does not compile whole (src/FunctionsIvr/ReadyToRun.targets):
# each still runs, but what no root calls is compiled at first use, after a cold start.
unrooted_assemblies() { # pid
  comm -23 <(grep -o '[^/ ]*\.dll$' "/proc/$1/maps" | sort -u) \
    <({ echo FunctionsIvr.dll; grep -o '[A-Za-z0-9.]*\.dll' src/FunctionsIvr/ReadyToRun.targets; } | sort -u) | paste -sd ' ' -
}
unrooted=""
measure_ivr() { # label connections...: one handler process, its runs, its storage round trips and peak RSS
  # "ivr" at the headline connections is measured side by side with the bare endpoint; everything else in one run.
  local label=$1; shift
  local before after sent=0
  before=$(curl -fsS "$IVR_URL/diagnostics/storage")
  for connections in "$@"; do
    if [ "$label" = ivr ] && [ "$connections" != "$OVERLOAD_CONNECTIONS" ]; then side_by_side "$connections"
    else
      result[$label-$connections]=$(run "$label" "$IVR_URL/api/ivr" "$connections" | grep '^RESULT' || true)
      clean "$label" "${result[$label-$connections]}"
    fi
    sent=$((sent + $(field "${result[$label-$connections]}" sent)))
  done
  after=$(curl -fsS "$IVR_URL/diagnostics/storage")
  rss[$label]=$(( $(awk '/VmHWM/ {print $2}' "/proc/$IVR_PID/status") / 1024 ))
  if [ "$label" = ivr ]; then unrooted=$(unrooted_assemblies "$IVR_PID"); fi
  storage[$label]=$(python3 - "$before" "$after" "$sent" <<'PY'
import json, sys
before, after, sent = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
keys = ["callStateReads", "callStateWrites", "callLogWrites", "callLogReads", "outboxOperations", "unsentWorkOperations"]
delta = {k: after[k] - before[k] for k in keys}
total = sum(delta.values())
dropped = after.get("callLogLinesDropped", 0) - before.get("callLogLinesDropped", 0)
print(f"{total / sent:.2f} ({', '.join(f'{k} {v / sent:.2f}' for k, v in delta.items())}; call log lines dropped {dropped / sent:.2f})")
PY
)
}

steady_warm_up "$BARE_URL/api/ivr"
labels=(ivr)
echo "== ivr (in-memory state) at $(took): bare and ivr in $ROUNDS alternating slices of ${SLICE}s each at $CONNECTIONS connections"
start_ivr ivr; steady_warm_up "$IVR_URL/api/ivr"; measure_ivr ivr $CONNECTIONS $OVERLOAD_CONNECTIONS; stop_ivr
if [ "$QUICK" = 0 ]; then
  # Not in --quick: no target depends on it, and --quick must stay under five minutes from a fresh clone.
  echo "== ivr-nocache (in-memory state, ERP caches off) at $(took)"
  start_ivr ivr-nocache Erp__ContactCacheSeconds=0 Erp__ProductCacheSeconds=0; measure_ivr ivr-nocache $CONNECTIONS; stop_ivr
  labels+=(ivr-nocache)
fi

if [ "$AZURITE" = 1 ]; then
  if [ -n "$AZURITE_INSTALL_PID" ] && ! wait "$AZURITE_INSTALL_PID"; then
    echo "installing azurite failed: see $OUT/azurite-install.log" >&2; exit 1
  fi
  table_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  .tools/azurite/node_modules/.bin/azurite-table --silent --inMemoryPersistence --skipApiVersionCheck \
    --tableHost 127.0.0.1 --tablePort "$table_port" >"$OUT/azurite.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do (echo >"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && break; sleep 0.2; done
  # Azurite's published development account (devstoreaccount1): a well-known key, not a secret.
  account_key=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
  echo "== ivr-azurite (state in Table Storage on Azurite, 127.0.0.1:$table_port) at $(took)"
  start_ivr ivr-azurite "StateStorage=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$account_key;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
  measure_ivr ivr-azurite $CONNECTIONS; stop_ivr
  labels+=(ivr-azurite)
fi

cold_line=""
if [ "$COLD" = 1 ]; then
  echo "== cold start at $(took)"
  body='{"request":{"FromNumber":"48609999999","ToNumber":"48221234567","ChannelStatus":"Connected","UniqueCallId":"CALL_ID","Hash":"'$HASH'","Event":{"EventName":"Connected","EventData":""},"Session":null}}'
  cold_ms() { # dir executable port: from spawning the process to its first valid answer
    # Polled from one small process (a refused connect, then a POST every 2 ms): a curl per try forked a process
    # every few milliseconds and took a core's share from the process starting up.
    (cd "$1" && ASPNETCORE_URLS=http://127.0.0.1:$3 ASPNETCORE_ENVIRONMENT=Production Erp__BaseUrl=$ERP_URL Erp__ApiKey=demo-key \
      Ivr__Hash=$HASH Ivr__SessionKey=$SESSION_KEY python3 - "./$2" "$3" "$body" <<'PY'
import socket, subprocess, sys, time, uuid
executable, port = sys.argv[1], int(sys.argv[2])
# A new call each start, as a new instance sees: one call id replayed with another start time is refused by the ERP's
# idempotency check (422) and would have the handler logging that failure while its first answer is timed.
body = sys.argv[3].replace("CALL_ID", "cold-" + uuid.uuid4().hex[:12]).encode()
request = (f"POST /api/ivr HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
           "Connection: close\r\n\r\n").encode() + body
started = time.perf_counter()
process = subprocess.Popen([executable], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while time.perf_counter() - started < 10:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(request)
                answer = b""
                while chunk := s.recv(65536): answer += chunk
            if answer.startswith(b"HTTP/1.1 200") and b'"Action"' in answer:
                print(round((time.perf_counter() - started) * 1000)); sys.exit(0)
        except OSError:
            pass
        time.sleep(0.002)
    print("no valid answer within 10 s", file=sys.stderr); sys.exit(1)
finally:
    process.kill(); process.wait()
PY
    )
  }
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  ivr_cold=$(for _ in $(seq 1 "$COLD_RUNS"); do cold_ms "$WORK/ivr" FunctionsIvr 7193; done | median)
  bare_cold=$(for _ in $(seq 1 "$COLD_RUNS"); do cold_ms "$WORK/bare" BareEndpoint 7194; done | median)
  cold_line="cold start ratio (ivr/bare): $(python3 -c "print(f'{$ivr_cold/$bare_cold:.2f}')") (ivr ${ivr_cold} ms, bare ${bare_cold} ms, median of $COLD_RUNS)"
fi

{
  echo
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo
  echo "| endpoint | connections | requests/s | p50 ms | p99 ms | max ms | calls | invalid | errors | over budget |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for connections in 8 64 $OVERLOAD_CONNECTIONS; do
    for label in bare "${labels[@]}"; do
      r=${result[$label-$connections]:-}
      [ -n "$r" ] || continue
      echo "| $label | $connections | $(field "$r" rps) | $(field "$r" p50) | $(field "$r" p99) | $(field "$r" max) | $(field "$r" calls) | $(field "$r" invalid) | $(field "$r" errors) | $(field "$r" overruns) |"
    done
  done
  echo
  ratio() { python3 -c "print(f'{$(field "${result[$1-64]}" rps)/$(field "${result[bare-64]}" rps):.2f}')"; }
  echo "throughput ratio (ivr/bare): $(ratio ivr) (64 connections; $ROUNDS alternating slices of ${SLICE}s each)"
  echo "p99 ms (ivr, 64 connections): $(field "${result[ivr-64]}" p99)"
  echo "server CPU per request (64 connections, user + system): bare ${cpu[bare-64]} µs, ivr ${cpu[ivr-64]} µs"
  overload=${result[ivr-$OVERLOAD_CONNECTIONS]}
  echo "overload (ivr, $OVERLOAD_CONNECTIONS connections): p99 $(field "$overload" p99) ms, max $(field "$overload" max) ms, over budget $(field "$overload" overruns) of $(field "$overload" requests)"
  for label in "${labels[@]}"; do
    [ "$label" = ivr ] || echo "throughput ratio ($label/bare): $(ratio "$label"); p99 ms ($label, 64 connections): $(field "${result[$label-64]}" p99)"
  done
  for label in "${labels[@]}"; do echo "storage round trips per callback ($label): ${storage[$label]}"; done
  for label in "${labels[@]}"; do echo "peak RSS ($label, VmHWM after load): ${rss[$label]} MiB"; done
  [ -n "$cold_line" ] && echo "$cold_line"
  echo "loaded by the ivr pass but not a root of the composite image (src/FunctionsIvr/ReadyToRun.targets): ${unrooted:-none}"
  echo "bench took $(took)"
} | tee "$OUT/summary.md"
