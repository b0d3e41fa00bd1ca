import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzeDataset, findCrossFileLeaks, isUtf16Source, jsonlSource, leakGroups, planSplit, planSplitOfFacts, RULE_IDS, rowLookup, rowLookupByOffsets, splitRowsOfIndex,
  type ByteSource, type Config, type DatasetContainer, type DatasetAnalysis, type DatasetSource, type Detection, type Finding, type LeakSource, type RowIndex, type RowLookup,
  type SourceRow, type SplitOptions, type SplitPlan, type SplitRole, type SplitRows,
} from '../engine';
import { analyzeFile } from './analyzeFile';
import { fileSource } from './fileSource';

/**
 * cross-file-leak over a set of analyzed files (the CLI's arguments, the editor's workspace). The
 * analyses must have been made with `{ rowIndex: true }`; rows are read again from the files only
 * when a near candidate needs verifying or a finding placing, and only for the files involved: a
 * JSON Lines file on disk is read in pieces (the rows asked for), never whole.
 */

export interface WorkspaceLeakOptions {
  /** Attach quick fixes (delete the leaked row) to the findings, as the editor wants. */
  fixes?: boolean;
  /** Polled between steps (e.g. an LSP cancellation token's isCancellationRequested); true stops the check with no findings. */
  cancelled?: () => boolean;
  /** The bytes of a file by its key in the map (default: read from disk); an editor may prefer its open documents. */
  readBytes?: (path: string) => Uint8Array | undefined;
  /** The file on disk for a key in the map, when the keys are not paths (the CLI's are display paths). */
  fileOf?: (path: string) => string;
  /** Each file's role by its key, instead of its name's. */
  roles?: (path: string) => SplitRole | undefined;
}

/** Reads a file's rows on first use only: most files never need a row read again. */
function lazyRows(
  path: string, lines: Int32Array, read: (path: string) => Uint8Array | ByteSource | undefined, container: RowLookup['container'], csv: Pick<Config, 'hasHeader' | 'columns'>,
): RowLookup {
  let lookup: RowLookup | undefined;
  let failed = false;
  const open = () => {
    if (!lookup && !failed) {
      const bytes = read(path);
      if (bytes) lookup = rowLookup(path, bytes, lines, container, csv);
      else failed = true;
    }
    return lookup;
  };
  return {
    container,
    row: (index) => open()?.row(index),
    locate: (row, p) => open()?.locate(row, p),
  };
}

/** lazyRows of a UTF-8 JSON Lines file by its rows' byte ranges (rowLookupByOffsets); a UTF-16 file by rowLookup. */
function lazyRowsByOffsets(lines: Int32Array, offsets: { starts: Float64Array; ends: Float64Array }, read: () => ByteSource): RowLookup {
  let lookup: RowLookup | undefined;
  const open = () => {
    if (!lookup) {
      const source = read();
      lookup = isUtf16Source(source) ? rowLookup('', source, lines, 'jsonl') : rowLookupByOffsets(source, lines, offsets);
    }
    return lookup;
  };
  return { container: 'jsonl', row: (index) => open().row(index), locate: (row, p) => open().locate(row, p) };
}

/**
 * True for a file that a split manifest beside it (NAME.split.json, as `split` writes it) names as its
 * source: the whole that train/val/test were cut from, whose rows would all "leak" into its parts.
 */
export function isSplitSource(file: string): boolean {
  const base = path.basename(file);
  const stem = base.replace(/\.(jsonl|ndjson|csv|tsv|json)$/i, '');
  if (stem === base) return false;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(file), `${stem}.split.json`), 'utf8')) as { kind?: unknown; source?: { file?: unknown } };
    return manifest?.kind === 'split' && manifest.source?.file === base;
  } catch {
    return false;
  }
}

/**
 * The leak findings of every held-out file (by its key in `analyses`, a file path), pointing at the
 * training rows they repeat. Analyses without a row index are skipped.
 */
