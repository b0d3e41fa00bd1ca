import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileSource } from './fileSource';
import {
  analyzeDataset, analyzeJsonlShard, detectDatasetFormat, isJsonlPath, jsonlReader, jsonlShards, mergeJsonlShards,
  type AnalyzeOptions, type Config, type DatasetAnalysis, type Shard, type ShardResult,
} from './engine';

/** Files at least this big are analyzed on every core (JSONL only); smaller ones are not worth a thread. */
const PARALLEL_BYTES = Number(process.env.TUNESET_PARALLEL_BYTES ?? 8 * 1024 * 1024);

/** Analyzes a dataset file from disk: big JSONL files on every core (this thread and workers), everything else in this thread. */
export async function analyzeFile(file: string, displayPath: string, config: Config, options: AnalyzeOptions = {}): Promise<DatasetAnalysis> {
  const isJsonl = isJsonlPath(file);
  const size = fs.statSync(file).size;
  const threads = Math.min(os.availableParallelism(), 8);
  if (!isJsonl || size < PARALLEL_BYTES || threads < 2) return analyzeDataset(displayPath, fs.readFileSync(file), config, options);
  const timing = process.env.TUNESET_TIMING ? (what: string) => process.stderr.write(`[timing] ${what} ${(performance.now() - t0).toFixed(0)} ms\n`) : () => {};
  const t0 = performance.now();
  // The file is read in chunks by each thread (its own shard), never whole into memory.
  const fd = fs.openSync(file, 'r');
  try {
    const source = fileSource(fd, size);
    const detection = detectDatasetFormat(jsonlReader(source).rows(), config);
    timing('format detected');
    const workerFile = path.join(__dirname, 'worker.js');
    const run = (shard: Shard) =>
      new Promise<ShardResult>((resolve, reject) => {
        const worker = new Worker(workerFile, {
          // Later shards count no tokens: the first one, in this thread, holds the file's first texts.
          workerData: { file, size, shard, detection, config, options, calibrate: false },
        });
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`analysis worker exited with code ${code}`)));
      });
    // This thread takes the first shard itself (it is warm, and it takes the token sample there); each
    // worker starts on a later shard as soon as that shard's first line is counted.
    const shards = jsonlShards(source, threads);
    const first = shards.next();
    if (first.done) return analyzeDataset(displayPath, fs.readFileSync(file), config, options);
    const pending: Promise<ShardResult>[] = [];
    for (const shard of shards) pending.push(run(shard));
    timing('shards planned');
    const own = analyzeJsonlShard(source, first.value, detection, config, options);
    timing('own shard');
    const results = [own, ...(await Promise.all(pending))];
    timing(`row pass on ${results.length} threads`);
    const analysis = mergeJsonlShards(displayPath, source, detection, config, options, results);
    timing('merged and finished');
    return analysis;
  } finally {
    fs.closeSync(fd);
  }
}
