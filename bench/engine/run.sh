#!/usr/bin/env bash
# Engine speed benchmark: builds every kernels/*.c to wasm32 (clang, freestanding, exporting run) and natively (gcc),
# builds the runner, and runs each kernel natively, under V8 (node) and under WasmKube's engine. Extra arguments go
# to the runner: --runs N (best of N calls, default 3), --only crc32,fib. Prints ratios; see bench/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

for tool in clang wasm-ld gcc node dotnet; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required (scripts/deps.sh installs clang and lld; node and gcc come with the machine)" >&2; exit 1; }
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for source in "$here"/kernels/*.c; do
  name=$(basename "$source" .c)
  clang --target=wasm32 -ffreestanding -nostdlib -O2 -Wl,--no-entry -Wl,--export=run -o "$out/$name.wasm" "$source"
  # -fno-math-errno: wasm's sqrt sets no errno either, so both builds use the plain instruction.
  gcc -O2 -fno-math-errno -o "$out/$name.native" "$source" "$here/native/main.c" -lm
done

project="$here/Runner/WasmKube.Bench.Kernels.csproj"
dotnet build "$project" -c Release -nologo -v:q -clp:NoSummary >&2
dotnet run --project "$project" -c Release --no-build -- --build "$out" --v8-driver "$here/v8.mjs" "$@"