export function findWorkspaceLeaks(analyses: Map<string, DatasetAnalysis>, config: Config, options: WorkspaceLeakOptions = {}): Map<string, Finding[]> {
  // Files opened for rows read again stay open until the check is done.
  const fds: number[] = [];
  const open = (p: string): ByteSource | undefined => {
    try {
      const fd = fs.openSync(options.fileOf?.(p) ?? p, 'r');
      fds.push(fd);
      return fileSource(fd);
    } catch {
      return undefined;
    }
  };
  const read = options.readBytes ?? open;
  try {
    const sources: LeakSource[] = [];
    for (const [path, analysis] of analyses) {
      const index = analysis.rowIndex;
      if (!index) continue;
      sources.push({ path, index, rows: lazyRows(path, index.lines, read, index.container, config), splitSource: isSplitSource(options.fileOf?.(path) ?? path) });
    }
    return findCrossFileLeaks(sources, config, { fixes: options.fixes, cancelled: options.cancelled, ...(options.roles ? { roles: options.roles } : {}) });
  } finally {
    for (const fd of fds) fs.closeSync(fd);
  }
}

/** The groups a split keeps whole, by the row index of an analysis: see leakGroupsOf. */
export interface SplitLeakGroups {
  /** Group id per row of the analysis (-1 for a row alone). */
  groupOf: Int32Array;
  /** Each analysis row's line. */
  lines: Int32Array;
  /** Each analysis row's normalised-key hash (NaN for none): the split need not hash its keys again. */
  hashes: Float64Array;
  /** Near-duplicate pairs that joined two groups. */
  nearPairs: number;
  /**
   * Every row's split facts (splitRowsOfIndex, key hashes included) and a JSON Lines file's row byte
   * ranges, when the analysis kept them: a split planned from them (planSplitOfGrouping) reads no
   * row again but the few it leaves out.
   */
  facts?: { rows: SplitRows; detection: RowIndex['detection']; offsets: NonNullable<NonNullable<RowIndex['split']>['offsets']>; encoding: NonNullable<RowIndex['split']>['encoding'] };
}

/**
 * The groups a split keeps whole so that `check` finds no leak between its parts: rows whose
 * normalised texts are equal and, with `near`, every verified near-duplicate pair, joined
 * transitively (leakGroups: the cross-file check's own hashes, candidates and verification), from
 * an analysis's row index (made with near-duplicates on and `config`'s sketch settings) and its rows.
 * The one grouping of the CLI's split and the split panel.
 */
export function leakGroupsOf(index: RowIndex, rows: RowLookup, config: Config, options: { near: boolean; cancelled?: () => boolean }): SplitLeakGroups {
  const groups = leakGroups({ index, rows }, config, options);
  return { ...groups, lines: index.lines, hashes: index.hashes };
}

/**
 * The settings of the analysis a split's grouping reads: every rule off but, when grouping
 * near-duplicates, cross-file-leak, whose sketches the band keys are. (Not near-duplicate: its
 * file-wide search would verify every candidate pair, which leakGroups then does again.)
 */
export function groupingConfig(config: Config, near: boolean): Config {
  const rules = Object.fromEntries(RULE_IDS.map((id) => [id, 'off' as const]));
  return { ...config, rules: { ...rules, 'cross-file-leak': near ? 'error' : 'off' } };
}

/**
 * leakGroupsOf a file on disk: it is analyzed once with its row index (on every core, as check
 * reads it); rows of candidate pairs are read again from disk.
 */
