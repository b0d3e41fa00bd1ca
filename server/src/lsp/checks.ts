import type { Steps } from '../engine';

/**
 * One check of a document: of a version of its text, or of its file on disk as it opens (version
 * -1). A check may be cancelled before its end: by the next check of the same document (a newer
 * version), by the document closing, or by the user from its progress notification. Whoever does
 * the work looks at `cancelled` between steps; a cancelled check's result is never published.
 */
export class Check {
  private isCancelled = false;
  private hasEnded = false;
  private readonly cancelListeners: (() => void)[] = [];
  private readonly progressListeners: ((part: number) => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  /** How far the check has got, from 0 to 1. */
  part = 0;
  /** Resolves once the check has ended, done or cancelled. */
  readonly ended: Promise<void>;
  private resolveEnded: () => void = () => {};

  constructor(readonly uri: string, readonly version: number) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get cancelled(): boolean {
    return this.isCancelled;
  }

  get done(): boolean {
    return this.hasEnded;
  }

  cancel(): void {
    if (this.isCancelled || this.hasEnded) return;
    this.isCancelled = true;
    for (const listener of this.cancelListeners) listener();
  }

  onCancel(listener: () => void): void {
    if (this.isCancelled) listener();
    else this.cancelListeners.push(listener);
  }

  report(part: number): void {
    this.part = part;
    for (const listener of this.progressListeners) listener(part);
  }

  onProgress(listener: (part: number) => void): void {
    this.progressListeners.push(listener);
  }

  /** Called once by whoever ran the check, whether it was done or cancelled. */
  end(): void {
    if (this.hasEnded) return;
    this.hasEnded = true;
    for (const listener of this.endListeners) listener();
    this.resolveEnded();
  }

  onEnd(listener: () => void): void {
    if (this.hasEnded) listener();
    else this.endListeners.push(listener);
  }
}

/**
 * Longest stretch (ms) a check runs on the server's thread before it lets waiting messages in: a
 * request waits behind it for at most about this long, plus one step (a few ms of work).
 */
const SLICE_MS = 30;

/**
 * Runs a check's steps on the server's thread a slice (of `sliceMs`) at a time, letting the
 * messages that came meanwhile (requests, edits, a cancellation) be handled between slices.
 * Resolves with the result, or undefined once the check is cancelled (the steps are stopped there).
 * Work that takes less than a slice is done at once, without waiting for the event loop.
 */
export async function runInSlices<T>(steps: Steps<T>, check: Check, sliceMs = SLICE_MS): Promise<T | undefined> {
  let sliceStart = performance.now();
  for (;;) {
    if (check.cancelled) {
      steps.return(undefined as never);
      return undefined;
    }
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    check.report(step.value);
    await letMessagesIn();
    sliceStart = performance.now();
  }
}

/**
 * Turns of the event loop a check waits between slices. vscode-jsonrpc takes a message through
 * three setImmediate callbacks of its own (the reader decodes it, the connection handles it, the
 * writer writes the answer), each queued by the one before; a callback queued from a setImmediate
 * callback runs only at the next turn. A check that waits for fewer turns runs its next slice
 * before the answer is out, and every request waits two slices or more.
 */
const MESSAGE_TURNS = 4;

/** Waits until the messages that have arrived are handled and answered (a few turns of an otherwise idle loop take microseconds). */
async function letMessagesIn(): Promise<void> {
  for (let turn = 0; turn < MESSAGE_TURNS; turn++) await new Promise((resolve) => setImmediate(resolve));
}
