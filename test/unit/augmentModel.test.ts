import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CONFIG, parseConfig } from '../../server/src/engine';
import { loadConfig } from '../../server/src/host/config';
import { endpointOptions, estimateRewrites, fetchRewrites, type EndpointOptions } from '../../server/src/host/rewrites';

/**
 * Back-translation and paraphrase (#20) against a real HTTP server on 127.0.0.1 that the test starts
 * (never the network): answers, retries after 500 and 429, timeouts, the cache on a re-run, and the
 * API key, which is sent in the Authorization header and written nowhere.
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
const KEY = 'sk-test-Zq8Lw3Vn5Tb7Xc9Rm2Kp4Hj6';

interface Seen {
  auth: string | undefined;
  system: string;
  text: string;
}

/** An OpenAI-compatible chat endpoint: French is "FR: text", the way back replaces "movie" by "film", a paraphrase "watched" by "saw". `plan` answers the n-th request otherwise. */
async function endpoint(plan: (n: number, req: IncomingMessage, res: ServerResponse) => boolean = () => false): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const n = seen.length;
      const { messages } = JSON.parse(body) as { messages: { role: string; content: string }[] };
      seen.push({ auth: req.headers.authorization, system: messages[0].content, text: messages[1].content });
      if (plan(n, req, res)) return;
      const text = messages[1].content;
      const system = messages[0].content;
      const answer = system.includes('into French') ? `FR: ${text}` : system.includes('Paraphrase') ? text.replace('watched', 'saw') : text.replace(/^FR: /, '').replace('movie', 'film');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: answer } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen, server };
}

function options(url: string, extra: Partial<EndpointOptions> = {}): EndpointOptions {
  const config = { ...DEFAULT_CONFIG, augment: { ...DEFAULT_CONFIG.augment, endpoint: url, model: 'test-model', retries: 3, timeoutMs: 2000 } };
  return { ...endpointOptions(config, KEY, mkdtempSync(join(tmpdir(), 'tuneset-cache-'))), ...extra };
}

/** The CLI, run without blocking this process (the endpoint answers from it). */
function tuneset(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

test('CLI: bt and pp rows from the endpoint, the cost said first, a re-run answered by the cache, the key sent and written nowhere', async () => {
  const { url, seen, server } = await endpoint();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'tuneset-bt-'));
    const cache = mkdtempSync(join(tmpdir(), 'tuneset-btcache-'));
    writeFileSync(join(dir, 'd.jsonl'), [
      { text: 'I watched the movie with Anna on Monday and loved it.', label: 'pos' },
      { text: 'The movie was far too long and the sound kept dropping out.', label: 'neg' },
    ].map((r) => JSON.stringify(r) + '\n').join(''));
    writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ augment: { endpoint: url, model: 'test-model', pricePer1kTokens: 0.5 } }));
    const env = { TUNESET_CACHE_DIR: cache, TUNESET_AUGMENT_API_KEY: KEY };
    const first = await tuneset(dir, env, 'augment', 'd.jsonl', '--ops', 'bt,pp', '--n', '2', '--out', 'aug.jsonl');
    assert.equal(first.code, 0, first.err + first.out);
    assert.match(first.err, /Rewriting 2 texts with test-model at http:\/\/127\.0\.0\.1:\d+\/v1: 6 requests, 0 of them answered from the cache; about \d+ tokens sent and received, cost about 0\.\d+ at 0\.5 per 1,000 tokens/);
    assert.equal(seen.length, 6, 'two legs of bt and one of pp per text');
    assert.ok(seen.every((s) => s.auth === `Bearer ${KEY}`));
    const rows = readFileSync(join(dir, 'aug.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { text: string; augmented_from?: number });
    const made = rows.filter((r) => r.augmented_from !== undefined).map((r) => r.text).sort();
    assert.deepEqual(made, [
      'I saw the movie with Anna on Monday and loved it.',
      'I watched the film with Anna on Monday and loved it.',
      'The film was far too long and the sound kept dropping out.',
    ]);
    assert.match(first.out, /by operation: bt 2 · pp 1/);

    const again = await tuneset(dir, env, 'augment', 'd.jsonl', '--ops', 'bt,pp', '--n', '2', '--out', 'aug.jsonl', '--force');
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /6 requests, 6 of them answered from the cache; about 0 tokens sent and received,/);
    assert.match(again.err, /0 requests sent to the endpoint \(0 retried\), 6 answered from the cache/);
    assert.equal(seen.length, 6, 'the re-run asked the endpoint nothing');
    assert.equal(readFileSync(join(dir, 'aug.jsonl'), 'utf8').split('\n').filter((l) => l.includes('augmented_from')).length, 3);

    for (const f of [...filesUnder(dir), ...filesUnder(cache)]) assert.ok(!readFileSync(f, 'utf8').includes(KEY), `the key is written in ${f}`);
    assert.ok(!(first.out + first.err + again.out + again.err).includes(KEY));
  } finally {
    server.close();
  }
});

