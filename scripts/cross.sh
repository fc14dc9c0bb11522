# Sourced by the scripts that build for a Debian architecture other than this machine's (images/build.sh,
# scripts/publish-payload.sh, scripts/payload-sysroot.sh): the architecture's names, its Debian packages fetched
# through a private package list, and NativeAOT publishing linked against a sysroot of that architecture.
# Sourced from the repository's root.

build_arch=$(dpkg --print-architecture)
# The private package lists, the fetched .debs and the sysroots, kept between builds.
cross_work="$(realpath -m "${WASMKUBE_BUILD_DIR:-.build}")/cross"

# The target's C runtime to link against, for a NativeAOT program of another architecture.
sysroot_packages=(libc6 libc6-dev libgcc-s1 libgcc-12-dev linux-libc-dev libstdc++6 libstdc++-12-dev)

arch_names() { # arch -> sets rid, triplet and loader (the dynamic loader's path) for the Debian architecture
  case "$1" in amd64) rid=linux-x64; triplet=x86_64-linux-gnu; loader=lib64/ld-linux-x86-64.so.2 ;;
               arm64) rid=linux-arm64; triplet=aarch64-linux-gnu; loader=lib/ld-linux-aarch64.so.1 ;;
               *) echo "cross: no build for the architecture $1 (amd64 and arm64 are known)" >&2; return 1 ;; esac
}

fetch() { # arch packages... -> into $cross_work/debs/ARCH
  local arch=$1; shift
  local apt=(apt-get -qq)
  if [[ "$arch" != "$build_arch" ]]; then
    # The machine's apt knows only its own architecture: a private package list for the other one.
    local state="$cross_work/apt-$arch"
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
    apt+=(-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache")
    [[ -n "$(ls "$state/lists" 2>/dev/null | grep -v partial)" ]] || flock /tmp/apt.lock "${apt[@]}" update
  fi
  mkdir -p "$cross_work/debs/$arch"
  (cd "$cross_work/debs/$arch" && flock /tmp/apt.lock "${apt[@]}" download "${@/%/:$arch}" 2>/dev/null) ||
    { echo "cross: apt-get download of ${*} ($arch) failed; run apt-get update" >&2; return 1; }
}

deb() { # arch package -> the newest fetched .deb of the package
  ls -t "$cross_work/debs/$1/$2"_*.deb | sed -n 1p
}

sysroots_made=" "
sysroot() { # arch -> folder with the architecture's C runtime and headers, for the linker (made once per run)
  local folder="$cross_work/sysroot/$1" p
  if [[ "$sysroots_made" != *" $1 "* ]]; then
    fetch "$1" "${sysroot_packages[@]}"
    rm -rf "$folder" && mkdir -p "$folder"
    for p in "${sysroot_packages[@]}"; do dpkg-deb -x "$(deb "$1" "$p")" "$folder"; done
    sysroots_made+="$1 "
  fi
}

publish_options() { # arch -> sets publish_options: dotnet publish's options for a program of the architecture
  arch_names "$1"
  publish_options=(-r "$rid")
  if [[ "$1" != "$build_arch" ]]; then
    # NativeAOT links with clang; lld links for any target, against the architecture's own C runtime.
    sysroot "$1"
    publish_options+=(-p:SysRoot="$cross_work/sysroot/$1" -p:LinkerFlavor=lld)
  fi
}
