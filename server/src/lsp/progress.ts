import type { Connection } from 'vscode-languageserver/node';
import { ChecksRunningNotification } from '../protocol';
import type { Check } from './checks';

/** A check that has run this long (ms) shows its progress; shorter ones (a keystroke's, ~10-100 ms) show none. */
export const PROGRESS_AFTER_MS = 300;

/**
 * The long checks running now (those showing progress), so the user can stop them: VS Code shows a
 * language server's progress in the status bar, where it offers no Cancel button, so the client
 * shows its own "Cancel check" item and palette command while this list is not empty.
 */
export class RunningChecks {
  private readonly running = new Map<object, { title: string; cancel: () => void }>();

  constructor(private readonly connection: Connection) {}

  /** Records a running check; the returned function forgets it when it ends. */
  add(title: string, cancel: () => void): () => void {
    const key = {};
    this.running.set(key, { title, cancel });
    this.changed();
    return () => {
      if (this.running.delete(key)) this.changed();
    };
  }

  /** Cancels every running check; returns their titles. */
  cancelAll(): string[] {
    const titles = [...this.running.values()].map((r) => r.title);
    for (const r of [...this.running.values()]) r.cancel();
    return titles;
  }

  private changed(): void {
    const titles = [...this.running.values()].map((r) => r.title);
    void this.connection.sendNotification(ChecksRunningNotification.method, { titles } satisfies ChecksRunningNotification.Params);
  }
}

/**
 * Shows a check's progress in the editor once it has taken more than a moment (progress for every
 * keystroke's check would flicker). The progress is cancellable: the client's Cancel
 * (window/workDoneProgress/cancel) cancels the check, and so does the client's "Cancel check"
 * (tuneset/cancelChecks), as VS Code shows no Cancel button for a language server's progress.
 */
export function showProgress(connection: Connection, running: RunningChecks, check: Check, title: string): void {
  const timer = setTimeout(() => void begin(), PROGRESS_AFTER_MS);
  check.onEnd(() => clearTimeout(timer));
  async function begin(): Promise<void> {
    const forget = running.add(title.replace(/^Tuneset: /, ''), () => check.cancel());
    check.onEnd(forget);
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
