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
        if (e.name === 'node_modules' || e.name === '.git' || isExcluded(rel, excludes)) continue;
        if (e.isDirectory()) walk(full);
        // Only regular files are read: opening a named pipe (or a device) found in a workspace would hang the scan.
        else if (e.isFile() && isDatasetPath(e.name) && (!e.name.toLowerCase().endsWith('.json') || jsonHead(full))) out.push(full);
      }
    };
    walk(root);
  }
  return out.sort();
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
