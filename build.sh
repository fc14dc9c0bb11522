#!/usr/bin/env bash
# Builds everything in Release and publishes the deployables into artifacts/bin/ (`./build.sh images`: also the
# container images into artifacts/images/). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/deps.sh

dotnet build WasmKube.sln -c Release -nologo -clp:NoSummary -v:q

mkdir -p artifacts/bin
rid=$(dotnet msbuild cli/WasmKube.Cli/WasmKube.Cli.csproj -getProperty:NETCoreSdkRuntimeIdentifier)
publish() { # PROJECT FOLDER [dotnet publish options...]
  local project=$1 folder=$2
  shift 2
  dotnet publish "$project" -c Release -nologo -v:q -r "$rid" -o "artifacts/publish/$folder" "$@" >/dev/null
}
link() { # FOLDER PROGRAM (its path in FOLDER)
  ln -sfn "../publish/$1/$2" "artifacts/bin/$(basename "$2")"
  echo "built artifacts/bin/$(basename "$2")"
}

# The node payload (artifacts/publish/shim): what the node agent installs on every node (scripts/publish-payload.sh).
scripts/publish-payload.sh
for program in containerd-shim-wasmkube-v1 wasmkube-executor cil/wasmkube-executor-cil; do link shim "$program"; done

# The CLI is a NativeAOT program (it starts in milliseconds). Its framework-dependent build, under jit/, runs our
# own engine, which compiles wasm to CIL for the JIT: the NativeAOT one hands it those runs and compiles.
rm -rf artifacts/publish/wasmkube
publish cli/WasmKube.Cli/WasmKube.Cli.csproj wasmkube/jit --self-contained false -p:PublishReadyToRun=true
publish cli/WasmKube.Cli/WasmKube.Cli.csproj wasmkube -p:NativeFront=true
rm -f artifacts/publish/wasmkube/*.dbg artifacts/publish/wasmkube/*.pdb
link wasmkube wasmkube

# The operator and the agent are framework-dependent, with ReadyToRun code to spare JIT work at start.
for project in operator/WasmKube.Operator/WasmKube.Operator.csproj node-agent/WasmKube.NodeAgent/WasmKube.NodeAgent.csproj; do
  assembly=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$project")
  publish "$project" "$assembly" --self-contained false -p:PublishReadyToRun=true
  link "$assembly" "$assembly"
done

# `wasmkube compile` adds ReadyToRun code to cached modules with the crossgen2 found beside the build that runs our
# engine (jit/). The ReadyToRun publish above restored the package of the SDK's runtime version.
crossgen2_version=$(dotnet msbuild cli/WasmKube.Cli/WasmKube.Cli.csproj -getProperty:BundledNETCoreAppPackageVersion)
packages=$(dotnet msbuild cli/WasmKube.Cli/WasmKube.Cli.csproj -getProperty:NuGetPackageRoot)
crossgen2_tools="${packages%/}/microsoft.netcore.app.crossgen2.$rid/$crossgen2_version/tools"
if [[ -x "$crossgen2_tools/crossgen2" ]]; then
  rm -rf artifacts/publish/wasmkube/jit/crossgen2
  cp -r "$crossgen2_tools" artifacts/publish/wasmkube/jit/crossgen2
  chmod -R a+rX artifacts/publish/wasmkube/jit/crossgen2
  echo "built artifacts/publish/wasmkube/jit/crossgen2 ($crossgen2_version)"
else
  echo "build: crossgen2 $crossgen2_version not found in $crossgen2_tools; 'wasmkube compile' will cache IL only" >&2
fi

# `./build.sh images`: the container images, as OCI archives in artifacts/images (see images/README.md).
if [[ "${1:-}" == images ]]; then
  images/build.sh
fi
