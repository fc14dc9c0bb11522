#!/usr/bin/env bash
# One command, no cluster: installs what is missing, builds WasmKube and the C examples, then runs the
# "Docker without containers" experiment with the hello example: first with nothing granted, then with one
# preopened directory and one environment variable. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
examples/build.sh

wasmkube=artifacts/bin/wasmkube
docroot=$(mktemp -d)
trap 'rm -rf "$docroot"' EXIT
echo '<h1>hello from the docroot</h1>' > "$docroot/index.html"

echo "== wasmkube run examples/hello.wasm   (nothing granted)"
"$wasmkube" run examples/hello.wasm || true
echo
echo "== wasmkube run --dir /docroot:$docroot --env A=1 examples/hello.wasm"
"$wasmkube" run --dir "/docroot:$docroot" --env A=1 examples/hello.wasm
