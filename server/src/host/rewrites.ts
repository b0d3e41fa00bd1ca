import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Config } from '../engine';
import { writeFileAtomic } from './writeAtomic';

/**
 * Back-translation (bt) and paraphrase (pp) through an OpenAI-compatible chat endpoint the user runs
 * (`augment.endpoint`, `augment.model`): the texts to rewrite are sent before augmenting, a few at a
 * time, with retries and timeouts, and each answer is kept in an on-disk cache keyed by (endpoint,
 * model, prompt, text), so a re-run asks for nothing it asked before. The API key comes from an
 * environment variable (named by `augment.apiKeyEnv`) or the editor's secret storage, never from a
 * settings file; it goes in the Authorization header only, never in a message, the cache or a file.
 */

export type ModelOperation = 'bt' | 'pp';

export interface EndpointOptions {
  /** Base URL (…/v1); requests go to `${endpoint}/chat/completions`. */
  endpoint: string;
  model: string;
  pivotLanguage: string;
  apiKey?: string;
  concurrency: number;
  retries: number;
  timeoutMs: number;
  /** Price per 1,000 tokens (0: none known). */
  pricePer1kTokens: number;
  /** Where answers are cached (default: the user's cache folder). */
  cacheDir: string;
}

/** The endpoint settings of a dataset's configuration, with the key given (from the environment or secret storage). */
export function endpointOptions(config: Config, apiKey: string | undefined, cacheDir = defaultCacheDir()): EndpointOptions {
  const a = config.augment;
  const o: EndpointOptions = {
    endpoint: a.endpoint.replace(/\/+$/, ''), model: a.model, pivotLanguage: a.pivotLanguage, concurrency: a.concurrency,
    retries: a.retries, timeoutMs: a.timeoutMs, pricePer1kTokens: a.pricePer1kTokens, cacheDir,
  };
  if (apiKey) o.apiKey = apiKey;
  return o;
}

/** Problems with the settings for bt/pp (empty when usable), naming the setting. */
export function endpointProblems(o: EndpointOptions): string[] {
  const problems: string[] = [];
  if (!o.endpoint) problems.push('back-translation and paraphrase need augment.endpoint (tuneset.augment.endpoint): the base URL of an OpenAI-compatible endpoint, such as http://127.0.0.1:8000/v1');
  else if (!/^https?:\/\/[^\s/]+/i.test(o.endpoint)) problems.push(`augment.endpoint must be an http:// or https:// URL, not "${o.endpoint}"`);
  if (!o.model) problems.push('back-translation and paraphrase need augment.model (tuneset.augment.model): the model the endpoint serves');
  return problems;
}

/** The cache folder: $TUNESET_CACHE_DIR, else $XDG_CACHE_HOME/tuneset, else ~/.cache/tuneset; answers go in its augment/ folder. */
export function defaultCacheDir(): string {
  const base = process.env.TUNESET_CACHE_DIR || (process.env.XDG_CACHE_HOME ? path.join(process.env.XDG_CACHE_HOME, 'tuneset') : path.join(os.homedir(), '.cache', 'tuneset'));
  return path.join(base, 'augment');
}

/** The language a text is written in, as far as the way back of a back-translation needs it. */
function languageOf(text: string): string {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'Japanese';
  if (/\p{Script=Han}/u.test(text)) return 'Chinese';
  if (/\p{Script=Thai}/u.test(text)) return 'Thai';
  return 'English';
}

/** One chat request: the instruction (system) and the text (user). */
interface Step {
  system: string;
  temperature: number;
}

const KEEP = 'Keep names, numbers, dates, quoted text, code and placeholders exactly as they are. Reply with the text only, no comment.';

/** The requests of an operation on a text: bt goes to the pivot language and back; pp is one rewrite. */
function steps(op: ModelOperation, text: string, pivot: string): ((input: string) => Step)[] {
  if (op === 'pp') return [() => ({ system: `Paraphrase the user's text in the same language, keeping its meaning. ${KEEP}`, temperature: 0.7 })];
  const back = languageOf(text);
  return [
    () => ({ system: `Translate the user's text into ${pivot}. ${KEEP}`, temperature: 0 }),
    () => ({ system: `Translate the user's text into ${back}. ${KEEP}`, temperature: 0 }),
  ];
}

/** Tokens of a text, roughly (four characters a token in English, about one a character in Chinese). */
function tokensOf(text: string): number {
  let wide = 0;
  for (const ch of text) if (ch.codePointAt(0)! > 0x2e80) wide++;
  return Math.ceil((text.length - wide) / 4) + wide;
}

export interface Estimate {
  texts: number;
  requests: number;
  /** Requests the cache already answers. */
  cached: number;
  /** Tokens sent and received for the requests not cached (prompt, text and an answer as long as the text). */
  tokens: number;
  /** tokens × price / 1000, when a price is set. */
  cost?: number;
}

/** What a run will cost before it runs: the first leg of each request is looked up in the cache. */
export function estimateRewrites(texts: readonly string[], ops: readonly ModelOperation[], o: EndpointOptions): Estimate {
  let requests = 0;
  let cached = 0;
  let tokens = 0;
  for (const op of ops) {
    for (const text of texts) {
      const legs = steps(op, text, o.pivotLanguage);
      requests += legs.length;
      // The second leg's input is the first's answer: cached when the first is and the second is too.
      let input: string | undefined = text;
      for (const leg of legs) {
        const step = leg(input ?? text);
        const hit: string | undefined = input !== undefined ? readCache(o, cacheKey(o, step, input)) : undefined;
        if (hit !== undefined) {
          cached++;
          input = hit;
          continue;
        }
        input = undefined;
        tokens += tokensOf(step.system) + 2 * tokensOf(text) + 8;
      }
    }
  }
  const e: Estimate = { texts: texts.length, requests, cached, tokens };
  if (o.pricePer1kTokens > 0) e.cost = (tokens * o.pricePer1kTokens) / 1000;
  return e;
}

