import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { CancellationToken, ResponseError, type Connection } from 'vscode-languageserver/node';
import { postedAnalysis, type Config, type DatasetAnalysis, type QualityReport } from '../../engine';
import type { Locale } from '../../host/l10n';
import { AugmentFormRequest, AugmentPreviewRequest, AugmentWriteRequest, SplitFormRequest, SplitPreviewRequest, SplitWriteRequest } from '../../protocol';
import type { HeldAnalysis } from './split';
import { ReportJobRequest, type Ask, type FromPanelWorker, type PanelWorkerData, type SyncCall, type ToPanelWorker } from './worker';

/** The requests the panel worker answers (see worker.ts): the split and augment panels'. */
const IN_WORKER = [SplitFormRequest.type, SplitPreviewRequest.type, SplitWriteRequest.type, AugmentFormRequest.type, AugmentPreviewRequest.type, AugmentWriteRequest.type];

/** What the panel worker asks of the server's thread. */
export interface PanelWorkerHost {
  /** The panel worker's bundle (dist/panelWorker.js) and the near-duplicate worker's (dist/nearDuplicateWorker.js). */
  workerFile: string;
  nearDuplicateWorker: string;
  config(file: string): Config;
  heldAnalyses(uri: string): Promise<HeldAnalysis[]>;
  /** The analysis the server holds of a file (a report's split siblings). */
  analysis(file: string): Promise<DatasetAnalysis | undefined>;
  /** The client's language, for the panels' messages. */
  locale(): Locale;
  log(message: string): void;
}

/**
 * The split and augment panels' requests, answered by the panel worker: one worker thread, started
 * with the first request and kept (it keeps the files it has read while they are unchanged), started
 * again if it dies. A request cancelled by the client is cancelled there, and answered once the
 * worker has stopped (a write leaves nothing behind).
 */
export class PanelWorkers {
  private worker: { thread: Worker; calls: MessagePort } | undefined;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private requests = 0;
  private disposed = false;

  constructor(private readonly connection: Connection, private readonly host: PanelWorkerHost) {}

  /** Registers the worker's requests on the connection. */
  register(): void {
    for (const type of IN_WORKER) {
      this.connection.onRequest(type.method, (params: unknown, token: CancellationToken) => this.request(type.method, params, token));
    }
  }

  /** A file's quality report (host/report.ts's fileReport), made in the worker from the analysis the server holds. */
  async report(file: string, held: DatasetAnalysis, text: string | undefined, config: Config): Promise<QualityReport> {
    const { posted, transfer } = postedAnalysis(held);
    return (await this.request(ReportJobRequest.method, { file, held: posted, ...(text === undefined ? {} : { text }), config }, CancellationToken.None, transfer)) as QualityReport;
  }

  private request(method: string, params: unknown, token: CancellationToken, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const { thread } = this.started();
    const id = ++this.requests;
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const answered = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const listening = token.onCancellationRequested(() => {
      Atomics.store(cancel, 0, 1);
      thread.postMessage({ cancel: id } satisfies ToPanelWorker);
    });
    thread.postMessage({ request: { id, method, params, locale: this.host.locale(), cancel } } satisfies ToPanelWorker, transfer);
    return answered.finally(() => listening.dispose());
  }

  private started(): { thread: Worker; calls: MessagePort } {
    if (this.worker) return this.worker;
    const { port1: calls, port2: theirCalls } = new MessageChannel();
    const answered = new Int32Array(new SharedArrayBuffer(4));
    const data: PanelWorkerData = { nearDuplicateWorker: this.host.nearDuplicateWorker, calls: theirCalls, answered };
    const thread = new Worker(this.host.workerFile, { workerData: data, transferList: [theirCalls] });
    // Neither keeps the server alive once the editor has gone.
    thread.unref();
    calls.unref();
    calls.on('message', (call: SyncCall) => {
      let answer: unknown;
      try {
        answer = this.answerSync(call);
      } catch (e) {
        this.host.log(`panel worker: ${call.name} failed: ${(e as Error).message}`);
      }
      calls.postMessage(answer);
      Atomics.store(answered, 0, 1);
      Atomics.notify(answered, 0);
    });
    thread.on('message', (m: FromPanelWorker) => void this.heard(thread, m));
    const failed = (why: string) => {
      if (this.worker?.thread !== thread) return;
      this.worker = undefined;
      calls.close();
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new ResponseError(-32603, `the panel worker stopped: ${why}`));
      }
    };
    thread.on('error', (e) => failed(e.message));
    thread.on('exit', (code) => failed(`exit code ${code}`));
    return (this.worker = { thread, calls });
  }

  private answerSync(call: SyncCall): unknown {
    return this.host.config(call.args[0]);
  }

  private async heard(thread: Worker, m: FromPanelWorker): Promise<void> {
    // What a worker being stopped still posts goes nowhere (the connection may be gone).
    if (this.disposed) return;
    if ('log' in m) return this.host.log(m.log);
    if ('progress' in m) {
      const { token, method, args } = m.progress;
      const reporter = this.connection.window.attachWorkDoneProgress(token) as unknown as Record<string, (...a: unknown[]) => void>;
      return reporter[method](...args);
    }
    if ('ask' in m) {
      let reply: Extract<ToPanelWorker, { reply: unknown }>['reply'];
      let transfer: ArrayBuffer[] = [];
      try {
        const answer = await this.answer(m.ask);
        reply = { id: m.ask.id, result: answer.result };
        transfer = answer.transfer ?? [];
      } catch (e) {
        reply = { id: m.ask.id, error: (e as Error).message };
      }
      return thread.postMessage({ reply } satisfies ToPanelWorker, transfer);
    }
    const waiting = this.pending.get(m.id);
    this.pending.delete(m.id);
    if ('result' in m) waiting?.resolve(m.result);
    else waiting?.reject(new ResponseError(m.error.code, m.error.message));
  }

  private async answer(question: Ask): Promise<{ result: unknown; transfer?: ArrayBuffer[] }> {
    if (question.name === 'heldAnalyses') {
      // Only what the split's grouping reads of an analysis crosses: its row index (hashes and band keys; copied, the server keeps its own).
      const held = await this.host.heldAnalyses(question.args[0]);
      return { result: held.filter((h) => h.analysis.rowIndex).map((h) => ({ ...h, analysis: { rowIndex: h.analysis.rowIndex } })) };
    }
    const analysis = await this.host.analysis(question.args[0]);
    if (!analysis) return { result: undefined };
    const { posted, transfer } = postedAnalysis(analysis);
    return { result: posted, transfer };
  }

  /** Ends the worker (the server is shutting down). */
  dispose(): void {
    this.disposed = true;
    void this.worker?.thread.terminate();
    this.worker = undefined;
  }
}
