#!/usr/bin/env bash
# Start-up time of `wasmkube run` on a cold compile cache versus after `wasmkube compile` (the AOT step the article
# "WebAssembly: Docker without containers" shows with wasmedgec). Prints mean wall times and their ratio; asserts
# nothing. Usage: bench/startup/run.sh [RUNS] [MODULE.wasm]   (default: 5 runs of examples/hello.wasm)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

export WASMKUBE_BUILD_DIR="${WASMKUBE_BUILD_DIR:-$work/build}"
dotnet publish "$root/cli/WasmKube.Cli/WasmKube.Cli.csproj" -c Release -nologo -v:q -o "$work/wasmkube" >/dev/null
wasmkube="$work/wasmkube/wasmkube"

if [[ $# -ge 2 ]]; then
  module="$2"
else
  "$root/examples/build.sh" "$work/examples" >/dev/null
  module="$work/examples/hello.wasm"
fi

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Mean wall time of `wasmkube run` in ms; $1 = "cold" empties the cache before every run.
measure() {
  local mode="$1" total=0 start end
  for ((i = 0; i < runs; i++)); do
    [[ "$mode" == cold ]] && rm -rf "$work/cache"
    start=$(now_ms)
    "$wasmkube" run --cache-dir "$work/cache" "$module" >/dev/null
    end=$(now_ms)
    total=$((total + end - start))
  done
  echo $((total / runs))
}

"$wasmkube" run --no-cache "$module" >/dev/null   # warm the OS file cache and the .NET runtime files
cold=$(measure cold)
"$wasmkube" compile "$module" -o "$work/cache" >/dev/null
warm=$(measure warm)

size=$(stat -c %s "$module")
echo "module:                 $(basename "$module") ($size bytes), $runs runs each"
echo "run, cold cache:        ${cold} ms"
echo "run, after compile:     ${warm} ms"
awk -v c="$cold" -v w="$warm" 'BEGIN { if (w > 0) printf "speed-up from compile:  %.2fx\n", c / w }'
