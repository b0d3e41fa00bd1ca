import { FindingBuilder, type AnalyzeOptions } from '../analysis/analyze';
import type { Config } from '../config';
import { bandColumns, buildBandTable, type BandTable } from '../similarity/bandTable';
import { candidatePairs } from '../similarity/lsh';
import { forEachRepeat } from '../similarity/repeats';
import { sketchSettings, type RowIndex } from '../similarity/rowIndex';
import type { RowLookup } from '../similarity/rowLookup';
import { jaccard, rowShingleSet } from '../similarity/shingles';
import { extractRow } from '../schema/extract';
import type { Finding } from '../types';
import { roundSimilarity, SHINGLE_CACHE_ROWS } from './nearDuplicates';

/**
 * cross-file-leak: rows of held-out files (validation, test) that also appear, exactly or as a
 * verified near-duplicate, in a training file. It works on the compact row indexes analyses keep
 * (`rowIndex` option) and reads rows again only to verify near candidates and to place findings.
 */

/** One analyzed file taking part: its path (as findings should name it), row index and rows. */
export interface LeakSource {
  path: string;
  /**
   * The whole file a split was made from (its manifest names it as the source): every row of its
   * parts comes from it, so it is neither training nor held-out data and takes no part in the check.
   */
  splitSource?: boolean;
  index: RowIndex;
  rows: RowLookup;
}

export type SplitRole = 'held-out' | 'train';

/**
 * The role a file's name gives it: a held-out word (val, test, …) or a train word as a word of the
 * file name or, when the name has none, of its folder's name (`data/test.jsonl`, `sst2_dev.tsv`,
 * `test/part-0.jsonl`; `test/train.jsonl` is training data). Held-out wins when both appear in one name.
 */
export function fileSplitRole(path: string, config: Pick<Config, 'heldOutFileWords' | 'trainFileWords'>): SplitRole | undefined {
  const parts = path.split(/[\\/]/);
  const name = parts[parts.length - 1].replace(/\.(jsonl|ndjson|csv|tsv|json)$/i, '');
  const folder = parts.length > 1 ? parts[parts.length - 2] : '';
  // The file's own name first: split writes the parts of "test.jsonl" as "test/train.jsonl", a
  // training file in a folder named for the file it came from.
  return wordsRole(name, config) ?? wordsRole(folder, config);
}

/** The role the words of a name give (held-out wins when both appear), or undefined. */
function wordsRole(name: string, config: Pick<Config, 'heldOutFileWords' | 'trainFileWords'>): SplitRole | undefined {
  const roles = name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => splitWordRole(w, config));
  if (roles.includes('held-out')) return 'held-out';
  if (roles.includes('train')) return 'train';
  return undefined;
}

/**
 * The role one word of a file name gives it: a word of `heldOutFileWords` or `trainFileWords` (any
 * case), alone or with a common suffix ("testset", "valset", "traindata", "train_split" is two
 * words); held-out wins for a word in both lists. The one definition of the role words: the leak
 * check and the report's split comparison both read names with it.
 */
export function splitWordRole(word: string, config: Pick<Config, 'heldOutFileWords' | 'trainFileWords'>): SplitRole | undefined {
  const w = word.toLowerCase();
  const has = (list: string[]) => list.some((x) => {
    const role = x.toLowerCase();
    return w === role || w === `${role}set` || w === `${role}data` || w === `${role}split`;
  });
  if (has(config.heldOutFileWords)) return 'held-out';
  if (has(config.trainFileWords)) return 'train';
  return undefined;
}

/**
 * The k-fold a file belongs to, from its folder's name: a file in a folder named fold + a number
 * (`fold1`, `fold_2`, `fold-3`), as `split --folds` writes `NAME.folds/fold1/train.jsonl` and
 * `NAME.folds/fold1/val.jsonl`, is in that fold (the folder's path names it). Each fold's
 * validation rows are by design in the other folds' training files, so a held-out file in a fold is
 * compared with its own fold's training files only; a held-out file in no fold (a fixed test part)
 * is compared with every training file.
 */
export function fileSplitScope(path: string): string | undefined {
  const parts = path.split(/[\\/]/);
  if (parts.length < 2 || !/^fold[-_ ]?\d+$/i.test(parts[parts.length - 2])) return undefined;
  return parts.slice(0, -1).join('/');
}

