import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDatasetPath, isJsonDataset } from '../engine';

const SKIP_DIRS = new Set(['node_modules', '.git', '.vscode-test', 'dist', '.venv', '__pycache__']);

/** Expands file and directory arguments into dataset files (directories recursively, sorted). */
export function expandInputs(inputs: string[]): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      errors.push(`${input}: no such file or directory`);
      continue;
    }
    if (stat.isDirectory()) walk(input, files);
    else files.push(input);
  }
  return { files, errors };
}

function walk(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(full, out);
    } else if (isDatasetPath(e.name) && (!e.name.toLowerCase().endsWith('.json') || isJsonDataset(readHead(full)))) {
      out.push(full);
    }
  }
}

function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a file atomically: a temp file beside it, then a rename, so a reader never sees half a file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
