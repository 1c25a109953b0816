// End to end: the official Anthropic SDK (and curl) against the real `modelrelay --headless`,
// which relays to modelrelay-fake-backend speaking the OpenAI or Ollama wire format.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';

const RELAY = process.env.MODELRELAY_BIN;
const FAKE = process.env.FAKE_BACKEND_BIN;
assert.ok(RELAY && FAKE, 'MODELRELAY_BIN and FAKE_BACKEND_BIN must point at the built binaries');

function startProcess(command, args, env, readyPattern) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), 10000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(readyPattern);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, log: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}: ${output}`));
    });
  });
}

async function startStack(kind) {
  const fake = await startProcess(FAKE, ['--kind', kind, '--port', '0'], {}, /listening on (\d+)/);
  const backendPort = fake.match[1];
  const baseUrl = kind === 'openai' ? `http://127.0.0.1:${backendPort}/v1` : `http://127.0.0.1:${backendPort}`;
  const relay = await startProcess(RELAY, ['--headless', '--port', '0'], {
    XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'modelrelay-e2e-')),
    PROVIDER: kind,
    PROVIDER_BASE_URL: baseUrl,
    PROVIDER_API_KEY: 'sk-e2e-secret-must-not-leak',
    DEFAULT_MODEL: 'fake-model',
    MODEL_MAP_JSON: '{"claude-*haiku*":"fake-small"}',
  }, /listening on (http:\/\/127\.0\.0\.1:\d+)/).catch((error) => {
    fake.child.kill('SIGTERM');
    throw error;
  });
  return { fake, relay, url: relay.match[1], backendUrl: baseUrl };
}

const READ_TOOL = {
  name: 'Read',
  description: 'Read a file from disk',
  input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] },
};

for (const kind of ['openai', 'ollama']) {
  describe(`Anthropic SDK through ModelRelay to a fake ${kind} backend`, () => {
    let stack;
    let client;
    before(async () => {
      stack = await startStack(kind);
      client = new Anthropic({ baseURL: stack.url, apiKey: 'modelrelay', maxRetries: 0 });
    });
    after(() => {
      stack?.relay.child.kill('SIGTERM');
      stack?.fake.child.kill('SIGTERM');
    });

    test('messages.create without streaming', async () => {
      const message = await client.messages.create({
        model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello' }],
      });
      assert.equal(message.type, 'message');
      assert.equal(message.role, 'assistant');
      assert.equal(message.model, 'claude-sonnet-4-5');
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.content[0].type, 'text');
      assert.equal(message.content[0].text, `Hello from the fake ${kind} backend.`);
      assert.equal(message.usage.input_tokens, 12);
      assert.equal(message.usage.output_tokens, 7);
    });

    test('messages.stream delivers text events and a final message', async () => {
      const stream = client.messages.stream({
        model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello' }],
      });
      const pieces = [];
      stream.on('text', (text) => pieces.push(text));
      const final = await stream.finalMessage();
      assert.ok(pieces.length >= 2, `expected several text events, got ${pieces.length}`);
      assert.equal(pieces.join(''), `Hello from the fake ${kind} backend.`);
      assert.equal(final.content[0].text, pieces.join(''));
      assert.equal(final.model, 'claude-haiku-4-5');
      assert.equal(final.stop_reason, 'end_turn');
      assert.equal(final.usage.output_tokens, 7);
    });

    test('a tool_use stream, then the tool_result turn', async () => {
      const messages = [{ role: 'user', content: 'Read /tmp/hello.txt [[tool]]' }];
      const first = await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, tools: [READ_TOOL], messages })
        .finalMessage();
      assert.equal(first.stop_reason, 'tool_use');
      const toolUse = first.content.find((block) => block.type === 'tool_use');
      assert.ok(toolUse, JSON.stringify(first.content));
      assert.equal(toolUse.name, 'Read');
      assert.deepEqual(toolUse.input, { file_path: '/tmp/hello.txt' });
      assert.match(toolUse.id, kind === 'openai' ? /^call_fake_1$/ : /^toolu_[0-9a-f]{24}$/);

      messages.push({ role: 'assistant', content: first.content });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'hello' }] });
      const second = await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, tools: [READ_TOOL], messages })
        .finalMessage();
      assert.equal(second.stop_reason, 'end_turn');
      assert.equal(second.content[0].text, 'The file says hello.');
    });

    test('messages.countTokens counts the whole prompt', async () => {
      const short = await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });
      const long = await client.messages.countTokens({
        model: 'claude-sonnet-4-5', tools: [READ_TOOL],
        messages: [{ role: 'user', content: 'Please read the file and summarise it in detail. '.repeat(50) }],
      });
      assert.ok(short.input_tokens > 0);
      assert.ok(long.input_tokens > short.input_tokens * 10, `${long.input_tokens} vs ${short.input_tokens}`);
    });

    test('curl: /health and a raw SSE stream', () => {
      const health = JSON.parse(execFileSync('curl', ['-sS', `${stack.url}/health`]).toString());
      assert.equal(health.status, 'ok');
      assert.equal(health.backend.kind, kind);
      const sse = execFileSync('curl', ['-sSN', `${stack.url}/v1/messages?beta=true`, '-H', 'content-type: application/json',
        '-d', JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] })]).toString();
      const names = [...sse.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
      assert.equal(names[0], 'message_start');
      assert.equal(names.at(-2), 'message_delta');
      assert.equal(names.at(-1), 'message_stop');
      assert.ok(names.includes('content_block_stop'));
    });

    test('a backend HTTP 500 reaches the SDK as an APIError naming the backend', async () => {
      const request = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Fail [[error 500]]' }] };
      const backendMessage = kind === 'openai' ? /The fake backend failed on purpose/ : /the fake backend failed on purpose/;
      await assert.rejects(client.messages.create(request), (error) => {
        assert.ok(error instanceof Anthropic.APIError, String(error));
        assert.equal(error.status, 500);
        assert.equal(error.error?.error?.type, 'api_error');
        assert.ok(error.message.includes(stack.backendUrl), error.message);
        assert.match(error.message, /HTTP 500/);
        assert.match(error.message, backendMessage);
        return true;
      });
      await assert.rejects(client.messages.stream(request).finalMessage(), (error) => {
        assert.ok(error instanceof Anthropic.APIError, String(error));
        assert.ok(error.message.includes(stack.backendUrl), error.message);
        assert.match(error.message, backendMessage);
        return true;
      });
    });

    test('the backend API key never shows in the log', () => {
      assert.ok(!stack.relay.log().includes('sk-e2e-secret-must-not-leak'));
      assert.match(stack.relay.log(), /messages claude-sonnet-4-5 -> fake-model stream 200/);
    });
  });
}