/** An open-addressing table from exact-duplicate hash to the first global row with it. */
function hashTable(hashes: { values: Float64Array; offset: number }[], total: number): (h: number) => number {
  let capacity = 16;
  while (capacity < total * 2) capacity *= 2;
  const mask = capacity - 1;
  const keys = new Float64Array(capacity);
  const rows = new Int32Array(capacity).fill(-1);
  for (const { values, offset } of hashes) {
    for (let i = 0; i < values.length; i++) {
      const h = values[i];
      if (Number.isNaN(h)) continue;
      let slot = (h % 0x100000000) & mask;
      while (rows[slot] >= 0 && keys[slot] !== h) slot = (slot + 1) & mask;
      if (rows[slot] < 0) {
        keys[slot] = h;
        rows[slot] = offset + i;
      }
    }
  }
  return (h) => {
    let slot = (h % 0x100000000) & mask;
    while (rows[slot] >= 0) {
      if (keys[slot] === h) return rows[slot];
      slot = (slot + 1) & mask;
    }
    return -1;
  };
}

export interface LeakOptions extends AnalyzeOptions {
  /** Polled between steps; when it returns true the check stops and returns what it has (nothing). */
  cancelled?: () => boolean;
  /** The role of each file by its path, instead of its name's (the report compares val with test as test with train). */
  roles?: (path: string) => SplitRole | undefined;
  /** The fold of each file by its path, instead of its folder's (fileSplitScope); undefined: in no fold. */
  scopes?: (path: string) => string | undefined;
}

/**
 * Finds the held-out rows that leak from training files, among `files` (any order; files whose name
 * marks neither role are ignored). A held-out file in a k-fold's folder (fileSplitScope) is compared
 * with the training files of its own fold only; any other held-out file with every training file.
 * Returns the findings per held-out file path, on the held-out rows, with related information
 * pointing at the training row; files without leaks are left out. Band tables are cached per row
 * index, so checking again after one file changed rebuilds only its table.
 */
export function findCrossFileLeaks(files: LeakSource[], config: Config, options: LeakOptions = {}): Map<string, Finding[]> {
  const result = new Map<string, Finding[]>();
  if (config.rules['cross-file-leak'] === 'off') return result;
  const roleOf = options.roles ?? ((path: string) => fileSplitRole(path, config));
  const scopeOf = options.scopes ?? fileSplitScope;
  const train = files.filter((f) => !f.splitSource && roleOf(f.path) === 'train');
  const heldOut = files.filter((f) => !f.splitSource && roleOf(f.path) === 'held-out');
  // Held-out files by fold ('' for those in none), each fold's checked against the training files it may not share rows with.
  const byScope = new Map<string, LeakSource[]>();
  for (const f of heldOut) {
    const scope = scopeOf(f.path) ?? '';
    byScope.set(scope, [...(byScope.get(scope) ?? []), f]);
  }
  for (const [scope, held] of byScope) {
    const against = scope === '' ? train : train.filter((f) => scopeOf(f.path) === scope);
    for (const [path, findings] of leaksBetween(against, held, config, options)) result.set(path, findings);
    if (options.cancelled?.()) return new Map();
  }
  return result;
}

