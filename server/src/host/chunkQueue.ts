import { linesIn, type ByteSource } from '../engine';

/**
 * The chunks of a file (guidedCuts) that the threads of one analysis take in turn, over memory they
 * share (#22): a thread that ends a chunk takes the next one left, so that the threads end within a
 * small chunk of each other however the cost of rows varies through the file (long rows in one part)
 * and whatever else a thread does (this thread starts first and merges last).
 *
 * A chunk's rows need the number of its first line. A thread that takes a chunk first counts its
 * newlines and posts the count; the first line of chunk i is one more than the counts of the chunks
 * before it, all taken (and being counted) before it. A count not posted within a moment is counted
 * again by the thread that needs it, so that no thread ever waits on another for long.
 *
 * Memory: Int32Array over a SharedArrayBuffer; [0] the next chunk to take, [1 + i] chunk i's newlines
 * (-1 until posted).
 */
export class ChunkQueue {
  /** Newlines of the chunks before `known` (a thread's chunks only go forward). */
  private known = 0;
  private linesBefore = 0;

  constructor(readonly chunks: readonly { start: number; end: number }[], readonly shared: Int32Array) {}

  /** A queue for `chunks`, chunk 0 already taken by the thread that makes it (it starts on it at once). */
  static create(chunks: readonly { start: number; end: number }[]): ChunkQueue {
    const shared = new Int32Array(new SharedArrayBuffer(4 * (1 + chunks.length)));
    shared.fill(-1);
    shared[0] = 1;
    return new ChunkQueue(chunks, shared);
  }

  /** The next chunk nobody has taken, now this thread's, or -1 when none is left. */
  take(): number {
    const i = Atomics.add(this.shared, 0, 1);
    return i < this.chunks.length ? i : -1;
  }

  /** Posts the newlines of chunk i (this thread's) for the threads after it, and returns the number of its first line. */
  begin(source: ByteSource, i: number): number {
    if (i + 1 < this.chunks.length) {
      Atomics.store(this.shared, 1 + i, linesIn(source, this.chunks[i].start, this.chunks[i].end));
      Atomics.notify(this.shared, 1 + i);
    }
    for (; this.known < i; this.known++) this.linesBefore += this.newlines(source, this.known);
    return 1 + this.linesBefore;
  }

  /** Chunk j's newlines as its thread posted them, or counted here when they are not there within WAIT_MS. */
  private newlines(source: ByteSource, j: number): number {
    if (Atomics.load(this.shared, 1 + j) < 0) Atomics.wait(this.shared, 1 + j, -1, WAIT_MS);
    const posted = Atomics.load(this.shared, 1 + j);
    return posted >= 0 ? posted : linesIn(source, this.chunks[j].start, this.chunks[j].end);
  }
}

/** How long a thread waits for another's count of a chunk before counting it itself (a chunk of 100 MB is counted in ~60 ms). */
const WAIT_MS = 250;

/** Chunks no smaller than this (bytes): each is one more result to post and merge. (Tests make it small to cut many.) */
export const MIN_CHUNK_BYTES = Number(process.env.TUNESET_CHUNK_BYTES ?? 2 * 1024 * 1024);
