#!/usr/bin/env bash
# Installs the .deb built in <build-dir> (cpack -G DEB) with apt into a fresh copy of a minimal
# Debian root of <release>, checks that the Qt plugins it needs came with it, that
# `modelrelay --version` and `modelrelay --headless` work there (/health answers), then purges it,
# checks nothing is left behind, stops everything it started and deletes the copy. Fails if
# anything it started cannot be stopped. Run as root.
# Usage: deb-install-check.sh <release> <build-dir>     e.g. deb-install-check.sh bookworm build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/chroot-env.sh"
release=$1
build=$(cd "$2" && pwd)
require_tools dpkg-deb curl

deb=$(ls "$build"/modelrelay_*.deb)
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Depends | sed 's/^/depends: /'

root=$(working_root "$release" deb-install)
trap 'discard_root "$root"' EXIT
mount_into "$root"
cp "$deb" "$root/tmp/modelrelay.deb"
in_root "$root" apt-get update -qq
in_root "$root" apt-get install -y -qq --no-install-recommends /tmp/modelrelay.deb >/dev/null
test -x "$root/usr/bin/modelrelay"
for f in usr/share/applications/io.github.modelrelay.ModelRelay.desktop \
         usr/share/metainfo/io.github.modelrelay.ModelRelay.metainfo.xml \
         usr/share/man/man1/modelrelay.1.gz usr/share/doc/modelrelay/copyright; do
  test -f "$root/$f" || { echo "missing after install: /$f"; exit 1; }
done
# The plugins Qt loads at run time: no library dependency pulls them in, only the Depends line.
while read -r plugin; do
  [ -z "$plugin" ] || test -f "$root$plugin" || { echo "Qt plugin missing after install: $plugin"; exit 1; }
done <"$build/packaging/qt-runtime-plugins.txt"

version=$(in_root "$root" modelrelay --version)
echo "installed: $version"

# A port nothing listens on, so /health can only be answered by the modelrelay installed here.
port=$((20000 + RANDOM % 20000))
while curl -s -o /dev/null "http://127.0.0.1:$port/"; do port=$((20000 + RANDOM % 20000)); done
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root PORT=$port \
  modelrelay --headless >"$root/tmp/modelrelay.log" 2>&1 &
proxy=$! # chroot and env exec: this is the proxy itself
health=""
for _ in $(seq 100); do
  health=$(curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null) && break
  sleep 0.1
done
kill "$proxy"
wait "$proxy" || true
echo "health: $health"
grep -q '"status":"ok"' <<<"$health" || { cat "$root/tmp/modelrelay.log"; exit 1; }
# A clean root has no saved settings: the default backend is a local Ollama.
grep -q '"url":"http://127.0.0.1:11434"' <<<"$health" || { echo "unexpected backend in $health"; exit 1; }
if [ -n "$(processes_in "$root")" ]; then
  echo "the proxy did not stop on SIGTERM"
  exit 1
fi

in_root "$root" apt-get purge -y -qq modelrelay >/dev/null
left=$(in_root "$root" sh -c 'ls -d /usr/bin/modelrelay /usr/share/doc/modelrelay /usr/share/metainfo/io.github.* /usr/share/applications/io.github.* 2>/dev/null' || true)
[ -z "$left" ] || { echo "left behind after purge: $left"; exit 1; }
discard_root "$root"
trap - EXIT
echo "deb install check ($release): passed (installed, plugins present, ran headless, answered /health, stopped, purged cleanly)"
