#!/usr/bin/env bash
# Installs the Debian packages FIDOKit builds and tests with, when they are missing.
# Safe to run repeatedly; does nothing when everything is present. With no option: what the build
# needs. Options (any number):
#   --python    python3 and python3-venv (scripts/python-env.sh makes the test tools' venv with them)
#   --postgres  PostgreSQL (scripts/start-test-postgres.sh)
#   --browser   Chromium and its driver (scripts/browser-tests.sh)
#   --test      all of the above: everything scripts/test.sh needs
set -euo pipefail
packages=(pkg-config libfido2-dev libcbor-dev libudev-dev libssl-dev libqrencode-dev libsqlite3-dev)
python_packages=(python3 python3-venv)
postgres_packages=(postgresql)
browser_packages=(chromium chromium-driver)
for option in "$@"; do
  case "$option" in
    --python) packages+=("${python_packages[@]}") ;;
    --postgres) packages+=("${postgres_packages[@]}") ;;
    --browser) packages+=("${browser_packages[@]}") ;;
    --test) packages+=("${python_packages[@]}" "${postgres_packages[@]}" "${browser_packages[@]}") ;;
    *) echo "usage: $0 [--python] [--postgres] [--browser] [--test]" >&2; exit 64 ;;
  esac
done
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
command -v swift >/dev/null || { echo "swift is not on PATH; install Swift 6 (https://swift.org/install/linux/)" >&2; exit 1; }
