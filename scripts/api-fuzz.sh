#!/usr/bin/env bash
# API fuzzing: schemathesis (from the tests' venv) against openapi.yaml and a real mfa-server,
# signed in as an admin (password + TOTP) and as a member, every phase including the stateful one
# (the document's links), checking no 5xx, responses as documented, authentication enforced and
# every state-changing operation refused without its CSRF token (Tests/api-fuzz/). Bounded: a few
# minutes with the default of 25 test cases per operation and phase. Part of scripts/test.sh.
#   scripts/api-fuzz.sh [--max-examples N] [--roles admin,member] [--seed S]
# Reports (JUnit, NDJSON) and the servers' logs: .build/api-fuzz/ROLE/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh --python
scripts/python-env.sh
swift build --product mfa-server >/dev/null
# First the CSRF check itself: it must catch a stand-in server with mfa-server's old //api/ bypass.
.build/venv/bin/python Tests/api-fuzz/selftest_csrf.py
exec .build/venv/bin/python Tests/api-fuzz/api_fuzz.py "$@"
