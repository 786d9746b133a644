#!/usr/bin/env bash
# Runs every test: lints (swift format), builds with warnings treated as errors for the project's own code, then
# `swift test` (Swift Testing), which covers the CBOR vectors, every WebAuthn check, the peer
# samples, the mutation robustness runs and fidoctl end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's packages (build, Python + venv, PostgreSQL, Chromium), then the Python test tools in
# .build/venv (pinned in scripts/requirements-test.txt; nothing is installed system-wide).
scripts/install-system-packages.sh --test
scripts/python-env.sh
python=.build/venv/bin/python
log=$(mktemp); started_postgres=$(mktemp)
# A PostgreSQL server this run started (a fresh machine) is stopped again at the end.
stop_started_postgres() {
  if [ -s "$started_postgres" ]; then
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    # shellcheck disable=SC2046  # "VERSION main": two arguments
    $sudo pg_ctlcluster $(cat "$started_postgres") stop || true
  fi
  rm -f "$log" "$started_postgres"
}
trap stop_started_postgres EXIT
swift format lint --strict --recursive Sources Tests Package.swift
"$python" scripts/check-openapi.py openapi.yaml
"$python" scripts/check-mutations.py --check-patterns >/dev/null || "$python" scripts/check-mutations.py --check-patterns
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$log" | sort -u | grep .; then
  echo "error: the build has warnings in the project's own code (listed above)" >&2
  exit 1
fi
# The store tests run against SQLite and against this PostgreSQL server.
FIDOKIT_POSTGRES_URL=$(FIDOKIT_POSTGRES_STARTED_FILE=$started_postgres scripts/start-test-postgres.sh)
export FIDOKIT_POSTGRES_URL
swift test 2>&1 | tee "$log" | grep -vE "^(✔ Test |◇ Test )" || true
grep -qE "✔ Test run with [0-9]+ tests? .* passed" "$log" || { echo "error: swift test failed" >&2; exit 1; }
grep -E "Test run with" "$log" | tail -1
# The pages in a real browser (Chromium + WebAuthn virtual authenticators).
scripts/browser-tests.sh
# The API from outside: schemathesis against openapi.yaml and a real mfa-server (admin and member).
scripts/api-fuzz.sh
# Coverage-guided fuzzing, briefly: each libFuzzer target (FuzzTesting/) replays its regression
# fixtures and fuzzes 5 s from its corpus; a crash, leak or slow unit fails the run.
FUZZ_CONFIGURATION=debug scripts/fuzz.sh all 5
# The libfido2 driver again under AddressSanitizer/LeakSanitizer: every C handle must be freed.
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan.supp" \
  swift test --sanitize=address --scratch-path .build-asan --filter "FIDO2Tests" 2>&1 | tee "$log" | grep -E "Test run with|Sanitizer" || true
if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)" "$log" || ! grep -qE "✔ Test run with [0-9]+ tests? .* passed" "$log"; then
  echo "error: the sanitizer run failed (see above)" >&2
  exit 1
fi
# The release builds that the README's run and benchmark commands use: an optimiser-only
# failure (Swift 6.3.1 crashed in LLVM's coroutine splitting on fidoctl once) shows only here.
swift build -c release --product mfa-server 2>&1 | tail -1
swift build -c release --product fidoctl 2>&1 | tail -1
.build/release/fidoctl --version
