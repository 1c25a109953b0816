#!/usr/bin/env bash
# Builds the .deb, installs it with apt into a clean Debian 12 (minbase) root, checks that
# `modelrelay --version` and `modelrelay --headless` work there (/health answers), then removes
# it again and checks nothing is left behind. Run as root. Usage: deb-install-check.sh [build-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/chroot-env.sh"
build=$(cd "${1:-build}" && pwd)
root=${MODELRELAY_BOOKWORM_ROOT:-/var/tmp/modelrelay-check-bookworm}
# A port nothing listens on, so /health can only be answered by the modelrelay installed here.
port=$((20000 + RANDOM % 20000))
while curl -s -o /dev/null "http://127.0.0.1:$port/"; do port=$((20000 + RANDOM % 20000)); done

command -v dpkg-shlibdeps >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev
(cd "$build" && rm -f modelrelay_*.deb && cpack -G DEB >/dev/null)
deb=$(ls "$build"/modelrelay_*.deb)
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Depends | sed 's/^/depends: /'

ensure_root bookworm "$root"
trap 'pkill -f "$root.*modelrelay" 2>/dev/null || true; unmount_from "$root"' EXIT
mount_into "$root"
cp "$deb" "$root/tmp/modelrelay.deb"
in_root "$root" apt-get update -qq
in_root "$root" apt-get install -y -qq --no-install-recommends /tmp/modelrelay.deb >/dev/null
test -x "$root/usr/bin/modelrelay"
test -f "$root/usr/share/applications/io.github.modelrelay.ModelRelay.desktop"

version=$(in_root "$root" modelrelay --version)
echo "installed: $version"

in_root "$root" env PORT=$port modelrelay --headless >"$root/tmp/modelrelay.log" 2>&1 &
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$port/health" >/tmp/modelrelay-health.json 2>/dev/null && break
  sleep 0.1
done
health=$(cat /tmp/modelrelay-health.json 2>/dev/null || true)
kill %1 2>/dev/null || true
wait 2>/dev/null || true
echo "health: $health"
grep -q '"status":"ok"' <<<"$health" || { cat "$root/tmp/modelrelay.log"; exit 1; }
# A clean root has no saved settings: the default backend is a local Ollama.
grep -q '"url":"http://127.0.0.1:11434"' <<<"$health" || { echo "unexpected backend in $health"; exit 1; }

in_root "$root" apt-get purge -y -qq modelrelay >/dev/null
test ! -e "$root/usr/bin/modelrelay"
test ! -e "$root/usr/share/applications/io.github.modelrelay.ModelRelay.desktop"
echo "deb install check: passed (installed, ran headless, answered /health, purged cleanly)"
