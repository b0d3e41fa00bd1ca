import * as fs from 'node:fs';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { labelEdits, suggestSteps, toBytes, type Config } from '../../engine';
import { InputError } from '../../host/errors';
import { SuggestApplyRequest, SuggestRowsRequest } from '../../protocol';
import { toLspEdit } from '../convert';
import { answer, Cancelled, filePath, progressOf } from './common';

/**
 * The "Suggest Rows to Label" panel's requests: the label model's ranking of the rows to label next
 * (engine suggestSteps, as `tuneset suggest`) over the open document's text or the file on disk, and
 * the edits that write the labels the person chose (engine labelEdits), which the client applies as
 * one WorkspaceEdit. The model runs in slices of the server's thread, so other requests are answered
 * meanwhile and a cancellation stops it between two slices.
 */

export interface SuggestHost {
  /** The open document's text and version, or undefined for a file that is not open. */
  document(uri: string): { text: string; version: number } | undefined;
  configOf(file: string): Config;
  /** The client's language (the server's t()). */
  tr: { t(message: string, ...args: (string | number)[]): string; message(message: string): string };
}

/** Work per slice before the thread is let go (ms). */
const SLICE_MS = 30;

export function registerSuggestRequests(connection: Connection, host: SuggestHost): void {
  connection.onRequest(SuggestRowsRequest.type, (params, token) =>
    answer(token, async () => {
      const file = filePath(params.uri);
      const { bytes, version } = textOf(host, params.uri, file);
      const progress = progressOf(connection, params);
      progress.begin(host.tr.t('Tuneset: ranking rows to label'), 0, undefined, true);
      try {
        const result = await sliced(suggestSteps(file, bytes, host.configOf(file), { ...params.choices, n: Math.max(1, Math.min(1000, Math.floor(params.choices.n) || 50)) }), token, (part) => progress.report(Math.floor(part * 100)));
        if (result.notRun) return { problems: [host.tr.t('the label model cannot rank the rows: {0}', host.tr.message(result.notRun))] };
        return { labels: result.labels, multiLabel: result.multiLabel, unlabelledRows: result.unlabelledRows, rows: result.picks, version, ...(result.weak ? { weak: result.weak } : {}) };
      } finally {
        progress.done();
      }
    }),
  );
  connection.onRequest(SuggestApplyRequest.type, (params, token) =>
    answer(token, () => {
      const file = filePath(params.uri);
      const { bytes, version } = textOf(host, params.uri, file);
      if (version !== params.version) throw new InputError(host.tr.t('{0} changed since its rows were ranked: rank them again before applying', file));
      const { edits, problems } = labelEdits(file, bytes, host.configOf(file), params.labels);
      return { edits: edits.map(toLspEdit), problems };
    }),
  );
}

/** The text the panel works on: the open document's (its version), else the file on disk (-1). */
function textOf(host: SuggestHost, uri: string, file: string): { bytes: Uint8Array; version: number } {
  const doc = host.document(uri);
  if (doc) return { bytes: toBytes(doc.text), version: doc.version };
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  return { bytes: new Uint8Array(fs.readFileSync(file)), version: -1 };
}

/** Runs steps SLICE_MS at a time, letting the thread go between slices; Cancelled once the token is. */
async function sliced<T>(steps: Generator<number, T, undefined>, token: CancellationToken, report: (part: number) => void): Promise<T> {
  for (;;) {
    const until = performance.now() + SLICE_MS;
    let part = 0;
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      part = step.value;
      if (performance.now() >= until) break;
    }
    report(part);
    await new Promise((resolve) => setImmediate(resolve));
    if (token.isCancellationRequested) throw new Cancelled();
  }
}
