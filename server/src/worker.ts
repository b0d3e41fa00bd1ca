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
}

const job = workerData as ShardJob;
const bytes = new Uint8Array(job.buffer, 0, job.length);
parentPort!.postMessage(analyzeJsonlShard(bytes, job.shard, job.detection, job.config, job.options));
