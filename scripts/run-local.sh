#!/usr/bin/env bash
# Runs the whole system locally on its embedded defaults: the reference ERP (DemoErp) on 127.0.0.1:5081 and the
# IVR handler on 127.0.0.1:7071 (in-memory state, in-process queue, escalations written under .local/).
# Ctrl-C stops both. Place a call with the simulator from another terminal (the command is printed below).
set -euo pipefail
cd "$(dirname "$0")/.."

ERP_URL=${ERP_URL:-http://127.0.0.1:5081}
IVR_URL=${IVR_URL:-http://127.0.0.1:7071}

for url in "$ERP_URL" "$IVR_URL"; do
  hostport=${url#http://}; hostport=${hostport%%/*}
  if (echo >"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null; then
    echo "run-local: $hostport is already in use (another run?); stop that, or choose other addresses with ERP_URL / IVR_URL" >&2
    exit 1
  fi
done

dotnet build FunctionsIvr.sln --nologo -v quiet

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dotnet run --no-build --project src/FunctionsIvr.DemoErp -- --urls "$ERP_URL" &
pids+=($!)
ASPNETCORE_ENVIRONMENT=Development Erp__BaseUrl="$ERP_URL" \
  dotnet run --no-build --no-launch-profile --project src/FunctionsIvr -- --urls "$IVR_URL" &
pids+=($!)

up() { curl -fsS -o /dev/null "$IVR_URL/" 2>/dev/null && curl -fsS -o /dev/null "$ERP_URL/health" 2>/dev/null; }
for _ in $(seq 1 150); do
  up && break
  # A server that exits at start (port taken, a bad setting) has said why above; no point waiting for it.
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run-local: a server exited during start-up (its output is above)" >&2; exit 1; }
  done
  sleep 0.2
done
up || { echo "run-local: $IVR_URL or $ERP_URL not answering after 30 s" >&2; exit 1; }

cat <<TXT

  FunctionsIvr is listening on $IVR_URL/api/ivr (ERP: $ERP_URL).
  Place a call from another terminal, as the regular customer of the demo data:
    dotnet run --project src/FunctionsIvr.Simulator -- call --url $IVR_URL/api/ivr --from 48600100200
  Run the scenarios:
    dotnet run --project src/FunctionsIvr.Simulator -- run-scenarios scenarios --url $IVR_URL/api/ivr
  Escalations land in .local/ (mail, whatsapp, tickets). Ctrl-C stops everything.

TXT
# Until Ctrl-C, or until either server stops on its own: then the other is stopped too.
wait -n || true
echo "run-local: a server stopped (its output is above); stopping the other" >&2
exit 1