/** findCrossFileLeaks for one set of training files and the held-out files checked against all of them. */
function leaksBetween(train: LeakSource[], heldOut: LeakSource[], config: Config, options: LeakOptions): Map<string, Finding[]> {
  const result = new Map<string, Finding[]>();
  const cancelled = options.cancelled ?? (() => false);
  if (!train.length || !heldOut.length) return result;
  // Training rows are numbered first, so pairs come out as (held-out, training).
  const ordered = [...train, ...heldOut];
  const offsets: number[] = [];
  let total = 0;
  for (const f of ordered) {
    offsets.push(total);
    total += f.index.lines.length;
  }
  const fileOf = (global: number) => {
    let k = ordered.length - 1;
    while (offsets[k] > global) k--;
    return k;
  };
  const exact = hashTable(train.map((f, k) => ({ values: f.index.hashes, offset: offsets[k] })), offsets[train.length] ?? total);
  /** Per held-out global row: the matched training row and similarity (1 for an exact copy). */
  const match = new Map<number, { trainRow: number; similarity: number; exact: boolean }>();
  for (let k = train.length; k < ordered.length; k++) {
    const hashes = ordered[k].index.hashes;
    for (let i = 0; i < hashes.length; i++) {
      if (Number.isNaN(hashes[i])) continue;
      const t = exact(hashes[i]);
      if (t >= 0) match.set(offsets[k] + i, { trainRow: t, similarity: 1, exact: true });
    }
  }
  if (cancelled()) return result;
  findNearLeaks(ordered, offsets, total, train.length, config, match, fileOf, cancelled);
  if (cancelled()) return result;
  const builders = new Map<number, FindingBuilder>();
  for (const [global, m] of [...match].sort((a, b) => a[0] - b[0])) {
    const k = fileOf(global);
    const file = ordered[k];
    const row = file.rows.row(global - offsets[k]);
    if (!row || row.value === undefined) continue;
    const t = fileOf(m.trainRow);
    const trainPath = ordered[t].path;
    // The message names the training file as seen from the held-out one (the related location keeps the full path).
    const shown = relativePath(file.path, trainPath);
    const trainLine = ordered[t].index.lines[m.trainRow - offsets[t]];
    let out = builders.get(k);
    if (!out) builders.set(k, (out = new FindingBuilder(file.rows, file.index.detection.fields, config, options)));
    out.sink = [];
    const content = extractRow(row.value as Record<string, unknown>, file.index.detection.format, file.index.detection.fields);
    const s = roundSimilarity(m.similarity);
    out.emit(row, content, {
      rule: 'cross-file-leak',
      message: m.exact
        ? `This row is also in the training file ${shown} (line ${trainLine}): the model will have seen it`
        : `A near-identical row (similarity ${s.toFixed(2)}) is in the training file ${shown} (line ${trainLine})`,
      target: { path: ['@text'] },
      related: [{ path: trainPath, line: trainLine, message: m.exact ? 'the same row in training data' : `near-identical row in training data (similarity ${s.toFixed(2)})` }],
      data: { trainPath, trainLine, similarity: s, exact: m.exact },
      similarity: s,
      fix: { title: 'Remove this leaked row from the held-out file', kind: 'delete-row' },
    });
    const list = result.get(file.path);
    if (list) list.push(...out.sink);
    else result.set(file.path, out.sink);
  }
  return result;
}

// A file's band table, built once per row index (a row index is replaced, not changed, when its file changes).
const tables = new WeakMap<RowIndex, BandTable>();

function tableOf(index: RowIndex): BandTable {
  let table = tables.get(index);
  if (!table) {
    const count = index.lines.length;
    tables.set(index, (table = buildBandTable(bandColumns(index.bands, index.bandsPerRow, count), count)));
  }
  return table;
}

/** Adds verified near matches (training row of highest similarity) for held-out rows without an exact one. */
function findNearLeaks(
  ordered: LeakSource[], offsets: number[], total: number, trainCount: number, config: Config,
  match: Map<number, { trainRow: number; similarity: number; exact: boolean }>, fileOf: (global: number) => number,
  cancelled: () => boolean,
): void {
  const sketch = sketchSettings(config);
  const bandCount = ordered[0].index.bandsPerRow;
  const usable = (f: LeakSource) => f.index.sketch === sketch && f.index.bandsPerRow === bandCount && bandCount > 0;
  const side = new Uint8Array(total);
  const skip = new Uint8Array(total);
  const tables: BandTable[] = [];
  ordered.forEach((f, k) => {
    if (!usable(f)) return;
    const isTrain = k < trainCount;
    const { hashes } = f.index;
    for (let i = 0; i < hashes.length; i++) {
      const global = offsets[k] + i;
      side[global] = isTrain ? 1 : 2;
      // Held-out rows with an exact match need no near one.
      if (Number.isNaN(hashes[i]) || (!isTrain && match.has(global))) skip[global] = 1;
    }
    tables.push({ ...tableOf(f.index), offset: offsets[k] });
  });
  if (tables.length < 2 || cancelled()) return;
  const pairs = candidatePairs(tables, bandCount, total, { skip, side });
  const cache = new Map<number, Float64Array | undefined>();
  const setOf = (global: number) => {
    if (!cache.has(global)) {
      if (cache.size >= SHINGLE_CACHE_ROWS) cache.clear();
      const k = fileOf(global);
      const f = ordered[k];
      cache.set(global, rowShingleSet(f.rows.row(global - offsets[k]), f.index.detection, config));
    }
    return cache.get(global);
  };
  for (let p = 0; p < pairs.length; p++) {
    if (p % 1024 === 1023 && cancelled()) return;
    const heldOut = Math.floor(pairs[p] / total);
    const trainRow = pairs[p] - heldOut * total;
    const a = setOf(heldOut);
    const b = setOf(trainRow);
    if (!a || !b) continue;
    const s = jaccard(a, b);
    const best = match.get(heldOut);
    if (s >= config.nearDuplicateThreshold && (!best || s > best.similarity)) match.set(heldOut, { trainRow, similarity: s, exact: false });
  }
}

