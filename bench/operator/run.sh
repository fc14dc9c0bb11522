#!/usr/bin/env bash
# Operator scale bench: bench/operator/run.sh [workloads=1000] [workers=4]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/operator/WasmKube.Bench.Operator.csproj -c Release -nologo -v:q -clp:NoSummary
exec dotnet run --project bench/operator/WasmKube.Bench.Operator.csproj -c Release --no-build -- "$@"
