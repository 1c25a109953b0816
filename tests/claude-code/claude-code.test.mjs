// The real Claude Code CLI (pinned in package.json) through the real `modelrelay --headless` to a
// scripted model speaking the OpenAI or the Ollama wire format. Each scenario is one `claude -p`
// session in a fresh HOME and project folder; the outcome is checked on disk, in what the CLI
// printed and in what the model received. Loopback only: the CLI is told not to update or phone home.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startScriptedModel } from './scripted-model.mjs';

const RELAY = process.env.MODELRELAY_BIN;
assert.ok(RELAY, 'MODELRELAY_BIN must point at the built modelrelay binary');
const CLAUDE = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', '.bin', 'claude');
const SESSION_TIMEOUT_MS = 90000;
const timings = [];

function startRelay(kind, baseUrl) {
  const child = spawn(RELAY, ['--headless', '--port', '0'], {
    env: {
      ...process.env,
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'modelrelay-cc-config-')),
      PROVIDER: kind,
      PROVIDER_BASE_URL: baseUrl,
      DEFAULT_MODEL: 'scripted-model',
      LOG_LEVEL: 'debug', // request notes (reordered tool results, held-back tools) in the log
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`modelrelay did not start: ${log}`)), 15000);
    const onData = (chunk) => {
      log += chunk;
      const match = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], log: () => log });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`modelrelay exited with ${code}: ${log}`)); });
  });
}

