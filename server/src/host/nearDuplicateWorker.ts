import { parentPort, workerData } from 'node:worker_threads';
import { analyzeDataset, toBytes, type Config, type DatasetContainer, type Finding } from '../engine';
import { splitLeakGroupsOfBytes } from './leaks';

/**
 * The editor's background pass for big open files: the file-wide near-duplicate search runs here,
 * off the language server's thread, while keystrokes get the fast per-line analysis. The split
 * panel's grouping (`leakGroups`: the CLI split's groups) runs here too, on a file's bytes as read from disk.
 */
interface Job {
  path: string;
  text?: string;
  /** The file's bytes (instead of a document's text), read as `container`. */
  bytes?: Uint8Array;
  container?: DatasetContainer;
  config: Config;
  /** The split panel's job: the groups a split keeps whole (splitLeakGroupsOfBytes), not findings. */
  leakGroups?: boolean;
}

/** Findings that only the near-duplicate search makes. */
export function isNearDuplicateFinding(f: Finding): boolean {
  return f.rule === 'near-duplicate' || (f.rule === 'conflicting-labels' && f.similarity !== undefined);
}

if (parentPort && workerData && (workerData as Job).leakGroups) {
  const job = workerData as Job;
  parentPort.postMessage({ groups: splitLeakGroupsOfBytes(job.path, job.bytes ?? toBytes(job.text ?? ''), job.config, { near: true, ...(job.container ? { container: job.container } : {}) }) });
} else if (parentPort && workerData) {
  const job = workerData as Job;
  const analysis = analyzeDataset(job.path, job.bytes ?? toBytes(job.text ?? ''), job.config, { fixes: !job.bytes, ...(job.container ? { container: job.container } : {}) });
  parentPort.postMessage({
    findings: analysis.findings.filter(isNearDuplicateFinding),
    clusters: analysis.stats.nearDuplicateClusters,
    rows: analysis.stats.nearDuplicateRows,
  });
}
