#!/usr/bin/env bash
# The real-browser tests: Debian's Chromium and chromedriver driven by Selenium against the
# built mfa-server, with Chromium's WebAuthn virtual authenticators (Tests/browser/). Installs
# chromium and chromium-driver when missing, and Selenium into the tests' venv (scripts/python-env.sh);
# downloads nothing else (SE_OFFLINE). Screenshots of each page: .build/browser-screenshots/ (or $FIDOKIT_SCREENSHOTS).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh --browser --python
scripts/python-env.sh
swift build --product mfa-server >/dev/null && swift build --product fidoctl >/dev/null
export SE_OFFLINE=true
rm -rf "${FIDOKIT_SCREENSHOTS:-.build/browser-screenshots}"
.build/venv/bin/python Tests/browser/dashboard_test.py
echo "screenshots: ${FIDOKIT_SCREENSHOTS:-.build/browser-screenshots}"
