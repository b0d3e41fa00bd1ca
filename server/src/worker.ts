import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { fileSource } from './fileSource';
import type { AnalyzeOptions, Detection } from './engine/analyze';
import type { Config } from './engine/config';
import { analyzeJsonlShard, type Shard } from './engine/shards';

/** A worker thread running the engine's per-row pass over one shard of a JSONL file, read in chunks from disk. */
interface ShardJob {
  file: string;
  size: number;
  shard: Shard;
  detection: Detection;
  config: Config;
  options: AnalyzeOptions;
  calibrate: boolean;
}

const job = workerData as ShardJob;
const fd = fs.openSync(job.file, 'r');
const result = analyzeJsonlShard(fileSource(fd, job.size), job.shard, job.detection, job.config, job.options, job.calibrate);
// The typed columns are the bulk of the result: hand their memory over instead of copying it.
const { facts } = result;
const columns = [facts.line, facts.hash, facts.label, facts.chars, result.rowBytes, result.starts, result.ends];
const buffers = [...columns, ...facts.bandTables.flatMap((t) => [t.keys, t.rows])].map((a) => a.buffer as ArrayBuffer);
fs.closeSync(fd);
parentPort!.postMessage(result, buffers);
