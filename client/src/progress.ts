import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';

/**
 * Sends a request whose work the server may report as work-done progress: the request carries a
 * fresh workDoneToken, and once the server begins progress on it (only work that takes a while does:
 * a write, a near-duplicate search), a notification shows it, with a Cancel button that cancels the
 * request. Resolves undefined when the request was cancelled.
 */
export async function withServerProgress<R>(client: LanguageClient, send: (workDoneToken: string, token: vscode.CancellationToken) => Promise<R>): Promise<R | undefined> {
  const workDoneToken = randomUUID();
  const cancel = new vscode.CancellationTokenSource();
  let shown: ShownProgress | undefined;
  const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
    if (value.kind === 'begin') {
      shown?.end();
      shown = showProgress(value.title, value.cancellable === true, cancel, value.message);
    } else if (value.kind === 'report') shown?.report(value.percentage, value.message);
    else shown?.end();
  });
  try {
    return await send(workDoneToken, cancel.token);
  } catch (e) {
    // The server answers a cancelled request (this one, or work it shared with one the user cancelled) as cancelled.
    if (cancel.token.isCancellationRequested || (e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled)) return undefined;
    throw e;
  } finally {
    listening.dispose();
    shown?.end();
    cancel.dispose();
  }
}

interface ShownProgress {
  report(percentage: number | undefined, message: string | undefined): void;
  end(): void;
}

/** A progress notification that lasts until end(); its Cancel cancels `cancel`. */
function showProgress(title: string, cancellable: boolean, cancel: vscode.CancellationTokenSource, message: string | undefined): ShownProgress {
  let end: () => void = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  let reporter: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  let last = 0;
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (progress, token) => {
    token.onCancellationRequested(() => cancel.cancel());
    reporter = progress;
    if (message) progress.report({ message });
    return ended;
  });
  return {
    report(percentage, text) {
      const increment = percentage !== undefined ? Math.max(0, percentage - last) : undefined;
      if (percentage !== undefined) last = Math.max(last, percentage);
      reporter?.report({ ...(text ? { message: text } : {}), ...(increment ? { increment } : {}) });
    },
    end: () => end(),
  };
}
