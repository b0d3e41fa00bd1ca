import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  DEFAULT_CONFIG, detectDatasetFormat, isUtf16Source, memorySource, openReader, readFully,
  type ByteSource, type Config, type DatasetContainer, type DatasetReader, type Detection,
} from '../engine';
import { FileTooLargeError, fileSource, readWholeFile } from './fileSource';
import { InputError } from './errors';
import { sha256OfFile, sha256OfPieces, type Sha256Job } from './sha256Worker';
import { namedDatasetContainer, shown } from './inputs';

/** Reading one dataset file (the one-file commands, the editor's panels): opened, its format detected. */

/** The tool version recorded in manifests. */
export const TOOL_VERSION: string = (require('../../../package.json') as { version: string }).version;

/** A dataset file opened for reading, its format detected. */
export interface OpenDataset {
  file: string;
  /** The path as shown in messages (relative to the working folder). */
  display: string;
  /** How its bytes are read: the extension's container, or the one sniffed for a file whose name says none. */
  container: DatasetContainer;
  /**
   * The file's bytes as its reader reads them: a JSON Lines file on disk in pieces (never whole: its
   * rows are read again by their byte ranges), any other file from `bytes`.
   */
  source: ByteSource;
  /** The whole file, when it was read whole (CSV, TSV, JSON arrays, UTF-16 text). */
  bytes?: Uint8Array;
  reader: DatasetReader;
  detection: Detection;
  /** The settings detection used (defaults plus the hints), for an analysis of the same file. */
  config: Config;
  /** Closes the file (a JSON Lines file read in pieces stays open until then). */
  close(): void;
}

/** A dataset file read whole (the editor's panels: they keep it while the user chooses). */
export interface DatasetFile extends OpenDataset {
  bytes: Uint8Array;
}

/**
 * Reads a dataset file whole and detects its format with the settings (loadConfig's: field names,
 * format, CSV header and columns); a missing, unknown or too big file is an InputError.
 */
export function readDatasetFile(file: string, config: Config = DEFAULT_CONFIG): DatasetFile {
  const display = shown(file);
  const { container, bytes } = onDisk(display, () => {
    const container = namedDatasetContainer(file, display);
    return { container, bytes: readWholeFile(file, display, container) };
  });
  const reader = openReader(file, bytes, container, config);
  return { file, display, container, source: memorySource(bytes), bytes, reader, config, detection: detected(display, reader, config), close: () => {} };
}

/**
 * Opens a dataset file and detects its format; a missing, unknown or too big file is an InputError.
 * A JSON Lines file (in UTF-8 or a legacy encoding) is read in pieces, whatever its size: what stays
 * in memory is its rows' byte offsets and a window of a megabyte. Other files are read whole (up to
 * 2 GiB). Close it when done.
 */
export function openDatasetFile(file: string, config: Config = DEFAULT_CONFIG): OpenDataset {
  const display = shown(file);
  const { container, fd } = onDisk(display, () => ({ container: namedDatasetContainer(file, display), fd: fs.openSync(file, 'r') }));
  try {
    const source = fileSource(fd);
    if (container === 'jsonl' && !isUtf16Source(source)) {
      const reader = openReader(file, source, container, config);
      return { file, display, container, source, reader, config, detection: detected(display, reader, config), close: () => fs.closeSync(fd) };
    }
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  fs.closeSync(fd);
  return readDatasetFile(file, config);
}

/** The format detected from a reader's first rows; a field named by the hints that the file lacks is an InputError. */
function detected(display: string, reader: DatasetReader, config: Config): Detection {
  const detection = detectDatasetFormat(reader.rows(), config);
  for (const u of detection.unknownFields ?? []) {
    throw new InputError(`${display}: ${u.setting === 'textField' ? '--text-field (textField)' : '--label-field (labelField)'} names "${u.field}", which is not a field of this file; its fields are ${u.available.join(', ')}`);
  }
  return detection;
}

/** Runs file system work, turning its failures (and a file too big to read whole) into an InputError in the user's words. */
function onDisk<T>(display: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof FileTooLargeError) throw new InputError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (!code || e instanceof InputError) throw e;
    throw new InputError(code === 'ENOENT' ? `${display}: no such file` : `${display}: cannot read (${code})`);
  }
}

/** The SHA-256 (hex) of bytes, or of a source's bytes read a megabyte at a time. */
export function sha256(input: Uint8Array | ByteSource): string {
  if (input instanceof Uint8Array) return createHash('sha256').update(input).digest('hex');
  return sha256OfPieces((piece, pos) => (pos < input.size ? readFully(input, piece, pos) : 0));
}

/**
 * The SHA-256 (hex) of a file on disk, made on a thread of its own (sha256Worker.ts) while this one
 * works on: a split of a big file plans on one thread, and the second core would idle meanwhile.
 * (A build without the worker's bundle, as when run from the sources, hashes here when asked.)
 * `stop` ends the thread when the hash is not wanted after all.
 */
export function sha256InBackground(file: string): { hash: () => Promise<string>; stop: () => void } {
  const bundle = path.join(__dirname, 'sha256Worker.js');
  if (!fs.existsSync(bundle)) return { hash: async () => sha256OfFile(file), stop: () => {} };
  const worker = new Worker(bundle, { workerData: { sha256File: file } satisfies Sha256Job });
  const hash = new Promise<string>((resolve, reject) => {
    worker.once('message', (hex: string) => resolve(hex));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing thread exited with code ${code} before it was done`)));
  });
  // Nobody may ask for it (a split that is not written): its failure is then nobody's.
  hash.catch(() => {});
  return { hash: () => hash, stop: () => void worker.terminate() };
}
