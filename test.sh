#!/usr/bin/env bash
# Runs every test of the repository. Installs what the tests need first. Safe to re-run.
# Prints the spec suite summary and a closing line "tests: N passed, M failed, K skipped".
set -uo pipefail
cd "$(dirname "$0")"

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
export WASMKUBE_SPEC_SUMMARY="$results/spec-summary.txt"

# build.sh installs what is missing, builds the solution, publishes the node payload (NativeAOT shim and
# executors, which the tests of a node without .NET run) and, with "images", the container images the image tests
# import and run (the agent's with that payload).
./build.sh images || exit 1

status=0
dotnet test WasmKube.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" 2>&1 | tee "$results/test.log" || status=1

[[ -f "$WASMKUBE_SPEC_SUMMARY" ]] && cat "$WASMKUBE_SPEC_SUMMARY"

# Sum the per-assembly counts of the VSTest summaries ("Total tests: 13" then "Passed: 12", "Failed: 0", "Skipped: 1").
read -r passed failed skipped < <(awk '
  /^[[:space:]]+Passed: [0-9]+$/  { p += $2 }
  /^[[:space:]]+Failed: [0-9]+$/  { f += $2 }
  /^[[:space:]]+Skipped: [0-9]+$/ { s += $2 }
  END { print p+0, f+0, s+0 }' "$results/test.log")
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if (( failed > 0 )); then status=1; fi
exit $status
