import { parentPort, workerData } from 'node:worker_threads';
import { analyzeDataset, toBytes, type Config, type Finding } from '../engine';

/**
 * The editor's background pass for big open files: the file-wide near-duplicate search runs here,
 * off the language server's thread, while keystrokes get the fast per-line analysis.
 */
interface Job {
  path: string;
  text: string;
  config: Config;
}

/** Findings that only the near-duplicate search makes. */
export function isNearDuplicateFinding(f: Finding): boolean {
  return f.rule === 'near-duplicate' || (f.rule === 'conflicting-labels' && f.similarity !== undefined);
}

if (parentPort && workerData) {
  const job = workerData as Job;
  const analysis = analyzeDataset(job.path, toBytes(job.text), job.config, { fixes: true });
  parentPort.postMessage({
    findings: analysis.findings.filter(isNearDuplicateFinding),
    clusters: analysis.stats.nearDuplicateClusters,
    rows: analysis.stats.nearDuplicateRows,
  });
}
