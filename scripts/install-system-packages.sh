#!/usr/bin/env bash
# Installs the Debian packages FIDOKit builds and tests with, when they are missing.
# Safe to run repeatedly; does nothing when everything is present. `--browser` adds Chromium
# and its driver for the real-browser tests.
set -euo pipefail
packages=(pkg-config libfido2-dev libcbor-dev libudev-dev libssl-dev libqrencode-dev libsqlite3-dev)
if [ "${1:-}" = "--browser" ]; then packages=(chromium chromium-driver); fi
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
