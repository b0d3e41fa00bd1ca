import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FileTooLargeError, fileSource, MAX_WHOLE_FILE_BYTES } from './fileSource';
import {
  analyzeCsvShard, analyzeDataset, analyzeJsonlShard, containerOfPath, csvByteRanges, csvRangeReader, detectDatasetFormat, isUtf16Source, jsonlByteRanges, jsonlReader,
  mergeCsvShardsThen, mergeJsonlShardsThen, guidedCuts, planCsvRead, type AnalyzeOptions, type Config, type CsvLayout, type CsvRangeFailure, type DatasetAnalysis, type ShardResult,
  type TokenSample,
} from '../engine';
import { unpackFindings } from '../engine';
import { ChunkQueue, MIN_CHUNK_BYTES } from './chunkQueue';
import type { ChunkMessage, ShardJob } from './worker';

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
  const timing = process.env.TUNESET_TIMING
    ? (what: string, at = performance.now()) => process.stderr.write(`[timing] ${what} ${(at - t0).toFixed(0)} ms, ${process.resourceUsage().minorPageFault} page faults\n`)
    : () => {};
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
    // The file in chunks that every thread takes in turn (ChunkQueue): this thread starts on the first
    // at once (it is warm); each worker counts the lines of each chunk it takes itself.
    const cuts = guidedCuts(size, threads, MIN_CHUNK_BYTES);
    const chunks = csv ? csvByteRanges(source, cuts, csv.quoting) : jsonlByteRanges(source, cuts);
    if (chunks.length === 0) return whole();
    const queue = ChunkQueue.create(chunks);
    // The first worker takes the token sample (the file's first texts) while this thread merges, unless none is wanted.
    const sampling = options.tokenSample !== false;
    const helpers = Math.min(threads - 1, chunks.length - 1);
    for (let k = 0; k < helpers; k++) workers.push(new ShardWorker({ file, size, chunks, queue: queue.shared, detection, config, options, sampleTokens: sampling && k === 0, csv }));
    timing(`${chunks.length} chunks planned`);
    const alone = workers.length === 0;
    const results: ShardResult[] = [];
    for (let i = 0; i >= 0; i = queue.take()) {
      const shard = { ...chunks[i], firstLine: queue.begin(source, i) };
      // The first chunk's columns are made with room for the file's rows (the merge appends the rest to them).
      results[i] = csv
        ? analyzeCsvShard(source, shard, csv, detection, config, options, alone && i === 0, i === 0)
        : analyzeJsonlShard(source, shard, detection, config, options, alone && i === 0, i === 0);
      // A CSV range that could not be read as the whole file is (a quote in an unquoted field threw the
      // cut off): the file is read whole, as it would have been without the workers.
      const failure = results[i].failure;
      if (failure) return stopAndReadWhole(workers, failure);
    }
    timing(`own chunks (${results.filter(Boolean).length})`);
    for (const [k, w] of workers.entries()) {
      let last = NaN;
      for (let m = await w.next<ChunkMessage>(); !('done' in m); m = await w.next<ChunkMessage>()) {
        const { finishedAt, ...r } = m.result;
        if (r.failure) return stopAndReadWhole(workers, r.failure);
        results[m.chunk] = { ...r, findings: unpackFindings(r.findings) };
        last = finishedAt;
      }
      if (Number.isNaN(last)) timing(`worker ${k + 1} took no chunk (this thread had taken them all)`);
      else timing(`worker ${k + 1} had ended its chunks at`, last - performance.timeOrigin);
    }
    const tokens = sampling ? workers[0]?.next<TokenSample>() : undefined;
    timing(`row pass on ${workers.length + 1} threads`);
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
