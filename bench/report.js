// Prints bench/run.sh's table from its measurements: each figure for direct, ModelRelay and
// claude-code-router, ModelRelay's ratios to the other two, and the targets.
// Usage: node report.js results.jsonl translation-json build-type ccr-note tokens
'use strict';
const fs = require('fs');

const [resultsFile, translationJson, buildType, ccrNote, tokens] = process.argv.slice(2);
const lines = fs.readFileSync(resultsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const translation = JSON.parse(translationJson);
const withCcr = lines.some((l) => l.target === 'ccr');
const targetsChecked = [];

const cellOf = (regime, cell, concurrency, target) =>
  lines.find((l) => l.regime === regime && l.cell === cell && l.concurrency === concurrency && l.target === target);
const loadValue = (regime, cell, concurrency, key) => (target) => {
  const found = cellOf(regime, cell, concurrency, target);
  const value = found && found.load ? found.load[key] : undefined;
  return value === undefined || value < 0 ? undefined : value;
};

const number = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : '—');

// A target: a description, and a test of the row's values that may be undefined (not measurable).
function check(description, test) {
  return (values) => {
    const outcome = test(values);
    const verdict = outcome === undefined ? 'not measured' : outcome ? 'met' : 'NOT met';
    targetsChecked.push({ description, verdict });
    return `${description}: ${verdict}`;
  };
}
const defined = (...xs) => xs.every((x) => x !== undefined);

function row(regime, label, values, { digits = 2, direct = true, target } = {}) {
  const { direct: d, relay: m, ccr: c } = values;
  const cells = [
    regime,
    label,
    direct ? number(d, digits) : '',
    number(m, digits),
    withCcr ? number(c, digits) : '',
    direct ? ratio(m, d) : '',
    withCcr ? ratio(m, c) : '',
    target ? target(values) : '',
  ];
  console.log(`| ${cells.join(' | ')} |`);
}

const valuesOf = (pick) => ({ direct: pick('direct'), relay: pick('relay'), ccr: withCcr ? pick('ccr') : undefined });
const minus = (a, b) => (defined(a, b) ? a - b : undefined);
const addedTo = (values) => ({ direct: 0, relay: minus(values.relay, values.direct), ccr: minus(values.ccr, values.direct) });

function latencyRows({ key: regime, label, paced, latencyTokens }) {
  const json = (key) => valuesOf(loadValue(regime, 'json-latency', 1, key));
  // When the latency answers are as long as the throughput ones, run.sh measures that cell once.
  const streamCell = cellOf(regime, 'stream-latency', 1, 'direct') ? 'stream-latency' : 'stream-throughput';
  const stream = (key) => valuesOf(loadValue(regime, streamCell, 1, key));
  const what = `${latencyTokens}-token answer, c=1`;
  row(label, `latency p50, non-streaming, ${what} (ms)`, json('p50_ms'));
  row(label, `latency p99, non-streaming, ${what} (ms)`, json('p99_ms'));
  row(label, 'added latency p50, non-streaming (ms)', addedTo(json('p50_ms')), {
    direct: false,
    target: paced ? check('ModelRelay adds ≤ 0.5 ms', (v) => defined(v.relay) && v.relay <= 0.5) : undefined,
  });
  row(label, 'added latency p99, non-streaming (ms)', addedTo(json('p99_ms')), { direct: false });
  const within = (limit) => (v) => (defined(v.relay, v.direct) ? v.relay - v.direct <= limit : undefined);
  row(label, `first content event p50, streaming, ${what} (ms)`, stream('first_event_p50_ms'), {
    target: paced ? check('ModelRelay within 1 ms of direct', within(1)) : undefined,
  });
  row(label, `first content event p99, streaming, ${what} (ms)`, stream('first_event_p99_ms'), {
    target: paced ? check('ModelRelay within 2 ms of direct', within(2)) : undefined,
  });
}

function concurrencyLevels(regime) {
  return [...new Set(lines.filter((l) => l.regime === regime && l.cell === 'stream-throughput').map((l) => l.concurrency))];
}

function throughputRows({ key: regime, label, paced }) {
  for (const c of concurrencyLevels(regime)) {
    let target;
    if (c === 64 && paced)
      target = check('ModelRelay ≥ 0.95× direct', (v) => (defined(v.relay, v.direct) ? v.relay >= 0.95 * v.direct : undefined));
    if (c === 64 && !paced)
      target = check('ModelRelay ≥ 5× ccr', (v) => (defined(v.relay, v.ccr) ? v.relay >= 5 * v.ccr : undefined));
    row(label, `throughput, ${tokens}-token streams, c=${c} (req/s)`, valuesOf(loadValue(regime, 'stream-throughput', c, 'rps')), {
      digits: 1,
      target,
    });
  }
}

// CPU time per request, summed over all throughput cells of the regime.
function cpuPerRequest(regime, target, pick) {
  const cells = lines.filter((l) => l.regime === regime && l.cell === 'stream-throughput' && l.target === target && l.load);
  const requests = cells.reduce((sum, l) => sum + l.load.requests, 0);
  return requests ? cells.reduce((sum, l) => sum + pick(l), 0) / requests : undefined;
}
// Share of one core a process used during a cell: over 100 % it needed more than one core.
function coreShare(regime, concurrency, pick) {
  return (target) => {
    const l = cellOf(regime, 'stream-throughput', concurrency, target);
    return l && l.load && l.load.seconds ? (100 * pick(l)) / (1000 * l.load.seconds) : undefined;
  };
}

