#!/usr/bin/env bash
# The main job: builds fidoctl (release) and runs it. With no arguments it verifies the bundled
# batch of real WebAuthn samples (Fixtures/webauthn/peer-batch.jsonl) and prints one JSON verdict
# per line. With arguments it runs `fidoctl ARGS…`, e.g. scripts/run.sh verify registration --help.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh >&2
swift build -c release --product fidoctl >&2
if [ $# -eq 0 ]; then
  set -- verify batch Fixtures/webauthn/peer-batch.jsonl
fi
exec .build/release/fidoctl "$@"
