import * as fs from 'node:fs';
import type { ByteSource, DatasetContainer } from '../engine';

/** An open file as the engine's byte source (the engine reads through it; it opens nothing itself). */
export function fileSource(fd: number, size = fs.fstatSync(fd).size): ByteSource {
  return { size, read: (into, position) => fs.readSync(fd, into, 0, into.length, position) };
}

/**
 * The most a file read whole may hold: fs.readFileSync's limit (2 GiB less a byte). JSON Lines files
 * are read in pieces and have no limit; CSV, TSV, JSON arrays and UTF-16 text are still read whole.
 */
export const MAX_WHOLE_FILE_BYTES = 2 ** 31 - 1;

/** A file that would have to be read whole and is too big for it: one line saying what to do instead. */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(display: string, size: number, container: DatasetContainer) {
    const what = container === 'jsonl' ? 'UTF-16' : container === 'json' ? 'JSON array' : container.toUpperCase();
    super(`${display} is ${(size / 1e9).toFixed(1)} GB: ${what} files over 2 GiB are not supported yet; convert it to ${container === 'jsonl' ? 'UTF-8' : 'JSONL'}`);
  }
}

/**
 * Reads a file the engine needs whole (CSV, TSV, a JSON array, UTF-16 text): a file over 2 GiB is a
 * FileTooLargeError, found from its size before anything is read.
 */
export function readWholeFile(file: string, display: string, container: DatasetContainer): Uint8Array {
  const size = fs.statSync(file).size;
  if (size > MAX_WHOLE_FILE_BYTES) throw new FileTooLargeError(display, size, container);
  return fs.readFileSync(file);
}
