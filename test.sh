#!/usr/bin/env bash
# Runs every test of the repository. Installs what the tests need first. Safe to re-run.
# Prints the spec suite summary and a closing line "tests: N passed, M failed, K skipped".
set -uo pipefail
cd "$(dirname "$0")"
./scripts/deps.sh || exit 1

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
export WASMKUBE_SPEC_SUMMARY="$results/spec-summary.txt"

dotnet build WasmKube.sln -c Release -nologo -clp:NoSummary -v:q || exit 1

status=0
dotnet test WasmKube.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" 2>&1 | tee "$results/test.log" || status=1

[[ -f "$WASMKUBE_SPEC_SUMMARY" ]] && cat "$WASMKUBE_SPEC_SUMMARY"

# Sum the per-assembly counts of the VSTest summaries ("Failed: 0, Passed: 12, Skipped: 1, Total: 13").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$results/test.log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { print p+0, f+0, s+0 }')
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if (( failed > 0 )); then status=1; fi
exit $status