export async function splitLeakGroups(
  file: string, display: string, config: Config, options: { near: boolean; container?: DatasetContainer; timing?: (what: string) => void },
): Promise<SplitLeakGroups> {
  // Only the row index is wanted (hashes and band keys, made whatever the rules): no time goes to findings
  // nobody reads, to checks whose rules are off (all of them), or to the tokenizer (statistics are not read).
  const analysisConfig = groupingConfig(config, options.near);
  const analysis = await analyzeFile(file, display, analysisConfig, {
    rowIndex: true, keepBandTables: true, splitFacts: true, nearDuplicates: options.near, tokenSample: false, ...(options.container ? { container: options.container } : {}),
  });
  options.timing?.('analysis with row index');
  const index = analysis.rowIndex!;
  let fd: number | undefined;
  const read = () => {
    fd ??= fs.openSync(file, 'r');
    return fileSource(fd);
  };
  try {
    const offsets = index.split?.offsets;
    // Rows read again by the byte ranges the analysis read them at, when it kept them (a UTF-8 JSON Lines file): no scan for line starts.
    const rows = offsets ? lazyRowsByOffsets(index.lines, offsets, read) : lazyRows(file, index.lines, read, index.container, analysisConfig);
    const groups: SplitLeakGroups = leakGroupsOf(index, rows, analysisConfig, { near: options.near });
    options.timing?.(`leak groups (${groups.nearPairs} near pairs joined)`);
    const facts = offsets && splitRowsOfIndex(index, rows.row, { hashKeys: true });
    if (facts) groups.facts = { rows: facts, detection: index.detection, offsets, encoding: index.split!.encoding };
    return groups;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * leakGroupsOf a file's bytes in memory (the split panel's worker): the same analysis, on one thread.
 */
export function splitLeakGroupsOfBytes(file: string, bytes: Uint8Array, config: Config, options: { near: boolean; container?: DatasetContainer }): SplitLeakGroups {
  const analysisConfig = groupingConfig(config, options.near);
  const analysis = analyzeDataset(file, bytes, analysisConfig, { rowIndex: true, keepBandTables: true, nearDuplicates: options.near, tokenSample: false, ...(options.container ? { container: options.container } : {}) });
  const index = analysis.rowIndex!;
  return leakGroupsOf(index, rowLookup(file, bytes, index.lines, index.container, analysisConfig), analysisConfig, { near: options.near });
}

/**
 * planGroupedSplit from the grouping's own facts (made.facts), reading no row: undefined when it has
 * none, when the options read a field of every row (a group or time field), or when the analysis
 * read the file's fields otherwise than `options.detection` says. The split's files are then written
 * from `groupedSplitSource`.
 */
export function planSplitOfGrouping(options: SplitOptions & { detection: Detection }, made: SplitLeakGroups | undefined): SplitPlan | undefined {
  const facts = made?.facts;
  if (!facts || options.groupField !== undefined || options.timeField !== undefined) return undefined;
  const d = options.detection;
  if (facts.detection.format !== d.format || JSON.stringify(facts.detection.fields) !== JSON.stringify(d.fields)) return undefined;
  // The facts' key hashes are the index's, from which leakGroups joined every exact duplicate.
  return planSplitOfFacts(facts.rows, { ...options, groups: made!.groupOf, groupsJoinDuplicates: true });
}

/** The source a split planned by planSplitOfGrouping is written from: the file's rows by the analysis's byte ranges. */
export function groupedSplitSource(name: string, made: SplitLeakGroups, input: Uint8Array | ByteSource, extra: { sha256?: string; toolVersion?: string }): DatasetSource {
  const facts = made.facts!;
  return jsonlSource(name, facts.offsets, facts.encoding, input, extra);
}

/**
 * The split of a file's rows with the groups of an analysis of the same file kept whole: the CLI's
 * and the split panel's one plan. The groups and key hashes are placed on the rows by line as the
 * plan reads them (one read of the rows, not two; both read the file in order).
 */
export function planGroupedSplit(rows: Iterable<SourceRow>, options: SplitOptions, made?: SplitLeakGroups): SplitPlan {
  if (!made) return planSplit(rows, options);
  const groups: number[] = [];
  const keyHashes: number[] = [];
  const { lines, groupOf, hashes } = made;
  let k = 0;
  const placed = (function* () {
    for (const row of rows) {
      while (k < lines.length && lines[k] < row.line) k++;
      const same = k < lines.length && lines[k] === row.line;
      groups[row.index] = same ? groupOf[k] : -1;
      keyHashes[row.index] = same ? hashes[k] : NaN;
      yield row;
    }
  })();
  return planSplit(placed, { ...options, groups, keyHashes });
}
