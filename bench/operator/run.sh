#!/usr/bin/env bash
# Operator scale bench: bench/operator/run.sh [workloads=1000] [workers=4]
# Measures the operator as build.sh ships it: published ReadyToRun, framework-dependent.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(realpath -m "${WASMKUBE_BUILD_DIR:-.build}")/bench-operator"
rid=$(dotnet msbuild operator/WasmKube.Operator/WasmKube.Operator.csproj -getProperty:NETCoreSdkRuntimeIdentifier)
dotnet publish operator/WasmKube.Operator/WasmKube.Operator.csproj -c Release -nologo -v:q -r "$rid" --self-contained false \
  -p:PublishReadyToRun=true -o "$out" >/dev/null
dotnet build bench/operator/WasmKube.Bench.Operator.csproj -c Release -nologo -v:q -clp:NoSummary
WASMKUBE_OPERATOR="$out/wasmkube-operator" exec dotnet run --project bench/operator/WasmKube.Bench.Operator.csproj -c Release --no-build -- "$@"
