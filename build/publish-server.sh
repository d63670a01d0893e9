#!/usr/bin/env bash
# Publishes the server as two runnable builds, then starts each on loopback and asks GET /healthz:
#   OUTDIR/framework-dependent/         needs the ASP.NET Core 10 runtime: ./Tessera.Server (or dotnet Tessera.Server.dll)
#   OUTDIR/linux-x64-single-file/       self-contained, one executable: ./Tessera.Server, no .NET needed
# Both keep appsettings.json and wwwroot/ beside the executable: the server's content root is the
# program's own folder. NSec's libsodium goes inside the single file (IncludeNativeLibrariesForSelfExtract)
# and is extracted at the first start (DOTNET_BUNDLE_EXTRACT_BASE_DIR, default ~/.net).
# Usage: build/publish-server.sh [--no-check] [OUTDIR]   (OUTDIR default: artifacts/server)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
check=1
if [ "${1:-}" = "--no-check" ]; then check=0; shift; fi
out="$(mkdir -p "${1:-$root/artifacts/server}" && cd "${1:-$root/artifacts/server}" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
project="$root/src/Tessera.Server/Tessera.Server.csproj"
log() { printf '==> %s\n' "$*" >&2; }

log "publishing the framework-dependent build to $out/framework-dependent"
rm -rf "$out/framework-dependent"
dotnet publish "$project" --configuration Release --output "$out/framework-dependent" \
  -p:ContinuousIntegrationBuild=true --nologo --verbosity quiet

log "publishing the self-contained single-file build for linux-x64 to $out/linux-x64-single-file"
rm -rf "$out/linux-x64-single-file"
dotnet publish "$project" --configuration Release --runtime linux-x64 --self-contained true \
  --output "$out/linux-x64-single-file" \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:ContinuousIntegrationBuild=true --nologo --verbosity quiet

[ "$check" -eq 1 ] || exit 0

# A free loopback port: one nothing answers on.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# Starts one build in Development (no issuer or key-encryption certificate needed; docs/server.md)
# with a data folder of its own, and waits up to 60 s for GET /healthz to answer 200.
smoke() {
  local name="$1" executable="$2" port data pid status=1
  port="$(free_port)"
  data="$(mktemp -d)"
  log "starting $name on http://127.0.0.1:$port"
  ASPNETCORE_ENVIRONMENT=Development "$executable" --urls "http://127.0.0.1:$port" --data "$data/tessera-data" \
    >"$data/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >"$data/healthz.json" 2>/dev/null; then status=0; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "$status" -eq 0 ]; then
    log "$name answers /healthz: $(cat "$data/healthz.json")"
  else
    log "$name did not answer /healthz; its output:"
    cat "$data/out.log" >&2
  fi
  rm -rf "$data"
  return "$status"
}

smoke framework-dependent "$out/framework-dependent/Tessera.Server"
smoke linux-x64-single-file "$out/linux-x64-single-file/Tessera.Server"
du -sh "$out"/* >&2
