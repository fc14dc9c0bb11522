#!/usr/bin/env bash
# Shim benchmark against a private containerd 1.6 (root needed), with the node payload as build.sh publishes it
# (artifacts/publish/shim: NativeAOT shim and Wasmtime executor). Prints figures, asserts nothing:
#   1. cold start: wall time of `ctr run --rm` of a hello wasm module through the wasmkube shim (each engine, the
#      executor contained as always, and Wasmtime uncontained on a second containerd whose shim has
#      WASMKUBE_CONTAINMENT=off) and of busybox `echo` through runc (containerd's runc shim), alternating, median of
#      SAMPLES (default 9) after one warm-up each, and the ratios wasm/runc and contained/uncontained;
#   2. tasks per second for RUNS (default 100) sequential wasm runs on the default engine;
#   3. memory of idle wasm containers (`ctr run -d`, guest blocked in poll_oneoff): PSS of the shim and executor
#      processes together, per container, for 10 and for 100 containers (IDLE_COUNTS), each engine for 10.
# Usage: bench/shim/run.sh [RUNS]     (run ./build.sh first)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-100}
samples=${SAMPLES:-9}
idle_counts=${IDLE_COUNTS:-10 100}
payload=$PWD/artifacts/publish/shim
[[ -x "$payload/containerd-shim-wasmkube-v1" ]] || { echo "bench/shim: $payload has no shim; run ./build.sh first" >&2; exit 1; }

