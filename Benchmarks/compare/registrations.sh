#!/usr/bin/env bash
# Registrations verified per second, per attestation format, on the same batch:
#   fidoctl verify batch (all cores, and one)  vs  py_webauthn (one process, one core).
# Each batch repeats one real sample (Fixtures/webauthn/peer-batch.jsonl) COUNT times:
#   packed-x5c: a YubiKey 5 (py_webauthn's "yubikey_firefox"), tpm: a Windows Hello TPM with an
#   ECC key (RS1 AIK signature; allowRS1 as py_webauthn allows it), android-key: a hardware-backed
#   Android key checked against Google's roots at the sample's pinned time.
# Needs hyperfine and `pip install webauthn`; installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-2000}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
python3 -c "import webauthn" 2>/dev/null || pip install -q webauthn
swift build -c release --product fidoctl
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
declare -A samples=(
  [packed-x5c]="py_webauthn/reg-packed_x5c-verify_attestation_from_yubikey_firefox.json"
  [tpm]="py_webauthn/reg-tpm-verify_tpm_with_ecc_public_area_type.json"
  [android-key]="py_webauthn/reg-android_key-verify_attestation_android_key_hardware_authority.json"
)
for format in packed-x5c tpm android-key; do
  id=${samples[$format]}
  line=$(grep -F "\"id\": \"$id\"" Fixtures/webauthn/peer-batch.jsonl)
  for _ in $(seq "$count"); do echo "$line"; done > "$work/$format.jsonl"
  echo "== $format: $count registrations"
  echo "fidoctl: $(.build/release/fidoctl verify batch "$work/$format.jsonl" | grep -c '"verified":true') verified;" \
       "py_webauthn: $(python3 Benchmarks/compare/py_webauthn_register.py "$work/$format.jsonl")"
  hyperfine --warmup 1 --runs ${RUNS:-5} --export-json "$work/$format.json" \
    -n "fidoctl verify batch ($(nproc) cores)" ".build/release/fidoctl verify batch $work/$format.jsonl" \
    -n "fidoctl verify batch (1 core)" ".build/release/fidoctl verify batch --jobs 1 $work/$format.jsonl" \
    -n "py_webauthn" "python3 Benchmarks/compare/py_webauthn_register.py $work/$format.jsonl" > /dev/null
  python3 - "$work/$format.json" "$count" <<'PY'
import json, sys
results, count = json.load(open(sys.argv[1]))["results"], int(sys.argv[2])
py = next(r for r in results if r["command"] == "py_webauthn")["mean"]
for r in results:
    print(f"  {r['command']:<32} {r['mean']*1000:8.0f} ms ± {r['stddev']*1000:4.0f}  {count / r['mean']:9.0f} registrations/s  {py / r['mean']:5.1f}x py_webauthn")
PY
done
