// A scripted model behind a fake backend that speaks the exact OpenAI (/v1/chat/completions, SSE)
// or Ollama (/api/chat, NDJSON; /api/show) wire format. It decides each answer from the
// conversation it receives, as a model would: the scenario named in the first user message
// ("SCENARIO:<name>"), the step (how many answers it already gave), the offered tools' schemas and
// the tool results. Every request is recorded for the test to inspect. When the conversation is
// not what the step expects, the model answers "PROBLEM: <what>", which the test reports.
import http from 'node:http';

const MODEL = 'scripted-model';

// ---- reading the conversation, whichever wire format carried it ----

function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('\n');
  return '';
}

function conversation(body) {
  const messages = body.messages ?? [];
  const system = messages.filter((m) => m.role === 'system').map((m) => textOf(m.content)).join('\n');
  const users = messages.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
  const scenario = (users.match(/SCENARIO:([a-z-]+)/) ?? [])[1];
  // Opus-class names get the environment in the system prompt, Sonnet and Haiku in the first turn.
  const cwd = (`${system}\n${users}`.match(/Primary working directory: (\S+)/) ?? [])[1];
  const assistants = messages.filter((m) => m.role === 'assistant');
  // The tool messages that answer the last assistant turn, in the order they were sent.
  let lastAssistant = -1;
  messages.forEach((m, i) => { if (m.role === 'assistant') lastAssistant = i; });
  const toolMessages = lastAssistant < 0 ? [] : messages.slice(lastAssistant + 1).filter((m) => m.role === 'tool');
  const calls = lastAssistant < 0 ? [] : (messages[lastAssistant].tool_calls ?? []);
  const tools = new Map((body.tools ?? []).map((t) => [t.function.name, t.function]));
  return { messages, system, scenario, cwd, step: assistants.length, toolMessages, calls, tools, assistants };
}

// ---- answers: what the model "says", rendered in the backend's wire format ----

class ScriptError extends Error {}

function problem(text) {
  throw new ScriptError(text);
}

// A call with arguments checked against the offered tool's schema, as a careful model would.
function call(conv, name, args) {
  const tool = conv.tools.get(name);
  if (!tool) problem(`tool ${name} is not offered (offered: ${[...conv.tools.keys()].join(', ')})`);
  const properties = tool.parameters?.properties ?? {};
  for (const key of Object.keys(args))
    if (!(key in properties)) problem(`tool ${name} has no parameter '${key}'`);
  for (const key of tool.parameters?.required ?? [])
    if (!(key in args)) problem(`tool ${name} requires '${key}'`);
  return { name, args };
}

function projectFile(conv, name) {
  if (!conv.cwd) problem('the prompt names no working directory');
  return `${conv.cwd}/${name}`;
}

function toolContent(conv, index) {
  const message = conv.toolMessages[index];
  if (!message) problem(`expected a tool result #${index + 1}, got ${conv.toolMessages.length}`);
  return textOf(message.content);
}

// Pairs results with calls by position, as the chat templates of Ollama and several
// OpenAI-compatible servers do; also checks the ids where the wire format carries them.
function pairedResults(conv) {
  if (conv.toolMessages.length !== conv.calls.length)
    problem(`${conv.calls.length} calls but ${conv.toolMessages.length} results`);
  return conv.calls.map((c, i) => {
    const result = conv.toolMessages[i];
    if (c.id && result.tool_call_id !== c.id)
      problem(`result #${i + 1} answers ${result.tool_call_id}, the call there was ${c.id}`);
    return textOf(result.content);
  });
}

