#!/usr/bin/env bash
# Installs what ModelRelay needs on Debian 12 (or 13), then configures and builds it into build/.
# Usage: scripts/bootstrap.sh [extra cmake arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config
  file dpkg-dev # cpack -G DEB: dpkg-shlibdeps computes the package's dependencies
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev qtkeychain-qt6-dev libqt6sql6-sqlite
  curl ca-certificates fonts-dejavu-core
  xvfb trayer xdotool imagemagick
  dbus-daemon gnome-keyring libsecret-tools # the keychain test's own Secret Service
)
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# Debian 13 moved Qt's SVG icon engine into its own package; without it SVG icons are empty.
apt-cache show qt6-svg-plugins >/dev/null 2>&1 && packages+=(qt6-svg-plugins)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The end-to-end tests drive the proxy with the official Anthropic SDK (tests/e2e) and the real
# Claude Code CLI, pinned (tests/claude-code: about 190 MB to download).
for suite in tests/e2e tests/claude-code; do
  [ -f "$suite/package.json" ] || continue
  if [ -f "$suite/package-lock.json" ]; then
    npm ci --prefix "$suite" --no-audit --no-fund --loglevel=error
  else
    npm install --prefix "$suite" --no-audit --no-fund --loglevel=error
  fi
done

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build build
