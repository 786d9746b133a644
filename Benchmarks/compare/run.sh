#!/usr/bin/env bash
# Whole-process comparison on the same 10,000 ES256 assertions:
#   fidoctl verify batch (all cores)  vs  libfido2's fido_assert_verify (C)  vs  py_webauthn.
# Needs libfido2-dev, hyperfine and `pip install webauthn`; installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-10000}
need=()
pkg-config --exists libfido2 || need+=(libfido2-dev libcbor-dev libudev-dev libssl-dev pkg-config)
command -v hyperfine >/dev/null || need+=(hyperfine)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need[@]}"
fi
python3 -c "import webauthn" 2>/dev/null || pip install -q webauthn
swift build -c release --product fidoctl
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
.build/release/fidoctl bench make-batch --count "$count" --hex-output "$work/batch.hex" > "$work/batch.jsonl"
cc -O2 -o "$work/libfido2_assert_verify" Benchmarks/compare/libfido2_assert_verify.c $(pkg-config --cflags --libs libfido2) -lcrypto
"$work/libfido2_assert_verify" "$work/batch.hex"
python3 Benchmarks/compare/py_webauthn_verify.py "$work/batch.jsonl"
.build/release/fidoctl verify batch "$work/batch.jsonl" | grep -c '"verified":true'
hyperfine --warmup 1 --runs ${RUNS:-5} \
  -n "fidoctl verify batch ($(nproc) cores)" ".build/release/fidoctl verify batch $work/batch.jsonl" \
  -n "fidoctl verify batch (1 core)" ".build/release/fidoctl verify batch --jobs 1 $work/batch.jsonl" \
  -n "libfido2 fido_assert_verify (C)" "$work/libfido2_assert_verify $work/batch.hex" \
  -n "py_webauthn" "python3 Benchmarks/compare/py_webauthn_verify.py $work/batch.jsonl"
