#!/usr/bin/env bash
# Installs the system packages the build and the tests use, only when missing. Safe to re-run.
set -euo pipefail

packages=(
  wabt                                   # wast2json for the spec suite
  clang lld wasi-libc libclang-rt-14-dev-wasm32   # C -> wasm32-wasi for examples and benchmarks
  containerd runc busybox-static containernetworking-plugins util-linux iproute2   # the shim's end-to-end tests
  prometheus                             # promtool and a real scraper for the metrics tests
  etcd-server curl                       # real etcd for the envtest launcher tests (curl: their stand-in API server)
  unzip
  qemu-user-static                       # runs the arm64 programs of the images in their tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "deps: missing packages: ${missing[*]} (run as root, or install them with apt-get)" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "deps: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
