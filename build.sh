#!/usr/bin/env bash
# Builds everything in Release and publishes the deployables into artifacts/bin/ (`./build.sh images`: also the
# container images into artifacts/images/). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/deps.sh

dotnet build WasmKube.sln -c Release -nologo -clp:NoSummary -v:q

mkdir -p artifacts/bin
rid=$(dotnet msbuild cli/WasmKube.Cli/WasmKube.Cli.csproj -getProperty:NETCoreSdkRuntimeIdentifier)
# Each deployable is published framework-dependent into a folder of its own, with a launcher per name, except the
# shim and the executor, which ship together (the shim starts the executor found beside it). ReadyToRun code in
# the published assemblies spares most JIT work at start-up (the executor starts once per container).
for project in $(find cli shim operator node-agent -name '*.csproj' 2>/dev/null | sort); do
  assembly=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$project")
  [[ -n "$assembly" ]] || continue
  case "$project" in shim/*) folder=shim ;; *) folder=$assembly ;; esac
  dotnet publish "$project" -c Release -nologo -v:q -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "artifacts/publish/$folder" >/dev/null
  ln -sfn "../publish/$folder/$assembly" "artifacts/bin/$assembly"
  echo "built artifacts/bin/$assembly"
done

# `wasmkube compile` adds ReadyToRun code to cached modules with the crossgen2 found beside it. The ReadyToRun
# publish above restored the package of the SDK's runtime version.
crossgen2_version=$(dotnet msbuild cli/WasmKube.Cli/WasmKube.Cli.csproj -getProperty:BundledNETCoreAppPackageVersion)
packages=$(dotnet msbuild cli/WasmKube.Cli/WasmKube.Cli.csproj -getProperty:NuGetPackageRoot)
crossgen2_tools="${packages%/}/microsoft.netcore.app.crossgen2.$rid/$crossgen2_version/tools"
if [[ -x "$crossgen2_tools/crossgen2" ]]; then
  rm -rf artifacts/publish/wasmkube/crossgen2
  cp -r "$crossgen2_tools" artifacts/publish/wasmkube/crossgen2
  chmod -R a+rX artifacts/publish/wasmkube/crossgen2
  echo "built artifacts/publish/wasmkube/crossgen2 ($crossgen2_version)"
else
  echo "build: crossgen2 $crossgen2_version not found in $crossgen2_tools; 'wasmkube compile' will cache IL only" >&2
fi

# `./build.sh images`: the container images, as OCI archives in artifacts/images (see images/README.md).
if [[ "${1:-}" == images ]]; then
  images/build.sh
fi