describe('errors reach the SDK as Anthropic errors', () => {
  test('a dead backend: the SDK gets an APIError naming the backend URL', async () => {
    const relay = await startProcess(RELAY, ['--headless', '--port', '0'], {
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'modelrelay-e2e-')),
      PROVIDER: 'ollama', PROVIDER_BASE_URL: 'http://127.0.0.1:9', DEFAULT_MODEL: 'qwen2.5-coder:32b',
    }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    try {
      const client = new Anthropic({ baseURL: relay.match[1], apiKey: 'modelrelay', maxRetries: 0 });
      await assert.rejects(
        client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
        (error) => {
          assert.ok(error instanceof Anthropic.APIError, String(error));
          assert.equal(error.status, 502);
          assert.equal(error.error?.error?.type, 'api_error');
          assert.match(error.message, /http:\/\/127\.0\.0\.1:9/);
          assert.match(error.message, /connection refused/);
          return true;
        });
      await assert.rejects(
        client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 0, messages: [] }),
        (error) => error.status === 400 && error.error?.error?.type === 'invalid_request_error');
    } finally {
      relay.child.kill('SIGTERM');
    }
  });
});

describe('routing and fallback between saved backend profiles', () => {
  test('a dead backend hands the stream to the fallback; a background route goes straight to its profile', async () => {
    const fake = await startProcess(FAKE, ['--kind', 'openai', '--port', '0'], {}, /listening on (\d+)/);
    const dir = mkdtempSync(join(tmpdir(), 'modelrelay-e2e-'));
    const settings = join(dir, 'settings.ini');
    // Two saved profiles, the one in use dead (nothing listens on port 9).
    writeFileSync(settings, [
      '[backends]',
      '1\\name=Dead box', '1\\kind=ollama', '1\\baseUrl=http://127.0.0.1:9',
      `2\\name=Fake cloud`, '2\\kind=openai', `2\\baseUrl=http://127.0.0.1:${fake.match[1]}/v1`,
      'size=2', 'active=0', '',
    ].join('\n'));
    let relay;
    try {
      relay = await startProcess(RELAY, ['--headless', '--port', '0', '--settings', settings], {
        XDG_CONFIG_HOME: dir,
        DEFAULT_MODEL: 'fake-model',
        ROUTES_JSON: JSON.stringify({
          rules: [{ when: 'background', targets: [{ profile: 'Fake cloud', model: 'fake-small' }] }],
          fallbacks: ['Fake cloud'],
        }),
      }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const client = new Anthropic({ baseURL: relay.match[1], apiKey: 'modelrelay', maxRetries: 0 });
      const pieces = [];
      const stream = client.messages.stream({
        model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello' }],
      });
      stream.on('text', (text) => pieces.push(text));
      const final = await stream.finalMessage();
      assert.equal(pieces.join(''), 'Hello from the fake openai backend.');
      assert.equal(final.stop_reason, 'end_turn');

      const background = await client.messages.create({
        model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Title?' }],
      });
      assert.equal(background.content[0].text, 'Hello from the fake openai backend.');

      const deadline = Date.now() + 5000;
      while (!/route=background/.test(relay.log()) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(relay.log(), /claude-sonnet-4-5 -> fake-model fell-back-to="Fake cloud" stream 200/);
      assert.match(relay.log(), /claude-haiku-4-5 -> fake-small route=background json 200/);
    } finally {
      relay?.child.kill('SIGTERM');
      fake.child.kill('SIGTERM');
    }
  });
});
