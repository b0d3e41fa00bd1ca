import { parentPort, workerData } from 'node:worker_threads';
import { analyzeJsonlShard, type AnalyzeOptions, type Config, type Detection, type Shard } from './engine';

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
// The band tables are the bulk of the result (16 entries a row): hand their memory over instead of copying it.
parentPort!.postMessage(result, result.facts.bandTables.flatMap((t) => [t.keys.buffer as ArrayBuffer, t.rows.buffer as ArrayBuffer]));
