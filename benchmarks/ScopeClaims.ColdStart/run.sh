#!/usr/bin/env bash
# Cold start of `scopeclaims issue` beside a minimal console app, both started with `dotnet <dll>`, and of the
# Native AOT build that the RID-specific tool packages carry (-p:NativeTool=true; needs clang).
# Publishes each variant to a temporary folder, then times them with hyperfine (20 runs, median reported).
# Usage: bash benchmarks/ScopeClaims.ColdStart/run.sh     (needs hyperfine: apt-get install -y hyperfine)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)

# The tool's csproj sets these start-up knobs; "defaults" turns them back off, and the app gets them for a fair pair.
knobs="-p:InvariantGlobalization=true -p:TieredPGO=false -p:EventSourceSupport=false -p:ConcurrentGarbageCollection=false"
defaults="-p:InvariantGlobalization=false -p:TieredPGO=true -p:EventSourceSupport=true -p:ConcurrentGarbageCollection=true"
publish() { dotnet publish "$1" -c Release -o "$out/$2" -v q --nologo "${@:3}" >/dev/null; }
publish benchmarks/ScopeClaims.ColdStart hello
publish benchmarks/ScopeClaims.ColdStart hello-knobs $knobs
publish benchmarks/ScopeClaims.ColdStart hello-r2r-knobs $knobs -r "$rid" --self-contained false -p:PublishReadyToRun=true
publish src/ScopeClaims.Cli tool-defaults $defaults
publish src/ScopeClaims.Cli tool
publish src/ScopeClaims.Cli tool-r2r -r "$rid" --self-contained false
publish src/ScopeClaims.Cli tool-aot -r "$rid" -p:NativeTool=true

export SCOPECLAIMS_HOME="$out/home"
dotnet "$out/tool/ScopeClaims.Cli.dll" issue --scope "read:a write:b" >/dev/null 2>&1   # make the development key once
cd "$out"
hyperfine -N --warmup 3 --runs 20 \
  -n 'hello (defaults)' 'dotnet hello/ScopeClaims.ColdStart.dll' \
  -n 'hello (knobs)' 'dotnet hello-knobs/ScopeClaims.ColdStart.dll' \
  -n 'hello (knobs, ReadyToRun)' 'dotnet hello-r2r-knobs/ScopeClaims.ColdStart.dll' \
  -n 'issue (defaults)' 'dotnet tool-defaults/ScopeClaims.Cli.dll issue --scope "read:a write:b"' \
  -n 'issue (knobs: the tool as packed)' 'dotnet tool/ScopeClaims.Cli.dll issue --scope "read:a write:b"' \
  -n 'issue (knobs, ReadyToRun)' 'dotnet tool-r2r/ScopeClaims.Cli.dll issue --scope "read:a write:b"' \
  -n 'issue (Native AOT tool package)' './tool-aot/ScopeClaims.Cli issue --scope "read:a write:b"' \
  --export-json "$OLDPWD/coldstart.json" >/dev/null
cd "$OLDPWD"
# Medians (hyperfine's markdown table gives means): one line per variant.
python3 - <<'PY'
import json
for r in json.load(open("coldstart.json"))["results"]:
    print(f"{r['command']:36} median {r['median'] * 1000:6.1f} ms   min {r['min'] * 1000:6.1f} ms")
PY
rm -f coldstart.json
