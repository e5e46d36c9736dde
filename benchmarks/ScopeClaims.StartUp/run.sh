#!/usr/bin/env bash
# Start-up to the first issued token: a minimal host with AddArrayScopeTokens from a PEM key (ES256), beside the same
# host issuing with JsonWebTokenHandler directly. Both published once, then timed with hyperfine (5 warm-ups, 30 runs);
# prints each median and the ratio. Usage: bash benchmarks/ScopeClaims.StartUp/run.sh   (needs hyperfine:
# apt-get install -y hyperfine)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish benchmarks/ScopeClaims.StartUp -c Release -o "$out/app" -v q --nologo >/dev/null
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$out/key.pem"
hyperfine -N --warmup 5 --runs 30 \
  -n 'JsonWebTokenHandler (baseline)' "dotnet $out/app/ScopeClaims.StartUp.dll jwt $out/key.pem" \
  -n 'AddArrayScopeTokens' "dotnet $out/app/ScopeClaims.StartUp.dll scopeclaims $out/key.pem" \
  --export-json "$out/startup.json" >/dev/null
python3 - "$out/startup.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
medians = {r["command"]: r["median"] * 1000 for r in results}
for name, ms in medians.items():
    print(f"{name}: median {ms:.1f} ms")
names = list(medians)
print(f"ratio {names[1]} / {names[0]}: {medians[names[1]] / medians[names[0]]:.3f}")
PY
