import { parentPort, workerData } from 'node:worker_threads';
import type { AnalyzeOptions, Detection } from './engine/analyze';
import type { Config } from './engine/config';
import { analyzeJsonlShard, type Shard } from './engine/shards';

/** A worker thread running the engine's per-row pass over one shard of a JSONL file held in shared memory. */
interface ShardJob {
  buffer: SharedArrayBuffer;
  length: number;
  shard: Shard;
  detection: Detection;
  config: Config;
  options: AnalyzeOptions;
  calibrate: boolean;
}

const job = workerData as ShardJob;
const bytes = new Uint8Array(job.buffer, 0, job.length);
const result = analyzeJsonlShard(bytes, job.shard, job.detection, job.config, job.options, job.calibrate);
// The typed columns are the bulk of the result: hand their memory over instead of copying it.
const { facts } = result;
const columns = [facts.line, facts.hash, facts.label, facts.chars, result.rowBytes, result.starts, result.ends];
const buffers = [...columns, ...facts.bandTables.flatMap((t) => [t.keys, t.rows])].map((a) => a.buffer as ArrayBuffer);
parentPort!.postMessage(result, buffers);
