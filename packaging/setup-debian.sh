#!/usr/bin/env bash
# Installs the Debian packages hallq needs to build, run and test.
# Used by both README commands (make run, make test) and by .ci/run.
# Needs root (or sudo). Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  # Fyne's desktop driver (cgo, OpenGL, X11) for cmd/kiosk and cmd/display
  gcc pkg-config libgl1-mesa-dev xorg-dev
  # fonts: Noto CJK for the screen, Droid Sans Fallback (TrueType) for PDFs and the virtual printer
  fonts-noto-cjk fonts-droid-fallback
  # tests: PostgreSQL server binaries, headless browser, PDF tools, serial pty, voice, screenshots
  postgresql chromium poppler-utils socat espeak-ng sox xvfb xauth imagemagick
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup-debian: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
