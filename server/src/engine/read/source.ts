import { decodeText, LineDecoder, splitLines, type LineSlice } from './decode';
import { encodingFromStart, isUtf16, legacyEncodingOf, START_BYTES, type LegacyEncoding } from './encoding';

/**
 * Bytes the engine reads a piece at a time: a file the host has opened (the engine does no I/O of
 * its own: the host hands it `read`), or bytes already in memory.
 *
 * A big file read in pieces into one reused buffer never sits in the process's memory whole: on
 * this project's VM every page a process touches for the first time costs about 10 µs, so reading
 * a 300 MB file into memory cost 0.8 s before any row was looked at, and 300 MB of peak RSS.
 */
export interface ByteSource {
  /** Size in bytes. */
  readonly size: number;
  /** Copies the bytes at `position` into `into` (as many as fit and exist); returns how many (0 at the end). */
  read(into: Uint8Array, position: number): number;
}

/** Bytes in memory as a source. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(into, position) {
      const piece = bytes.subarray(position, position + into.length);
      into.set(piece);
      return piece.length;
    },
  };
}

/** Bytes read from a source at a time when splitting it into lines: whole lines, so a line is never cut. */
export const CHUNK_BYTES = 1 << 20;

/** Fills `into` from `position` on, repeating short reads; returns how many bytes were read. */
export function readFully(source: ByteSource, into: Uint8Array, position: number): number {
  let got = 0;
  while (got < into.length) {
    const n = source.read(into.subarray(got), position + got);
    if (n <= 0) break;
    got += n;
  }
  return got;
}

/**
 * Newlines in bytes[start, end), four bytes at a time: a word without a 0x0A byte (nearly all of
 * them) is passed over with one test. A worker counts the lines before its shard before it starts
 * (lineAt), so it matters.
 */
export function countNewlines(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = start;
  while (i < end && (bytes.byteOffset + i) % 4 !== 0) if (bytes[i++] === 10) n++;
  if (i >= end) return n;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >> 2);
  for (let k = 0; k < words.length; k++) {
    const x = words[k] ^ 0x0a0a0a0a;
    // Non-zero when some byte of x is zero, that is when some byte of the word is a newline.
    if (((x - 0x01010101) & ~x & 0x80808080) === 0) continue;
    const o = i + 4 * k;
    if (bytes[o] === 10) n++;
    if (bytes[o + 1] === 10) n++;
    if (bytes[o + 2] === 10) n++;
    if (bytes[o + 3] === 10) n++;
  }
  for (let j = i + 4 * words.length; j < end; j++) if (bytes[j] === 10) n++;
  return n;
}

/**
 * splitLines over (a line-aligned range of) a source: chunks of whole lines are read into one
 * buffer, reused from chunk to chunk and grown only for a line longer than it. Yields the same
 * lines, with the same file offsets, as splitLines over the whole file's bytes.
 */
export function* splitSourceLines(
  source: ByteSource, decoder: LineDecoder, range?: { start: number; end: number; firstLine: number }, chunkBytes = CHUNK_BYTES, blockBytes?: number,
): Generator<LineSlice> {
  let end = range ? Math.min(range.end, source.size) : source.size;
  let pos = range ? range.start : 0;
  let line = range ? range.firstLine - 1 : 0;
  let buf = new Uint8Array(Math.max(1, Math.min(chunkBytes, end - pos)));
  while (pos < end) {
    const want = Math.min(buf.length, end - pos);
    const n = readFully(source, buf.subarray(0, want), pos);
    // A file that got shorter than its size ends where the bytes do.
    if (n < want) end = pos + n;
    if (n === 0) break;
    let usable = n;
    if (pos + n < end) {
      const nl = buf.lastIndexOf(10, n - 1);
      if (nl < 0) {
        // A line longer than the buffer: read it again into a bigger one.
        buf = new Uint8Array(buf.length * 2);
        continue;
      }
      usable = nl + 1;
    }
    for (const slice of splitLines(buf.subarray(0, usable), decoder, { start: 0, end: usable, firstLine: line + 1 }, blockBytes, pos)) {
      line = slice.line;
      yield slice;
    }
    pos += usable;
  }
}

