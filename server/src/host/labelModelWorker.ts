import { parentPort, workerData } from 'node:worker_threads';
import { LABEL_PROGRESS_MS, labelModelJobSteps, type LabelModelAnswer, type LabelModelJob } from './labelModel';

/**
 * The editor's label model (possible-label-error) for one document, off the language server's
 * thread: it trains k fold models over the whole file, seconds of work on a big one. One job per
 * worker; it posts its progress, then its result or that it was cancelled, and ends.
 */
if (parentPort && workerData) {
  const job = workerData as LabelModelJob;
  const steps = labelModelJobSteps(job);
  let reported = performance.now();
  for (;;) {
    if (Atomics.load(job.cancel, 0) !== 0) {
      steps.return(undefined as never);
      parentPort.postMessage({ cancelled: true } satisfies LabelModelAnswer);
      break;
    }
    const step = steps.next();
    if (step.done) {
      parentPort.postMessage({ done: step.value } satisfies LabelModelAnswer, [step.value.findings.ints.buffer as ArrayBuffer]);
      break;
    }
    if (performance.now() - reported >= LABEL_PROGRESS_MS) {
      reported = performance.now();
      parentPort.postMessage({ progress: step.value } satisfies LabelModelAnswer);
    }
  }
}
