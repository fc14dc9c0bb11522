#!/usr/bin/env bash
# Builds the container images of WasmKube as OCI archives, without a container engine or a registry to pull a base
# image from: the root filesystems are assembled from Debian packages (apt-get download + dpkg-deb -x) and the
# programs are published NativeAOT. Run by `./build.sh images` after the payload was published into
# artifacts/publish/shim. Writes artifacts/images/wasmkube-operator.tar and artifacts/images/wasmkube-node-agent.tar.
#
#   WASMKUBE_VERSION           image tag and payload version prefix (default: the repository's VERSION, which the
#                              chart's appVersion and default image tags follow)
#   WASMKUBE_IMAGE_REPOSITORY  repository prefix of the image names (default: docker.io/wasmkube)
#   WASMKUBE_IMAGE_ARCHS       architectures (default: "amd64 arm64"); the agent's image takes the node payload of
#                              the build machine's from artifacts/publish/shim, and publishes the payload of another
#                              one into artifacts/publish/shim-ARCH (scripts/publish-payload.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

version=${WASMKUBE_VERSION:-$(cat VERSION)}
repository=${WASMKUBE_IMAGE_REPOSITORY:-docker.io/wasmkube}
read -r -a archs <<< "${WASMKUBE_IMAGE_ARCHS:-amd64 arm64}"
out=artifacts/images
work="$(realpath -m "${WASMKUBE_BUILD_DIR:-.build}")/images"
source scripts/cross.sh   # fetch, deb, arch_names, publish_options; build_arch

[[ -d artifacts/publish/shim ]] || { echo "images: artifacts/publish/shim is missing; run ./build.sh first" >&2; exit 1; }
rm -rf "$work/rootfs" "$work/x"
mkdir -p "$out" "$work/rootfs"

# Debian packages of the base: glibc (NativeAOT programs link it), OpenSSL (dlopen'ed for TLS to the API server),
# the CA certificates, and for the agent nsenter (util-linux) with the libraries it links.
packages=(libc6 libssl3 ca-certificates util-linux libselinux1 libpcre2-8-0)
extract() { # arch package -> folder with its files
  mkdir -p "$work/x/$1/$2" && dpkg-deb -x "$(deb "$1" "$2")" "$work/x/$1/$2"
  echo "$work/x/$1/$2"
}
copy() { # from-folder path-patterns... into $target, at the same relative paths
  local from=$1; shift
  # shellcheck disable=SC2048,SC2086 # the patterns are globbed inside the package's folder
  (cd "$from" && cp -a --parents $* "$target/")
}
publish() { # project arch -> folder with the NativeAOT program
  local name; name=$(basename "$1" .csproj)
  local folder="$work/publish/$2/$name"
  publish_options "$2"
  dotnet publish "$1" -c Release -nologo -v:q "${publish_options[@]}" -p:PublishAot=true -o "$folder" >/dev/null
  echo "$folder"
}

operator_images=() agent_images=()
for arch in "${archs[@]}"; do
  arch_names "$arch"
  if [[ "$arch" == "$build_arch" ]]; then
    payload_source=artifacts/publish/shim
  else
    # The node payload of another architecture is published here (./build.sh published the machine's).
    payload_source=artifacts/publish/shim-$arch
    scripts/publish-payload.sh "$arch"
  fi
  fetch "$arch" "${packages[@]}"
  rootfs="$work/rootfs/$arch"

  # base: shared by both images (same layer digest), just what a NativeAOT program with TLS needs.
  target="$rootfs/base"
  libc=$(extract "$arch" libc6); ssl=$(extract "$arch" libssl3); certs=$(extract "$arch" ca-certificates)
  mkdir -p "$target"/{etc/ssl/certs,tmp,home/nonroot}
  chmod 1777 "$target/tmp"
  copy "$libc" "$loader" "lib/$triplet/"{libc.so.6,libm.so.6,libpthread.so.0,libdl.so.2,librt.so.1,"ld-linux*.so.*"}
  copy "$ssl" "usr/lib/$triplet/"{libssl.so.3,libcrypto.so.3}
  # update-ca-certificates' bundle, made the way its postinst makes it (dpkg-deb -x runs no scripts).
  cat "$certs"/usr/share/ca-certificates/mozilla/*.crt > "$target/etc/ssl/certs/ca-certificates.crt"
  for p in libc6 libssl3 ca-certificates; do copy "$work/x/$arch/$p" "usr/share/doc/$p/copyright"; done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$target/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$target/etc/group"
  printf 'hosts: files dns\n' > "$target/etc/nsswitch.conf"

  # operator: the program alone, run as uid 65532.
  target="$rootfs/operator"
  operator=$(publish operator/WasmKube.Operator/WasmKube.Operator.csproj "$arch")
  mkdir -p "$target/usr/local/bin" && cp "$operator/wasmkube-operator" "$target/usr/local/bin/"
  operator_images+=("$arch")

  # node agent: the program, nsenter (runs host programs in the host's namespaces) and the node payload, which is
  # every file of the shim's publish folder plus VERSION and SHA256SUMS (verified by the agent before it installs).
  target="$rootfs/node-agent"
  agent=$(publish node-agent/WasmKube.NodeAgent/WasmKube.NodeAgent.csproj "$arch")
  mkdir -p "$target/usr/local/bin" "$target/usr/bin" && cp "$agent/wasmkube-node-agent" "$target/usr/local/bin/"
  utils=$(extract "$arch" util-linux); selinux=$(extract "$arch" libselinux1); pcre=$(extract "$arch" libpcre2-8-0)
  copy "$utils" usr/bin/nsenter usr/share/doc/util-linux/copyright
  copy "$selinux" "lib/$triplet/libselinux.so.1" usr/share/doc/libselinux1/copyright
  copy "$pcre" "usr/lib/$triplet/libpcre2-8.so.0*" usr/share/doc/libpcre2-8-0/copyright
  payload="$target/opt/wasmkube-agent/shim"
  mkdir -p "$payload" && cp -a "$payload_source"/. "$payload"/
  rm -f "$payload/VERSION" "$payload/SHA256SUMS"
  # The version names the folder on the node: distinct content gets a distinct name, so a running pod's files are
  # never replaced by other files under the same version.
  content=$(cd "$payload" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)
  echo "$version-$content" > "$payload/VERSION"
  (cd "$payload" && find . -type f ! -name SHA256SUMS | sed 's:^\./::' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
  agent_images+=("$arch")
done

write_image() { # name user arch...
  local name=$1 user=$2; shift 2
  local images="" arch
  for arch in "$@"; do
    images+="{\"architecture\": \"$arch\", \"layers\": [\"$work/rootfs/$arch/base\", \"$work/rootfs/$arch/${name#wasmkube-}\"],
      \"entrypoint\": [\"/usr/local/bin/$name\"], \"user\": \"$user\", \"owners\": {\"/home/nonroot\": \"65532:65532\"},
      \"env\": [\"PATH=/usr/local/bin:/usr/bin:/bin\", \"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt\"]},"
  done
  printf '{"name": "%s", "images": [%s]}\n' "$repository/$name:$version" "${images%,}" > "$work/$name.json"
  python3 images/oci_layout.py "$work/$name.json" "$out/$name.tar"
  echo "built $out/$name.tar ($repository/$name:$version, $*; $(du -k "$out/$name.tar" | cut -f1) KiB)"
}
write_image wasmkube-operator 65532:65532 "${operator_images[@]}"
# The agent edits host files and enters host namespaces: it runs as root (and privileged, see the chart).
write_image wasmkube-node-agent 0:0 "${agent_images[@]}"
