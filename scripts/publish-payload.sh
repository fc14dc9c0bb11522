#!/usr/bin/env bash
# Publishes the node payload: what the node agent installs on every node, needing no .NET there. The shim and the
# Wasmtime executor are NativeAOT binaries (with libwasmtime.so beside them); the executor of our own engine needs the
# JIT, so it ships self-contained under cil/ (ReadyToRun: it starts once per container). sysroot/ and licenses/ hold
# the C runtime of contained executors (scripts/payload-sysroot.sh).
#
#   scripts/publish-payload.sh [ARCH]   ARCH: a Debian architecture, amd64 or arm64 (default: this machine's)
#
# Writes artifacts/publish/shim for this machine's architecture, artifacts/publish/shim-ARCH for another one, which
# is cross-compiled: NativeAOT linked with lld against the architecture's Debian C runtime, ReadyToRun code from the
# machine's crossgen2 for the target, the C runtime taken from the architecture's Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cross.sh
arch=${1:-$build_arch}
publish_options "$arch"   # also checks the architecture
if [[ "$arch" == "$build_arch" ]]; then out=artifacts/publish/shim; else out=artifacts/publish/shim-$arch; fi

rm -rf "$out"
for project in shim/WasmKube.Shim/WasmKube.Shim.csproj shim/WasmKube.Executor/WasmKube.Executor.csproj; do
  dotnet publish "$project" -c Release -nologo -v:q "${publish_options[@]}" -o "$out" >/dev/null
done
dotnet publish shim/WasmKube.Executor.Cil/WasmKube.Executor.Cil.csproj -c Release -nologo -v:q -r "$rid" \
  --self-contained true -p:PublishReadyToRun=true -o "$out/cil" >/dev/null
rm -f "$out"/*.dbg "$out"/*.pdb
chmod -R a+rX "$out"   # libwasmtime.so comes from its package readable by its owner only
scripts/payload-sysroot.sh "$out" "$arch"
echo "node payload ($arch): $out, $(du -shL "$out" | cut -f1) ($(du -sh "$out/cil" | cut -f1) of it the wasmkube engine's executor)"
