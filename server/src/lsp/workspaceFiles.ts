import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDatasetPath, isJsonDataset } from '../engine';
import type { GlobMatcher } from './glob';
import { isExcluded } from './settings';

/** Every dataset file below the folders, skipping excluded paths (files.exclude and tuneset.exclude). */
export function listDatasetFiles(folders: string[], excludes: GlobMatcher[]): string[] {
  const out: string[] = [];
  for (const root of folders) {
    const walk = (dir: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        const rel = path.relative(root, full).split(path.sep).join('/');
        if (skipped(e.name) || isExcluded(rel, excludes)) continue;
        if (e.isDirectory()) walk(full);
        // Only regular files are read: opening a named pipe (or a device) found in a workspace would hang the scan.
        else if (e.isFile() && looksLikeDataset(full)) out.push(full);
      }
    };
    walk(root);
  }
  return out.sort();
}

/** Folders the scan never enters. */
const skipped = (name: string) => name === 'node_modules' || name === '.git';

/** A dataset extension, and for .json an array of objects at its head. */
function looksLikeDataset(file: string): boolean {
  return isDatasetPath(path.basename(file)) && (!file.toLowerCase().endsWith('.json') || jsonHead(file));
}

/**
 * True when the workspace scan would check this file (a changed file the watcher reports): a dataset
 * file (package.json and tsconfig.json are not) in a workspace folder, outside node_modules and .git,
 * not excluded (files.exclude and tuneset.exclude), and a regular file.
 */
export function isWorkspaceDatasetFile(file: string, folders: string[], excludes: GlobMatcher[]): boolean {
  const root = folders.find((f) => {
    const rel = path.relative(f, file);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  });
  // Outside every workspace folder there is no exclude to apply (a file the editor's watcher reports is in one).
  const rel = root === undefined ? path.basename(file) : path.relative(root, file).split(path.sep).join('/');
  if (rel.split('/').some(skipped) || isExcluded(rel, excludes)) return false;
  return !!fs.statSync(file, { throwIfNoEntry: false })?.isFile() && looksLikeDataset(file);
}

function jsonHead(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    return isJsonDataset(buf.subarray(0, n));
  } catch {
    return false;
  }
}
