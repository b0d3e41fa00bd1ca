import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FileTooLargeError, fileSource, MAX_WHOLE_FILE_BYTES } from './fileSource';
import {
  analyzeCsvShard, analyzeDataset, analyzeJsonlShard, containerOfPath, csvByteRanges, csvRangeReader, detectDatasetFormat, isUtf16Source, jsonlByteRanges, jsonlReader,
  mergeCsvShardsThen, mergeJsonlShardsThen, planCsvRead, type AnalyzeOptions, type Config, type CsvLayout, type CsvRangeFailure, type DatasetAnalysis, type ShardResult,
  type TokenSample,
} from '../engine';
import { unpackFindings } from '../engine';
import type { PostedShardResult, ShardJob } from './worker';

/** This thread's share of a file over an equal one (see analyzeFile). */
const FIRST_SHARE_FACTOR = Number(process.env.TUNESET_FIRST_SHARE ?? 1.08);

/** Files at least this big are analyzed on every core (JSON Lines, CSV and TSV); smaller ones are not worth a thread. */
export const PARALLEL_BYTES = Number(process.env.TUNESET_PARALLEL_BYTES ?? 8 * 1024 * 1024);

/**
 * Analyzes a dataset file from disk: big JSON Lines and CSV/TSV files on every core (this thread and
 * workers), everything else in this thread. The container is `options.container` (a sniffed file's)
 * or the extension's.
 */
export async function analyzeFile(file: string, displayPath: string, config: Config, options: AnalyzeOptions = {}): Promise<DatasetAnalysis> {
  // Names that say no container are read as JSON Lines, as openReader reads them.
  const container = options.container ?? containerOfPath(file) ?? 'jsonl';
  const stat = fs.statSync(file);
  // Reading a named pipe or a device would wait forever (or never end): only regular files are read.
  if (!stat.isFile()) throw new NotRegularFileError(file, stat);
  const size = stat.size;
  const threads = Math.min(os.availableParallelism(), 8);
  // A JSON array, or a CSV/TSV that cannot be read in ranges, is read whole: one over 512 MiB is
  // refused in a sentence (what to do instead), not with V8's "Invalid string length".
  const whole = (why?: string) => {
    if (container !== 'jsonl' && size > MAX_WHOLE_FILE_BYTES) throw new FileTooLargeError(displayPath, size, container, why);
    return analyzeDataset(displayPath, fs.readFileSync(file), config, options);
  };
  if (container === 'json' || size < PARALLEL_BYTES) return whole();
  // On one core a file is read whole, but a CSV/TSV too big for that is still read in parts (one after another).
  if (threads < 2 && (container === 'jsonl' || size <= MAX_WHOLE_FILE_BYTES)) return whole();
  const timing = process.env.TUNESET_TIMING ? (what: string) => process.stderr.write(`[timing] ${what} ${(performance.now() - t0).toFixed(0)} ms, ${process.resourceUsage().minorPageFault} page faults\n`) : () => {};
  const t0 = performance.now();
  // The file is read in chunks by each thread (its own shard), never whole into memory.
  const fd = fs.openSync(file, 'r');
  const workers: ShardWorker[] = [];
  try {
    const source = fileSource(fd, size);
    let csv: CsvLayout | undefined;
    if (container === 'jsonl') {
      if (isUtf16Source(source)) return whole();
    } else {
      // A CSV/TSV is read in ranges only when each can be read as the whole file is (planCsvRead).
      const plan = planCsvRead(source, { tsv: container === 'tsv', hasHeader: config.hasHeader, columns: config.columns });
      if ('why' in plan) {
        timing(`read whole: ${plan.why}`);
        return whole(plan.why);
      }
      csv = plan.layout;
    }
    const reader = csv ? csvRangeReader(source, { start: 0, end: size, firstLine: 1 }, csv).reader : jsonlReader(source);
    const detection = detectDatasetFormat(reader.rows(), config);
    timing('format detected');
    // This thread takes the first shard itself (it is warm) and starts on it at once; each worker is
    // handed its bytes as soon as they are cut and counts the lines before them itself. This thread's
    // share is a little bigger: the workers start later (a thread to start, lines to count) and their
    // results take a moment to come over.
    const share = FIRST_SHARE_FACTOR / threads;
    const [first, ...rest] = csv ? csvByteRanges(source, threads, share, csv.quoting) : jsonlByteRanges(source, threads, share);
    if (!first) return whole();
    // The first worker takes the token sample (the file's first texts) while this thread merges, unless none is wanted.
    const sampling = options.tokenSample !== false;
    for (const shard of rest) workers.push(new ShardWorker({ file, size, shard, detection, config, options, sampleTokens: sampling && workers.length === 0, csv }));
    timing('shards planned');
    const alone = workers.length === 0;
    const own = csv
      ? analyzeCsvShard(source, { ...first, firstLine: 1 }, csv, detection, config, options, alone, true)
      : analyzeJsonlShard(source, { ...first, firstLine: 1 }, detection, config, options, alone, true);
    timing('own shard');
    // A CSV range that could not be read as the whole file is (a quote in an unquoted field threw the
    // cut off): the file is read whole, as it would have been without the workers.
    if (own.failure) return stopAndReadWhole(workers, own.failure);
    const theirs = await Promise.all(workers.map((w) => w.next<PostedShardResult>()));
    const failure = theirs.find((r) => r.failure)?.failure;
    if (failure) return stopAndReadWhole(workers, failure);
    const results: ShardResult[] = [own, ...theirs.map((r) => ({ ...r, findings: unpackFindings(r.findings) }))];
    const tokens = sampling ? workers[0]?.next<TokenSample>() : undefined;
    timing(`row pass on ${results.length} threads`);
    const finish = csv
      ? mergeCsvShardsThen(displayPath, source, csv, detection, config, options, results)
      : mergeJsonlShardsThen(displayPath, source, detection, config, options, results);
    timing('merged');
    const analysis = finish(await tokens);
    timing('merged and finished');
    return analysis;
  } finally {
    fs.closeSync(fd);
    // When this thread failed, workers still at work must not hold the process.
    for (const w of workers) void w.stop();
  }

  function stopAndReadWhole(workers: ShardWorker[], failure: CsvRangeFailure): DatasetAnalysis {
    for (const w of workers) void w.stop();
    timing(`read whole: a range could not be read on its own (${failure})`);
    return whole(RANGE_FAILURES[failure]);
  }
}

/** Why a CSV/TSV range could not be read on its own, in the user's words. */
const RANGE_FAILURES: Record<CsvRangeFailure, string> = {
  'not-utf-8': 'a line that is not UTF-8',
  'lone-cr': 'a carriage return without a line feed',
  'open-quote': 'a quote still open where the file was cut: one inside an unquoted field, or one never closed',
  'parse-error': 'a record csv-parse cannot read',
};

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