test('a 500 and a 429 are retried with backoff; a 400 is not', async () => {
  const { url, seen, server } = await endpoint((n, _req, res) => {
    if (n === 0 || n === 1) {
      res.writeHead(n === 0 ? 500 : 429);
      res.end('busy');
      return true;
    }
    return false;
  });
  try {
    const run = await fetchRewrites(['I watched the movie.'], ['pp'], options(url));
    assert.equal(run.retried, 2);
    assert.equal(run.failed, 0);
    assert.equal(seen.length, 3);
    assert.equal(run.rewrites.get('pp\u0000I watched the movie.'), 'I saw the movie.');
  } finally {
    server.close();
  }
  const bad = await endpoint((_n, _req, res) => {
    res.writeHead(401);
    res.end('no');
    return true;
  });
  try {
    const run = await fetchRewrites(['I watched the movie.'], ['pp'], options(bad.url));
    assert.equal(bad.seen.length, 1, 'a 401 is not retried');
    assert.equal(run.failed, 1);
    assert.match(run.errors[0], /HTTP 401 \(check the API key\)/);
    assert.ok(!run.errors[0].includes(KEY));
  } finally {
    bad.server.close();
  }
});

test('a request with no answer in time is abandoned and retried; without retries the text gets no rewrite and the error says why', async () => {
  const slow = (n: number, _req: IncomingMessage, res: ServerResponse) => {
    if (n !== 0) return false;
    const t = setTimeout(() => res.end(), 3000);
    res.on('close', () => clearTimeout(t));
    return true;
  };
  const a = await endpoint(slow);
  try {
    const run = await fetchRewrites(['I watched the movie.'], ['pp'], options(a.url, { timeoutMs: 300, retries: 2 }));
    assert.equal(run.retried, 1);
    assert.equal(run.rewrites.get('pp\u0000I watched the movie.'), 'I saw the movie.');
  } finally {
    a.server.close();
  }
  const b = await endpoint(slow);
  try {
    const run = await fetchRewrites(['I watched the movie.'], ['pp'], options(b.url, { timeoutMs: 300, retries: 0 }));
    assert.equal(run.failed, 1);
    assert.equal(run.rewrites.size, 0);
    assert.match(run.errors[0], /no answer within 300 ms/);
  } finally {
    b.server.close();
  }
});

test('the estimate counts requests and tokens before anything is sent, and what the cache holds', async () => {
  const { url, seen, server } = await endpoint();
  try {
    const o = options(url, { pricePer1kTokens: 2 });
    const texts = ['I watched the movie.', 'The movie was long.'];
    const before = estimateRewrites(texts, ['bt', 'pp'], o);
    assert.equal(seen.length, 0);
    assert.deepEqual({ requests: before.requests, cached: before.cached }, { requests: 6, cached: 0 });
    assert.ok(before.tokens > 0 && before.cost === (before.tokens * 2) / 1000);
    await fetchRewrites(texts, ['bt', 'pp'], o);
    const after = estimateRewrites(texts, ['bt', 'pp'], o);
    assert.deepEqual({ requests: after.requests, cached: after.cached, tokens: after.tokens }, { requests: 6, cached: 6, tokens: 0 });
  } finally {
    server.close();
  }
});

test('settings: an API key in a settings file is refused by name, and augment merges key by key across the editor and tuneset.json', () => {
  const { problems } = parseConfig({ augment: { apiKey: KEY, model: 'm' } });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^augment: Unrecognized key\(s\) in object: 'apiKey'.*\(apiKey\); using the default$/);
  assert.ok(!problems[0].includes(KEY));
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-augset-'));
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ augment: { endpoint: 'http://127.0.0.1:9/v1' } }));
  const { config } = loadConfig({ editor: { augment: { model: 'from-editor', redact: true } }, folder: dir });
  assert.deepEqual([config.augment.endpoint, config.augment.model, config.augment.redact], ['http://127.0.0.1:9/v1', 'from-editor', true]);
});
