#!/usr/bin/env bash
# The long mutation campaign against WasmKube's engine: bench/fuzz/run.sh [--mutants N] [--seed S] [--workers W] [--out DIR]
# (default 120,000 mutants, reproducers and seeds under /tmp/wasmkube-fuzz). Exits non-zero when any mutant ended
# outside the engine's own outcomes, hung, killed its process or went over the compile limits.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/fuzz/WasmKube.Fuzz -c Release -nologo -v:q -clp:NoSummary
suite="${WASM_SPEC_TESTSUITE:-../shared/wasm-spec-testsuite}"
output=$(dotnet msbuild bench/fuzz/WasmKube.Fuzz/WasmKube.Fuzz.csproj -getProperty:TargetPath -p:Configuration=Release)
# Options given on the command line come first and win over these defaults.
exec dotnet "$output" run "$@" --mutants 120000 --suite "$suite" --out /tmp/wasmkube-fuzz
