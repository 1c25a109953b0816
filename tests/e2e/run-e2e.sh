#!/bin/sh
# Runs the SDK end-to-end tests; fails loudly (never skips) when the SDK is not installed.
set -e
node=${1:-node}
cd "$(dirname "$0")"
if [ ! -d node_modules/@anthropic-ai/sdk ]; then
  echo "tests/e2e: the Anthropic SDK is not installed; run: npm ci --prefix tests/e2e" >&2
  exit 1
fi
exec "$node" --test --test-reporter=spec sdk.test.mjs
