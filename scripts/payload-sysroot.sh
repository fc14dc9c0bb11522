#!/usr/bin/env bash
# Copies the dynamic loader and the C libraries the node payload's programs link against into PAYLOAD/sysroot/, at
# their usual paths (lib64/ld-linux-x86-64.so.2, lib/x86_64-linux-gnu/libc.so.6, …). The shim binds them read-only
# into each wasm container, whose image has no libc, so the executors run there unchanged. The Debian copyright file
# of each library's package goes to PAYLOAD/licenses/PACKAGE/copyright.
#
#   scripts/payload-sysroot.sh PAYLOAD [ARCH]   ARCH: the payload's Debian architecture (default: this machine's)
#
# For this machine's architecture the libraries are this machine's (ldd resolves them). For another one they come
# from that architecture's Debian packages: the ELF files' needed libraries are resolved among them, as its loader
# would in /lib/TRIPLET and /usr/lib/TRIPLET.
set -euo pipefail
payload=${1:?usage: payload-sysroot.sh PAYLOAD_DIR [ARCH]}
payload=$(cd "$payload" && pwd)
cd "$(dirname "$0")/.."
source scripts/cross.sh
arch=${2:-$build_arch}
arch_names "$arch"
# Loaded with dlopen, so no ELF header names them: .NET's SHA-256 (the compile cache's keys) goes through OpenSSL.
dlopened="libssl.so.3 libcrypto.so.3"
# Needed only by .NET's LTTng trace provider (cil/libcoreclrtraceptprovider.so), which .NET loads only where LTTng
# is installed: not shipped (ldd reports it "not found" for this machine's payload, which is left out the same way).
optional="liblttng-ust.so.0"
rm -rf "$payload/sysroot" "$payload/licenses"

elf_files() { # the payload's ELF programs and libraries
  find "$payload" -type f \( -name '*.so' -o -perm -u+x \) -not -path "$payload/sysroot/*" |
    while read -r file; do
      if [ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = '177ELF' ]; then echo "$file"; fi
    done
}

license() { # package folder-with-its-doc -> PAYLOAD/licenses/PACKAGE/copyright
  if [ -f "$2/usr/share/doc/$1/copyright" ]; then
    mkdir -p "$payload/licenses/$1"
    cp -L "$2/usr/share/doc/$1/copyright" "$payload/licenses/$1/copyright"
  fi
}

if [[ "$arch" == "$build_arch" ]]; then
  {
    elf_files | while read -r file; do ldd "$file" 2>/dev/null || true; done
    for soname in $dlopened; do
      # awk reads to the end: exiting at the first match could end ldconfig by SIGPIPE, failing the pipeline.
      library=$(ldconfig -p | awk -v name="$soname" '$1 == name && /x86-64|AArch64/ && found == "" { found = $NF } END { print found }')
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
      [ -z "$package" ] || license "$package" /
    done
else
  # The architecture's C runtime, each package unpacked on its own (to know a library's package) and all together
  # (the doc folders of gcc's libraries link to gcc-12-base's).
  runtime=(libc6 libgcc-s1 libstdc++6 libssl3 gcc-12-base)
  fetch "$arch" "${runtime[@]}"
  packages="$cross_work/runtime/$arch"
  rm -rf "$packages" && mkdir -p "$packages/all"
  for p in "${runtime[@]}"; do
    mkdir -p "$packages/$p"
    dpkg-deb -x "$(deb "$arch" "$p")" "$packages/$p"
    dpkg-deb -x "$(deb "$arch" "$p")" "$packages/all"
  done

  copy_library() { # file-in-a-package path-in-the-sysroot
    mkdir -p "$payload/sysroot/$(dirname "$2")"
    cp -L "$1" "$payload/sysroot/$2"
    local package=${1#"$packages/"}
    license "${package%%/*}" "$packages/all"
  }
  needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
  in_package() { # paths-in-a-package... -> the first that a runtime package has
    local path p
    for path in "$@"; do
      for p in "${runtime[@]}"; do
        if [ -e "$packages/$p/$path" ]; then echo "$packages/$p/$path"; return; fi
      done
    done
    echo "payload-sysroot: no $arch package of ${runtime[*]} has /${1}" >&2
    return 1
  }

  # The loader every program names, then the needed libraries, breadth first.
  interpreters=$(elf_files | xargs readelf -l 2>/dev/null | sed -n 's/.*Requesting program interpreter: \/\(.*\)\]$/\1/p' | sort -u)
  for interpreter in $interpreters; do
    found=$(in_package "$interpreter")
    copy_library "$found" "$interpreter"
  done
  declare -A seen=()
  for s in $optional $interpreters; do seen[$(basename "$s")]=1; done   # the loader is in place already
  queue=$(elf_files | while read -r file; do needed "$file" | sed "s|^|$(dirname "$file") |"; done; for s in $dlopened; do echo "- $s"; done)
  while [ -n "$queue" ]; do
    next=""
    while read -r folder soname; do
      [[ -z "${seen[$soname]:-}" && ! -e "$folder/$soname" ]] || continue   # done, or in the payload beside its user
      seen[$soname]=1
      found=$(in_package "lib/$triplet/$soname" "usr/lib/$triplet/$soname")
      copy_library "$found" "lib/$triplet/$soname"
      next+=$(needed "$found" | sed 's|^|- |')$'\n'
    done <<< "$queue"
    queue=$(sed '/^$/d' <<< "$next")
  done
fi
chmod -R a+rX "$payload/sysroot" "$payload/licenses"