const scenarios = {
  // Write a script, run it, edit it, run it again: files really change.
  multistep(conv) {
    const script = projectFile(conv, 'greet.sh');
    switch (conv.step) {
    case 0:
      return { text: 'I will write the script.', calls: [call(conv, 'Write', { file_path: script, content: 'echo hello from modelrelay\n' })] };
    case 1:
      if (!/created|written|File/i.test(toolContent(conv, 0))) problem(`Write said: ${toolContent(conv, 0)}`);
      return { calls: [call(conv, 'Bash', { command: 'sh greet.sh > out.txt && cat out.txt', description: 'Run the script' })] };
    case 2:
      if (!toolContent(conv, 0).includes('hello from modelrelay')) problem(`Bash said: ${toolContent(conv, 0)}`);
      return { calls: [call(conv, 'Edit', { file_path: script, old_string: 'hello from modelrelay', new_string: 'edited through modelrelay' })] };
    case 3:
      return { calls: [call(conv, 'Bash', { command: 'sh greet.sh', description: 'Run the edited script' })] };
    default:
      return { text: `MULTISTEP-DONE: ${toolContent(conv, 0).trim()}` };
    }
  },

  // Two calls of the same tool at once; the slow one is called first, so its result comes last.
  parallel(conv) {
    if (conv.step === 0)
      return {
        text: 'Running both.',
        calls: [call(conv, 'Bash', { command: 'sleep 1; echo ALPHA', description: 'Slow echo' }),
          call(conv, 'Bash', { command: 'echo BRAVO', description: 'Fast echo' })],
      };
    const [first, second] = pairedResults(conv);
    return { text: `PAIRED: first=${first.trim()} second=${second.trim()}` };
  },

  // A deferred tool: not offered until ToolSearch loads it, then callable.
  toolsearch(conv) {
    switch (conv.step) {
    case 0:
      if (conv.tools.has('CronList')) problem('CronList was offered before ToolSearch loaded it');
      if (conv.tools.has('DeferredToolPlaceholder')) problem('the deferred placeholder tool was offered');
      return { calls: [call(conv, 'ToolSearch', { query: 'select:CronList', max_results: 5 })] };
    case 1: {
      const loaded = toolContent(conv, 0);
      if (!loaded.includes('<functions>') || !loaded.includes('"name":"CronList"'))
        problem(`ToolSearch's result did not show CronList's definition: ${loaded}`);
      return { calls: [call(conv, 'CronList', {})] };
    }
    default:
      return { text: `TOOLSEARCH-DONE: ${toolContent(conv, 0).trim()}` };
    }
  },

  // Reasoning streamed before the answer; it must come back with the next turn.
  thinking(conv) {
    if (conv.step === 0)
      return {
        reasoning: 'The user wants notes. I will write notes.txt first.',
        text: 'Writing the notes.',
        calls: [call(conv, 'Write', { file_path: projectFile(conv, 'notes.txt'), content: 'thought through\n' })],
      };
    const previous = conv.assistants[0];
    const echoed = previous.reasoning_content ?? previous.thinking ?? '';
    if (!echoed.includes('I will write notes.txt first.')) problem(`the reasoning did not come back: ${JSON.stringify(previous)}`);
    return { reasoning: 'Done, say so.', text: 'THINKING-DONE' };
  },

  // A long answer, streamed slowly: to press Esc in the middle (by hand, under tmux).
  slow() {
    return { text: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '), pace: 100 };
  },

  // The first answer breaks off mid-stream (the backend's connection dies); the retry completes.
  cut(conv, state) {
    state.cutAttempts = (state.cutAttempts ?? 0) + 1;
    if (state.cutAttempts === 1) return { text: 'Working on it, this part arrives and then', cut: true };
    return { text: 'RECOVERED after the cut' };
  },
};

// Requests without tools are Claude Code's side requests (session title, summaries).
function sideAnswer(body) {
  const wantsJson = body.response_format || body.format;
  return { text: wantsJson ? '{"title":"Scripted session"}' : 'OK' };
}

function decide(body, state) {
  const conv = conversation(body);
  if (!conv.tools.size || !conv.scenario) return sideAnswer(body);
  const scenario = scenarios[conv.scenario];
  if (!scenario) return { text: `PROBLEM: unknown scenario ${conv.scenario}` };
  try {
    return scenario(conv, state);
  } catch (error) {
    if (error instanceof ScriptError) return { text: `PROBLEM: ${error.message}` };
    throw error;
  }
}

// Splits text in three uneven pieces, so the relay sees fragments (a paced answer: word by word).
function pieces(text, paced = false) {
  if (paced) return text.split(/(?= )/);
  if (text.length < 6) return [text];
  const a = Math.floor(text.length / 3);
  return [text.slice(0, a), text.slice(a, a + 1), text.slice(a + 1)];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function writeOpenAi(res, answer, ids) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta, finish = null) => res.write(`data: ${JSON.stringify({
    id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 0, model: MODEL,
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`);
  chunk({ role: 'assistant', content: '' });
  for (const piece of answer.reasoning ? pieces(answer.reasoning) : []) chunk({ reasoning_content: piece });
  for (const piece of answer.text ? pieces(answer.text, answer.pace) : []) {
    chunk({ content: piece });
    if (answer.pace) await sleep(answer.pace);
  }
  if (answer.cut) return cutOff(res);
  (answer.calls ?? []).forEach((c, index) => {
    const id = ids.next();
    const args = JSON.stringify(c.args);
    chunk({ tool_calls: [{ index, id, type: 'function', function: { name: c.name, arguments: '' } }] });
    for (const piece of pieces(args)) chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
  });
  chunk({}, answer.calls?.length ? 'tool_calls' : 'stop');
  res.write(`data: ${JSON.stringify({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 0, model: MODEL, choices: [], usage: { prompt_tokens: 1000, completion_tokens: 20, total_tokens: 1020 } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

async function writeOllama(res, answer, ids) {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (message, extra = {}) => res.write(`${JSON.stringify({
    model: MODEL, created_at: new Date().toISOString(), message: { role: 'assistant', content: '', ...message }, done: false, ...extra,
  })}\n`);
  for (const piece of answer.reasoning ? pieces(answer.reasoning) : []) line({ thinking: piece });
  for (const piece of answer.text ? pieces(answer.text, answer.pace) : []) {
    line({ content: piece });
    if (answer.pace) await sleep(answer.pace);
  }
  if (answer.cut) return cutOff(res);
  if (answer.calls?.length)
    line({ tool_calls: answer.calls.map((c) => ({ id: ids.next(), function: { name: c.name, arguments: c.args } })) });
  line({}, { done: true, done_reason: 'stop', prompt_eval_count: 1000, eval_count: 20 });
  res.end();
}

// The backend dies in the middle of the answer: what was written is sent, then the connection drops.
function cutOff(res) {
  setTimeout(() => res.socket?.destroy(), 50);
}

export async function startScriptedModel(kind, port = 0) {
  const requests = [];
  const state = {};
  let nextId = 0;
  const ids = { next: () => `call_${kind}_${++nextId}` };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const url = req.url;
      if (kind === 'ollama' && url === '/api/show') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ details: { family: 'scripted' }, model_info: { 'general.architecture': 'scripted', 'scripted.context_length': 65536 }, capabilities: ['completion', 'tools', 'thinking'] }));
        return;
      }
      const route = kind === 'openai' ? '/v1/chat/completions' : '/api/chat';
      if (req.method !== 'POST' || url !== route) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"not found"}');
        return;
      }
      const parsed = JSON.parse(body);
      const answer = decide(parsed, state);
      requests.push({ body: parsed, answer, at: Date.now() });
      (kind === 'openai' ? writeOpenAi : writeOllama)(res, answer, ids);
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = server.address().port;
  return {
    requests,
    baseUrl: kind === 'openai' ? `http://127.0.0.1:${bound}/v1` : `http://127.0.0.1:${bound}`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

// `node scripted-model.mjs openai|ollama [port]`: serves until stopped, to try Claude Code by hand
// (put "SCENARIO:<name>" in the first prompt).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const kind = process.argv[2] ?? 'openai';
  const model = await startScriptedModel(kind, Number(process.argv[3] ?? 0));
  console.log(`scripted ${kind} model at ${model.baseUrl}`);
}
