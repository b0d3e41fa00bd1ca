/**
 * What the command line says when something fails that no command foresaw. A user (or a CI log) gets
 * one line that names the problem, a hint, and exit code 2 (1 means "findings" to CI), never a raw
 * stack trace: the stack is for us, shown with --debug or TUNESET_DEBUG=1.
 */

/** The flag that shows stack traces; it may stand anywhere among the arguments. */
export const DEBUG_FLAG = '--debug';

/** The arguments without --debug, and whether it (or TUNESET_DEBUG=1) asked for stack traces. */
export function takeDebugFlag(argv: string[], env: NodeJS.ProcessEnv = process.env): { argv: string[]; debug: boolean } {
  const rest = argv.filter((a) => a !== DEBUG_FLAG);
  return { argv: rest, debug: rest.length !== argv.length || env.TUNESET_DEBUG === '1' };
}

/** What the system calls an error code, in words, for the messages of errors on a path. */
const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'links lead round in a loop',
  EBUSY: 'busy',
  EIO: 'input/output error',
};

/**
 * The lines for an error no command handled. An error the system raised on a path (a full disk, a
 * folder without permission) is the environment's, said in one line; anything else is a bug of ours,
 * said with a hint and where to report it.
 */
export function lastResortLines(e: unknown, version: string, debug: boolean): string[] {
  const error = e instanceof Error ? e : new Error(String(e));
  const system = systemProblem(error as NodeJS.ErrnoException);
  const stack = debug && error.stack ? [error.stack] : [];
  if (system) return [`tuneset: ${system}`, ...stack];
  const hint = debug ? [] : [`hint: run it again with ${DEBUG_FLAG} (or TUNESET_DEBUG=1) to see where it failed`];
  return [`tuneset: ${oneLine(error.message) || error.name}`, ...hint, `this is a bug in Tuneset: please report it (tuneset ${version}, node ${process.version})`, ...stack];
}

/** "out/x.html: permission denied (EACCES)" for an error the system raised on a path, else undefined. */
function systemProblem(e: NodeJS.ErrnoException & { dest?: string }): string | undefined {
  if (!e.code || !e.syscall || !e.path) return undefined;
  return `${targetOfTemp(e.dest ?? e.path)}: ${SYSTEM_ERRORS[e.code] ?? oneLine(e.message)} (${e.code})`;
}

/** The file a temp (`DIR/.NAME.PID.TIME.tmp`) was written for: the user named that one, not the temp. */
function targetOfTemp(file: string): string {
  return file.replace(/(^|[/\\])\.([^/\\]+)\.\d+\.\d+(?:-\d+)?\.tmp$/, '$1$2');
}

const oneLine = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');

let installed = false;

/**
 * The process-wide net for the command line: an exception thrown outside the command's promise
 * chain, or a promise rejected with nobody to catch it, ends the process the same way (exit 2),
 * never with Node's own dump. Only the CLI's entry installs it: tests that call main() keep theirs.
 */
export function installLastResort(version: string, debug: boolean): void {
  if (installed) return;
  installed = true;
  const end = (e: unknown) => {
    process.stderr.write(lastResortLines(e, version, debug).join('\n') + '\n');
    process.exit(2);
  };
  process.on('uncaughtException', end);
  process.on('unhandledRejection', end);
}
