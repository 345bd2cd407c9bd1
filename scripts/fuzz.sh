#!/usr/bin/env bash
# Hostile input against the whole handler pipeline in process: mutated and random callbacks and invocation payloads.
# Usage: scripts/fuzz.sh [cases (default 100000)] [seed (default 20261121)]
# Passes when no callback got a 5xx or a 200 that breaks the IVR API (the simulator's protocol check), no invocation got
# a 5xx other than a deliberate failed invocation, nothing was logged at Error but a malformed queue message, and no
# exception was logged but one saying the input was malformed. CI runs the same test with 2,000 cases.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-100000}
SEED=${2:-20261121}
dotnet build tests/FunctionsIvr.Tests --nologo -v quiet >/dev/null
FUZZ_CASES=$CASES FUZZ_SEED=$SEED dotnet test tests/FunctionsIvr.Tests --no-build \
  --filter "FullyQualifiedName~FunctionsIvr.Tests.Fuzzing" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "FUZZ|logged error|Passed |Failed |Error Message|Passed!|Failed!" -A1 | grep -v '^--$'
