#!/usr/bin/env bash
# The main job: the dashboard. With no arguments it builds mfa-server (release) and runs it on
# 127.0.0.1:8080 with the embedded SQLite store under ./data; the first start creates a demo
# tenant and prints its admin's sign-in once. Open http://localhost:8080 and sign in.
#   scripts/run.sh --port 9000 …          mfa-server with these options (see --help)
#   scripts/run.sh peer-batch             fidoctl verifies the bundled real WebAuthn samples
#   scripts/run.sh fidoctl ARGS…          any fidoctl command (also: scripts/run.sh verify …)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh >&2
fidoctl_commands=" verify list info enroll assert pin credentials reset record udev mds otp push-device bench "
if [ "${1:-}" = "peer-batch" ]; then
  set -- fidoctl verify batch Fixtures/webauthn/peer-batch.jsonl
elif [ $# -gt 0 ] && [[ "$fidoctl_commands" == *" $1 "* ]]; then
  set -- fidoctl "$@"
fi
if [ "${1:-}" = "fidoctl" ]; then
  shift
  swift build -c release --product fidoctl >&2
  exec .build/release/fidoctl "$@"
fi
swift build -c release --product mfa-server >&2
exec .build/release/mfa-server "$@"
