import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { agreementCheckSteps, labelCheckJson, labelCheckSteps, packFindings, unpackFindings, withExtraFindings, type Config, type DatasetAnalysis, type DatasetContainer, type Finding, type LabelCheck, type PackedFindings } from '../engine';
import { fileSource, MAX_WHOLE_FILE_BYTES } from './fileSource';

/**
 * The label model (possible-label-error, the label quality figures) for both hosts. The CLI runs it
 * in-process after a file's rule pass (it has nothing else to do meanwhile); the language server runs
 * it in a worker thread (labelModelWorker.ts) so its thread keeps answering.
 */

/** An analysis with the label model's findings and figures, and the model's check when it ran. */
export interface LabelModelRun {
  analysis: DatasetAnalysis;
  check?: LabelCheck;
  /**
   * When the model was not asked (skipped, its rule off, over the row or size limit) and the file has
   * several annotators' labels: their agreement, with why the model did not run.
   */
  agreementOnly?: LabelCheck;
}

/**
 * Rows the command line models by default. Up to FULL_MODEL_ROWS the whole model runs (the ensemble
 * of naive Bayes and logistic regression, and the learning curve's 25 naive Bayes models); above, the
 * quick model: naive Bayes alone, without the learning curve, which keeps a default check of a
 * 100,000-row file at about twice its rules-only CPU time (bench-100k, rows of ~300 characters: the
 * rules 2.1 s of CPU, with the quick model 4.0–4.2 s, with the whole model 17.9 s). Over LABEL_MODEL_MAX_ROWS the
 * model is skipped. `--label-model` runs the whole model at any size.
 */
export const FULL_MODEL_ROWS = 20_000;
export const LABEL_MODEL_MAX_ROWS = 200_000;

/**
 * The label model over a classification file from disk after its rule pass: the analysis with its
 * findings merged in and `labelQuality` set. Files of other formats are returned as they are.
 */
export function withLabelModel(
  file: string, analysis: DatasetAnalysis, config: Config, options: { container?: DatasetContainer; skip?: string; fixes?: boolean; anySize?: boolean } = {},
): LabelModelRun {
  if (analysis.format !== 'classification') return { analysis };
  // Annotator agreement needs no model: it is reported whenever the file has several annotators' labels.
  const notRun = (reason: string): LabelModelRun => {
    // Without annotators (the analysis's detection says) there is nothing to read the file again for;
    // nor for a CSV/TSV over 512 MiB (checked in parts), which the agreement pass would read whole.
    const whole = (options.container ?? analysis.container) !== 'jsonl' && fs.statSync(file).size > MAX_WHOLE_FILE_BYTES;
    if (!analysis.annotators || whole) {
      const why = analysis.annotators && whole ? 'the file is over 512 MiB; the label model and annotator agreement read a file whole' : reason;
      return { analysis: { ...analysis, labelQuality: { model: { ok: false, reason: why } } } };
    }
    const check = agreementOnly(file, reason, config, options.container ?? analysis.container);
    return { analysis: { ...analysis, labelQuality: labelCheckJson(check) }, ...(check.quality ? { agreementOnly: check } : {}) };
  };
  if (options.skip) return notRun(options.skip);
  if (config.rules['possible-label-error'] === 'off') return notRun('possible-label-error is turned off');
  if (!options.anySize && analysis.rows > LABEL_MODEL_MAX_ROWS) {
    return notRun(`skipped: ${analysis.rows.toLocaleString('en-US')} rows is over the ${LABEL_MODEL_MAX_ROWS.toLocaleString('en-US')} modelled by default (about 4 s of CPU per 100,000 rows); --label-model runs it`);
  }
  const size = fs.statSync(file).size;
  if (size > MAX_WHOLE_FILE_BYTES) return notRun(`the file is over 512 MiB; the label model reads a file whole`);
  const quick = !options.anySize && analysis.rows > FULL_MODEL_ROWS;
  const check = runSteps(labelCheckSteps(analysis.path, fs.readFileSync(file), config, {
    container: options.container ?? analysis.container, findings: analysis.findings, fixes: options.fixes, ...(quick ? { classifier: 'naive-bayes', learningCurve: false } : {}),
  }));
  if (quick && check.quality?.model.ok) {
    check.quality.model.notes.push(`quick model: naive Bayes alone and no learning curve, as ${analysis.rows.toLocaleString('en-US')} rows is over the ${FULL_MODEL_ROWS.toLocaleString('en-US')} the whole model runs on by default; --label-model runs it`);
  }
  const merged = withExtraFindings(analysis, check.findings);
  return { analysis: { ...merged, labelQuality: labelCheckJson(check) }, check };
}

