#!/usr/bin/env bash
# The Debian 13 check: builds ModelRelay and runs its whole test suite against Qt 6.8 inside a
# Debian 13 (trixie) root: the Qt that the Windows and macOS packages use, whose QtHttpServer API
# differs from Debian 12's Qt 6.4 (see core/server/HttpCompat.*). Then validates the desktop file
# and the AppStream metainfo with trixie's tools (AppStream 1.x, --strict), builds the trixie
# .deb, lints it and runs the .deb install check on it in a fresh trixie root. Stops everything
# it started.
# Run as root. Usage: qt68-check.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/chroot-env.sh"
src=$(cd "$here/../.." && pwd)

# The SDK end-to-end tests need the npm packages; they are plain JavaScript, shared with the host.
[ -d "$src/tests/e2e/node_modules/@anthropic-ai/sdk" ] || npm ci --prefix "$src/tests/e2e" --no-audit --no-fund --loglevel=error

root=$(working_root trixie qt68-build)
trap 'discard_root "$root"' EXIT
mount_into "$root" "$src"
in_root "$root" apt-get update -qq
in_root "$root" apt-get install -y -qq --no-install-recommends \
  cmake ninja-build g++ qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev \
  qt6-svg-dev qt6-svg-plugins libgl-dev qtkeychain-qt6-dev libqt6sql6-sqlite nodejs curl ca-certificates fonts-dejavu-core \
  file dpkg-dev appstream desktop-file-utils lintian >/dev/null
echo "Qt in the trixie root: $(in_root "$root" dpkg-query -W -f='${Version}' qt6-base-dev)"

build=/var/tmp/build-qt68
in_root "$root" cmake -S /src -B $build -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DMODELRELAY_WARNINGS_AS_ERRORS=ON -DMODELRELAY_REQUIRE_KEYCHAIN=ON >/dev/null
in_root "$root" cmake --build $build
in_root "$root" ctest --test-dir $build --output-on-failure -E ui_xvfb_tray
stop_processes_in "$root"

echo "== desktop file and AppStream metainfo, validated by Debian 13's tools"
in_root "$root" desktop-file-validate /src/packaging/linux/io.github.modelrelay.ModelRelay.desktop
in_root "$root" appstreamcli validate --strict --no-net $build/packaging/io.github.modelrelay.ModelRelay.metainfo.xml

echo "== .deb built on Debian 13, checked by Debian 13's lintian (a Debug build: its infos about"
echo "   hardening and optimization are expected; errors and warnings fail)"
in_root "$root" sh -c "cd $build && rm -f modelrelay_*.deb && cpack -G DEB >/dev/null"
in_root "$root" sh -c "lintian --fail-on error,warning $build/modelrelay_*.deb"
"$here/deb-install-check.sh" trixie "$root$build"
