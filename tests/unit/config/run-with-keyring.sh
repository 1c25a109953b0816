#!/bin/sh
# Runs a test inside its own D-Bus session with a fresh GNOME Keyring unlocked by a known
# password, in a temporary home: the user's own keyring and settings are never touched.
# Without dbus-run-session, gnome-keyring-daemon or secret-tool the test still runs, and skips
# (MODELRELAY_KEYRING_MISSING tells it why). Usage: run-with-keyring.sh TEST_BINARY [ARGS...]
set -e
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    MODELRELAY_KEYRING_MISSING="$tool not found (Debian: apt install dbus-daemon gnome-keyring libsecret-tools)"
    export MODELRELAY_KEYRING_MISSING
    exec "$@"
  fi
done

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -m 700 "$home/run"
status=0
env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
  HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" \
  XDG_RUNTIME_DIR="$home/run" MODELRELAY_KEYRING_SESSION=1 \
  dbus-run-session -- sh -c 'printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
  sh "$@" || status=$?
exit $status
