import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { CancellationTokenSource, RequestType, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { receivedAnalysis, type Config, type PostedAnalysis, type QualityReport } from '../../engine';
import { translator, type Locale, type Translator } from '../../host/l10n';
import { fileReport } from '../../host/report';
import { registerAugmentRequests } from './augment';
import type { PanelConnection } from './common';
import { registerSplitRequests, type HeldAnalysis } from './split';

/**
 * The panel worker: the split and augment panels' requests and the making of a quality report (the
 * report panel's, its export's), handled in a worker thread so that the language server answers
 * everything else (hovers, diagnostics, checks) while a panel reads, plans or writes a big file. Their handlers (split.ts, augment.ts) are registered here on a PanelConnection
 * whose requests, progress and cancellations cross from and to the server's thread (panelWorkers.ts);
 * what only the server knows (a file's settings, its analyses) is asked of it.
 */
export interface PanelWorkerData {
  /** The near-duplicate worker's bundle (the split's grouping starts it from here). */
  nearDuplicateWorker: string;
  /** Synchronous questions to the server's thread (a file's settings): asked here, answered there. */
  calls: MessagePort;
  /** Set to 1 by the server's thread once it has answered on `calls`. */
  answered: Int32Array;
}

/** A quality report to make (host/report.ts's fileReport) from the analysis the server holds. */
export interface ReportJob {
  file: string;
  held: PostedAnalysis;
  /** The open document's text; absent for the file on disk. */
  text?: string;
  config: Config;
}

/** The server's own request to the worker (no client sends it): a file's quality report. */
export const ReportJobRequest = new RequestType<ReportJob, QualityReport, void>('tuneset/panelWorker/report');

/** What the worker asks of the server's thread: the analyses it holds of a file (the split's near-duplicate groups, a report's split siblings). */
export type Ask = { name: 'heldAnalyses'; args: [string] } | { name: 'analysis'; args: [string] };

/** server → worker */
export type ToPanelWorker =
  | { request: { id: number; method: string; params: unknown; locale: Locale; cancel: Int32Array } }
  | { cancel: number }
  | { reply: { id: number; result?: unknown; error?: string } };

/** worker → server */
export type FromPanelWorker =
  | { id: number; result: unknown }
  | { id: number; error: { code: number; message: string } }
  | { progress: { token: string | number; method: 'begin' | 'report' | 'done'; args: unknown[] } }
  | { log: string }
  | { ask: Ask & { id: number } };

/** A synchronous question to the server's thread: what it answers is read as soon as it has. */
export type SyncCall = { name: 'config'; args: [string] };

if (parentPort && workerData) serve(parentPort, workerData as PanelWorkerData);

function serve(port: MessagePort, data: PanelWorkerData): void {
  const post = (m: FromPanelWorker) => port.postMessage(m);
  const handlers = new Map<string, (params: unknown, token: CancellationToken) => unknown>();
  const cancels = new Map<number, CancellationTokenSource>();
  const asked = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let asks = 0;
  let tr: Translator = translator('en');

  const callSync = <T>(call: SyncCall): T => {
    Atomics.store(data.answered, 0, 0);
    data.calls.postMessage(call);
    for (;;) {
      Atomics.wait(data.answered, 0, 0, 1000);
      const answer = receiveMessageOnPort(data.calls);
      if (answer) return answer.message as T;
    }
  };
  const ask = <T>(question: Ask): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++asks;
      asked.set(id, { resolve: resolve as (v: unknown) => void, reject });
      post({ ask: { id, ...question } });
    });

  const reporter = (token: string | number): WorkDoneProgressReporter => {
    const send = (method: 'begin' | 'report' | 'done') => (...args: unknown[]) => post({ progress: { token, method, args } });
    return { begin: send('begin'), report: send('report'), done: send('done') } as WorkDoneProgressReporter;
  };
  const quiet: WorkDoneProgressReporter = { begin() {}, report() {}, done() {} };
  const connection: PanelConnection = {
    onRequest: (type, handler) => void handlers.set(type.method, handler as (params: unknown, token: CancellationToken) => unknown),
    window: { attachWorkDoneProgress: (token) => (token === undefined ? quiet : reporter(token)) },
  };
  const configOf = (file: string) => callSync<Config>({ name: 'config', args: [file] });
  const translate = (message: string) => tr.message(message);
  registerSplitRequests(connection, {
    heldAnalyses: (uri) => ask<HeldAnalysis[]>({ name: 'heldAnalyses', args: [uri] }),
    config: configOf,
    workerFile: data.nearDuplicateWorker,
    log: (message) => post({ log: message }),
    translate,
  });
  registerAugmentRequests(connection, { configOf, translate });
  connection.onRequest(ReportJobRequest, async ({ file, held, text, config }) => {
    const sibling = async (path: string) => {
      const posted = await ask<PostedAnalysis | undefined>({ name: 'analysis', args: [path] });
      return posted && receivedAnalysis(posted);
    };
    return fileReport(file, receivedAnalysis(held), text, config, sibling);
  });

  port.on('message', async (m: ToPanelWorker) => {
    if ('cancel' in m) return cancels.get(m.cancel)?.cancel();
    if ('reply' in m) {
      const waiting = asked.get(m.reply.id);
      asked.delete(m.reply.id);
      return m.reply.error === undefined ? waiting?.resolve(m.reply.result) : waiting?.reject(new Error(m.reply.error));
    }
    const { id, method, params, locale, cancel } = m.request;
    if (tr.locale !== locale) tr = translator(locale);
    const source = new CancellationTokenSource();
    cancels.set(id, source);
    // Cancelled as soon as the server's thread says so, even while this thread is busy (between pieces of a write).
    const token: CancellationToken = {
      get isCancellationRequested() {
        return Atomics.load(cancel, 0) !== 0 || source.token.isCancellationRequested;
      },
      onCancellationRequested: source.token.onCancellationRequested,
    };
    try {
      const handler = handlers.get(method);
      if (!handler) throw new Error(`the panel worker has no handler for ${method}`);
      post({ id, result: translatedProblems(await handler(params, token), translate) });
    } catch (e) {
      post({ id, error: e instanceof ResponseError ? { code: e.code, message: e.message } : { code: -32603, message: (e as Error).message } });
    } finally {
      cancels.delete(id);
      source.dispose();
    }
  });
}

/** A request's problems (the engine's OptionsError, a refusal: see answer() in common.ts) in the page's language; other results as they are. */
function translatedProblems(result: unknown, translate: (message: string) => string): unknown {
  if (result === null || typeof result !== 'object' || !Array.isArray((result as { problems?: unknown }).problems)) return result;
  return { ...result, problems: (result as { problems: string[] }).problems.map(translate) };
}
