#!/usr/bin/env bash
# Runs every test project on a fresh machine: restores, installs Azurite from npm into .tools/ and
# Debian's Chromium (for the browser tests) with apt-get, starts Azurite on free loopback ports, runs the
# tests, stops it, and prints "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
AZURITE_VERSION=3.37.0

log() { printf '[test] %s\n' "$*" >&2; }

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }

if [ ! -x .tools/azurite/node_modules/.bin/azurite ]; then
  log "installing azurite@$AZURITE_VERSION into .tools/azurite"
  npm install --silent --no-audit --no-fund --prefix .tools/azurite "azurite@$AZURITE_VERSION" >/dev/null 2>&1 \
    || { log "npm install azurite failed"; exit 1; }
fi

# The browser tests drive headless Chromium; they fail (never skip) when it is missing, naming this step.
CHROMIUM=${FUNCTIONSIVR_TEST_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo -n"
    log "installing chromium with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    { $sudo_cmd apt-get install -y -q chromium || { $sudo_cmd apt-get update -q && $sudo_cmd apt-get install -y -q chromium; }; } >/dev/null 2>&1 \
      || log "could not install chromium with apt-get: the browser tests will fail (install it: apt-get install -y chromium)"
  else
    log "chromium is missing and apt-get is not available: the browser tests will fail (install Chromium, or set FUNCTIONSIVR_TEST_CHROMIUM)"
  fi
fi

data=$(mktemp -d)
blob_port=$(free_port); queue_port=$(free_port); table_port=$(free_port)
.tools/azurite/node_modules/.bin/azurite --silent --inMemoryPersistence --skipApiVersionCheck \
  --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" >"$data/azurite.log" 2>&1 &
azurite_pid=$!
cleanup() { kill "$azurite_pid" 2>/dev/null; wait "$azurite_pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

# In-memory persistence takes no --location: Azurite 3.37 refuses the combination and exits.
azurite_up=
for _ in $(seq 1 150); do
  (echo >"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && { azurite_up=1; break; }
  kill -0 "$azurite_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$azurite_up" ]; then
  log "azurite did not start:"; cat "$data/azurite.log" >&2; exit 1
fi
log "azurite table endpoint on 127.0.0.1:$table_port"
export FUNCTIONSIVR_TEST_AZURITE_TABLE_ENDPOINT="http://127.0.0.1:$table_port/devstoreaccount1"

results="$root/.artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
dotnet restore FunctionsIvr.sln --nologo -v quiet || exit 1
dotnet build FunctionsIvr.sln --nologo -v quiet --no-restore -c Debug || exit 1
dotnet test FunctionsIvr.sln --nologo --no-build -c Debug \
  --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}

# Sum the counters of every TRX file (one per test project).
summary=$(python3 - "$results" <<'PY' 2>/dev/null || true
import glob, sys, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
)
if [ -z "$summary" ]; then
  summary=$(grep -E "^(Passed|Failed)!" "$results/console.log" | awk -F'[:,]' '{f+=$3; p+=$5; s+=$7} END {printf "%d passed, %d failed, %d skipped", p, f, s}')
fi
echo
echo "$summary"
exit "$status"
