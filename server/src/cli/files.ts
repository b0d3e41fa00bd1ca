import * as fs from 'node:fs';
import * as path from 'node:path';
import { nonRegularKind } from '../analyzeFile';
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

/**
 * Temp files being written and not yet renamed into place. A process that ends before the rename
 * (an error, Ctrl-C, a kill) removes them, so no hidden `.NAME.PID.TIME.tmp` is left beside the user's files.
 */
const tempsInFlight = new Set<string>();

/** The signals that end a process early whose temps are removed first; SIGKILL cannot be caught. */
const ENDING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

let exitHookAdded = false;

function removeTempsInFlight(): void {
  for (const tmp of tempsInFlight) fs.rmSync(tmp, { force: true });
  tempsInFlight.clear();
}

/**
 * Removes the temps, then lets the signal do what it would have done without us: the listener is
 * only there while temps are in flight, so that Ctrl-C stops a long analysis at once as usual.
 */
function onEndingSignal(signal: NodeJS.Signals): void {
  removeTempsInFlight();
  stopWatchingSignals();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function watchSignals(): void {
  if (!exitHookAdded) {
    process.on('exit', removeTempsInFlight);
    exitHookAdded = true;
  }
  for (const signal of ENDING_SIGNALS) if (!process.listeners(signal).includes(onEndingSignal)) process.on(signal, onEndingSignal);
}

function stopWatchingSignals(): void {
  for (const signal of ENDING_SIGNALS) process.off(signal, onEndingSignal);
}

function trackTemp(tmp: string): void {
  if (!tempsInFlight.size) watchSignals();
  tempsInFlight.add(tmp);
}

/**
 * A signal that came during a synchronous write is handled once the write returns, by the event
 * loop's next look for input: the listener stays until then (two turns of the loop later, so that one
 * such look comes first), or the signal would find no listener and be lost.
 */
function untrackTemp(tmp: string): void {
  tempsInFlight.delete(tmp);
  if (!tempsInFlight.size) {
    setImmediate(() =>
      setImmediate(() => {
        if (!tempsInFlight.size) stopWatchingSignals();
      }),
    );
  }
}

/** A hidden name beside the file, unique to this process and moment: `.NAME.PID.TIME.KIND`. */
function besideName(file: string, kind: 'tmp' | 'bak', k: number): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}${k ? `-${k}` : ''}.${kind}`);
}

/** Writes a file atomically: a temp file beside it, then a rename, so a reader never sees half a file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  writeFilesAtomic([{ path: file, data }]);
}

/** A file to write: where, and what. */
export interface NewFile {
  path: string;
  data: string | Uint8Array;
}

/**
 * A file written piece by piece (a split of a file of any size, an augmentation to any target): each
 * piece is written before the next is asked for, so the file is never held whole.
 */
export interface StreamedFile {
  path: string;
  pieces: Iterable<Uint8Array>;
}

/**
 * Writes a set of files all or nothing (a split's train/val/test files and its manifest): every file
 * goes to a temp beside its target first; only when all are written are they renamed into place. If
 * a rename fails, the files already renamed are taken back: a file that existed gets its old content
 * back (kept under a second, hidden name until the set is complete), a new one is removed. No temp is
 * left either way. Everything here is synchronous, so a signal is handled only once the set is whole.
 */
export function writeFilesAtomic(files: NewFile[]): void {
  const temps = files.map((f, k) => besideName(f.path, 'tmp', k));
  try {
    files.forEach((f, k) => {
      trackTemp(temps[k]);
      fs.writeFileSync(temps[k], f.data);
    });
    renameAllOrNone(temps, files.map((f) => f.path));
  } finally {
    removeTemps(temps);
  }
}

/**
 * writeFilesAtomic for files written piece by piece (and any written whole): all or nothing in the
 * same way, with memory bounded by a piece whatever the files' sizes. Writing a big set takes a
 * while, so the event loop gets a turn now and then: Ctrl-C (or a kill) then ends the process at
 * once, its temps removed and no file of the set in place, instead of once the set is whole.
 */
export async function writeStreamedFilesAtomic(files: (NewFile | StreamedFile)[]): Promise<void> {
  const temps = files.map((f, k) => besideName(f.path, 'tmp', k));
  try {
    for (const [k, f] of files.entries()) {
      trackTemp(temps[k]);
      if ('data' in f) fs.writeFileSync(temps[k], f.data);
      else await writePieces(temps[k], f.pieces);
    }
    renameAllOrNone(temps, files.map((f) => f.path));
  } finally {
    removeTemps(temps);
  }
}

/** Time between two turns of the event loop while pieces are written, so a signal is handled soon. */
const MS_BETWEEN_TURNS = 50;

/** Writes pieces to a new file in order, each before the next is asked for (a piece may reuse the last one's buffer). */
async function writePieces(file: string, pieces: Iterable<Uint8Array>): Promise<void> {
  const fd = fs.openSync(file, 'w');
  try {
    let lastTurn = performance.now();
    for (const piece of pieces) {
      for (let at = 0; at < piece.length; ) at += fs.writeSync(fd, piece, at, piece.length - at);
      if (performance.now() - lastTurn >= MS_BETWEEN_TURNS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastTurn = performance.now();
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

function removeTemps(temps: string[]): void {
  for (const tmp of temps) {
    fs.rmSync(tmp, { force: true });
    untrackTemp(tmp);
  }
}

/** Renames each temp onto its target; on a failure, puts back every target renamed so far and throws. */
function renameAllOrNone(temps: string[], targets: string[]): void {
  const done: { target: string; old: string | undefined }[] = [];
  let pending: string | undefined;
  try {
    targets.forEach((target, k) => {
      pending = keepOld(target, k);
      fs.renameSync(temps[k], target);
      done.push({ target, old: pending });
      pending = undefined;
    });
  } catch (e) {
    // The target whose rename failed still holds its old content: only its second name goes.
    if (pending) fs.rmSync(pending, { force: true });
    for (const { target, old } of done.reverse()) putBack(target, old);
    throw e;
  }
  for (const { old } of done) if (old) fs.rmSync(old, { force: true });
}

/** A second name for a file about to be replaced (its old content, to put back), or undefined when there is none. */
function keepOld(target: string, k: number): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return undefined;
  }
  const old = besideName(target, 'bak', k);
  // A link being replaced (the rename replaces the link, not what it leads to) is kept as the same link.
  if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(target), old);
  else if (!stat.isFile()) return undefined;
  else {
    try {
      fs.linkSync(target, old);
    } catch {
      // A file system without hard links keeps a copy instead.
      fs.copyFileSync(target, old, fs.constants.COPYFILE_EXCL);
    }
  }
  return old;
}

function putBack(target: string, old: string | undefined): void {
  try {
    if (old) fs.renameSync(old, target);
    else fs.rmSync(target, { force: true });
  } catch {
    // Taking back is done as far as it can be; the first failure is the one reported.
  }
}