/**
 * Re-reads byte ranges (rows, for findings raised after the pass) through a window: rows asked for
 * in file order, a few apart, cost one read per window. A range asked for out of order (as
 * near-duplicate candidates are) is read alone into a scratch buffer and leaves the window as it
 * is: refilling a megabyte window for one row would copy a megabyte per row. A slice is valid until
 * the next call.
 */
export class SourceWindow {
  /** Made on first use: most readers never re-read a row. */
  private buf = new Uint8Array(0);
  private at = 0;
  private length = 0;
  private scratch = new Uint8Array(0);
  /** Where the last range asked for ended: a range starting a little after it continues in file order. */
  private lastEnd = 0;

  constructor(private readonly source: ByteSource, private readonly windowBytes = CHUNK_BYTES) {}

  slice(start: number, end: number): Uint8Array {
    // A small step forward (rows in file order, a few apart); a bigger jump reads the row alone.
    const sequential = start >= this.lastEnd && start - this.lastEnd < this.windowBytes / 16;
    this.lastEnd = end;
    if (start >= this.at && end <= this.at + this.length) return this.buf.subarray(start - this.at, end - this.at);
    if (!sequential) {
      if (end - start > this.scratch.length) this.scratch = new Uint8Array(Math.max(end - start, 4096));
      const n = readFully(this.source, this.scratch.subarray(0, Math.max(0, Math.min(end, this.source.size) - start)), start);
      return this.scratch.subarray(0, n);
    }
    const want = Math.max(end - start, Math.min(this.windowBytes, this.source.size));
    if (want > this.buf.length) this.buf = new Uint8Array(want);
    this.at = start;
    this.length = readFully(this.source, this.buf.subarray(0, Math.max(0, Math.min(want, this.source.size - start))), start);
    return this.buf.subarray(0, Math.min(end - start, this.length));
  }
}

/** True for a source (as opposed to bytes in memory). */
export function isByteSource(input: Uint8Array | ByteSource): input is ByteSource {
  return !(input instanceof Uint8Array);
}

/**
 * A source's bytes in chunks of whole lines (but for a line longer than a chunk), from its start:
 * what the legacy-encoding detection reads until it has seen enough lines that are not UTF-8.
 */
export function* sourceChunks(source: ByteSource, chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  const buf = new Uint8Array(Math.max(1, Math.min(chunkBytes, source.size)));
  for (let pos = 0; pos < source.size; ) {
    const n = readFully(source, buf, pos);
    if (n === 0) break;
    const nl = pos + n < source.size ? buf.lastIndexOf(10, n - 1) : n - 1;
    const usable = nl < 0 ? n : nl + 1;
    yield buf.subarray(0, usable);
    pos += usable;
  }
}

/**
 * The legacy encoding of a file's lines that are not UTF-8, detected on first need from the file's
 * first such lines and then kept: every reader of the file (each shard's, in every thread) judges the
 * same lines, so all read the file alike (but for a file whose first 32 MB are all UTF-8: each reader
 * judges the first bad line it meets).
 */
export function fileLegacyEncoding(input: Uint8Array | ByteSource): (line: Uint8Array) => LegacyEncoding {
  let found: LegacyEncoding | undefined;
  return (line) => (found ??= legacyEncodingOf(isByteSource(input) ? sourceChunks(input) : [input], line));
}

/**
 * `new TextDecoder().decode(bytes).split('\n')` of a source's bytes, read in chunks and decoded block
 * by block: no buffer of the whole file is made, and ASCII lines stay one-byte strings instead of
 * parts of one two-byte string of the whole text (one non-ASCII character makes the whole text two
 * bytes a character: 64 MB to build for a 32 MB file). A source with a carriage return is decoded
 * whole, as the TextDecoder decodes it; one in UTF-16 or with lines that are not UTF-8 is decoded
 * whole as the readers decode it (decodeText: the encoding its bytes show).
 */
