#!/usr/bin/env bash
# One command for the benchmark. On loopback, in one session, against the same fake
# OpenAI-compatible backend, it measures
#   direct      the backend itself (the physical limit, load driver and backend included),
#   ModelRelay  `modelrelay --headless` in front of it,
#   ccr         claude-code-router (npm, installed into bench/ccr/) in front of it, with a temporary HOME,
# in two regimes (saturating: no delay, so the proxies' own CPU cost decides; paced: a delay
# between tokens like a real model), then the pure translation costs, and prints one table
# with ratios and the issue's targets (bench/README.md explains how to read it).
#
# Usage: bench/run.sh [build-dir]   (default build/, built by scripts/bootstrap.sh)
# Knobs (environment):
#   BENCH_REQUESTS=400          requests per saturating cell (c=64 cells send at least 10 per connection)
#   BENCH_PACED_REQUESTS=100    requests per paced latency cell (short answers, concurrency 1)
#   BENCH_PACED_ROUNDS=4        paced throughput cells send this many answers per connection
#   BENCH_PACED_DELAY_MS=5      paced regime: delay between tokens
#   BENCH_PACED_LATENCY_TOKENS=20  paced regime: answer length of the latency cells
#   BENCH_TOKENS=200            answer length of the throughput cells (and of the saturating latency cells)
#   BENCH_CONCURRENCY="1 16 64" throughput cells
#   BENCH_REGIMES="saturating paced"
#   BENCH_CCR=1                 0: leave claude-code-router out (also when npm is missing)
#   BENCH_BUILD=1               0: measure the binaries as they are, without building first
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
fixture="$here/../tests/fixtures/claude-code/v2.1.197-first-turn.request.json"
requests=${BENCH_REQUESTS:-400}
paced_requests=${BENCH_PACED_REQUESTS:-100}
paced_rounds=${BENCH_PACED_ROUNDS:-4}
paced_delay=${BENCH_PACED_DELAY_MS:-5}
paced_latency_tokens=${BENCH_PACED_LATENCY_TOKENS:-20}
tokens=${BENCH_TOKENS:-200}
concurrency_levels=${BENCH_CONCURRENCY:-1 16 64}
regimes=${BENCH_REGIMES:-saturating paced}
use_ccr=${BENCH_CCR:-1}
ccr_dir="$here/ccr"
ccr_cli="$ccr_dir/node_modules/@musistudio/claude-code-router/dist/cli.js"
clock_ticks=$(getconf CLK_TCK)
work=$(mktemp -d)
results="$work/results.jsonl"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

note() { echo "$*" >&2; }

build_targets() {
  # -j2: these machines are shared; never take every core for the build.
  [ "${BENCH_BUILD:-1}" = 0 ] || cmake --build "$build" -j2 --target modelrelay modelrelay-fake-backend modelrelay-loadgen modelrelay-translate-bench >/dev/null
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
  if [ "${build_type:-Debug}" = Debug ]; then
    note "warning: $build is a ${build_type:-unoptimised} build; its numbers say little about a release"
  fi
}

ensure_ccr() { # sets use_ccr=0 with a note when claude-code-router cannot run
  [ "$use_ccr" = 1 ] || { ccr_note="claude-code-router left out (BENCH_CCR=0)"; return; }
  if [ ! -f "$ccr_cli" ]; then
    if ! command -v npm >/dev/null; then
      use_ccr=0; ccr_note="claude-code-router left out: npm is not installed"; return
    fi
    note "installing claude-code-router into bench/ccr (once)…"
    if ! npm ci --prefix "$ccr_dir" --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1; then
      use_ccr=0; ccr_note="claude-code-router left out: npm ci failed ($(tail -1 "$work/npm.log"))"; return
    fi
  fi
  ccr_version=$(node -p "require('$ccr_dir/node_modules/@musistudio/claude-code-router/package.json').version")
  ccr_note="claude-code-router $ccr_version (node $(node --version))"
}

