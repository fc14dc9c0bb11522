#!/usr/bin/env bash
# Shim start-up benchmark against a private containerd 1.6 (root needed). Prints figures, asserts nothing:
#   1. wall time of `ctr run` of a hello wasm module through the wasmkube shim vs `ctr run` of busybox echo
#      through runc (containerd's runc shim), median of N runs each, and their ratio;
#   2. tasks per second for RUNS (default 200) sequential wasm runs;
#   3. RSS of the shim daemon and the executor while an idle guest waits.
# Usage: bench/shim/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-200}
samples=${SAMPLES:-15}
export WASMKUBE_BUILD_DIR=${WASMKUBE_BUILD_DIR:-/tmp/build-bench-shim}
dotnet build shim/WasmKube.Shim/WasmKube.Shim.csproj -c Release -nologo -v:q >/dev/null
dotnet build shim/WasmKube.Executor/WasmKube.Executor.csproj -c Release -nologo -v:q >/dev/null
shim="$WASMKUBE_BUILD_DIR/bin/WasmKube.Shim/release/containerd-shim-wasmkube-v1"
executor="$WASMKUBE_BUILD_DIR/bin/WasmKube.Executor/release/wasmkube-executor"

work=$(mktemp -d /tmp/wkbench-XXXXXX)
containerd_pid=""
cleanup() {
  set +e
  for id in $(ctr -a "$work/c.sock" task ls -q 2>/dev/null); do
    ctr -a "$work/c.sock" task kill -s KILL "$id" >/dev/null 2>&1 || true
    sleep 0.2
    ctr -a "$work/c.sock" task delete "$id" >/dev/null 2>&1 || true
  done
  for id in $(ctr -a "$work/c.sock" container ls -q 2>/dev/null); do ctr -a "$work/c.sock" container rm "$id" >/dev/null 2>&1 || true; done
  if [[ -n "$containerd_pid" ]]; then kill "$containerd_pid"; wait "$containerd_pid"; fi
  grep -F " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/bin" "$work/wasm" "$work/busybox/bin"
ln -s "$shim" "$work/bin/containerd-shim-wasmkube-v1"
wat2wasm tests/WasmKube.Shim.Tests/Guests/hello.wat -o "$work/wasm/hello.wasm"
wat2wasm bench/shim/idle.wat -o "$work/wasm/idle.wasm"
cp /bin/busybox "$work/busybox/bin/busybox"
cat > "$work/config.toml" <<EOT
version = 2
root = "$work/root"
state = "$work/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$work/c.sock"
EOT
PATH="$work/bin:$PATH" WASMKUBE_EXECUTOR="$executor" WASMKUBE_CACHE_DIR="$work/cache" WASMKUBE_STATE_DIR="$work/records" \
  containerd --config "$work/config.toml" >"$work/containerd.log" 2>&1 &
containerd_pid=$!
for _ in $(seq 100); do ctr -a "$work/c.sock" version >/dev/null 2>&1 && break; sleep 0.1; done

ctr_run() { ctr -a "$work/c.sock" run --rm "$@" >/dev/null 2>&1; }
wasm_run() { ctr_run --runtime io.containerd.wasmkube.v1 --rootfs "$work/wasm" "$1" /hello.wasm; }
runc_run() { ctr_run --rootfs "$work/busybox" "$1" /bin/busybox echo hello; }
median_ms() { # command prefix; prints the median wall time in ms of $samples runs
  local times=()
  for i in $(seq "$samples"); do
    local start end
    start=$(date +%s%N); "$@" "m$RANDOM$i"; end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

wasm_run warmup1; runc_run warmup2
wasm_ms=$(median_ms wasm_run)
runc_ms=$(median_ms runc_run)
echo "ctr run, median of $samples: wasm hello via wasmkube shim ${wasm_ms} ms, busybox echo via runc ${runc_ms} ms, ratio $(awk -v a="$wasm_ms" -v b="$runc_ms" 'BEGIN {printf "%.2f", a / b}')"

start=$(date +%s%N)
for i in $(seq "$runs"); do wasm_run "seq$i"; done
end=$(date +%s%N)
echo "sequential wasm runs: $runs in $(( (end - start) / 1000000 )) ms = $(awk -v n="$runs" -v ns=$((end - start)) 'BEGIN {printf "%.2f", n / (ns / 1e9)}') tasks/s"

ctr -a "$work/c.sock" run -d --runtime io.containerd.wasmkube.v1 --rootfs "$work/wasm" idle /idle.wasm >/dev/null
sleep 2
executor_pid=$(ctr -a "$work/c.sock" task ls | awk '$1 == "idle" {print $2}')
shim_pid=$(python3 -c "import json,sys; print(json.load(open('$work/records/default/idle.json'))['shimPid'])")
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
echo "idle guest RSS: shim $(( $(rss "$shim_pid") / 1024 )) MiB, executor $(( $(rss "$executor_pid") / 1024 )) MiB"
