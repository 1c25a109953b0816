#!/usr/bin/env bash
# One command for the benchmark: starts a fake OpenAI-compatible backend and `modelrelay
# --headless` on loopback, measures the backend directly and through ModelRelay in the same run,
# and prints a table with ratios to the direct baseline.
# Usage: bench/run.sh [build-dir]   (default build/, built by scripts/bootstrap.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
fixture="$here/../tests/fixtures/claude-code/v2.1.197-first-turn.request.json"
requests=${BENCH_REQUESTS:-400}
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# -j2: these machines are shared; never take every core for the build.
cmake --build "$build" -j2 --target modelrelay modelrelay-fake-backend modelrelay-loadgen modelrelay-translate-bench >/dev/null
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
if [ "${build_type:-Debug}" = Debug ]; then
  echo "warning: $build is a ${build_type:-unoptimised} build; its numbers say little about a release" >&2
fi

start() { # name command...  (in this shell, so the pid is remembered for cleanup)
  local name=$1; shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
}
address_of() { # name: waits for "listening on X" in its log and prints X
  local name=$1
  for _ in $(seq 100); do
    if grep -q "listening on" "$work/$name.log"; then
      grep -o "listening on [^ ]*" "$work/$name.log" | head -1 | cut -d' ' -f3
      return
    fi
    sleep 0.05
  done
  echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

start backend "$build/tests/support/modelrelay-fake-backend" --kind openai --port 0
backend_port=$(address_of backend)
start relay env XDG_CONFIG_HOME="$work/config" PROVIDER=openai PROVIDER_BASE_URL="http://127.0.0.1:$backend_port/v1" \
  DEFAULT_MODEL=fake-model LOG_LEVEL=error "$build/app/modelrelay" --headless --port 0
relay_pid=${pids[-1]}
relay=$(address_of relay)

cat >"$work/openai-json.json" <<JSON
{"model":"fake-model","max_tokens":64,"stream":false,"messages":[{"role":"user","content":"Say hello"}]}
JSON
cat >"$work/openai-stream.json" <<JSON
{"model":"fake-model","max_tokens":64,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hello"}]}
JSON
cat >"$work/anthropic-json.json" <<JSON
{"model":"claude-sonnet-4-5","max_tokens":64,"stream":false,"messages":[{"role":"user","content":"Say hello"}]}
JSON
cat >"$work/anthropic-stream.json" <<JSON
{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}
JSON

load() { # url body concurrency marker
  "$build/bench/modelrelay-loadgen" --url "$1" --body "$2" --concurrency "$3" --requests "$requests" --marker "$4"
}
direct="http://127.0.0.1:$backend_port/v1/chat/completions"
proxied="$relay/v1/messages"
rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/$relay_pid/status")
results="$work/results.jsonl"
for c in 1 32; do
  echo "{\"case\":\"json c=$c\",\"direct\":$(load "$direct" "$work/openai-json.json" $c content),\"proxy\":$(load "$proxied" "$work/anthropic-json.json" $c content)}" >>"$results"
  echo "{\"case\":\"stream c=$c\",\"direct\":$(load "$direct" "$work/openai-stream.json" $c '"content":"Hello'),\"proxy\":$(load "$proxied" "$work/anthropic-stream.json" $c text_delta)}" >>"$results"
done
rss_load=$(awk '/VmHWM/ {print $2}' "/proc/$relay_pid/status")
translation=$("$build/bench/modelrelay-translate-bench" "$fixture")

node - "$results" "$rss_idle" "$rss_load" "$translation" "$requests" "${build_type:-unknown}" <<'NODE'
const fs = require('fs');
const [file, rssIdle, rssPeak, translation, requests, buildType] = process.argv.slice(2);
const rows = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const f = (x) => (x < 0 ? '-' : x.toFixed(2));
console.log(`ModelRelay benchmark — ${buildType} build, ${requests} requests per cell, loopback, fake OpenAI backend (no delay)\n`);
console.log('| case | metric | direct | ModelRelay | added | ratio |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) {
  const stream = r.case.startsWith('stream');
  const metrics = stream
    ? [['first content event p50 (ms)', 'first_event_p50_ms'], ['first content event p99 (ms)', 'first_event_p99_ms'], ['throughput (req/s)', 'rps']]
    : [['latency p50 (ms)', 'p50_ms'], ['latency p99 (ms)', 'p99_ms'], ['throughput (req/s)', 'rps']];
  for (const [label, key] of metrics) {
    const d = r.direct[key], p = r.proxy[key];
    const added = key === 'rps' || d < 0 || p < 0 ? '' : (p - d).toFixed(2); // may be negative: noise
    console.log(`| ${r.case} | ${label} | ${f(d)} | ${f(p)} | ${added} | ${(p / d).toFixed(2)} |`);
  }
  if (r.direct.errors || r.proxy.errors) console.log(`| ${r.case} | errors | ${r.direct.errors} | ${r.proxy.errors} | | |`);
}
const t = JSON.parse(translation);
console.log(`\nTranslation of the recorded ${(t.request_bytes / 1024).toFixed(0)} KB Claude Code request (median thread CPU time): ` +
  `parse ${t.parse_us} µs, parse + OpenAI body ${t.to_openai_us} µs (${(t.to_openai_us / t.json_reference_us).toFixed(2)}× the reference), ` +
  `parse + Ollama body ${t.to_ollama_us} µs; reference = Qt JSON read + compact write of the same request: ${t.json_reference_us} µs`);
console.log(`Relaying a 200-token OpenAI stream as Anthropic events: ${t.answer_200_tokens_us} µs (${t.per_chunk_us} µs per chunk)`);
console.log(`ModelRelay RSS: idle ${(rssIdle / 1024).toFixed(1)} MB, peak under load ${(rssPeak / 1024).toFixed(1)} MB`);
NODE
