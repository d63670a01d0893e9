#!/usr/bin/env bash
# Peak memory of a Tessera server under N concurrent sign-ins (#14 finding 2): each in-flight
# Argon2id verification holds Tessera:Passwords:MemoryKiB (19 MiB by default), so without a bound
# the peak grows with N; with the hashing gate (Tessera:PasswordHashing) it stays near
# MaxConcurrent × 19 MiB and the excess answers 503 server_busy.
# Usage: bench/password-hashing-memory.sh [N=50] [extra --key=value settings for the server...]
# Prints the status counts of the N answers and the server's peak resident memory (VmHWM).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}; shift || true
port=${PORT:-5391}
data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
dotnet build src/Tessera.Server -c Release -nologo -v q >/dev/null
ASPNETCORE_ENVIRONMENT=Development dotnet src/Tessera.Server/bin/Release/net10.0/Tessera.Server.dll \
  --urls "http://127.0.0.1:$port" --Tessera:DataDir="$data" \
  --Tessera:RateLimits:SignInPerClient:PermitLimit=100000 --Tessera:RateLimits:SignInPerAccount:PermitLimit=100000 \
  --Logging:LogLevel:Default=Warning "$@" >"$data/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
body='{"username":"memory-probe","password":"a long enough passphrase"}'
curl -fs -o /dev/null -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/auth/register"
curl -fs -o /dev/null -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/auth/session"
before=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
for i in $(seq 1 "$n"); do
  curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/auth/session" &
done > "$data/codes"
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
sleep 1
echo "answers: $(sort "$data/codes" | uniq -c | tr '\n' ' ')"
echo "rss before: $((before / 1024)) MiB, peak (VmHWM): $(( $(awk '/VmHWM/{print $2}' "/proc/$pid/status") / 1024 )) MiB"
