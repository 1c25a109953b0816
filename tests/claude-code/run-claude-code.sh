#!/bin/sh
# Runs the real Claude Code CLI suite; fails loudly (never skips) when the CLI is not installed.
set -e
node=${1:-node}
cd "$(dirname "$0")"
claude=node_modules/.bin/claude
if [ ! -e node_modules/@anthropic-ai/claude-code/package.json ]; then
  echo "tests/claude-code: the Claude Code CLI is not installed; run: npm ci --prefix tests/claude-code" >&2
  exit 1
fi
# The npm package's postinstall puts the native binary in place; without it (--ignore-scripts) the
# command is a stub that says so.
if ! "$claude" --version >/dev/null 2>&1; then
  "$node" node_modules/@anthropic-ai/claude-code/install.cjs
fi
echo "Claude Code $("$claude" --version)"
exec "$node" --test --test-reporter=spec claude-code.test.mjs
