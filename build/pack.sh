#!/usr/bin/env bash
# Packs the six libraries and the tessera tool into a folder feed, as the packaging tests do
# (tests/Tessera.Packaging.Tests/PackedFeed.cs: the same projects, Release, a deterministic CI build).
# Usage: build/pack.sh [OUTDIR] [VERSION]
#   OUTDIR   where the .nupkg and .snupkg files go (default: artifacts/packages)
#   VERSION  the package version (default: VersionPrefix in src/Directory.Build.props)
# Install the tool from the feed: dotnet tool install Tessera.Cli --tool-path DIR --add-source OUTDIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/artifacts/packages}" && cd "${1:-$root/artifacts/packages}" && pwd)"
version_args=()
[ -n "${2:-}" ] && version_args=("-p:Version=$2")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Keep in step with PackedFeed.PackableProjects.
projects=(
  src/Tessera.Jose/Tessera.Jose.csproj
  src/Tessera/Tessera.csproj
  src/Tessera.AspNetCore/Tessera.AspNetCore.csproj
  src/Tessera.Sqlite/Tessera.Sqlite.csproj
  src/Tessera.PostgreSql/Tessera.PostgreSql.csproj
  src/Tessera.Redis/Tessera.Redis.csproj
  src/Tessera.Cli/Tessera.Cli.csproj
)
for project in "${projects[@]}"; do
  printf '==> packing %s\n' "$project" >&2
  dotnet pack "$root/$project" --configuration Release --output "$out" \
    -p:ContinuousIntegrationBuild=true "${version_args[@]}" --nologo --verbosity quiet
done
ls -l "$out"