/** The estimate as one line. */
export function describeEstimate(e: Estimate, o: EndpointOptions): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const head = `Rewriting ${n(e.texts)} texts with ${o.model} at ${o.endpoint}: ${n(e.requests)} requests, ${n(e.cached)} of them answered from the cache; about ${n(e.tokens)} tokens sent and received`;
  return e.cost !== undefined ? `${head}, cost about ${e.cost.toFixed(e.cost < 1 ? 4 : 2)} at ${o.pricePer1kTokens} per 1,000 tokens` : `${head} (no price set: augment.pricePer1kTokens)`;
}

export interface RewriteRun {
  /** `${op}\u0000${text}` → rewrite. */
  rewrites: Map<string, string>;
  requests: number;
  cached: number;
  retried: number;
  /** Texts the endpoint gave no rewrite for, with the last error (at most a few listed). */
  failed: number;
  errors: string[];
}

/** The engine's Rewrites lookup over a run's answers. */
export function rewriteLookup(run: Pick<RewriteRun, 'rewrites'>): (op: ModelOperation, text: string) => string | undefined {
  return (op, text) => run.rewrites.get(`${op}\u0000${text}`);
}

/**
 * Rewrites every text with each operation: at most `concurrency` requests in flight, each retried
 * with backoff after a 429, a 5xx, a network error or a timeout, each answer cached. A text that
 * fails after the retries has no rewrite (the operation says so for its row); the run goes on.
 */
export async function fetchRewrites(texts: readonly string[], ops: readonly ModelOperation[], o: EndpointOptions, signal?: AbortSignal): Promise<RewriteRun> {
  const run: RewriteRun = { rewrites: new Map(), requests: 0, cached: 0, retried: 0, failed: 0, errors: [] };
  const jobs: { op: ModelOperation; text: string }[] = [];
  for (const op of ops) for (const text of new Set(texts)) jobs.push({ op, text });
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !signal?.aborted) {
      const { op, text } = jobs[next++];
      try {
        let input = text;
        for (const leg of steps(op, text, o.pivotLanguage)) input = await cachedChat(o, leg(input), input, run, signal);
        run.rewrites.set(`${op}\u0000${text}`, input);
      } catch (e) {
        run.failed++;
        if (run.errors.length < 5) run.errors.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, jobs.length) }, worker));
  return run;
}

async function cachedChat(o: EndpointOptions, step: Step, text: string, run: RewriteRun, signal?: AbortSignal): Promise<string> {
  const key = cacheKey(o, step, text);
  const hit = readCache(o, key);
  if (hit !== undefined) {
    run.cached++;
    return hit;
  }
  const answer = await chat(o, step, text, run, signal);
  writeCache(o, key, answer);
  return answer;
}

/** An error worth another attempt (429, 5xx, network, timeout) or not (4xx, a malformed answer). */
class RequestError extends Error {
  constructor(message: string, readonly retry: boolean, readonly waitMs?: number) {
    super(message);
  }
}

async function chat(o: EndpointOptions, step: Step, text: string, run: RewriteRun, signal?: AbortSignal): Promise<string> {
  const url = `${o.endpoint}/chat/completions`;
  const body = JSON.stringify({ model: o.model, temperature: step.temperature, messages: [{ role: 'system', content: step.system }, { role: 'user', content: text }] });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
  for (let attempt = 0; ; attempt++) {
    run.requests++;
    const timeout = AbortSignal.timeout(o.timeoutMs);
    try {
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers, body, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      } catch (e) {
        if (signal?.aborted) throw new RequestError(`${url}: cancelled`, false);
        const what = timeout.aborted ? `no answer within ${o.timeoutMs} ms` : `cannot be reached (${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`;
        throw new RequestError(`${url}: ${what}`, true);
      }
      if (response.status === 429 || response.status >= 500) {
        const after = Number(response.headers.get('retry-after'));
        await response.body?.cancel();
        throw new RequestError(`${url}: HTTP ${response.status}`, true, Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 30_000) : undefined);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new RequestError(`${url}: HTTP ${response.status}${response.status === 401 || response.status === 403 ? ' (check the API key)' : ''}`, false);
      }
      const json = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
      const content = json.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new RequestError(`${url}: the answer has no choices[0].message.content`, false);
      return content.trim();
    } catch (e) {
      const err = e instanceof RequestError ? e : new RequestError(`${url}: ${(e as Error).message}`, false);
      if (!err.retry || attempt >= o.retries) throw err;
      run.retried++;
      // Exponential backoff with jitter (or what Retry-After asks), so a busy endpoint is not hammered.
      await sleep(err.waitMs ?? Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2), signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/** The cache key: (endpoint, model, prompt, text); never the key. */
function cacheKey(o: EndpointOptions, step: Step, text: string): string {
  return createHash('sha256').update(JSON.stringify([o.endpoint, o.model, step.system, step.temperature, text])).digest('hex');
}

function cacheFile(o: EndpointOptions, key: string): string {
  return path.join(o.cacheDir, key.slice(0, 2), `${key}.json`);
}

function readCache(o: EndpointOptions, key: string): string | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(cacheFile(o, key), 'utf8')) as { answer?: unknown };
    return typeof entry.answer === 'string' ? entry.answer : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(o: EndpointOptions, key: string, answer: string): void {
  try {
    const file = cacheFile(o, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify({ answer }));
  } catch {
    // A cache that cannot be written costs a request next time, nothing more.
  }
}
