import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * The SHA-256 of a file, made on a thread of its own: a split records its source's hash in its
 * manifest, and on a big file hashing takes a few hundred milliseconds that the second core, idle
 * while the split is planned, can spend instead (sha256OfFileInWorker). It needs nothing of the
 * engine, so the thread starts at once.
 */

/** Read a megabyte at a time, as the engine reads files (CHUNK_BYTES). */
const PIECE_BYTES = 1 << 20;

/** The SHA-256 (hex) of bytes read a piece at a time: `read` fills the piece from a position and says how many bytes it read (0 at the end). */
export function sha256OfPieces(read: (piece: Uint8Array, pos: number) => number): string {
  const hash = createHash('sha256');
  const piece = Buffer.allocUnsafe(PIECE_BYTES);
  for (let pos = 0; ; ) {
    const n = read(piece, pos);
    if (n === 0) break;
    hash.update(piece.subarray(0, n));
    pos += n;
  }
  return hash.digest('hex');
}

/** The SHA-256 (hex) of a file's bytes, read a piece at a time. */
export function sha256OfFile(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    return sha256OfPieces((piece, pos) => fs.readSync(fd, piece, 0, piece.length, pos));
  } finally {
    fs.closeSync(fd);
  }
}

/** What the thread is given (a key of its own: other workers' data never reads as this job). */
export interface Sha256Job {
  sha256File: string;
}

if (parentPort && typeof (workerData as Partial<Sha256Job> | undefined)?.sha256File === 'string') {
  parentPort.postMessage(sha256OfFile((workerData as Sha256Job).sha256File));
}
