#!/usr/bin/env bash
# Fuzzes one target of fuzz/Tessera.Fuzz with AFL++ (fuzz/README.md).
# Usage: fuzz/run.sh TARGET [SECONDS]     (no SECONDS: until Ctrl-C)
# Needs afl-fuzz (Debian: apt-get install afl++) and the local tool (dotnet tool restore).
# Output under fuzz/out/ (ignored by git): build/ the plain build, bin/ the instrumented copy,
# findings/TARGET/ what afl-fuzz found (default/crashes, default/hangs, default/queue).
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:?usage: fuzz/run.sh TARGET [SECONDS]}"
seconds="${2:-}"
out="${FUZZ_OUT:-fuzz/out}"
corpus="fuzz/corpus/$target"
[ -d "$corpus" ] || { echo "no seed corpus $corpus" >&2; exit 2; }

# Built once per output folder, then the Tessera assemblies are instrumented in a copy: sharpfuzz
# rewrites a .dll in place and refuses one it has already instrumented.
if [ ! -f "$out/bin/.instrumented" ]; then
  dotnet build fuzz/Tessera.Fuzz -c Release -o "$out/build" --nologo -v quiet
  rm -rf "$out/bin" && cp -r "$out/build" "$out/bin"
  for assembly in Tessera.Jose Tessera Tessera.AspNetCore; do
    dotnet tool run sharpfuzz "$out/bin/$assembly.dll"
  done
  touch "$out/bin/.instrumented"
fi

# No root needed: the machine's CPU governor and core_pattern stay as they are, and afl-fuzz
# skips its checks of them; the dotnet host is not instrumented, SharpFuzz's runtime speaks AFL's protocol.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_NO_UI=1 AFL_AUTORESUME=1
export DOTNET_TieredPGO=0 DOTNET_TieredCompilation=0

mkdir -p "$out/findings"
args=(-i "$corpus" -o "$out/findings/$target" -t 5000 -m none)
[ -n "$seconds" ] && args+=(-V "$seconds")
exec afl-fuzz "${args[@]}" -- dotnet "$out/bin/Tessera.Fuzz.dll" "$target"
