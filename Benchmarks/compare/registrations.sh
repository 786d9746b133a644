#!/usr/bin/env bash
# Registrations verified per second, per attestation format, on the same batch:
#   fidoctl verify batch (all cores, and one)  vs  py_webauthn (one process, one core).
# Each batch repeats one real sample (Fixtures/webauthn/peer-batch.jsonl) COUNT times:
#   packed-x5c: a YubiKey 5 (py_webauthn's "yubikey_firefox"); tpm: a Windows Hello TPM with an
#   ECC key (RS1 AIK signature, allowRS1 as py_webauthn allows it); android-key: a hardware-backed
#   Android key checked against Google's roots at the sample's pinned time.
# Whole-process times (hyperfine) for COUNT lines and for one line; the per-registration rate is
# COUNT-1 over the difference, so process start-up (Python's imports, ~0.3 s) does not count.
# py_webauthn is timed only on batches it verifies completely.
# Needs hyperfine and `pip install webauthn`; installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-5000}
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
  echo "$line" > "$work/$format-1.jsonl"
  fidoctl_ok=$(.build/release/fidoctl verify batch "$work/$format.jsonl" | grep -c '"verified":true' || true)
  py_result=$(python3 Benchmarks/compare/py_webauthn_register.py "$work/$format.jsonl" || true)
  echo "== $format: $count registrations; fidoctl verified $fidoctl_ok; py_webauthn: $py_result"
  commands=(
    -n "fidoctl ($(nproc) cores)" ".build/release/fidoctl verify batch $work/$format.jsonl"
    -n "fidoctl ($(nproc) cores) 1" ".build/release/fidoctl verify batch $work/$format-1.jsonl"
    -n "fidoctl (1 core)" ".build/release/fidoctl verify batch --jobs 1 $work/$format.jsonl"
    -n "fidoctl (1 core) 1" ".build/release/fidoctl verify batch --jobs 1 $work/$format-1.jsonl"
  )
  if [ "$py_result" = "$count verified, 0 failed" ]; then
    commands+=(
      -n "py_webauthn" "python3 Benchmarks/compare/py_webauthn_register.py $work/$format.jsonl"
      -n "py_webauthn 1" "python3 Benchmarks/compare/py_webauthn_register.py $work/$format-1.jsonl"
    )
  fi
  hyperfine --warmup 1 --runs ${RUNS:-5} --export-json "$work/$format.json" "${commands[@]}" > /dev/null
  python3 - "$work/$format.json" "$count" <<'PY'
import json, sys
results, count = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}, int(sys.argv[2])
rate = {name: (count - 1) / (r["mean"] - results[name + " 1"]["mean"]) for name, r in results.items() if not name.endswith(" 1")}
for name, r in results.items():
    if name.endswith(" 1"):
        continue
    versus = f"{rate[name] / rate['py_webauthn']:5.1f}x py_webauthn" if "py_webauthn" in rate else "(py_webauthn does not verify this batch)"
    print(f"  {name:<20} {r['mean']*1000:7.0f} ms ± {r['stddev']*1000:4.0f} whole process, {rate[name]:8.0f} registrations/s  {versus}")
PY
done
