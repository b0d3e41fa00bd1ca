import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectDatasetFormat, openReader, OptionsError, parseConfig, type Config, type DatasetContainer, type DatasetReader, type Detection } from '../engine';
import { judgeNamedFile, READS, writeFileAtomic } from './files';
import { formatCount as fmt } from '../engine/format';
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

export interface DatasetFile {
  file: string;
  /** The path as shown in messages (relative to the working folder). */
  display: string;
  /** How its bytes are read: the extension's container, or the one sniffed for a file whose name says none. */
  container: DatasetContainer;
  bytes: Uint8Array;
  reader: DatasetReader;
  detection: Detection;
  /** The settings detection used (defaults plus the hints), for an analysis of the same file. */
  config: Config;
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

/** Reads a dataset file and detects its format; a missing or unknown file is an InputError. */
export function readDatasetFile(file: string, hints: DetectionHints = {}): DatasetFile {
  const display = path.relative(process.cwd(), file).split(path.sep).join('/') || file;
  let container: DatasetContainer;
  let bytes: Uint8Array;
  try {
    container = namedDatasetContainer(file, display);
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    throw new InputError(code === 'ENOENT' ? `${display}: no such file` : `${display}: cannot read (${code})`);
  }
  const { config, problems } = parseConfig(Object.fromEntries(Object.entries(hints).filter(([, v]) => v !== undefined)));
  if (problems.length) throw new InputError(problems.join('; '));
  const reader = openReader(file, bytes, container, config);
  const detection = detectDatasetFormat(reader.rows(), config);
  for (const u of detection.unknownFields ?? []) {
    throw new InputError(`${display}: ${u.setting === 'textField' ? '--text-field' : '--label-field'} names "${u.field}", which is not a field of this file; its fields are ${u.available.join(', ')}`);
  }
  return { file, display, container, bytes, reader, config, detection };
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

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes new files atomically. Every target is checked first, so a refusal to overwrite leaves
 * nothing half-written; with `force` existing files are replaced.
 */
export function writeNewFiles(files: { path: string; data: string | Uint8Array }[], force: boolean): void {
  if (!force) {
    const existing = files.find((f) => fs.existsSync(f.path));
    if (existing) throw new InputError(`${shown(existing.path)} already exists; pass --force to overwrite it`);
  }
  for (const f of files) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    writeFileAtomic(f.path, f.data);
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
