#!/bin/sh
# The real binary: `modelrelay --self-test` against modelrelay-fake-backend of both kinds passes
# (exit 0), fails tool use with the reason when the model answers in plain text (exit 1), and
# fails reachability when nothing listens (exit 1).
# Usage: run-selftest-cli.sh MODELRELAY FAKE_BACKEND
set -u
modelrelay=$1
fake=$2
work=$(mktemp -d)
pids=""
cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# start_fake NAME ARGS...: starts a fake backend in this shell (so cleanup can stop it) and sets
# $port to the port it listens on.
start_fake() {
  name=$1
  shift
  "$fake" "$@" >"$work/$name.out" 2>&1 &
  last_pid=$!
  pids="$pids $last_pid"
  for _ in $(seq 50); do
    port=$(sed -n 's/^listening on //p' "$work/$name.out")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "fake backend '$name' did not start: $(cat "$work/$name.out")" >&2
  exit 1
}

# self_test NAME KIND BASE_URL: runs the self-test (never the user's saved settings), keeps its output.
self_test() {
  "$modelrelay" --self-test --settings "$work/settings.ini" --provider "$2" --base-url "$3" \
    --default-model fake-model >"$work/$1.txt" 2>&1
  status=$?
  echo "----- modelrelay --self-test ($1), exit $status"
  cat "$work/$1.txt"
  return $status
}

start_fake openai --kind openai
openai=$port
start_fake ollama --kind ollama
ollama=$port
start_fake notools --kind ollama --no-tools
notools=$port

self_test openai openai "http://127.0.0.1:$openai/v1" || fail "the self-test against the OpenAI fake did not pass"
grep -q '^All 6 required capabilities passed.$' "$work/openai.txt" || fail "no all-passed summary (openai)"
self_test ollama ollama "http://127.0.0.1:$ollama" || fail "the self-test against the Ollama fake did not pass"
grep -q '^Tool call (first turn, full tool list) *PASS .*called Read' "$work/ollama.txt" ||
  fail "the tool call row does not show the Read call (ollama)"

if self_test notools ollama "http://127.0.0.1:$notools"; then
  fail "the self-test passed against a model that answers tool requests in plain text"
fi
grep -q '^Tool call (first turn, full tool list) *FAIL .*model answered the tool request in plain text' \
  "$work/notools.txt" || fail "the tool call row does not give the plain-text reason"

# A port nothing listens on: take a free one from the fake backend we stop.
start_fake dead --kind openai
dead=$port
kill "$last_pid"
wait "$last_pid" 2>/dev/null
if self_test dead openai "http://127.0.0.1:$dead/v1"; then
  fail "the self-test passed with no backend"
fi
grep -q '^Backend reachable, model available *FAIL .*connection refused' "$work/dead.txt" ||
  fail "the reachability row does not say the connection was refused"

[ "$failures" -eq 0 ] && echo "all self-test CLI checks passed"
exit "$failures"
