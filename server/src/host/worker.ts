import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkQueue } from './chunkQueue';
import { fileSource } from './fileSource';
import {
  analyzeCsvShard, analyzeJsonlShard, firstTokenSample, packFindings, type AnalyzeOptions, type Config, type CsvLayout, type Detection, type PackedFindings,
  type ShardResult,
} from '../engine';

/**
 * A worker thread running the engine's per-row pass over chunks of a JSON Lines or CSV/TSV file,
 * read in chunks from disk: it takes chunks from the analysis's queue (ChunkQueue) until none is
 * left, posting each one's result (ChunkMessage), then `done`, and then, when asked to, the file's
 * token sample.
 */
export interface ShardJob {
  file: string;
  size: number;
  /** The file's chunks, and the memory of their queue (ChunkQueue.shared). */
  chunks: { start: number; end: number }[];
  queue: Int32Array;
  detection: Detection;
  config: Config;
  options: AnalyzeOptions;
  /** Take the file's token sample after the pass, while the host merges the shards. */
  sampleTokens: boolean;
  /** A CSV/TSV file's layout (planCsvRead); without it the file is JSON Lines. */
  csv?: CsvLayout;
}

/** A shard's result as posted: the findings packed (unpackFindings gives them back), and when the pass ended (epoch ms, for TUNESET_TIMING). */
export type PostedShardResult = Omit<ShardResult, 'findings'> & { findings: PackedFindings; finishedAt: number };

/** What a worker posts: a chunk's result, then that it took its last chunk. */
export type ChunkMessage = { chunk: number; result: PostedShardResult } | { done: true };

const job = workerData as ShardJob;
const fd = fs.openSync(job.file, 'r');
const source = fileSource(fd, job.size);
const queue = new ChunkQueue(job.chunks, job.queue);
let failed = false;
for (let i = queue.take(); i >= 0 && !failed; i = queue.take()) {
  const shard = { ...job.chunks[i], firstLine: queue.begin(source, i) };
  const result = job.csv
    ? analyzeCsvShard(source, shard, job.csv, job.detection, job.config, job.options, false)
    : analyzeJsonlShard(source, shard, job.detection, job.config, job.options, false);
  failed = result.failure !== undefined;
  // The typed columns are the bulk of the result: hand their memory over instead of copying it.
  const { facts } = result;
  const posted: PostedShardResult = { ...result, findings: packFindings(result.findings), finishedAt: performance.timeOrigin + performance.now() };
  const columns = [facts.line, facts.hash, facts.label, facts.chars, facts.traits, result.rowBytes, result.starts, result.ends, posted.findings.ints];
  const buffers = [...columns, ...facts.bandTables.flatMap((t) => [t.keys, t.rows])].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage({ chunk: i, result: posted } satisfies ChunkMessage, buffers);
}
parentPort!.postMessage({ done: true } satisfies ChunkMessage);
if (job.sampleTokens && !failed) parentPort!.postMessage(firstTokenSample(source, job.detection, job.config, job.csv));
fs.closeSync(fd);
