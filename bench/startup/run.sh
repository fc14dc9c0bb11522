#!/usr/bin/env bash
# Start-up time of `wasmkube run` on a cold compile cache, after `wasmkube compile` without crossgen2 (cached IL) and
# after `wasmkube compile` with crossgen2 (cached IL plus ReadyToRun native code). Prints mean wall times, their
# ratios and the machine load; asserts nothing. Usage: bench/startup/run.sh [RUNS] [MODULE.wasm]
# (default: 5 runs of examples/hello.wasm)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Published the way build.sh publishes it (ReadyToRun, framework-dependent), so start-up is the deployed one.
export WASMKUBE_BUILD_DIR="${WASMKUBE_BUILD_DIR:-$work/build}"
project="$root/cli/WasmKube.Cli/WasmKube.Cli.csproj"
rid=$(dotnet msbuild "$project" -getProperty:NETCoreSdkRuntimeIdentifier)
dotnet publish "$project" -c Release -nologo -v:q -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -o "$work/wasmkube" >/dev/null
wasmkube="$work/wasmkube/wasmkube"
packages=$(dotnet msbuild "$project" -getProperty:NuGetPackageRoot)
version=$(dotnet msbuild "$project" -getProperty:BundledNETCoreAppPackageVersion)
crossgen2="${packages%/}/microsoft.netcore.app.crossgen2.$rid/$version/tools/crossgen2"
[[ -x "$crossgen2" ]] || { echo "bench: crossgen2 not found at $crossgen2 (the ReadyToRun publish restores it)" >&2; exit 1; }

if [[ $# -ge 2 ]]; then
  module="$2"
else
  "$root/examples/build.sh" "$work/examples" >/dev/null
  module="$work/examples/hello.wasm"
fi

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Mean wall time of `wasmkube run` in ms with cache folder $2; $1 = "cold" empties it before every run.
measure() {
  local mode="$1" cache="$2" total=0 start end
  for ((i = 0; i < runs; i++)); do
    [[ "$mode" == cold ]] && rm -rf "$cache"
    start=$(now_ms)
    "$wasmkube" run --cache-dir "$cache" "$module" >/dev/null
    end=$(now_ms)
    total=$((total + end - start))
  done
  echo $((total / runs))
}

"$wasmkube" run --no-cache "$module" >/dev/null   # warm the OS file cache and the .NET runtime files
load_before=$(cut -d' ' -f1 /proc/loadavg)
cold=$(measure cold "$work/cold")
WASMKUBE_CROSSGEN2="" "$wasmkube" compile "$module" -o "$work/il" >/dev/null
il=$(measure warm "$work/il")
WASMKUBE_CROSSGEN2="$crossgen2" "$wasmkube" compile "$module" -o "$work/r2r" | grep -q "ReadyToRun native code" \
  || { echo "bench: wasmkube compile did not produce ReadyToRun code" >&2; exit 1; }
r2r=$(measure warm "$work/r2r")
load_after=$(cut -d' ' -f1 /proc/loadavg)

size=$(stat -c %s "$module")
echo "module:                       $(basename "$module") ($size bytes), $runs runs each"
echo "machine:                      $(nproc) cores, load average $load_before before, $load_after after"
echo "run, cold cache:              ${cold} ms"
echo "run, IL cached:               ${il} ms"
echo "run, ReadyToRun cached:       ${r2r} ms"
awk -v c="$cold" -v i="$il" -v r="$r2r" 'BEGIN {
  if (i > 0) printf "speed-up, IL cache:           %.2fx\n", c / i
  if (r > 0) printf "speed-up, ReadyToRun cache:   %.2fx (%.2fx over IL cache)\n", c / r, i / r
}'
