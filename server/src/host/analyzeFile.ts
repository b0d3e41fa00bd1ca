import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FileTooLargeError, fileSource, MAX_WHOLE_FILE_BYTES } from './fileSource';
import {
  analyzeDataset, analyzeJsonlShard, containerOfPath, detectDatasetFormat, encodingFromStart, isUtf16, jsonlByteRanges, jsonlReader, mergeJsonlShardsThen, START_BYTES,
  type AnalyzeOptions, type Config, type DatasetAnalysis, type ShardResult, type TokenSample,
} from '../engine';
import { unpackFindings } from '../engine';
import type { PostedShardResult, ShardJob } from './worker';

/** This thread's share of a file over an equal one (see analyzeFile). */
const FIRST_SHARE_FACTOR = Number(process.env.TUNESET_FIRST_SHARE ?? 1.08);

/** Files at least this big are analyzed on every core (JSONL only); smaller ones are not worth a thread. */
export const PARALLEL_BYTES = Number(process.env.TUNESET_PARALLEL_BYTES ?? 8 * 1024 * 1024);

/**
 * Analyzes a dataset file from disk: big JSONL files on every core (this thread and workers), everything
 * else in this thread. The container is `options.container` (a sniffed file's) or the extension's.
 */
export async function analyzeFile(file: string, displayPath: string, config: Config, options: AnalyzeOptions = {}): Promise<DatasetAnalysis> {
  // Names that say no container are read as JSON Lines, as openReader reads them.
  const isJsonl = (options.container ?? containerOfPath(file) ?? 'jsonl') === 'jsonl';
  const stat = fs.statSync(file);
  // Reading a named pipe or a device would wait forever (or never end): only regular files are read.
  if (!stat.isFile()) throw new NotRegularFileError(file, stat);
  const size = stat.size;
  // CSV, TSV and JSON arrays are read whole: one over 2 GiB is refused in a sentence (what to do instead), not with fs's error code.
  if (!isJsonl && size > MAX_WHOLE_FILE_BYTES) throw new FileTooLargeError(displayPath, size, options.container ?? containerOfPath(file)!);
  const threads = Math.min(os.availableParallelism(), 8);
  if (!isJsonl || size < PARALLEL_BYTES || threads < 2 || isUtf16File(file)) return analyzeDataset(displayPath, fs.readFileSync(file), config, options);
  const timing = process.env.TUNESET_TIMING ? (what: string) => process.stderr.write(`[timing] ${what} ${(performance.now() - t0).toFixed(0)} ms, ${process.resourceUsage().minorPageFault} page faults\n`) : () => {};
  const t0 = performance.now();
  // The file is read in chunks by each thread (its own shard), never whole into memory.
  const fd = fs.openSync(file, 'r');
  const workers: ShardWorker[] = [];
  try {
    const source = fileSource(fd, size);
    const detection = detectDatasetFormat(jsonlReader(source).rows(), config);
    timing('format detected');
    // This thread takes the first shard itself (it is warm) and starts on it at once; each worker is
    // handed its bytes as soon as they are cut and counts the lines before them itself. This thread's
    // share is a little bigger: the workers start later (a thread to start, lines to count) and their
    // results take a moment to come over.
    const [first, ...rest] = jsonlByteRanges(source, threads, FIRST_SHARE_FACTOR / threads);
    if (!first) return analyzeDataset(displayPath, fs.readFileSync(file), config, options);
    // The first worker takes the token sample (the file's first texts) while this thread merges, unless none is wanted.
    const sampling = options.tokenSample !== false;
    for (const shard of rest) workers.push(new ShardWorker({ file, size, shard, detection, config, options, sampleTokens: sampling && workers.length === 0 }));
    timing('shards planned');
    const own = analyzeJsonlShard(source, { ...first, firstLine: 1 }, detection, config, options, workers.length === 0, true);
    timing('own shard');
    const theirs = await Promise.all(workers.map((w) => w.next<PostedShardResult>()));
    const results: ShardResult[] = [own, ...theirs.map((r) => ({ ...r, findings: unpackFindings(r.findings) }))];
    const tokens = sampling ? workers[0]?.next<TokenSample>() : undefined;
    timing(`row pass on ${results.length} threads`);
    const finish = mergeJsonlShardsThen(displayPath, source, detection, config, options, results);
    timing('merged');
    const analysis = finish(await tokens);
    timing('merged and finished');
    return analysis;
  } finally {
    fs.closeSync(fd);
    // When this thread failed, workers still at work must not hold the process.
    for (const w of workers) void w.stop();
  }
}

/** True for a UTF-16 file (by its byte order mark or NULs): its lines cannot be cut at the byte 0x0A, so it is read whole (as UTF-8). */
function isUtf16File(file: string): boolean {
  const head = new Uint8Array(START_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    return isUtf16(encodingFromStart(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0))));
  } finally {
    fs.closeSync(fd);
  }
}

/** What a path names when it is not a regular file, in the user's words. */
export function nonRegularKind(stat: Pick<fs.Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'a special file';
}

/** A path that is not a regular file (a named pipe, a socket, a device): never opened. Its code reads like a system error's. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(file: string, stat: fs.Stats) {
    super(`${file}: not a regular file (${nonRegularKind(stat)})`);
  }
}

/** A worker thread analyzing one shard (worker.ts), whose messages are taken in the order it posts them. */
class ShardWorker {
  private readonly worker: Worker;
  private readonly messages: unknown[] = [];
  private readonly waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(job: ShardJob) {
    this.worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: job });
    this.worker.on('message', (m) => {
      const w = this.waiting.shift();
      if (w) w.resolve(m);
      else this.messages.push(m);
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`analysis worker exited with code ${code}${code === 0 ? ' before it was done' : ''}`)));
  }

  /** The next message the worker posts. */
  next<T>(): Promise<T> {
    if (this.messages.length) return Promise.resolve(this.messages.shift() as T);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => this.waiting.push({ resolve: resolve as (m: unknown) => void, reject }));
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
