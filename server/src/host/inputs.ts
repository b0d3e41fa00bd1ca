import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors';
import { nonRegularKind } from './analyzeFile';
import {
  containerOfPath, describeForeignFormat, foreignFormatByMagic, foreignFormatByName, isJsonDataset, READABLE_FORMATS, SNIFF_BYTES, sniffContainer,
  type DatasetContainer,
} from '../engine';

const SKIP_DIRS = new Set(['node_modules', '.git', '.vscode-test', 'dist', '.venv', '__pycache__']);

/** Extension-less files of a project that are never datasets: a folder walk does not sniff them (a Makefile's tabs are no table). */
const NOT_DATA = /^(makefile|gnumakefile|dockerfile|containerfile|license|licence|copying|notice|authors|contributors|codeowners|readme|changelog|procfile|gemfile|rakefile|vagrantfile|jenkinsfile)$/i;

/** A file to check, and how its bytes are read (its extension's container, or the one sniffed). */
export interface DatasetInput {
  file: string;
  container: DatasetContainer;
}

/** A file that is not read, and why: shown once as "skipped FILE: WHY". */
export interface SkippedInput {
  file: string;
  reason: string;
  /** The reason is the file's format (not, say, a named pipe): the notice then says which formats Tuneset reads. */
  format: boolean;
}

/** What the command line's files and folders hold: files to check, files skipped, and paths that are not there. */
export interface ExpandedInputs {
  files: DatasetInput[];
  skipped: SkippedInput[];
  errors: string[];
}

/** How a file is read, or why it is not; undefined for files a folder holds that are not datasets (passed over in silence). */
export type FileVerdict = { container: DatasetContainer } | { skip: string; format: boolean } | undefined;

/**
 * Expands file and directory arguments into dataset files (directories recursively, sorted). Files
 * named are read whatever their name when their first bytes show JSON Lines, CSV or TSV; in folders,
 * only dataset extensions and extension-less files are (README.md is passed over). Archives, formats
 * Tuneset does not read and paths that are not regular files (named pipes, sockets, devices) are skipped.
 */
export function expandInputs(inputs: string[]): ExpandedInputs {
  const out: ExpandedInputs = { files: [], skipped: [], errors: [] };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      out.errors.push(`${input}: no such file or directory`);
      continue;
    }
    if (stat.isDirectory()) walk(input, out);
    else take(input, stat, true, out);
  }
  return out;
}