work=$(mktemp -d /tmp/wkbench-XXXXXX)
containerd_pid=""
uncontained_pid=""
remove_all() {
  for id in $(ctr -a "$work/c.sock" task ls -q 2>/dev/null); do
    ctr -a "$work/c.sock" task kill -s KILL "$id" >/dev/null 2>&1 || true
  done
  sleep 0.5
  for id in $(ctr -a "$work/c.sock" task ls -q 2>/dev/null); do ctr -a "$work/c.sock" task delete -f "$id" >/dev/null 2>&1 || true; done
  for id in $(ctr -a "$work/c.sock" container ls -q 2>/dev/null); do ctr -a "$work/c.sock" container rm "$id" >/dev/null 2>&1 || true; done
}
cleanup() {
  set +e
  remove_all
  for id in $(ctr -a "$work/u.sock" task ls -q 2>/dev/null); do ctr -a "$work/u.sock" task delete -f "$id" >/dev/null 2>&1 || true; done
  for id in $(ctr -a "$work/u.sock" container ls -q 2>/dev/null); do ctr -a "$work/u.sock" container rm "$id" >/dev/null 2>&1 || true; done
  for pid in $containerd_pid $uncontained_pid; do kill "$pid"; wait "$pid"; done
  grep -F " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/bin" "$work/wasm" "$work/busybox/bin"
ln -s "$payload/containerd-shim-wasmkube-v1" "$work/bin/containerd-shim-wasmkube-v1"
wat2wasm tests/WasmKube.Shim.Tests/Guests/hello.wat -o "$work/wasm/hello.wasm"
wat2wasm bench/shim/idle.wat -o "$work/wasm/idle.wasm"
cp /bin/busybox "$work/busybox/bin/busybox"
start_containerd() { # NAME [VARIABLE=VALUE...]: a containerd on $work/NAME.sock; its pid in $started
  local name=$1
  shift
  cat > "$work/$name.toml" <<EOT
version = 2
root = "$work/$name-root"
state = "$work/$name-state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$work/$name.sock"
EOT
  env PATH="$work/bin:$PATH" WASMKUBE_CACHE_DIR="$work/cache" WASMKUBE_STATE_DIR="$work/$name-records" "$@" \
    containerd --config "$work/$name.toml" >"$work/$name.log" 2>&1 &
  started=$!
  for _ in $(seq 100); do ctr -a "$work/$name.sock" version >/dev/null 2>&1 && break; sleep 0.1; done
}
start_containerd c
containerd_pid=$started
start_containerd u WASMKUBE_CONTAINMENT=off
uncontained_pid=$started

ctr_run() { ctr -a "$work/c.sock" run --rm "$@" >/dev/null 2>&1; }
wasm_run() { ctr_run --runtime io.containerd.wasmkube.v1 --annotation "wasmkube.io/engine=$engine" --rootfs "$work/wasm" "$1" /hello.wasm; }
uncontained_run() {
  ctr -a "$work/u.sock" run --rm --runtime io.containerd.wasmkube.v1 --rootfs "$work/wasm" "$1" /hello.wasm >/dev/null 2>&1
}
runc_run() { ctr_run --rootfs "$work/busybox" "$1" /bin/busybox echo hello; }
ms() { local start end; start=$(date +%s%N); "$@"; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

for engine in wasmtime wasmkube; do
  wasm_run "warm-$engine" && runc_run "warm-runc-$engine"
  wasm_times=() runc_times=()
  for i in $(seq "$samples"); do
    wasm_times+=("$(ms wasm_run "w$engine$i")")
    runc_times+=("$(ms runc_run "r$engine$i")")
  done
  wasm_ms=$(printf '%s\n' "${wasm_times[@]}" | median)
  runc_ms=$(printf '%s\n' "${runc_times[@]}" | median)
  echo "cold start, ctr run --rm, median of $samples alternating: wasm hello on $engine ${wasm_ms} ms, busybox echo via runc ${runc_ms} ms, ratio $(ratio "$wasm_ms" "$runc_ms")"
done

engine=wasmtime
wasm_run warm-contained && uncontained_run warm-uncontained && runc_run warm-runc-containment
contained_times=() uncontained_times=() runc_times=()
for i in $(seq "$samples"); do
  contained_times+=("$(ms wasm_run "c$i")")
  uncontained_times+=("$(ms uncontained_run "u$i")")
  runc_times+=("$(ms runc_run "rc$i")")
done
contained_ms=$(printf '%s\n' "${contained_times[@]}" | median)
uncontained_ms=$(printf '%s\n' "${uncontained_times[@]}" | median)
runc_ms=$(printf '%s\n' "${runc_times[@]}" | median)
echo "containment, ctr run --rm on wasmtime, median of $samples alternating: contained ${contained_ms} ms, uncontained ${uncontained_ms} ms (ratio $(ratio "$contained_ms" "$uncontained_ms")), busybox via runc ${runc_ms} ms (contained/runc $(ratio "$contained_ms" "$runc_ms"))"

engine=wasmtime
start=$(date +%s%N)
for i in $(seq "$runs"); do wasm_run "seq$i"; done
end=$(date +%s%N)
echo "sequential wasm runs on $engine: $runs in $(( (end - start) / 1000000 )) ms = $(awk -v n="$runs" -v ns=$((end - start)) 'BEGIN {printf "%.2f", n / (ns / 1e9)}') tasks/s"

pss() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
idle_pss() { # ENGINE COUNT: PSS in KiB of all shims and executors of COUNT idle containers, per container
  local engine=$1 count=$2 total=0
  for i in $(seq "$count"); do
    ctr -a "$work/c.sock" run -d --null-io --runtime io.containerd.wasmkube.v1 --annotation "wasmkube.io/engine=$engine" \
      --rootfs "$work/wasm" "idle-$engine-$i" /idle.wasm >/dev/null
  done
  sleep 3
  for i in $(seq "$count"); do
    local record="$work/c-records/default/idle-$engine-$i.json"
    local executor shim
    executor=$(python3 -c "import json; print(json.load(open('$record'))['pid'])")
    shim=$(python3 -c "import json; print(json.load(open('$record'))['shimPid'])")
    total=$(( total + $(pss "$executor") + $(pss "$shim") ))
  done
  echo "idle containers on $engine: $count, PSS of shims and executors $(( total / 1024 )) MiB, $(awk -v t="$total" -v n="$count" 'BEGIN {printf "%.1f", t / n / 1024}') MiB per container"
  remove_all
}
for count in $idle_counts; do idle_pss wasmtime "$count"; done
idle_pss wasmkube 10
echo "node payload: $(du -shL "$payload" | cut -f1) ($(du -sh "$payload/cil" | cut -f1) of it the wasmkube engine's executor)"
