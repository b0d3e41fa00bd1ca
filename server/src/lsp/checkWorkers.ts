import { Worker } from 'node:worker_threads';
import type { CheckAnswer, CheckJob } from '../host/checkWorker';
import { toBytes, type AnalyzeOptions, type Config, type DatasetAnalysis } from '../engine';
import { receivedAnalysis } from '../engine';
import type { Check } from './checks';

/** How long (ms) a new check waits for the worker of a cancelled one to stop, rather than start another. */
const STOP_WAIT_MS = 200;

/**
 * The worker threads that check big CSV and JSON documents (see checkWorker.ts). A worker is kept
 * once its check is done, so the next check of the document (each change checks it whole) starts
 * on one whose code is compiled and whose tokenizer is loaded; more are started when checks overlap.
 */
export class CheckWorkers {
  private idle: Worker | undefined;
  /** Resolves when the worker of the check cancelled last has stopped (at its next step, within milliseconds). */
  private stopping: Promise<unknown> | undefined;

  constructor(private readonly workerFile: string) {}

  /**
   * The analysis of a document's text (or of a file's bytes, read from disk), made in a worker
   * thread; undefined once the check is cancelled.
   */
  async analyze(path: string, content: string | Uint8Array, config: Config, check: Check, options?: Pick<AnalyzeOptions, 'rowIndex'>): Promise<DatasetAnalysis | undefined> {
    const worker = await this.take();
    if (check.cancelled) return this.keep(worker);
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const bytes = typeof content === 'string' ? toBytes(content) : content;
    const answered = this.answer(worker, { path, bytes, config, cancel, ...(options ? { options } : {}) }, check);
    check.onCancel(() => {
      Atomics.store(cancel, 0, 1);
      this.stopping = answered.catch(() => undefined);
    });
    let answer: CheckAnswer;
    try {
      answer = await answered;
    } catch (e) {
      void worker.terminate();
      throw e;
    }
    this.keep(worker);
    return 'analysis' in answer && !check.cancelled ? receivedAnalysis(answer.analysis) : undefined;
  }

  /**
   * A worker for the next check: the idle one, or the one whose check was just cancelled (a newer
   * text's check usually follows at once) when it stops soon, else a new one.
   */
  private async take(): Promise<Worker> {
    if (!this.idle && this.stopping) await Promise.race([this.stopping, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS))]);
    this.stopping = undefined;
    const worker = this.idle ?? this.start();
    this.idle = undefined;
    return worker;
  }

  private start(): Worker {
    const worker = new Worker(this.workerFile);
    // An idle worker must not keep the server alive once the editor has gone.
    worker.unref();
    return worker;
  }

  /** Posts the job and resolves with the worker's last answer (the analysis, or that it stopped), passing its progress on. */
  private answer(worker: Worker, job: CheckJob, check: Check): Promise<CheckAnswer> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: CheckAnswer) => {
        if ('progress' in answer) return check.report(answer.progress);
        done();
        resolve(answer);
      };
      const onError = (e: Error) => (done(), reject(e));
      const onExit = (code: number) => (done(), reject(new Error(`the check's worker stopped (exit code ${code})`)));
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
    });
  }

  /** Keeps a worker whose check is over for the next one; one is enough (others end). */
  private keep(worker: Worker): undefined {
    if (this.idle) void worker.terminate();
    else this.idle = worker;
    return undefined;
  }

  /** Ends the idle worker (the server is shutting down). */
  dispose(): void {
    void this.idle?.terminate();
    this.idle = undefined;
  }
}