start() { # name command...  (in this shell, so the pid is remembered for cleanup)
  local name=$1; shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
}
stop() { # pid: ends it and forgets it, so cleanup never signals a reused pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=()
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  pids=("${kept[@]}")
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
  note "$name did not start:"; cat "$work/$name.log" >&2; exit 1
}
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
wait_for_port() { # name port
  for _ in $(seq 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return; fi
    sleep 0.1
  done
  note "$1 did not open port $2:"; cat "$work/$1.log" >&2; exit 1
}

cpu_ms() { # pid: user + system CPU time of the process and its reaped children, in ms
  [ "$1" = - ] && { echo 0; return; }
  awk -v tick="$clock_ticks" '{ sub(/^.*\) /, ""); print ($12 + $13 + $14 + $15) * 1000 / tick }' "/proc/$1/stat"
}
memory_kb() { # pid field (VmRSS or VmHWM)
  [ "$1" = - ] && { echo 0; return; }
  awk -v field="$2:" '$1 == field {print $2}' "/proc/$1/status"
}

write_bodies() { # max_tokens of the latency cells
  local latency_tokens=$1
  for kind in json stream; do
    local stream=false; [ $kind = stream ] && stream=true
    for size in latency throughput; do
      local n=$tokens; [ $size = latency ] && n=$latency_tokens
      echo "{\"model\":\"fake-model\",\"max_tokens\":$n,\"stream\":$stream,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}" >"$work/openai-$kind-$size.json"
      echo "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":$n,\"stream\":$stream,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}" >"$work/anthropic-$kind-$size.json"
    done
  done
}

start_backend() { # delay-ms
  start backend "$build/tests/support/modelrelay-fake-backend" --kind openai --port 0 --tokens "$tokens" --delay-ms "$1"
  backend_pid=${pids[-1]}
  backend_port=$(address_of backend)
}
start_modelrelay() {
  start relay env XDG_CONFIG_HOME="$work/config" PROVIDER=openai PROVIDER_BASE_URL="http://127.0.0.1:$backend_port/v1" \
    DEFAULT_MODEL=fake-model LOG_LEVEL=error "$build/app/modelrelay" --headless --port 0
  relay_pid=${pids[-1]}
  relay_url=$(address_of relay)
}
start_ccr() { # its own HOME: the user's ~/.claude-code-router is never read or written
  ccr_pid=-
  [ "$use_ccr" = 1 ] || return 0
  local home="$work/ccr-home" port
  port=$(free_port)
  rm -rf "$home"; mkdir -p "$home/.claude-code-router"
  cat >"$home/.claude-code-router/config.json" <<JSON
{"LOG": false, "HOST": "127.0.0.1", "PORT": $port, "API_TIMEOUT_MS": 600000,
 "Providers": [{"name": "fake", "api_base_url": "http://127.0.0.1:$backend_port/v1/chat/completions",
                "api_key": "not-a-key", "models": ["fake-model"]}],
 "Router": {"default": "fake,fake-model"}}
JSON
  start ccr env HOME="$home" NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 node "$ccr_cli" start # `ccr start` serves in the foreground
  ccr_pid=${pids[-1]}
  wait_for_port ccr "$port"
  ccr_url="http://127.0.0.1:$port"
}

load() { # url body concurrency requests marker
  "$build/bench/modelrelay-loadgen" --url "$1" --body "$2" --concurrency "$3" --requests "$4" --marker "$5" || true
}
measure() { # regime cell concurrency requests target
  local regime=$1 cell=$2 c=$3 n=$4 target=$5 url body marker pid kind
  kind=${cell%%-*} # json or stream
  local size=${cell#*-}
  case $target in
    direct) url="http://127.0.0.1:$backend_port/v1/chat/completions"; body="$work/openai-$kind-$size.json"
            marker='"content":"tok'; pid=- ;;
    relay) url="$relay_url/v1/messages"; body="$work/anthropic-$kind-$size.json"; marker=text_delta; pid=$relay_pid ;;
    ccr) url="$ccr_url/v1/messages"; body="$work/anthropic-$kind-$size.json"; marker=text_delta; pid=$ccr_pid ;;
  esac
  local proxy_before backend_before result
  proxy_before=$(cpu_ms "$pid"); backend_before=$(cpu_ms "$backend_pid")
  result=$(load "$url" "$body" "$c" "$n" "$marker")
  echo "{\"regime\":\"$regime\",\"cell\":\"$cell\",\"concurrency\":$c,\"target\":\"$target\",\"load\":${result:-null}," \
    "\"proxy_cpu_ms\":$(($(cpu_ms "$pid") - proxy_before)),\"backend_cpu_ms\":$(($(cpu_ms "$backend_pid") - backend_before))}" >>"$results"
}
targets() { echo direct relay; [ "$use_ccr" = 1 ] && echo ccr; return 0; }
measure_all() { # regime cell concurrency requests
  for target in $(targets); do measure "$@" "$target"; done
}

