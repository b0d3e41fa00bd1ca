import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, shown } from './datasetFile';

/**
 * Finding and reading the NAME.split.json a split left, so augmentation draws only from the train
 * split and checks its new rows against the others (no leakage by augmentation).
 */

export interface SplitFiles {
  /** The file to augment: the train split. */
  input: string;
  /** The other splits' files. */
  heldOut: string[];
}

interface ManifestShape {
  kind?: string;
  source?: { file?: string };
  splits?: { name?: string; file?: string }[];
}

function parse(file: string): ManifestShape | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const m = doc as ManifestShape;
  return m && m.kind === 'split' && Array.isArray(m.splits) ? m : undefined;
}

/** The train split and the held-out splits of a manifest, as paths beside it. */
export function readSplitManifest(manifest: string): SplitFiles {
  if (!fs.existsSync(manifest)) throw new InputError(`${shown(manifest)}: no such file`);
  const m = parse(manifest);
  if (!m) throw new InputError(`${shown(manifest)}: not a split manifest (a NAME.split.json written by tuneset split)`);
  const dir = path.dirname(manifest);
  const splits = m.splits!.filter((s) => typeof s.file === 'string' && typeof s.name === 'string');
  const train = splits.find((s) => s.name === 'train');
  if (!train) throw new InputError(`${shown(manifest)} has no train split (${splits.map((s) => s.name).join(', ')}); augment one file with --whole-file`);
  return { input: path.join(dir, train.file!), heldOut: splits.filter((s) => s !== train).map((s) => path.join(dir, s.file!)) };
}

/**
 * The manifest beside a file that names it, and the file's role there: the split's source, its
 * train split, or a held-out split. NAME.jsonl and NAME.train.jsonl both look for NAME.split.json.
 */
export function findSplitManifest(file: string): { manifest: string; role: 'source' | 'train' | 'held-out' } | undefined {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const stem = base.replace(/\.(jsonl|ndjson|csv|tsv|json)$/i, '');
  const stems = [stem];
  if (stem.includes('.')) stems.push(stem.slice(0, stem.lastIndexOf('.')));
  for (const s of stems) {
    const manifest = path.join(dir, `${s}.split.json`);
    const m = fs.existsSync(manifest) ? parse(manifest) : undefined;
    if (!m) continue;
    if (m.source?.file === base) return { manifest, role: 'source' };
    const own = m.splits!.find((x) => x.file === base);
    if (own) return { manifest, role: own.name === 'train' ? 'train' : 'held-out' };
  }
  return undefined;
}
