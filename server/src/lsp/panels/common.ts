import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LSPErrorCodes, ResponseError, type CancellationToken, type ProgressToken, type RequestType, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { readDatasetFile, type DatasetFile } from '../../host/datasetFile';
import { InputError } from '../../host/errors';
import { refuseOutputs, writeStreamedFilesAtomic, type NewFile, type StreamedFile } from '../../host/writeAtomic';
import { OptionsError, type Config } from '../../engine';
import type { Problems, WriteResult } from '../../protocol';

/**
 * What the panels' requests share: the dataset files they read (kept while unchanged on disk, so a
 * preview per change of the form reads nothing again), answers in the page's words, and writing new
 * files all or none, with progress and cancellation.
 */

/**
 * What a panel's requests need of the connection: their handlers, and work-done progress on the
 * client's token. The language server's Connection is one; the panel worker (worker.ts) gives its
 * handlers another, whose requests and progress cross from and to the server's thread.
 */
export interface PanelConnection {
  onRequest<P, R>(type: RequestType<P, R, void>, handler: (params: P, token: CancellationToken) => R | Promise<R>): unknown;
  readonly window: { attachWorkDoneProgress(token: ProgressToken | undefined): WorkDoneProgressReporter };
}

/** A dataset file read whole, with values derived from it (its rows, near-duplicate groups) kept as long as it. */
export interface PanelDataset {
  dataset: DatasetFile;
  /** The file's modification time when it was read. */
  mtimeMs: number;
  /** A value derived from the file, made once while the file is unchanged. */
  memo<T>(key: string, make: () => T): T;
  /** Drops a value (work that was cancelled is made again when next asked for). */
  forget(key: string): void;
}

const cache = new Map<string, { stamp: string; entry: PanelDataset; timer: NodeJS.Timeout }>();
/** Files kept: a split panel and an augment panel with its held-out splits. */
const KEEP = 6;
/** A file no request has read for this long is let go (a panel left open keeps its server's memory only while in use). */
const KEEP_MS = 5 * 60_000;

/** Keeps a file for KEEP_MS from now. */
function expiring(file: string): NodeJS.Timeout {
  return setTimeout(() => cache.delete(file), KEEP_MS).unref();
}

/** The file of a file: URI. */
export function filePath(uri: string): string {
  if (!uri.startsWith('file:')) throw new InputError(`${uri}: the panels read files on disk only`);
  return fileURLToPath(uri);
}

/**
 * A dataset file as it is on disk now, read with its settings (loadConfig's, as every command reads
 * it: a tuneset.json that renames fields holds in the panels too): read again only when its size,
 * time or settings changed.
 */
export function panelDataset(file: string, config: Config): PanelDataset {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new InputError(`${file}: no such file`);
  const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}:${JSON.stringify(config)}`;
  const known = cache.get(file);
  if (known) clearTimeout(known.timer);
  if (known?.stamp === stamp) {
    cache.delete(file);
    cache.set(file, { ...known, timer: expiring(file) });
    return known.entry;
  }
  const dataset = readDatasetFile(file, config);
  const memos = new Map<string, unknown>();
  const entry: PanelDataset = {
    dataset,
    mtimeMs: stat.mtimeMs,
    memo<T>(key: string, make: () => T): T {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as T;
    },
    forget: (key) => void memos.delete(key),
  };
  cache.delete(file);
  cache.set(file, { stamp, entry, timer: expiring(file) });
  while (cache.size > KEEP) {
    const [oldest, { timer }] = cache.entries().next().value!;
    clearTimeout(timer);
    cache.delete(oldest);
  }
  return entry;
}

/** Thrown by work that saw its request cancelled. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * Runs a request's work: problems with the file or the choices (the engine's OptionsError, an
 * InputError, a failing file system) come back as sentences for the page; a cancelled request is
 * answered as cancelled (the client's sendRequest then rejects with a CancellationError).
 */
export async function answer<R>(token: CancellationToken, work: () => R | Promise<R>): Promise<R | Problems> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Cancelled || token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (e instanceof OptionsError) return { problems: e.problems };
    return { problems: [(e as Error).message] };
  }
}

/** Pieces of a file handed on one by one, stopping (with Cancelled) once the request is cancelled, and counted for progress. */
function* watched(pieces: Iterable<Uint8Array>, token: CancellationToken, written: (bytes: number) => void): Generator<Uint8Array> {
  for (const piece of pieces) {
    if (token.isCancellationRequested) throw new Cancelled();
    written(piece.length);
    yield piece;
  }
}

/**
 * Writes new files all or none (`part` says how far it has got, from the bytes written so far) (temps renamed into place together; a cancellation or a failure
 * leaves none of them and the old ones as they were). Refused: a target that is one of `inputs` (the
 * files the panel reads), or that cannot be a file. A target that exists and is not in `overwrite`
 * is not written: the result names them, for the panel to ask the user.
 */
export async function writeNewFiles(
  files: (NewFile | StreamedFile)[],
  o: { inputs: string[]; overwrite: string[]; token: CancellationToken; progress: WorkDoneProgressReporter; title: string; rows: () => number; part: (bytes: number) => number },
): Promise<WriteResult> {
  refuseOutputs(files.map((f) => f.path), o.inputs, 'this panel');
  const exists = files.filter((f) => fs.existsSync(f.path) && !o.overwrite.includes(f.path)).map((f) => f.path);
  if (exists.length) return { exists };
  o.progress.begin(o.title, 0, path.basename(files[0].path), true);
  try {
    for (const dir of new Set(files.map((f) => path.dirname(f.path)))) fs.mkdirSync(dir, { recursive: true });
    let bytes = 0;
    let shown = 0;
    const count = (n: number) => {
      bytes += n;
      const percent = Math.min(99, Math.floor(100 * o.part(bytes)));
      if (percent > shown) o.progress.report((shown = percent));
    };
    const guarded = files.map((f) => ('pieces' in f ? { path: f.path, pieces: watched(f.pieces, o.token, count) } : f));
    await writeStreamedFilesAtomic(guarded);
    return { written: files.map((f) => f.path), rows: o.rows() };
  } finally {
    o.progress.done();
  }
}

/** A request handler's progress, for work-done progress the client asked for with its workDoneToken. */
export function progressOf(connection: PanelConnection, params: { workDoneToken?: string | number }): WorkDoneProgressReporter {
  return connection.window.attachWorkDoneProgress(params.workDoneToken);
}
