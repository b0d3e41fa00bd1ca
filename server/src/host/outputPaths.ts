import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where new files may go. A command writes only what the user named, and never over what it reads:
 * paths are compared where they really lead (through links, `..` and other spellings of a path), so
 * `report X --html X --force` or an output that is a link to the input are refused whatever --force says.
 */

/**
 * Where a path really leads: its real path when it exists; for a file not written yet, the real path
 * of its nearest existing folder with the rest of the path after it.
 */
export function realTarget(file: string): string {
  const rest: string[] = [];
  let current = path.resolve(file);
  for (;;) {
    try {
      return path.join(fs.realpathSync(current), ...rest);
    } catch {
      const up = path.dirname(current);
      if (up === current) return path.resolve(file);
      rest.unshift(path.basename(current));
      current = up;
    }
  }
}

/** The same file: one real path, or (for files that exist) one file reached by two names (a hard link, another letter case). */
export function sameFile(a: string, b: string): boolean {
  if (realTarget(a) === realTarget(b)) return true;
  const sa = statOrUndefined(a);
  const sb = statOrUndefined(b);
  return !!sa && !!sb && sa.dev === sb.dev && sa.ino === sb.ino;
}

/** True when a path leads into the folder (or is the folder itself), links followed. */
export function isInside(file: string, folder: string): boolean {
  const rel = path.relative(realTarget(folder), realTarget(file));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The first output that would write over an input, with that input; undefined when none does. */
export function outputOverInput(outputs: string[], inputs: string[]): { output: string; input: string } | undefined {
  for (const output of outputs) {
    const input = inputs.find((i) => sameFile(output, i));
    if (input !== undefined) return { output, input };
  }
  return undefined;
}

/** Why an output cannot be written as a file (it is a folder, or its folder is a file), or undefined when it can. */
export function notWritableAsFile(file: string): string | undefined {
  const stat = statOrUndefined(file);
  if (stat?.isDirectory()) return 'is a folder, not a file';
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const up = statOrUndefined(dir);
    if (up) return up.isDirectory() ? undefined : `cannot be written: ${dir} is a file, not a folder`;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
