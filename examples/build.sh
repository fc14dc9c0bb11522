#!/usr/bin/env bash
# Builds every example (examples/<name>/<name>.c) into a WASI command module <OUTDIR>/<name>.wasm, by default
# examples/<name>.wasm. Rebuilds only what is older than its source. Needs clang, lld and Debian's wasi-libc
# (scripts/deps.sh installs them).
#   examples/build.sh [OUTDIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here}"
mkdir -p "$out"

if ! command -v clang >/dev/null || [[ ! -f /usr/lib/wasm32-wasi/libc.a ]]; then
  echo "examples: clang and wasi-libc are required (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)" >&2
  exit 1
fi

for source in "$here"/*/*.c; do
  name="$(basename "$source" .c)"
  target="$out/$name.wasm"
  if [[ -f "$target" && "$target" -nt "$source" ]]; then
    continue
  fi
  # Build to a temporary name first so a concurrent reader never sees half a module.
  clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -o "$target.tmp.$$" "$source"
  mv -f "$target.tmp.$$" "$target"
  echo "built $target"
done
