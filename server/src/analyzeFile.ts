import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  analyzeDataset, analyzeJsonlShard, detectDatasetFormat, jsonlShards, mergeJsonlShards, openReader,
  type AnalyzeOptions, type Config, type DatasetAnalysis, type Shard, type ShardResult,
} from './engine';

/** Files at least this big are analyzed on every core (JSONL only); smaller ones are not worth a thread. */
const PARALLEL_BYTES = Number(process.env.TUNESET_PARALLEL_BYTES ?? 8 * 1024 * 1024);

/** Reads a file into shared memory so worker threads see it without a copy. */
function readShared(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const view = new Uint8Array(new SharedArrayBuffer(Math.max(1, size)), 0, size);
    let read = 0;
    while (read < size) {
      const n = fs.readSync(fd, view, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return view.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** Analyzes a dataset file from disk: big JSONL files on every core (this thread and workers), everything else in this thread. */
export async function analyzeFile(file: string, displayPath: string, config: Config, options: AnalyzeOptions = {}): Promise<DatasetAnalysis> {
  const isJsonl = /\.(jsonl|ndjson)$/i.test(file);
  const size = fs.statSync(file).size;
  const threads = Math.min(os.availableParallelism(), 8);
  if (!isJsonl || size < PARALLEL_BYTES || threads < 2) return analyzeDataset(displayPath, fs.readFileSync(file), config, options);
  const timing = process.env.TUNESET_TIMING ? (what: string) => process.stderr.write(`[timing] ${what} ${(performance.now() - t0).toFixed(0)} ms\n`) : () => {};
  const t0 = performance.now();
  const bytes = readShared(file);
  timing('read');
  const detection = detectDatasetFormat(openReader(file, bytes).rows(), config);
  const workerFile = path.join(__dirname, 'worker.js');
  const run = (shard: Shard) =>
    new Promise<ShardResult>((resolve, reject) => {
      const worker = new Worker(workerFile, {
        // Later shards count no tokens: the first one, in this thread, holds the file's first texts.
        workerData: { buffer: bytes.buffer, length: bytes.length, shard, detection, config, options, calibrate: false },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`analysis worker exited with code ${code}`)));
    });
  // This thread takes the first shard itself (it is warm, and it takes the token sample there); each
  // worker starts on a later shard as soon as that shard's first line is counted.
  const shards = jsonlShards(bytes, threads);
  const first = shards.next();
  if (first.done) return analyzeDataset(displayPath, bytes, config, options);
  const pending: Promise<ShardResult>[] = [];
  for (const shard of shards) pending.push(run(shard));
  const own = analyzeJsonlShard(bytes, first.value, detection, config, options);
  const results = [own, ...(await Promise.all(pending))];
  timing(`row pass on ${results.length} threads`);
  const analysis = mergeJsonlShards(displayPath, bytes, detection, config, options, results);
  timing('merged and finished');
  return analysis;
}
