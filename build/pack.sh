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

# build/packages.slnx lists the seven projects; one build packs them all (shared dependencies built once).
# PackageOutputPath rather than --output: --output is not supported for a solution.
dotnet pack "$root/build/packages.slnx" --configuration Release -p:PackageOutputPath="$out/" \
  -p:ContinuousIntegrationBuild=true "${version_args[@]}" --nologo --verbosity quiet
ls -l "$out"