export function decodeSourceLines(source: ByteSource, chunkBytes = CHUNK_BYTES): string[] {
  if (isUtf16Source(source)) return decodeWhole(source).split('\n');
  return decodeInChunks(source, chunkBytes) ?? decodeWhole(source).split('\n');
}

function decodeInChunks(source: ByteSource, chunkBytes: number): string[] | undefined {
  const decoder = new LineDecoder();
  const lines: string[] = [];
  let lastEnd = -1;
  for (const { text, start, end } of splitSourceLines(source, decoder, undefined, chunkBytes)) {
    // A line ended by "\r\n" ends two bytes before the next starts; a lone "\r" stays in its line.
    if ((lastEnd >= 0 && start - lastEnd !== 1) || text.indexOf('\r') >= 0) return undefined;
    lines.push(text);
    lastEnd = end;
  }
  if (decoder.invalid) return undefined;
  // Nothing but a byte order mark, or nothing at all.
  if (lines.length === 0) return [''];
  const tail = source.size - lastEnd;
  if (tail === 0) return lines;
  // One byte after the last line: its newline (a last "\r" without one is cut off by line splitting).
  const last = new Uint8Array(1);
  if (tail > 1 || readFully(source, last, source.size - 1) !== 1 || last[0] !== 10) return undefined;
  lines.push('');
  return lines;
}

function decodeWhole(source: ByteSource): string {
  return decodeText(sourceBytes(source)).text;
}

/** All of a source's bytes in one buffer: for the containers read whole (CSV, JSON arrays, UTF-16 text). */
export function sourceBytes(source: ByteSource): Uint8Array {
  const bytes = new Uint8Array(source.size);
  return bytes.subarray(0, readFully(source, bytes, 0));
}

/** True for a source in UTF-16 (by its byte order mark or NULs): its lines cannot be cut at the byte 0x0A, so it is read whole. */
export function isUtf16Source(source: ByteSource): boolean {
  const head = new Uint8Array(Math.min(START_BYTES, source.size));
  return isUtf16(encodingFromStart(head.subarray(0, readFully(source, head, 0))));
}

/**
 * Where to cut a file of `size` bytes into `count` parts, the first holding about `firstShare` of the
 * bytes and the others equal parts of the rest (cutRanges moves each cut to a line break).
 */
export function equalCuts(size: number, count: number, firstShare = 1 / count): number[] {
  const cuts: number[] = [];
  for (let k = 1; k < count; k++) cuts.push(Math.floor(size * (firstShare + ((1 - firstShare) * (k - 1)) / Math.max(1, count - 1))));
  return cuts;
}

/**
 * Where to cut a file of `size` bytes into chunks that `threads` threads take in turn (guided
 * self-scheduling): each chunk a 2·threads-th of what the ones before it leave, and at least
 * `minBytes`. The first chunks are big (few to read and merge: each new chunk costs a few percent of
 * its time); the last ones small, so that the threads end within a small chunk of each other
 * whatever the speed of each part of the file and of each thread. (Chunks of a threads-th, the first
 * half of the file went to the thread that made them, which reads ~7% slower than a worker: the
 * worker ended 0.75 s before it on the 1M shapes.)
 */
export function guidedCuts(size: number, threads: number, minBytes: number): number[] {
  const cuts: number[] = [];
  for (let at = Math.max(minBytes, Math.floor(size / (2 * threads))); at < size; at += Math.max(minBytes, Math.floor((size - at) / (2 * threads)))) cuts.push(at);
  return cuts;
}

/**
 * A file of `size` bytes cut into ranges at `cuts` (increasing offsets), each moved to after the line
 * break `breakFrom` finds at or after it (-1: none, the range runs to the end); the last range runs to
 * the end. JSON Lines cuts at any line break, CSV at one outside quotes.
 */
export function cutRanges(size: number, cuts: readonly number[], breakFrom: (from: number) => number): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  let start = 0;
  for (let k = 0; k <= cuts.length && start < size; k++) {
    let end = k === cuts.length ? size : cuts[k];
    if (end < size) {
      const nl = breakFrom(Math.max(start, end - 1));
      end = nl < 0 ? size : nl + 1;
    }
    if (end <= start) continue;
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}
