#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a fixed time on a
# corpus seeded from fuzz/seeds/ and the recorded Claude Code requests.
#   fuzz/run.sh [seconds-per-target]     (default 30; FUZZ_BUILD_DIR overrides build-fuzz,
#                                          FUZZ_TARGETS picks targets, FUZZ_KEEP_CORPUS keeps corpora there)
# Prints "fuzz_x: N executions, no crash" per target. On a crash, timeout or leak it exits
# non-zero and leaves the input in build-fuzz/fuzz-artifacts/ (reproduce: build-fuzz/fuzz/fuzz_x <file>).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-30}
build_dir=${FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=${FUZZ_TARGETS:-fuzz_request fuzz_openai_stream fuzz_ollama_stream fuzz_model_map fuzz_tool_input}
artifacts=$build_dir/fuzz-artifacts

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DMODELRELAY_BUILD_FUZZERS=ON \
    -DMODELRELAY_BUILD_UI=OFF -DMODELRELAY_BUILD_TESTS=OFF >/dev/null
fi
build_log=$(mktemp)
# shellcheck disable=SC2086
nice cmake --build "$build_dir" --target $targets >"$build_log" 2>&1 || { tail -50 "$build_log"; exit 1; }
rm -f "$build_log"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

seed_corpus() { # target directory
  mkdir -p "$2"
  if [ -d "fuzz/seeds/$1" ]; then cp fuzz/seeds/"$1"/* "$2"/; fi
  if [ "$1" = fuzz_request ]; then cp tests/fixtures/claude-code/*.request.json "$2"/; fi
}

failed=0
for target in $targets; do
  corpus=${FUZZ_KEEP_CORPUS:-$work}/$target
  seed_corpus "$target" "$corpus"
  dict=()
  if [ -f "fuzz/$target.dict" ]; then dict=(-dict="fuzz/$target.dict"); fi
  log=$work/$target.log
  # Leak checks stay on: Qt's one-time allocations are still reachable, so they are not reported.
  if "$build_dir/fuzz/$target" "$corpus" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
    >"$log" 2>&1; then
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
    echo "$target: ${runs:-?} executions, no crash"
  else
    failed=1
    grep -E "^(==[0-9]+==ERROR|SUMMARY|fuzz invariant violated|.*runtime error)" "$log" | head -5 || true
    tail -30 "$log"
    echo "$target: CRASH (input kept in $artifacts/, log above)"
  fi
done
exit $failed
