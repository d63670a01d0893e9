#!/usr/bin/env bash
# Times HS256 validation with Tessera.Jose as it was at each given commit (everything else as at
# HEAD), to see what each library change did. Each version runs `--probe ValidateBenchmarks`
# (methods interleaved, fastest batch and median), in turn, PASSES times; compare Tessera with the
# floor and Microsoft *within* one probe, since the machine's load moves between probes.
# Usage: bench/compare-commits.sh COMMIT...   (env: ROUNDS=60 PASSES=2)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-60}
passes=${PASSES:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
built=()
for commit in "$@"; do
  dir="$work/$commit"
  mkdir -p "$dir"
  git archive HEAD | tar -x -C "$dir"
  rm -rf "$dir/src/Tessera.Jose"
  git archive "$commit" src/Tessera.Jose | tar -x -C "$dir"
  if dotnet build "$dir/bench/Tessera.Benchmarks" -c Release -nologo -v q > "$dir/build.log" 2>&1; then
    built+=("$commit")
  else
    echo "$commit: build failed (see below)"; tail -5 "$dir/build.log"
  fi
done
printf '%-10s %5s %12s %12s %12s %10s %12s %9s\n' commit pass Tessera_ns Floor_ns Microsoft_ns "T/Floor" "Microsoft/T" "T alloc B"
for pass in $(seq 1 "$passes"); do
  for commit in "${built[@]}"; do
    out=$(cd "$work/$commit" && dotnet "bench/Tessera.Benchmarks/bin/Release/net10.0/Tessera.Benchmarks.dll" --probe ValidateBenchmarks "$rounds")
    t=$(awk '$1=="Tessera_HS256"{print $2}' <<<"$out"); a=$(awk '$1=="Tessera_HS256"{print $5}' <<<"$out")
    f=$(awk '$1=="Floor_HS256"{print $2}' <<<"$out"); m=$(awk '$1=="Microsoft_HS256"{print $2}' <<<"$out")
    printf '%-10s %5s %12s %12s %12s %10.3f %12.3f %9s\n' "${commit:0:10}" "$pass" "$t" "$f" "$m" "$(awk -v a="$t" -v b="$f" 'BEGIN{print a/b}')" "$(awk -v a="$m" -v b="$t" 'BEGIN{print a/b}')" "$a"
  done
done
