import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors';
import { shown } from './inputs';
import { notWritableAsFile, outputOverInput } from './outputPaths';

/** Writing new files atomically: a temp beside each target, then renames, all or nothing. */

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

/** Who reads the inputs an output must not replace, as the refusal names it. */
export type Reader = 'this command' | 'the report' | 'this panel';

/**
 * An InputError for the first output that is an input (of the command, the report or the panel that
 * writes it) or cannot be written as a file: one check for the CLI's commands and the editor's panels.
 */
export function refuseOutputs(outputs: string[], inputs: string[], reader: Reader = 'this command'): void {
  // The editor's panels name files in full (the server's working folder means nothing to the user).
  const show = reader === 'this panel' ? (file: string) => file : shown;
  const over = outputOverInput(outputs, inputs);
  if (over) {
    const input = show(over.output) !== show(over.input) ? ` (the same file as ${show(over.input)})` : '';
    const never = reader === 'the report' ? 'what it reads' : 'its input';
    const force = reader === 'this panel' ? '' : ', not even with --force';
    throw new InputError(`${show(over.output)} is an input of ${reader}${input}: Tuneset never writes over ${never}${force}; choose another output`);
  }
  for (const output of outputs) {
    const why = notWritableAsFile(output);
    if (why) throw new InputError(`${show(output)} ${why}`);
  }
}