function walk(dir: string, out: ExpandedInputs): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    // A folder the user may not read is said once, and the rest of the walk goes on.
    out.errors.push(`${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(full, out);
      continue;
    }
    let stat: fs.Stats | fs.Dirent = e;
    try {
      // A link is judged by what it points to (a link to a named pipe must not be opened either).
      if (e.isSymbolicLink()) stat = fs.statSync(full);
    } catch (err) {
      brokenLink(full, err as NodeJS.ErrnoException, out);
      continue;
    }
    if (!stat.isDirectory()) take(full, stat, false, out);
  }
}

/**
 * A link in a folder that leads nowhere (or round in a loop): when its name says it is a dataset, the
 * user would expect it checked, so it is listed as skipped; other broken links are no concern of ours.
 */
function brokenLink(link: string, e: NodeJS.ErrnoException, out: ExpandedInputs): void {
  if (!containerOfPath(path.basename(link))) return;
  const why = e.code === 'ELOOP' ? 'a link that leads round in a loop' : e.code === 'ENOENT' ? 'a broken link (what it points to does not exist)' : `a link that cannot be followed (${e.code ?? e.message})`;
  out.skipped.push({ file: link, reason: why, format: false });
}

/** Sorts one file into the files to check, the files skipped, or (for a folder's other files) neither. */
function take(file: string, stat: fs.Stats | fs.Dirent, named: boolean, out: ExpandedInputs): void {
  let verdict: FileVerdict;
  try {
    verdict = judgeFile(file, stat, named);
  } catch (e) {
    out.errors.push(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return;
  }
  if (verdict && 'container' in verdict) out.files.push({ file, container: verdict.container });
  else if (verdict) out.skipped.push({ file, reason: verdict.skip, format: verdict.format });
}

/**
 * How a file is read, or why it is not. `named`: the user named the file, so whatever its name its
 * first bytes are sniffed and a file that is not read says why; a file found in a folder is sniffed
 * only without an extension, and only dataset-like files (archives, Parquet, ARFF…) are noticed.
 * Throws when a file that may be a dataset cannot be read.
 */
export function judgeFile(file: string, stat: fs.Stats | fs.Dirent, named: boolean): FileVerdict {
  if (!stat.isFile()) return { skip: `not a regular file (${nonRegularKind(stat)})`, format: false };
  const name = path.basename(file);
  const byName = containerOfPath(name);
  const foreign = foreignFormatByName(name);
  const extensionless = !name.startsWith('.') && path.extname(name) === '' && !NOT_DATA.test(name);
  if (!byName && !foreign && !named && !extensionless) return undefined;
  let head: Uint8Array;
  try {
    head = readHead(file);
  } catch (e) {
    // A file of another kind found in a folder is no concern of ours, readable or not.
    if (!byName && !named) return undefined;
    throw e;
  }
  const magic = foreignFormatByMagic(head);
  if (foreign || magic) return { skip: describeForeignFormat((foreign ?? magic)!), format: true };
  if (byName === 'json' && !named && !isJsonDataset(head)) return undefined;
  if (byName) return { container: byName };
  const sniffed = sniffContainer(head);
  if (sniffed) return { container: sniffed };
  return named ? { skip: 'not a dataset: its first lines are neither JSON objects nor columns separated by commas or tabs', format: true } : undefined;
}

/** How a file named on the command line is read, or why not (for the one-file commands). Throws when it cannot be read. */
export function judgeNamedFile(file: string): NonNullable<FileVerdict> {
  return judgeFile(file, fs.statSync(file), true)!;
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

/** The formats Tuneset reads, as the notices end. */
export const READS = `Tuneset reads ${READABLE_FORMATS}`;

/** Skipped files listed one by one up to this many; the rest are counted. */
const SHOWN_SKIPPED = 20;

/**
 * The notices of what was skipped and, when nothing was left to check, why the check read nothing:
 * lines for stderr, each starting "tuneset: ". The formats Tuneset reads are said once.
 */
export function skippedNotices(expanded: ExpandedInputs, inputs: string[], display: (file: string) => string): string[] {
  const { files, skipped } = expanded;
  const lines = skipped.slice(0, SHOWN_SKIPPED).map((s) => `tuneset: skipped ${display(s.file)}: ${s.reason}`);
  if (skipped.length > SHOWN_SKIPPED) lines.push(`tuneset: … and ${skipped.length - SHOWN_SKIPPED} more skipped`);
  const folders = inputs.filter((i) => isFolder(i)).map((i) => `${display(i).replace(/\/+$/, '')}/`);
  const count = `${skipped.length} file${skipped.length === 1 ? '' : 's'}`;
  if (!files.length && folders.length) {
    lines.push(`tuneset: no dataset files found in ${folders.join(', ')} (${skipped.length ? `skipped ${count}; ` : ''}${READS})`);
  } else if (skipped.length === 1) {
    if (skipped[0].format) lines[0] += ` (${READS})`;
  } else if (skipped.length > 1) {
    lines.push(`tuneset: skipped ${count}${skipped.some((s) => s.format) ? ` (${READS})` : ''}`);
  }
  return lines;
}

function isFolder(input: string): boolean {
  try {
    return fs.statSync(input).isDirectory();
  } catch {
    return false;
  }
}

/** The first bytes of a file, enough to sniff it (a regular file: the caller made sure). */
function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** A path as messages show it: relative to the working folder, with forward slashes. */
export function shown(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/') || file;
}