/** The agreement of a file's annotators from disk, its rows read in pieces (a JSON Lines file is never read whole). */
function agreementOnly(file: string, reason: string, config: Config, container: DatasetContainer | undefined): LabelCheck {
  const fd = fs.openSync(file, 'r');
  try {
    return runSteps(agreementCheckSteps(file, fileSource(fd), config, reason, container));
  } finally {
    fs.closeSync(fd);
  }
}

function runSteps<T>(steps: Generator<number, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** A label-model job for the worker thread: a document's text as UTF-8 (handed over, not copied). */
export interface LabelModelJob {
  path: string;
  bytes: Uint8Array;
  config: Config;
  /** Lines of the document's conflicting-labels findings (their rows are left to that rule). */
  conflictLines: number[];
  /** Why the model is not run (over the editor's row limit): the job reads annotator agreement alone. */
  skip?: string;
  /** Set to 1 when the run is cancelled: the worker stops at its next step and posts `cancelled`. */
  cancel: Int32Array;
}

/** The label model's result as the worker posts it: its findings packed, its figures as JSON. */
export interface PostedLabelCheck {
  findings: PackedFindings;
  labelQuality: Record<string, unknown>;
  notRun?: string;
}

export type LabelModelAnswer = { progress: number } | { done: PostedLabelCheck } | { cancelled: true };

/** The label model as the editor runs it (or annotator agreement alone, when `skip` says why not): steps over a document's bytes, stopped when `cancelled` says so. */
export function* labelModelJobSteps(job: Omit<LabelModelJob, 'cancel'>): Generator<number, PostedLabelCheck, undefined> {
  const check = job.skip !== undefined
    ? yield* agreementCheckSteps(job.path, job.bytes, job.config, job.skip)
    : yield* labelCheckSteps(job.path, job.bytes, job.config, { fixes: true, conflictLines: job.conflictLines });
  return { findings: packFindings(check.findings), labelQuality: labelCheckJson(check), ...(check.notRun ? { notRun: check.notRun } : {}) };
}

/** Progress is posted at most this often (ms). */
const PROGRESS_MS = 200;

/**
 * Runs the label model of a document in a worker thread: resolves with its findings and figures, or
 * undefined once `cancelled` (the worker stops at its next step and ends).
 */
export function labelModelInWorker(workerFile: string, job: Omit<LabelModelJob, 'cancel'>, hooks: { progress(part: number): void; onCancel(stop: () => void): void }): Promise<{ findings: Finding[]; labelQuality: Record<string, unknown>; notRun?: string } | undefined> {
  return new Promise((resolve, reject) => {
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerFile, { workerData: { ...job, cancel } satisfies LabelModelJob, transferList: [job.bytes.buffer as ArrayBuffer] });
    worker.unref();
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    hooks.onCancel(() => Atomics.store(cancel, 0, 1));
    worker.on('message', (answer: LabelModelAnswer) => {
      if ('progress' in answer) return hooks.progress(answer.progress);
      if ('cancelled' in answer) return settle(() => resolve(undefined));
      const { findings, ...rest } = answer.done;
      settle(() => resolve({ findings: unpackFindings(findings), ...rest }));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the label model's worker stopped (exit code ${code})`))));
  });
}

export { PROGRESS_MS as LABEL_PROGRESS_MS };
