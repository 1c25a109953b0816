#!/usr/bin/env bash
# Builds ModelRelay and runs its whole test suite against Qt 6.8 inside a Debian 13 (trixie)
# root: the Qt that the Windows and macOS packages use, whose QtHttpServer API differs from
# Debian 12's Qt 6.4 (see core/server/HttpCompat.*). Run as root. Usage: qt68-check.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/chroot-env.sh"
src=$(cd "$here/../.." && pwd)
root=${MODELRELAY_TRIXIE_ROOT:-/var/tmp/modelrelay-check-trixie}

# The SDK end-to-end tests need the npm packages; they are plain JavaScript, shared with the host.
[ -d "$src/tests/e2e/node_modules/@anthropic-ai/sdk" ] || npm ci --prefix "$src/tests/e2e" --no-audit --no-fund --loglevel=error

ensure_root trixie "$root"
trap 'unmount_from "$root"' EXIT
mount_into "$root" "$src"
in_root "$root" apt-get update -qq
in_root "$root" apt-get install -y -qq --no-install-recommends \
  cmake ninja-build g++ qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev \
  qt6-svg-dev qt6-svg-plugins libgl-dev qtkeychain-qt6-dev nodejs curl ca-certificates fonts-dejavu-core >/dev/null
echo "Qt in the trixie root: $(in_root "$root" dpkg-query -W -f='${Version}' qt6-base-dev)"

in_root "$root" cmake -S /src -B /var/tmp/build-qt68 -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DMODELRELAY_WARNINGS_AS_ERRORS=ON >/dev/null
in_root "$root" cmake --build /var/tmp/build-qt68
in_root "$root" ctest --test-dir /var/tmp/build-qt68 --output-on-failure -E ui_xvfb_tray
