#!/usr/bin/env bash
# Whole-process benchmark: each kernels/*.c as a program, timed from exec to exit, the way a user meets it:
#   native     gcc -O2 build with native/main.c
#   V8         node --no-liftoff v8.mjs on the freestanding wasm build (node start, compile, call)
#   wasmtime   wasmkube run --engine wasmtime on the wasm32-wasi build with native/main.c (compile cache filled first)
#   wasmkube   wasmkube run --engine wasmkube, likewise
# Prints the best wall time of RUNS (default 3, alternating) per kernel and runtime, the ratios engine/native and
# engine/V8 and their geometric means; fails when a checksum differs. Needs ./build.sh first (artifacts/bin/wasmkube).
# Usage: bench/engine/whole-process.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-3}
wasmkube="$root/artifacts/bin/wasmkube"
[[ -x "$wasmkube" ]] || { echo "whole-process.sh: $wasmkube is missing; run ./build.sh first" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# name input, as in Runner/Kernel.cs
inputs=$(sed -n 's/.*new("\([a-z0-9]*\)", "[a-z]*", \([0-9_]*\)).*/\1 \2/p' "$here/Runner/Kernel.cs" | tr -d _)

now_ns() { date +%s%N; }
best_ms() { # command...: prints "<best ms> <checksum>" over $runs runs
  local best="" checksum="" start end output
  for _ in $(seq "$runs"); do
    start=$(now_ns); output=$("$@"); end=$(now_ns)
    checksum=$(sed -n 's/^checksum=\([0-9]*\).*/\1/p' <<<"$output")
    local ms=$(( (end - start) / 1000000 ))
    if [[ -z "$best" || $ms -lt $best ]]; then best=$ms; fi
  done
  echo "$best $checksum"
}

printf '%-8s %10s %9s %9s %11s %8s %6s %11s %8s %6s\n' kernel input "native s" "V8 s" "wasmtime s" /native /V8 "wasmkube s" /native /V8
declare -A logs
status=0
while read -r name input; do
  source="$here/kernels/$name.c"
  gcc -O2 -fno-math-errno -o "$out/$name.native" "$source" "$here/native/main.c" -lm
  clang --target=wasm32 -ffreestanding -nostdlib -O2 -Wl,--no-entry -Wl,--export=run -o "$out/$name.wasm" "$source"
  clang --target=wasm32-wasi --sysroot=/usr -O2 -o "$out/$name.wasi.wasm" "$source" "$here/native/main.c"
  for engine in wasmtime wasmkube; do "$wasmkube" compile --engine "$engine" "$out/$name.wasi.wasm" -o "$out/cache" >/dev/null; done
  read -r native native_sum < <(best_ms "$out/$name.native" "$input" 1)
  read -r v8 v8_sum < <(best_ms node --no-liftoff "$here/v8.mjs" "$out/$name.wasm" "$input" 1)
  line=$(awk -v n="$name" -v i="$input" -v a="$native" -v b="$v8" 'BEGIN {printf "%-8s %10s %9.3f %9.3f", n, i, a / 1000, b / 1000}')
  for engine in wasmtime wasmkube; do
    read -r ms sum < <(best_ms "$wasmkube" run --engine "$engine" --cache-dir "$out/cache" "$out/$name.wasi.wasm" "$input" 1)
    [[ "$sum" == "$native_sum" && "$sum" == "$v8_sum" ]] || { echo "problem: $name on $engine: checksum $sum, native $native_sum, V8 $v8_sum" >&2; status=1; }
    logs[$engine]+="$ms/$native "
    logs[$engine-v8]+="$ms/$v8 "
    line+=$(awk -v m="$ms" -v a="$native" -v b="$v8" 'BEGIN {printf " %11.3f %8.2f %6.2f", m / 1000, m / a, m / b}')
  done
  echo "$line"
done <<<"$inputs"

geomean() { # "a/b c/d ...": the geometric mean of the ratios
  tr ' ' '\n' <<<"$1" | awk -F/ 'NF == 2 {s += log($1 / $2); n++} END {printf "%.2f", exp(s / n)}'
}
printf '%-49s %8s %6s %11s %8s %6s\n' "geometric mean" "$(geomean "${logs[wasmtime]}")" "$(geomean "${logs[wasmtime-v8]}")" "" "$(geomean "${logs[wasmkube]}")" "$(geomean "${logs[wasmkube-v8]}")"
echo "(whole process, exec to exit, best of $runs; wasmkube run after wasmkube compile; load $(cut -d' ' -f1-3 /proc/loadavg))"
exit $status
