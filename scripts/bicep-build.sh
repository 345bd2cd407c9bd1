#!/usr/bin/env bash
# Compiles infra/main.bicep (and with it every module) to ARM JSON in .artifacts/bicep/, which fails on any
# Bicep error; warnings (compiler and linter) are printed. Uses, in order: `bicep` on PATH, `az bicep`, or the
# Bicep CLI NuGet package (BICEP_VERSION) restored into .tools/bicep. Exits 3 when no Bicep CLI can be had.
# tests/FunctionsIvr.Tests/Packaging/InfraCompileTests.cs runs it and fails on any error or warning.
set -euo pipefail
cd "$(dirname "$0")/.."
BICEP_VERSION=${BICEP_VERSION:-0.49.2}
out=.artifacts/bicep
mkdir -p "$out"

log() { printf '[bicep] %s\n' "$*" >&2; }

bicep_cmd=()
if command -v bicep >/dev/null 2>&1; then
  bicep_cmd=(bicep)
elif command -v az >/dev/null 2>&1 && az bicep version >/dev/null 2>&1; then
  bicep_cmd=(az bicep)
else
  tool=.tools/bicep
  exe=$(find "$tool/packages" -path "*azure.bicep.commandline.linux-x64/$BICEP_VERSION/*" -name bicep -type f 2>/dev/null | head -n 1 || true)
  if [ -z "$exe" ]; then
    log "fetching Azure.Bicep.CommandLine.linux-x64 $BICEP_VERSION from NuGet into $tool"
    mkdir -p "$tool"
    # Restore from a folder outside the repository, so its build settings (central versions, analyzers) stay out.
    fetch=$(mktemp -d)
    trap 'rm -rf "$fetch"' EXIT
    cat >"$fetch/fetch.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" /></ItemGroup>
</Project>
XML
    if ! dotnet restore "$fetch/fetch.csproj" --packages "$tool/packages" -v quiet --nologo >"$tool/restore.log" 2>&1; then
      log "no Bicep CLI: not on PATH, no 'az bicep', and NuGet has no Azure.Bicep.CommandLine.linux-x64 $BICEP_VERSION (see $tool/restore.log)"
      exit 3
    fi
    exe=$(find "$tool/packages" -path "*azure.bicep.commandline.linux-x64/$BICEP_VERSION/*" -name bicep -type f | head -n 1)
  fi
  chmod +x "$exe"
  bicep_cmd=("$exe")
fi

log "using ${bicep_cmd[*]}"
"${bicep_cmd[@]}" build infra/main.bicep --outfile "$out/main.json"
log "ok: $out/main.json"
