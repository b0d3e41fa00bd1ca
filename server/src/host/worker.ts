import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { fileSource } from './fileSource';
import {
  analyzeCsvShard, analyzeJsonlShard, firstTokenSample, lineAt, packFindings, type AnalyzeOptions, type Config, type CsvLayout, type Detection, type PackedFindings, type Shard,
  type ShardResult,
} from '../engine';

/**
 * A worker thread running the engine's per-row pass over one shard of a JSON Lines or CSV/TSV file,
 * read in chunks from disk. It posts the pass's result (PostedShardResult) and then, when asked to,
 * the file's token sample.
 */
export interface ShardJob {
  file: string;
  size: number;
  /** The shard's bytes; without its first line's number the worker counts the lines before it. */
  shard: Omit<Shard, 'firstLine'> & { firstLine?: number };
  detection: Detection;
  config: Config;
  options: AnalyzeOptions;
  /** Take the file's token sample after the pass, while the host merges the shards. */
  sampleTokens: boolean;
  /** A CSV/TSV file's layout (planCsvRead); without it the file is JSON Lines. */
  csv?: CsvLayout;
}

/** A shard's result as posted: the findings packed (unpackFindings gives them back). */
export type PostedShardResult = Omit<ShardResult, 'findings'> & { findings: PackedFindings };

const job = workerData as ShardJob;
const fd = fs.openSync(job.file, 'r');
const source = fileSource(fd, job.size);
const shard = { ...job.shard, firstLine: job.shard.firstLine ?? lineAt(source, job.shard.start) };
const result = job.csv
  ? analyzeCsvShard(source, shard, job.csv, job.detection, job.config, job.options, false)
  : analyzeJsonlShard(source, shard, job.detection, job.config, job.options, false);
// The typed columns are the bulk of the result: hand their memory over instead of copying it.
const { facts } = result;
const posted: PostedShardResult = { ...result, findings: packFindings(result.findings) };
const columns = [facts.line, facts.hash, facts.label, facts.chars, facts.traits, result.rowBytes, result.starts, result.ends, posted.findings.ints];
const buffers = [...columns, ...facts.bandTables.flatMap((t) => [t.keys, t.rows])].map((a) => a.buffer as ArrayBuffer);
parentPort!.postMessage(posted, buffers);
if (job.sampleTokens && !result.failure) parentPort!.postMessage(firstTokenSample(source, job.detection, job.config, job.csv));
fs.closeSync(fd);