/**
 * `to` as a path from the folder of `from` (both absolute, or both relative to one folder): a
 * sibling by its name, others with "../" as needed. Either separator is understood; the result keeps
 * the one `to` uses.
 */
export function relativePath(from: string, to: string): string {
  const sep = to.includes('\\') && !to.includes('/') ? '\\' : '/';
  const a = from.split(/[\\/]/).slice(0, -1);
  const b = to.split(/[\\/]/);
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common++;
  // Nothing in common but the root of an absolute path: the full path says more than "../../..".
  const root = to.startsWith('/') || /^[A-Za-z]:/.test(to) ? 1 : 0;
  if (root > 0 && common <= root) return to;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join(sep);
}

/**
 * The rows of one file that `check` would call a leak of each other were they in a training and a
 * held-out file: equal normalised-text hashes and every verified near pair (Jaccard ≥ the
 * threshold, the same LSH candidates, shingles and verification as findNearLeaks). Joined
 * transitively, as a group id per row (its first row's index; -1 for a row alone), so a split
 * that keeps each group in one part leaves nothing for the leak check to find. `near: false`
 * joins exact copies only.
 */
export function leakGroups(source: Pick<LeakSource, 'index' | 'rows'>, config: Config, options: { near: boolean; cancelled?: () => boolean }): { groupOf: Int32Array; nearPairs: number } {
  const { index } = source;
  const n = index.lines.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const root = (i: number) => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const join = (a: number, b: number) => {
    const ra = root(a);
    const rb = root(b);
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  // Rows the near search leaves out: a repeat of an exact copy is joined to it here and shares its
  // shingles (its pairs are the first copy's), and a row without a hash has no text to compare.
  // One pass over the hashes finds both the joins and the repeats.
  const skip = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (Number.isNaN(index.hashes[i])) skip[i] = 1;
  forEachRepeat(index.hashes, n, (first, row) => {
    join(first, row);
    skip[row] = 1;
  });
  let nearPairs = 0;
  const usable = index.sketch === sketchSettings(config) && index.bandsPerRow > 0;
  if (options.near && usable && n > 1) {
    // The analysis's own tables when it kept them (the same entries, so the same sorted pairs), else one built from the bands.
    const pairs = candidatePairs(index.bandTables ?? [{ ...tableOf(index), offset: 0 }], index.bandsPerRow, n, { skip });
    const cache = new Map<number, Float64Array | undefined>();
    const setOf = (row: number) => {
      if (!cache.has(row)) {
        if (cache.size >= SHINGLE_CACHE_ROWS) cache.clear();
        cache.set(row, rowShingleSet(source.rows.row(row), index.detection, config));
      }
      return cache.get(row);
    };
    for (let p = 0; p < pairs.length; p++) {
      if (p % 1024 === 1023 && options.cancelled?.()) break;
      const later = Math.floor(pairs[p] / n);
      const earlier = pairs[p] - later * n;
      if (root(later) === root(earlier)) continue;
      const a = setOf(later);
      const b = setOf(earlier);
      if (a && b && jaccard(a, b) >= config.nearDuplicateThreshold) {
        join(later, earlier);
        nearPairs++;
      }
    }
  }
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[root(i)]++;
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) groupOf[i] = size[root(i)] > 1 ? root(i) : -1;
  return { groupOf, nearPairs };
}
