#!/usr/bin/env bash
# Builds the container images of WasmKube as OCI archives, without a container engine or a registry to pull a base
# image from: the root filesystems are assembled from Debian packages (apt-get download + dpkg-deb -x) and the
# programs are published NativeAOT. Run by `./build.sh images` after the payload was published into
# artifacts/publish/shim. Writes artifacts/images/wasmkube-operator.tar and artifacts/images/wasmkube-node-agent.tar.
#
#   WASMKUBE_VERSION   image tag and payload version prefix (default: dev)
#   WASMKUBE_IMAGE_REPOSITORY  repository prefix of the image names (default: docker.io/wasmkube)
set -euo pipefail
cd "$(dirname "$0")/.."

version=${WASMKUBE_VERSION:-dev}
repository=${WASMKUBE_IMAGE_REPOSITORY:-docker.io/wasmkube}
out=artifacts/images
work="$(realpath -m "${WASMKUBE_BUILD_DIR:-.build}")/images"
payload_source=artifacts/publish/shim
arch=$(dpkg --print-architecture)
case "$arch" in amd64) rid=linux-x64; triplet=x86_64-linux-gnu; loader=lib64/ld-linux-x86-64.so.2 ;;
                arm64) rid=linux-arm64; triplet=aarch64-linux-gnu; loader=lib/ld-linux-aarch64.so.1 ;;
                *) echo "images: no image build for $arch" >&2; exit 1 ;; esac

[[ -d "$payload_source" ]] || { echo "images: $payload_source is missing; run ./build.sh first" >&2; exit 1; }
rm -rf "$work/rootfs" "$work/payload"
mkdir -p "$out" "$work/debs" "$work/rootfs"

# Debian packages of the base: glibc (NativeAOT programs link it), OpenSSL (dlopen'ed for TLS to the API server),
# the CA certificates, and for the agent nsenter (util-linux) with the libraries it links.
packages=(libc6 libssl3 ca-certificates util-linux libselinux1 libpcre2-8-0)
(cd "$work/debs" && flock /tmp/apt.lock apt-get download -qq "${packages[@]/%/:$arch}" 2>/dev/null) ||
  { echo "images: apt-get download ${packages[*]} failed; run apt-get update" >&2; exit 1; }
extract() { # package -> folder with its files
  local deb; deb=$(ls -t "$work/debs/$1"_*.deb | head -1)
  mkdir -p "$work/x/$1" && dpkg-deb -x "$deb" "$work/x/$1"
  echo "$work/x/$1"
}
rm -rf "$work/x"
copy() { # from-folder path-patterns... into $target, at the same relative paths
  local from=$1; shift
  # shellcheck disable=SC2048,SC2086 # the patterns are globbed inside the package's folder
  (cd "$from" && cp -a --parents $* "$target/")
}

# base: shared by both images (same layer digest), just what a NativeAOT program with TLS needs.
target="$work/rootfs/base"
libc=$(extract libc6); ssl=$(extract libssl3); certs=$(extract ca-certificates)
mkdir -p "$target"/{etc/ssl/certs,tmp,home/nonroot}
chmod 1777 "$target/tmp"
copy "$libc" "$loader" "lib/$triplet/"{libc.so.6,libm.so.6,libpthread.so.0,libdl.so.2,librt.so.1,"ld-linux*.so.*"}
copy "$ssl" "usr/lib/$triplet/"{libssl.so.3,libcrypto.so.3}
# update-ca-certificates' bundle, made the way its postinst makes it (dpkg-deb -x runs no scripts).
cat "$certs"/usr/share/ca-certificates/mozilla/*.crt > "$target/etc/ssl/certs/ca-certificates.crt"
for p in libc6 libssl3 ca-certificates; do copy "$work/x/$p" "usr/share/doc/$p/copyright"; done
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$target/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$target/etc/group"
printf 'hosts: files dns\n' > "$target/etc/nsswitch.conf"

publish() { # project -> folder with the NativeAOT program
  dotnet publish "$1" -c Release -nologo -v:q -r "$rid" -p:PublishAot=true -o "$work/publish/$(basename "$1" .csproj)" >/dev/null
  echo "$work/publish/$(basename "$1" .csproj)"
}

# operator: the program alone, run as uid 65532.
target="$work/rootfs/operator"
operator=$(publish operator/WasmKube.Operator/WasmKube.Operator.csproj)
mkdir -p "$target/usr/local/bin" && cp "$operator/wasmkube-operator" "$target/usr/local/bin/"

# node agent: the program, nsenter (runs host programs in the host's namespaces) and the node payload, which is
# every file of the shim's publish folder plus VERSION and SHA256SUMS (verified by the agent before it installs).
target="$work/rootfs/node-agent"
agent=$(publish node-agent/WasmKube.NodeAgent/WasmKube.NodeAgent.csproj)
mkdir -p "$target/usr/local/bin" "$target/usr/bin" && cp "$agent/wasmkube-node-agent" "$target/usr/local/bin/"
utils=$(extract util-linux); selinux=$(extract libselinux1); pcre=$(extract libpcre2-8-0)
copy "$utils" usr/bin/nsenter usr/share/doc/util-linux/copyright
copy "$selinux" "lib/$triplet/libselinux.so.1" usr/share/doc/libselinux1/copyright
copy "$pcre" "usr/lib/$triplet/libpcre2-8.so.0*" usr/share/doc/libpcre2-8-0/copyright
payload="$target/opt/wasmkube-agent/shim"
mkdir -p "$payload" && cp -a "$payload_source"/. "$payload"/
rm -f "$payload/VERSION" "$payload/SHA256SUMS"
# The version names the folder on the node: distinct content gets a distinct name, so a running pod's files are
# never replaced by other files under the same version.
content=$(cd "$payload" && find . -type f | sort | xargs sha256sum | sha256sum | cut -c1-12)
echo "$version-$content" > "$payload/VERSION"
(cd "$payload" && find . -type f ! -name SHA256SUMS | sed 's:^\./::' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)

write_image() { # name user layers...
  local name=$1 user=$2; shift 2
  local layers; layers=$(printf '"%s",' "$@")
  cat > "$work/$name.json" <<JSON
{"name": "$repository/$name:$version",
 "images": [{"architecture": "$arch", "layers": [${layers%,}], "entrypoint": ["/usr/local/bin/$name"],
             "user": "$user", "owners": {"/home/nonroot": "65532:65532"},
             "env": ["PATH=/usr/local/bin:/usr/bin:/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"]}]}
JSON
  python3 images/oci_layout.py "$work/$name.json" "$out/$name.tar"
  echo "built $out/$name.tar ($repository/$name:$version, $(du -k "$out/$name.tar" | cut -f1) KiB)"
}
write_image wasmkube-operator 65532:65532 "$work/rootfs/base" "$work/rootfs/operator"
# The agent edits host files and enters host namespaces: it runs as root (and privileged, see the chart).
write_image wasmkube-node-agent 0:0 "$work/rootfs/base" "$work/rootfs/node-agent"
