import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { CancellationTokenSource, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { Config } from '../../engine';
import { translator, type Locale, type Translator } from '../../host/l10n';
import { registerAugmentRequests } from './augment';
import type { PanelConnection } from './common';
import { registerSplitRequests, type HeldAnalysis } from './split';

/**
 * The panel worker: the split and augment panels' requests, handled in a worker thread so that the
 * language server answers everything else (hovers, diagnostics, checks) while a panel reads, plans or
 * writes a big file. Their handlers (split.ts, augment.ts) are registered here on a PanelConnection
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
  | { ask: { id: number; name: 'heldAnalyses'; args: [string] } };

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
  const ask = <T>(name: 'heldAnalyses', args: [string]): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++asks;
      asked.set(id, { resolve: resolve as (v: unknown) => void, reject });
      post({ ask: { id, name, args } });
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
    heldAnalyses: (uri) => ask<HeldAnalysis[]>('heldAnalyses', [uri]),
    config: configOf,
    workerFile: data.nearDuplicateWorker,
    log: (message) => post({ log: message }),
    translate,
  });
  registerAugmentRequests(connection, { configOf, translate });

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
      post({ id, result: await handler(params, token) });
    } catch (e) {
      post({ id, error: e instanceof ResponseError ? { code: e.code, message: e.message } : { code: -32603, message: (e as Error).message } });
    } finally {
      cancels.delete(id);
      source.dispose();
    }
  });
}