function cpuRows({ key: regime, label, paced }) {
  row(label, `proxy CPU per ${tokens}-token streamed request (ms)`, valuesOf((t) => (t === 'direct' ? undefined : cpuPerRequest(regime, t, (l) => l.proxy_cpu_ms))), {
    direct: false,
    target: paced ? undefined : check('ModelRelay ≤ 1/5 of ccr', (v) => (defined(v.relay, v.ccr) ? v.relay <= v.ccr / 5 : undefined)),
  });
  row(label, 'fake backend CPU per request (ms)', valuesOf((t) => cpuPerRequest(regime, t, (l) => l.backend_cpu_ms)));
  row(label, 'load driver CPU per request (ms)', valuesOf((t) => cpuPerRequest(regime, t, (l) => l.load.driver_cpu_ms)));
  const top = Math.max(...concurrencyLevels(regime));
  if (!Number.isFinite(top)) return;
  row(label, `fake backend busy at c=${top} (% of one core)`, valuesOf(coreShare(regime, top, (l) => l.backend_cpu_ms)), { digits: 0 });
  row(label, `load driver busy at c=${top} (% of one core)`, valuesOf(coreShare(regime, top, (l) => l.load.driver_cpu_ms)), { digits: 0 });
  row(label, `proxy busy at c=${top} (% of one core)`, valuesOf((t) => (t === 'direct' ? undefined : coreShare(regime, top, (l) => l.proxy_cpu_ms)(t))), {
    digits: 0,
    direct: false,
  });
}

function memoryRows({ key: regime, label }) {
  const memory = (kind) => {
    const l = lines.find((x) => x.regime === regime && x.memory === kind);
    const mb = (kb) => (kb ? kb / 1024 : undefined);
    return { direct: undefined, relay: l && mb(l.relay_kb), ccr: withCcr && l ? mb(l.ccr_kb) : undefined };
  };
  const limits = (absolute) =>
    check(`ModelRelay ≤ ${absolute} MB and ≤ 1/4 of ccr`, (v) => {
      if (v.relay === undefined) return undefined;
      return v.relay <= absolute && (v.ccr === undefined || v.relay <= v.ccr / 4);
    });
  row(label, 'RSS idle, after one request (MB)', memory('idle'), { digits: 1, direct: false, target: limits(15) });
  row(label, 'RSS peak under load, VmHWM (MB)', memory('peak'), { digits: 1, direct: false, target: limits(40) });
}

function errorRow({ key: regime, label }) {
  const errors = (target) =>
    lines
      .filter((l) => l.regime === regime && l.target === target)
      .reduce((sum, l) => sum + (l.load ? l.load.errors + (l.load.requests ? 0 : 1) : 1), 0);
  const values = valuesOf(errors);
  if (values.direct || values.relay || values.ccr) row(label, 'failed requests (all cells)', values, { digits: 0 });
}

function regimeRows(regime) {
  const settings = lines.find((l) => l.regime === regime && l.delay_ms !== undefined);
  const paced = settings.delay_ms > 0;
  const name = paced ? `paced (${settings.delay_ms} ms/token)` : 'saturating (no delay)';
  const r = { key: regime, label: name, paced, latencyTokens: settings.latency_tokens };
  latencyRows(r);
  throughputRows(r);
  cpuRows(r);
  memoryRows(r);
  errorRow(r);
}

function translationRows() {
  const t = translation;
  const only = (relay) => ({ relay });
  const opts = { digits: 1, direct: false };
  const kb = (t.request_bytes / 1024).toFixed(0);
  row('translation', `recorded ${kb} KB Claude Code request → OpenAI body, parse + build (µs)`, only(t.to_openai_us), {
    ...opts,
    target: check('≤ 1 ms', (v) => v.relay <= 1000),
  });
  row('translation', `same request → Ollama body (µs)`, only(t.to_ollama_us), opts);
  row('translation', `reference: Qt JSON read + compact write of the same bytes (µs)`, only(t.json_reference_us), opts);
  row('translation', `${tokens}-token OpenAI stream → Anthropic events (µs)`, only(t.answer_200_tokens_us), opts);
  row('translation', `same stream ending in a tool call, ${t.answer_with_tool_chunks} chunks → Anthropic events (µs)`, only(t.answer_with_tool_us), opts);
  row('translation', 'relaying one stream chunk (µs)', only(t.per_chunk_us), { ...opts, digits: 2 });
}

function printTargetSummary() {
  const met = targetsChecked.filter((t) => t.verdict === 'met').length;
  console.log(`\nTargets: ${met} of ${targetsChecked.length} met.`);
  for (const t of targetsChecked.filter((x) => x.verdict !== 'met')) console.log(`- ${t.description}: ${t.verdict}`);
}

console.log(`ModelRelay benchmark — ${buildType} build, loopback, fake OpenAI backend; ${ccrNote}\n`);
console.log('| regime | metric | direct | ModelRelay | ccr | ModelRelay ÷ direct | ModelRelay ÷ ccr | target |');
console.log('|---|---|---:|---:|---:|---:|---:|---|');
for (const regime of [...new Set(lines.filter((l) => l.delay_ms !== undefined).map((l) => l.regime))]) regimeRows(regime);
translationRows();
printTargetSummary();
