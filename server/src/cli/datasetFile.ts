import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CHUNK_BYTES, detectDatasetFormat, isUtf16Source, memorySource, openReader, OptionsError, parseConfig, readFully,
  type ByteSource, type Config, type DatasetContainer, type DatasetReader, type Detection,
} from '../engine';
import { FileTooLargeError, fileSource, readWholeFile } from '../fileSource';
import { judgeNamedFile, READS, writeStreamedFilesAtomic, type NewFile, type StreamedFile } from './files';
import { notWritableAsFile, outputOverInput } from './outputPaths';
import { formatCount as fmt } from '../engine';
import { READING_OPTIONS } from './readingOptions';

/** Helpers the split and augment commands share: reading one dataset, and writing new files safely. */

/** The options every one-file command takes: where to write, overwriting, field overrides, help. */
export const FILE_COMMAND_OPTIONS = {
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  'text-field': { type: 'string' },
  'label-field': { type: 'string' },
  'format-hint': { type: 'string' },
  ...READING_OPTIONS,
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** A problem with the command's input or outputs: printed as "tuneset: …", exit code 2. */
export class InputError extends Error {}

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

/** Field overrides for format detection, as `check` takes them. */
export interface DetectionHints {
  textField?: string;
  labelField?: string;
  format?: string;
  /** CSV/TSV: whether the first record is a header, and names for the columns (--header/--no-header, --columns). */
  hasHeader?: boolean;
  columns?: string[];
}

/** Reads a dataset file whole and detects its format; a missing, unknown or too big file is an InputError. */
export function readDatasetFile(file: string, hints: DetectionHints = {}): DatasetFile {
  const display = shown(file);
  const config = hintsConfig(hints);
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
export function openDatasetFile(file: string, hints: DetectionHints = {}): OpenDataset {
  const display = shown(file);
  const config = hintsConfig(hints);
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
  return readDatasetFile(file, hints);
}

/** The settings the hints make (the defaults for the rest); unusable hints are an InputError. */
function hintsConfig(hints: DetectionHints): Config {
  const { config, problems } = parseConfig(Object.fromEntries(Object.entries(hints).filter(([, v]) => v !== undefined)));
  if (problems.length) throw new InputError(problems.join('; '));
  return config;
}

/** The format detected from a reader's first rows; a field named by the hints that the file lacks is an InputError. */
function detected(display: string, reader: DatasetReader, config: Config): Detection {
  const detection = detectDatasetFormat(reader.rows(), config);
  for (const u of detection.unknownFields ?? []) {
    throw new InputError(`${display}: ${u.setting === 'textField' ? '--text-field' : '--label-field'} names "${u.field}", which is not a field of this file; its fields are ${u.available.join(', ')}`);
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

/**
 * How the one file a command takes is read: by its extension, or sniffed from its first bytes when its
 * name says none. A file Tuneset does not read (an archive, ARFF, a named pipe) is an InputError saying what it is;
 * a file that cannot be read at all throws the system's error (with its code).
 */
export function namedDatasetContainer(file: string, display = shown(file)): DatasetContainer {
  const verdict = judgeNamedFile(file);
  if ('skip' in verdict) throw new InputError(`${display}: ${verdict.skip}${verdict.format ? ` (${READS})` : ''}`);
  return verdict.container;
}

/** The SHA-256 (hex) of bytes, or of a source's bytes read a megabyte at a time. */
export function sha256(input: Uint8Array | ByteSource): string {
  const hash = createHash('sha256');
  if (input instanceof Uint8Array) return hash.update(input).digest('hex');
  const piece = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(1, input.size)));
  for (let pos = 0; pos < input.size; ) {
    const n = readFully(input, piece, pos);
    if (n === 0) break;
    hash.update(piece.subarray(0, n));
    pos += n;
  }
  return hash.digest('hex');
}

/**
 * Writes new files, all or none. Every target is checked first, so a refusal leaves nothing
 * half-written: no target may be one of the command's `inputs` (even with `force`), nor a folder;
 * with `force` existing files are replaced.
 */
export async function writeNewFiles(files: (NewFile | StreamedFile)[], force: boolean, inputs: string[]): Promise<void> {
  refuseOutputs(files.map((f) => f.path), inputs);
  if (!force) {
    const existing = files.find((f) => fs.existsSync(f.path));
    if (existing) throw new InputError(`${shown(existing.path)} already exists; pass --force to overwrite it`);
  }
  for (const dir of new Set(files.map((f) => path.dirname(f.path)))) fs.mkdirSync(dir, { recursive: true });
  // Files given as pieces are made only now, as they are written: a refusal above costs nothing.
  await writeStreamedFilesAtomic(files);
}

/** An InputError for the first output that is an input of the command or cannot be written as a file. */
export function refuseOutputs(outputs: string[], inputs: string[]): void {
  const over = outputOverInput(outputs, inputs);
  if (over) {
    const input = shown(over.output) !== shown(over.input) ? ` (the same file as ${shown(over.input)})` : '';
    throw new InputError(`${shown(over.output)} is an input of this command${input}: Tuneset never writes over its input, not even with --force; choose another output`);
  }
  for (const output of outputs) {
    const why = notWritableAsFile(output);
    if (why) throw new InputError(`${shown(output)} ${why}`);
  }
}

export function shown(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/') || file;
}

/** Splits a comma-separated option value into trimmed, non-empty items. */
export function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A whole number option, or an InputError naming the option. */
export function wholeNumber(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new InputError(`--${name} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}

/** Runs a command body, turning InputErrors and the engine's OptionsErrors into a message and exit code 2. */
export async function runCommand(body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof InputError || e instanceof OptionsError) {
      process.stderr.write(`tuneset: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** An InputError for a file none of whose rows can be used, naming the first bad line and its problem. */
export function noUsableRows(display: string, rows: number, excluded: { line: number; reason: string }[]): InputError {
  if (!rows) return new InputError(`${display}: the file has no rows`);
  const first = excluded[0];
  return new InputError(`${display}: none of its ${fmt(rows)} row${rows === 1 ? '' : 's'} can be used${first ? ` (line ${first.line}: ${first.reason})` : ''}`);
}

/** "positive 400 · negative 380" for a label count record. */
export function labelSummary(labels: Record<string, number>): string {
  const entries = Object.entries(labels).filter(([, n]) => n > 0);
  return entries.length ? entries.map(([l, n]) => `${l} ${fmt(n)}`).join(' · ') : '(no labels)';
}

export { fmt };
