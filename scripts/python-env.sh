#!/usr/bin/env bash
# Creates the Python virtual environment the test scripts run their Python tools from
# (.build/venv, or $FIDOKIT_VENV) with the versions pinned in scripts/requirements-test.txt, and
# reuses it while it is up to date (same Python, same requirements). Debian's Python is externally
# managed (PEP 668), so nothing is installed system-wide and no pip is needed outside the venv.
# Uses Debian's /usr/bin/python3 when it exists (its python3-venv package provides ensurepip;
# scripts/install-system-packages.sh --test installs it), otherwise the first python3 on PATH.
# Prints nothing when the environment is ready; safe to run repeatedly and from parallel scripts.
# Usage: scripts/python-env.sh && .build/venv/bin/python …
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${FIDOKIT_VENV:-.build/venv}
requirements=scripts/requirements-test.txt
if [ -x /usr/bin/python3 ]; then
  python=/usr/bin/python3
else
  python=$(command -v python3) || { echo "error: python3 is missing; run scripts/install-system-packages.sh --test" >&2; exit 1; }
fi
stamp="$python $("$python" -c 'import sys; print(sys.version.split()[0])') $(sha256sum "$requirements" | cut -d' ' -f1)"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.fidokit-stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
echo "Creating the Python test environment $venv ($python, $requirements)" >&2
rm -rf "$venv"
if ! "$python" -m venv "$venv" >&2; then
  rm -rf "$venv"
  echo "error: '$python -m venv' failed; on Debian install python3-venv (scripts/install-system-packages.sh --test)" >&2
  exit 1
fi
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2; then
  rm -rf "$venv"
  echo "error: installing $requirements into $venv failed (see above)" >&2
  exit 1
fi
echo "$stamp" >"$venv/.fidokit-stamp"
