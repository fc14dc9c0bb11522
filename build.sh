#!/usr/bin/env bash
# Builds everything in Release and publishes the deployables into artifacts/bin/. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/deps.sh

dotnet build WasmKube.sln -c Release -nologo -clp:NoSummary -v:q

mkdir -p artifacts/bin
# Each deployable is published self-contained-free (framework-dependent) into one folder, with a launcher per name.
for project in $(find cli shim operator node-agent -name '*.csproj' 2>/dev/null | sort); do
  assembly=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$project")
  [[ -n "$assembly" ]] || continue
  dotnet publish "$project" -c Release -nologo -v:q -o "artifacts/publish/$assembly" >/dev/null
  ln -sf "../publish/$assembly/$assembly" "artifacts/bin/$assembly"
  echo "built artifacts/bin/$assembly"
done
