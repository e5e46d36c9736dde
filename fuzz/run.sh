#!/usr/bin/env bash
# Fuzzes one ScopeClaims target under AFL++ with SharpFuzz instrumentation.
#
#   fuzz/run.sh TARGET MINUTES        TARGET: normalizer-json | scopeset | converter | converter-json | converter-signature
#
# Needs afl-fuzz (Debian: apt-get install afl++) and the SharpFuzz instrumenter
# (dotnet tool install --tool-path /tmp/sharpfuzz SharpFuzz.CommandLine --version 2.3.0; or set SHARPFUZZ).
# Seeds come from fuzz/corpus/TARGET; findings go to a temp dir (printed); crashing and hanging inputs are copied
# to fuzz/crashes/TARGET/. With MINIMIZE=1 the grown queue is minimized (afl-cmin) back into fuzz/corpus/TARGET.
set -euo pipefail

target=${1:?usage: fuzz/run.sh TARGET MINUTES}
minutes=${2:?usage: fuzz/run.sh TARGET MINUTES}
case "$target" in normalizer-json|scopeset|converter|converter-json|converter-signature) ;; *) echo "unknown target: $target" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")" && pwd)
dotnet=$(command -v dotnet)
sharpfuzz=${SHARPFUZZ:-$(command -v sharpfuzz || echo /tmp/sharpfuzz/sharpfuzz)}
# Note: not under /tmp, where afl-cmin refuses to run.
mkdir -p "${FUZZ_WORK:-$HOME/.cache/scopeclaims-fuzz}"
work=$(mktemp -d "${FUZZ_WORK:-$HOME/.cache/scopeclaims-fuzz}/$target.XXXXXX")
echo "work dir: $work"

dotnet publish "$here/ScopeClaims.Fuzz/ScopeClaims.Fuzz.csproj" -c Release -o "$work/bin" --nologo -v quiet
# Only our assembly is instrumented: coverage of Microsoft.IdentityModel or System.Text.Json would only add noise.
"$sharpfuzz" "$work/bin/ScopeClaims.dll"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
status=0
afl-fuzz -i "$here/corpus/$target" -o "$work/findings" -V $((minutes * 60)) -t 5000 -m none \
  -- "$dotnet" "$work/bin/ScopeClaims.Fuzz.dll" "$target" || status=$?

out="$work/findings/default"
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg)' "$out/fuzzer_stats" || true

mkdir -p "$here/crashes/$target"
found=0
for kind in crashes hangs; do
  for f in "$out/$kind"/id:*; do
    [ -e "$f" ] || continue
    cp "$f" "$here/crashes/$target/$kind-$(sha1sum "$f" | cut -c1-12)"
    found=$((found + 1))
  done
done
echo "$found crashing or hanging input(s) copied to fuzz/crashes/$target/"

if [ "${MINIMIZE:-0}" = 1 ]; then
  afl-cmin -i "$out/queue" -o "$work/cmin" -t 5000 -m none -- "$dotnet" "$work/bin/ScopeClaims.Fuzz.dll" "$target"
  rm -f "$here/corpus/$target"/*
  for f in "$work/cmin"/*; do cp "$f" "$here/corpus/$target/$(sha1sum "$f" | cut -c1-12)"; done
  echo "corpus minimized to $(ls "$here/corpus/$target" | wc -l) file(s)"
fi
exit $status