warm_up_and_record_idle_memory() { # regime
  for target in $(targets); do load_one "$target"; done
  echo "{\"regime\":\"$1\",\"memory\":\"idle\",\"relay_kb\":$(memory_kb "$relay_pid" VmRSS),\"ccr_kb\":$(memory_kb "$ccr_pid" VmRSS)}" >>"$results"
}
load_one() { # target: one streamed answer, so lazily built state exists before idle memory is read
  local url=$relay_url
  [ "$1" = ccr ] && url=$ccr_url
  [ "$1" = direct ] && return 0
  load "$url/v1/messages" "$work/anthropic-stream-throughput.json" 1 1 text_delta >/dev/null
}
record_peak_memory() { # regime
  echo "{\"regime\":\"$1\",\"memory\":\"peak\",\"relay_kb\":$(memory_kb "$relay_pid" VmHWM),\"ccr_kb\":$(memory_kb "$ccr_pid" VmHWM)}" >>"$results"
}

run_regime() { # saturating | paced
  local regime=$1 delay=0 latency_tokens=$tokens latency_requests=$requests
  if [ "$regime" = paced ]; then
    delay=$paced_delay; latency_tokens=$paced_latency_tokens; latency_requests=$paced_requests
  fi
  note "$regime: starting the fake backend (delay $delay ms), ModelRelay and claude-code-router…"
  write_bodies "$latency_tokens"
  start_backend "$delay"
  start_modelrelay
  start_ccr
  warm_up_and_record_idle_memory "$regime"
  echo "{\"regime\":\"$regime\",\"delay_ms\":$delay,\"latency_tokens\":$latency_tokens}" >>"$results"
  note "$regime: latency cells…"
  measure_all "$regime" json-latency 1 "$latency_requests"
  if [ "$latency_tokens" != "$tokens" ] || ! [[ " $concurrency_levels " = *" 1 "* ]]; then
    measure_all "$regime" stream-latency 1 "$latency_requests" # else the throughput cell at c=1 is the same
  fi
  for c in $concurrency_levels; do
    note "$regime: throughput at concurrency $c…"
    local n=$((requests > 10 * c ? requests : 10 * c))
    [ "$regime" = paced ] && n=$((paced_rounds * c > 5 ? paced_rounds * c : 5))
    measure_all "$regime" stream-throughput "$c" "$n"
  done
  record_peak_memory "$regime"
  [ "$ccr_pid" = - ] || stop "$ccr_pid"
  stop "$relay_pid"
  stop "$backend_pid"
}

build_targets
ensure_ccr
for regime in $regimes; do run_regime "$regime"; done
note "translation…"
translation=$("$build/bench/modelrelay-translate-bench" "$fixture")
node "$here/report.js" "$results" "$translation" "${build_type:-unknown}" "$ccr_note" "$tokens"
