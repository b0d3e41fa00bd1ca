import * as fs from 'node:fs';
import type { ByteSource, DatasetContainer } from '../engine';

/** An open file as the engine's byte source (the engine reads through it; it opens nothing itself). */
export function fileSource(fd: number, size = fs.fstatSync(fd).size): ByteSource {
  return { size, read: (into, position) => fs.readSync(fd, into, 0, into.length, position) };
}

/**
 * The most a file read whole may hold: the longest string V8 makes (2^29 - 24 characters, and a file
 * decodes to no more characters than it has bytes). CSV, TSV, JSON arrays and UTF-16 text are read
 * whole and decoded into one text; a 597 MB CSV failed with "Invalid string length" after reading.
 * JSON Lines files are read in pieces and have no limit, and so are CSV/TSV files that can be read in
 * ranges (planCsvRead) when checked.
 */
export const MAX_WHOLE_FILE_BYTES = 2 ** 29 - 24;

/** A file that would have to be read whole and is too big for it: one line saying what to do instead. */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  /** `why`: for a CSV/TSV, why it could not be read in ranges (see planCsvRead), which has no such limit. */
  constructor(display: string, size: number, container: DatasetContainer, why?: string) {
    const what = container === 'jsonl' ? 'UTF-16' : container === 'json' ? 'JSON array' : container.toUpperCase();
    const read = why ? `this ${what} file must be read whole (${why}), and one text holds at most 512 MiB` : `${what} files are read whole, and one text holds at most 512 MiB`;
    super(`${display} is ${(size / 2 ** 20).toFixed(0)} MiB: ${read}; convert it to ${container === 'jsonl' ? 'UTF-8' : 'JSONL'} (read in pieces, any size) or split it`);
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
