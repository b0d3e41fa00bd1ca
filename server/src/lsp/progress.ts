import type { Connection } from 'vscode-languageserver/node';
import type { Check } from './checks';

/** A check that has run this long (ms) shows its progress; shorter ones (a keystroke's, ~10-100 ms) show none. */
const PROGRESS_AFTER_MS = 300;

/**
 * Shows a check's progress in the editor once it has taken more than a moment (progress for every
 * keystroke's check would flicker). The progress is cancellable: the client's Cancel
 * (window/workDoneProgress/cancel) cancels the check. VS Code's language client shows work-done
 * progress in the status bar, where VS Code offers no Cancel button; other clients do.
 */
export function showProgress(connection: Connection, check: Check, title: string): void {
  const timer = setTimeout(() => void begin(), PROGRESS_AFTER_MS);
  check.onEnd(() => clearTimeout(timer));
  async function begin(): Promise<void> {
    const progress = await connection.window.createWorkDoneProgress();
    if (check.done) return progress.done();
    let shown = percent(check.part);
    progress.begin(title, shown, undefined, true);
    progress.token.onCancellationRequested(() => check.cancel());
    check.onProgress((part) => {
      // Steps come every few milliseconds: the client hears of whole percents only.
      if (percent(part) !== shown) progress.report((shown = percent(part)));
    });
    check.onEnd(() => progress.done());
  }
}

function percent(part: number): number {
  return Math.round(100 * part);
}