// One non-interactive session; returns the CLI's stream-json events, its stderr, and the folder.
function runClaude(relayUrl, prompt, label) {
  const home = mkdtempSync(join(tmpdir(), 'modelrelay-cc-home-'));
  const project = mkdtempSync(join(tmpdir(), 'modelrelay-cc-project-'));
  const started = Date.now();
  const child = spawn(CLAUDE, ['-p', prompt, '--output-format', 'stream-json', '--verbose',
    '--allowedTools', 'Bash', 'Write', 'Edit', 'Read'], {
    cwd: project,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      TERM: 'dumb',
      ANTHROPIC_BASE_URL: relayUrl,
      ANTHROPIC_API_KEY: 'modelrelay',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_MAX_RETRIES: '2', // a failure shows within seconds, not minutes
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => { stdout += c; });
  child.stderr.on('data', (c) => { stderr += c; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label}: claude did not finish in ${SESSION_TIMEOUT_MS / 1000} s\n${stdout}\n${stderr}`));
    }, SESSION_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      timings.push({ label, seconds: (Date.now() - started) / 1000 });
      const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      resolve({ code, events, stderr, project, home, cleanup: () => { rmSync(home, { recursive: true, force: true }); rmSync(project, { recursive: true, force: true }); } });
    });
  });
}

function finalResult(session) {
  const result = session.events.find((e) => e.type === 'result');
  assert.ok(result, `no result event; stderr: ${session.stderr}`);
  return result;
}

function assertResult(session, pattern) {
  const result = finalResult(session);
  assert.equal(result.is_error, false, `the session failed: ${JSON.stringify(result)}`);
  assert.match(result.result, pattern);
  assert.doesNotMatch(result.result, /PROBLEM:/);
}

// The model's requests of one scenario: the ones whose conversation names it.
function requestsOf(model, scenario) {
  return model.requests.filter((r) => JSON.stringify(r.body.messages).includes(`SCENARIO:${scenario}`));
}

function toolNames(request) {
  return (request.body.tools ?? []).map((t) => t.function.name);
}

for (const kind of ['openai', 'ollama']) {
  describe(`Claude Code through ModelRelay to a scripted ${kind} model`, () => {
    let model;
    let relay;
    before(async () => {
      model = await startScriptedModel(kind);
      relay = await startRelay(kind, model.baseUrl);
    });
    after(async () => {
      relay?.child.kill('SIGTERM');
      await model?.close();
      printTimings(kind);
    });

    test('a multi-step task writes, runs and edits a file', async () => {
      const session = await runClaude(relay.url, 'SCENARIO:multistep Write greet.sh, run it, then change its greeting.', `${kind} multistep`);
      try {
        assertResult(session, /MULTISTEP-DONE: edited through modelrelay/);
        assert.equal(readFileSync(join(session.project, 'greet.sh'), 'utf8'), 'echo edited through modelrelay\n');
        assert.equal(readFileSync(join(session.project, 'out.txt'), 'utf8'), 'hello from modelrelay\n');
        assert.equal(requestsOf(model, 'multistep').length, 5);
      } finally {
        session.cleanup();
      }
    });

    test('parallel results of the same tool reach the model paired with their calls', async () => {
      const session = await runClaude(relay.url, 'SCENARIO:parallel Run two echos at once.', `${kind} parallel`);
      try {
        assertResult(session, /PAIRED: first=ALPHA second=BRAVO/);
        // Claude Code sent them in the order they finished (BRAVO first): ModelRelay reordered them.
        assert.match(relay.log(), /note: tool results put in the order of their calls/);
        const answered = requestsOf(model, 'parallel').at(-1).body.messages.filter((m) => m.role === 'tool');
        assert.deepEqual(answered.map((m) => m.content.trim()), ['ALPHA', 'BRAVO']);
        assert.ok(answered.every((m) => m.tool_call_id), 'tool messages carry the call ids');
      } finally {
        session.cleanup();
      }
    });

    test('a deferred tool is offered once ToolSearch loads it', async () => {
      const session = await runClaude(relay.url, 'SCENARIO:toolsearch List the scheduled jobs.', `${kind} toolsearch`);
      try {
        assertResult(session, /TOOLSEARCH-DONE: \S/);
        const requests = requestsOf(model, 'toolsearch');
        assert.equal(requests.length, 3);
        assert.ok(!toolNames(requests[0]).includes('CronList'));
        assert.ok(toolNames(requests[1]).includes('CronList'));
        assert.ok(requests.every((r) => !toolNames(r).includes('DeferredToolPlaceholder')));
      } finally {
        session.cleanup();
      }
    });

    test('thinking reaches Claude Code and comes back with the next turn', async () => {
      const session = await runClaude(relay.url, 'SCENARIO:thinking Think, then write notes.txt.', `${kind} thinking`);
      try {
        assertResult(session, /THINKING-DONE/);
        assert.equal(readFileSync(join(session.project, 'notes.txt'), 'utf8'), 'thought through\n');
        const blocks = session.events.filter((e) => e.type === 'assistant').flatMap((e) => e.message.content);
        assert.ok(blocks.some((b) => b.type === 'thinking' && b.thinking.includes('I will write notes.txt first.')),
          `no thinking block reached the CLI: ${JSON.stringify(blocks)}`);
        // Claude Code's adaptive thinking and effort, as this wire format takes them (the scripted
        // Ollama model reports the thinking capability but no levels).
        const asked = requestsOf(model, 'thinking')[0].body;
        if (kind === 'openai') assert.match(asked.reasoning_effort ?? '', /^(low|medium|high)$/);
        else assert.equal(asked.think, true);
      } finally {
        session.cleanup();
      }
    });

    test('a backend stream cut in the middle is retried and the answer completes', async () => {
      const session = await runClaude(relay.url, 'SCENARIO:cut Say something.', `${kind} cut`);
      try {
        assertResult(session, /RECOVERED after the cut/);
        const requests = requestsOf(model, 'cut');
        // One cut attempt and one retry: no "cut off mid-stream" re-prompts.
        assert.equal(requests.length, 2, `the model was asked ${requests.length} times`);
        assert.ok(requests.every((r) => !JSON.stringify(r.body.messages).includes('cut off mid-stream')));
      } finally {
        session.cleanup();
      }
    });
  });
}

function printTimings(kind) {
  const mine = timings.filter((t) => t.label.startsWith(kind));
  for (const t of mine) console.log(`# ${t.label}: ${t.seconds.toFixed(1)} s`);
  const total = (list) => list.reduce((sum, t) => sum + t.seconds, 0).toFixed(1);
  console.log(`# ${kind}: ${mine.length} Claude Code sessions in ${total(mine)} s; all so far: ${timings.length} in ${total(timings)} s`);
}
