import { parentPort } from 'node:worker_threads';
import { analysisSteps, postedAnalysis, type AnalyzeOptions, type Config, type PostedAnalysis } from '../engine';

/**
 * The editor's check of a big CSV or JSON document (analyzed whole on every change), or of such a
 * file on disk (created or changed in the workspace), off the
 * language server's thread so that it keeps answering requests meanwhile. The worker stays for the
 * next check (its tokenizer, once loaded, with it) and takes one job at a time.
 */
export interface CheckJob {
  path: string;
  /** The document's text as UTF-8, handed over (not copied): a 20 MB string takes ~50 ms to copy across. */
  bytes: Uint8Array;
  config: Config;
  /** Set to 1 by the server when the check is cancelled: the worker stops at its next step. */
  cancel: Int32Array;
  /** What a file on disk is analyzed with besides the fixes (the row index cross-file-leak compares). */
  options?: Pick<AnalyzeOptions, 'rowIndex'>;
}

/** What the worker posts: how far it has got (0 to 1) while it works, then the analysis, or that it stopped. */
export type CheckAnswer = { progress: number } | { analysis: PostedAnalysis } | { cancelled: true };

/** Progress is posted at most this often (ms): the progress notification needs no more. */
const PROGRESS_MS = 200;

function check(job: CheckJob): void {
  const steps = analysisSteps(job.path, job.bytes, job.config, { fixes: true, ...job.options });
  let reported = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) {
      const { posted, transfer } = postedAnalysis(step.value);
      parentPort!.postMessage({ analysis: posted } satisfies CheckAnswer, transfer);
      return;
    }
    if (Atomics.load(job.cancel, 0) !== 0) {
      steps.return(undefined as never);
      parentPort!.postMessage({ cancelled: true } satisfies CheckAnswer);
      return;
    }
    if (performance.now() - reported >= PROGRESS_MS) {
      reported = performance.now();
      parentPort!.postMessage({ progress: step.value } satisfies CheckAnswer);
    }
  }
}

parentPort?.on('message', check);
