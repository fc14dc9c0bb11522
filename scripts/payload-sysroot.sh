#!/usr/bin/env bash
# Copies the dynamic loader and the C libraries the node payload's programs link against into PAYLOAD/sysroot/, at
# their paths on this machine (lib64/ld-linux-x86-64.so.2, lib/x86_64-linux-gnu/libc.so.6, …). The shim binds them
# read-only into each wasm container, whose image has no libc, so the executors run there unchanged. The Debian
# copyright file of each library's package goes to PAYLOAD/licenses/PACKAGE/copyright.
set -euo pipefail
# Loaded with dlopen, so ldd cannot see them: .NET's SHA-256 (the compile cache's keys) goes through OpenSSL.
dlopened="libssl.so.3 libcrypto.so.3"
payload=${1:?usage: payload-sysroot.sh PAYLOAD_DIR}
payload=$(cd "$payload" && pwd)
rm -rf "$payload/sysroot" "$payload/licenses"
{
find "$payload" -type f \( -name '*.so' -o -perm -u+x \) -not -path "$payload/sysroot/*" |
  while read -r file; do
    if [ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = '177ELF' ]; then ldd "$file" 2>/dev/null || true; fi
  done
  for soname in $dlopened; do
    library=$(ldconfig -p | awk -v name="$soname" '$1 == name && /x86-64|AArch64/ { print $NF; exit }')
    [ -n "$library" ] || { echo "payload-sysroot: $soname is not installed (apt-get install libssl3)" >&2; exit 1; }
    echo "	$soname => $library (0x0)"
  done
} |
  sed -n -e 's/^[[:space:]]*[^[:space:]]* => \(\/[^[:space:]]*\) (0x.*/\1/p' -e 's/^[[:space:]]*\(\/[^[:space:]]*\) (0x.*/\1/p' |
  grep -v "^$payload/" | sort -u |
  while read -r library; do
    mkdir -p "$payload/sysroot$(dirname "$library")"
    cp -L "$library" "$payload/sysroot$library"
    package=$({ dpkg -S "$library" || dpkg -S "$(readlink -f "$library")"; } 2>/dev/null | head -1 | cut -d: -f1) || true
    if [ -n "$package" ] && [ -f "/usr/share/doc/$package/copyright" ]; then
      mkdir -p "$payload/licenses/$package"
      cp "/usr/share/doc/$package/copyright" "$payload/licenses/$package/copyright"
    fi
  done
chmod -R a+rX "$payload/sysroot" "$payload/licenses"
