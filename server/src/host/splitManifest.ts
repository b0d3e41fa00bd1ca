import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors';
import { shown } from './inputs';
import { isInside } from './outputPaths';

/**
 * Finding and reading the NAME.split.json a split left, so augmentation draws only from the train
 * split and checks its new rows against the others (no leakage by augmentation).
 */

export interface SplitFiles {
  /** The file to augment: the train split. */
  input: string;
  /** The other splits' files. */
  heldOut: string[];
  /** The manifest that named them, when there is one. */
  manifest?: string;
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

/**
 * The train split and the held-out splits of a manifest, as paths beside it. A split names a file by
 * its name alone (split writes them beside the manifest): a manifest naming `../elsewhere/x.jsonl`, a
 * path from the root, or a link that leads out of the manifest's folder is refused, since augment would
 * read there and write its output beside it.
 */
export function readSplitManifest(manifest: string): SplitFiles {
  if (!fs.existsSync(manifest)) throw new InputError(`${shown(manifest)}: no such file`);
  const m = parse(manifest);
  if (!m) throw new InputError(`${shown(manifest)}: not a split manifest (a NAME.split.json written by tuneset split)`);
  const dir = path.dirname(manifest);
  const splits = m.splits!.filter((s) => typeof s.file === 'string' && typeof s.name === 'string');
  for (const s of splits) {
    const outside = outsideReason(dir, s.file!);
    if (outside) throw new InputError(`${shown(manifest)}: split "${s.name}" names ${JSON.stringify(s.file)}, ${outside}; Tuneset reads and writes split files only beside their manifest or in a folder under it`);
  }
  const train = splits.find((s) => s.name === 'train');
  if (!train) throw new InputError(`${shown(manifest)} has no train split (${splits.map((s) => s.name).join(', ')}); augment one file with --whole-file`);
  return { input: path.join(dir, train.file!), heldOut: splits.filter((s) => s !== train).map((s) => path.join(dir, s.file!)), manifest };
}

/** Why a split's file is not a file beside the manifest, or undefined when it is one. */
export function outsideReason(dir: string, file: string): string | undefined {
  if (file === '' || file === '.' || file === '..' || file.includes('\0')) return 'which is not a file name';
  // A file beside the manifest, or in a folder under it (split writes "train/val.jsonl" for a source
  // already named "train.jsonl"); never a way up or out.
  if (path.isAbsolute(file) || /^[a-z]:/i.test(file) || file.split(/[/\\]/).some((seg) => seg === '' || seg === '.' || seg === '..')) return 'a path out of the manifest\'s folder';
  // A folder on the way that is a link must lead somewhere: a dangling one is no folder under the manifest's.
  let at = dir;
  for (const seg of file.split(/[/\\]/).slice(0, -1)) {
    at = path.join(at, seg);
    let link = false;
    try {
      link = fs.lstatSync(at).isSymbolicLink();
    } catch {
      // Not there: nothing to follow.
    }
    if (link && !fs.existsSync(at)) return 'a link that leads out of the manifest\'s folder';
  }
  const full = path.join(dir, file);
  if (!isInside(full, dir)) return 'a link that leads out of the manifest\'s folder';
  return undefined;
}

/**
 * The manifest beside a file that names it, and the file's role there: the split's source, its
 * train split, or a held-out split. NAME.jsonl and NAME.train.jsonl both look for NAME.split.json;
 * train/val.jsonl (the parts of a source named train.jsonl) looks for train.split.json beside its folder.
 */
export function findSplitManifest(file: string): { manifest: string; role: 'source' | 'train' | 'held-out' } | undefined {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const stem = base.replace(/\.(jsonl|ndjson|csv|tsv|json)$/i, '');
  const stems = [stem];
  if (stem.includes('.')) stems.push(stem.slice(0, stem.lastIndexOf('.')));
  // The manifest beside the file, or, for a part in the folder split made for a source already named
  // for a split ("train.jsonl" → "train/val.jsonl"), the one beside that folder.
  const places = stems.map((s) => ({ manifest: path.join(dir, `${s}.split.json`), name: base }));
  places.push({ manifest: path.join(path.dirname(dir), `${path.basename(dir)}.split.json`), name: `${path.basename(dir)}/${base}` });
  for (const { manifest, name } of places) {
    const m = fs.existsSync(manifest) ? parse(manifest) : undefined;
    if (!m) continue;
    if (m.source?.file === name) return { manifest, role: 'source' };
    const own = m.splits!.find((x) => x.file === name);
    if (own) return { manifest, role: own.name === 'train' ? 'train' : 'held-out' };
  }
  return undefined;
}
