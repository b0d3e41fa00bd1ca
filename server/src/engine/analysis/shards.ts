import { fileLevelRules, RowPass, type AnalyzeOptions, type DatasetAnalysis, type RowAccess, type RowPassResult } from './analyze';
import type { Detection } from './detection';
import type { Config } from '../config';
import { FindingBudget, keepWithinBudget } from './findingBudget';
import { fileEncoding, LineDecoder } from '../read/decode';
import { CsvRows, type CsvLayout } from '../read/csv';
import { csvRangeReader, csvRowOfBytes, type CsvRangeFailure } from '../read/csvRange';
import type { DatasetReader, SourceRow } from '../read/row';
import { START_BYTES } from '../read/encoding';
import { estimatedRows, jsonlReader, locateInJsonRow, parseJsonRow } from '../read/jsonl';
import { CHUNK_BYTES, countNewlines, cutRanges, equalCuts, isByteSource, readFully, SourceWindow, type ByteSource } from '../read/source';
import { emptyFacts, LabelIds } from '../rules/fileFacts';
import { TokenEstimator, type TokenSample } from '../text/tokens';
import type { ContainerKind, Finding } from '../types';

/**
 * Sharded analysis of JSONL and CSV/TSV: the per-row pass runs on byte ranges (one per core, in
 * worker threads the host starts) and the file-level step runs once over the merged facts. The
 * engine only splits and merges; starting threads is the host's business.
 */

export interface Shard {
  /** Byte range [start, end), starting at a line start. */
  start: number;
  end: number;
  /** 1-based number of the shard's first line. */
  firstLine: number;
}

/** Shard results carry where each row's bytes are, so the merged file can re-read rows for late findings. */
export interface ShardResult extends RowPassResult {
  starts: Float64Array;
  ends: Float64Array;
  /** A CSV/TSV shard only: why its range could not be read as the whole file's reader reads it. */
  failure?: CsvRangeFailure;
}

/**
 * The typed columns of the shards end to end: in the first one's memory when it has room for them
 * all (see analyzeJsonlShard's roomForFile), else in a new column.
 */
function concat<T extends Int32Array | Float64Array | Uint16Array>(type: (new (n: number) => T) & (new (buffer: ArrayBufferLike, offset: number, length: number) => T), total: number, parts: T[]): T {
  const first = parts[0];
  const room = first ? (first.buffer.byteLength - first.byteOffset) / first.BYTES_PER_ELEMENT : 0;
  const out = first && room >= total ? new type(first.buffer, first.byteOffset, total) : new type(total);
  let at = out.buffer === first?.buffer ? first.length : 0;
  for (const p of at > 0 ? parts.slice(1) : parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Splits a JSONL file into about `count` shards at line boundaries. */
export function planJsonlShards(input: Uint8Array | ByteSource, count: number): Shard[] {
  return [...jsonlShards(input, count)];
}

/**
 * The shards of `planJsonlShards` one at a time: a shard is yielded as soon as its first line is
 * known, so a host can start work on it while the lines of the next ones are still being counted
 * (the first needs no counting at all; the last shard's lines are never counted).
 */
export function* jsonlShards(input: Uint8Array | ByteSource, count: number): Generator<Shard> {
  const lines = newlineScan(input);
  let line = 1;
  let counted = 0;
  for (const range of byteRanges(lines, equalCuts(lines.size, count))) {
    line += lines.newlinesIn(counted, range.start);
    counted = range.start;
    yield { ...range, firstLine: line };
  }
}

/**
 * A JSONL file cut at line starts into byte ranges, near `cuts` (equalCuts, guidedCuts), without
 * counting any lines: a host that starts each range at once lets its threads find their first line
 * numbers themselves (linesIn).
 */
export function jsonlByteRanges(input: Uint8Array | ByteSource, cuts: readonly number[]): { start: number; end: number }[] {
  return byteRanges(newlineScan(input), cuts);
}

function byteRanges(lines: NewlineScan, cuts: readonly number[]): { start: number; end: number }[] {
  return cutRanges(lines.size, cuts, (from) => lines.newlineFrom(from));
}

/** The 1-based number of the line that starts at byte `offset` (one more than the newlines before it). */
export function lineAt(input: Uint8Array | ByteSource, offset: number): number {
  return 1 + linesIn(input, 0, offset);
}

/** The newlines in bytes [start, end) of a file. */
export function linesIn(input: Uint8Array | ByteSource, start: number, end: number): number {
  return newlineScan(input).newlinesIn(start, end);
}

function newlineScan(input: Uint8Array | ByteSource): NewlineScan {
  return isByteSource(input) ? sourceLines(input) : memoryLines(input);
}

/** What shard planning asks of the file: where the next newline is, and how many a range holds. */
interface NewlineScan {
  size: number;
  /** Offset of the first newline at or after `from`, or -1. */
  newlineFrom(from: number): number;
  newlinesIn(start: number, end: number): number;
}

function memoryLines(bytes: Uint8Array): NewlineScan {
  return { size: bytes.length, newlineFrom: (from) => bytes.indexOf(10, from), newlinesIn: (start, end) => countNewlines(bytes, start, end) };
}

/** The same scan over a source, read in chunks into one reused buffer. */
function sourceLines(source: ByteSource): NewlineScan {
  const buf = new Uint8Array(Math.max(1, Math.min(CHUNK_BYTES, source.size)));
  return {
    size: source.size,
    newlineFrom(from) {
      for (let pos = from; pos < source.size; pos += buf.length) {
        const n = readFully(source, buf, pos);
        const nl = buf.subarray(0, n).indexOf(10);
        if (nl >= 0) return pos + nl;
        if (n < buf.length) break;
      }
      return -1;
    },
    newlinesIn(start, end) {
      let count = 0;
      for (let pos = start; pos < end; pos += buf.length) {
        const n = readFully(source, buf.subarray(0, Math.min(buf.length, end - pos)), pos);
        count += countNewlines(buf, 0, n);
        if (n === 0) break;
      }
      return count;
    },
  };
}

/**
 * Runs the per-row pass over one shard (in a worker thread, typically). With `calibrate` off the
 * shard counts no tokens (and never loads the tokenizer): the merged estimator takes the file's
 * first texts, which the first shard holds. With `roomForFile`, the shard's columns are made with
 * room for the whole file's rows, and the merge appends the other shards' rows to them instead of
 * copying all into new columns (for the first shard; pages of the room never written cost nothing).
 */
export function analyzeJsonlShard(
  input: Uint8Array | ByteSource, shard: Shard, detection: Detection, config: Config, options: AnalyzeOptions, calibrate = true, roomForFile = false,
): ShardResult {
  const expectedRows = estimatedRows(input, shard);
  const reader = jsonlReader(input, shard, expectedRows);
  const result = shardPass(input, reader, expectedRows, detection, config, options, calibrate, roomForFile);
  const { starts, ends } = reader.offsets!();
  return { ...result, invalidUtf8: reader.invalidUtf8, starts, ends };
}

/**
 * analyzeJsonlShard for a range of a CSV/TSV file (csvByteRanges cuts it between records), read by
 * the file's layout (planCsvRead). A shard that could not be read as the whole file's reader reads
 * it says why (`failure`): the host then reads the file whole.
 */
export function analyzeCsvShard(
  input: Uint8Array | ByteSource, shard: Shard, layout: CsvLayout, detection: Detection, config: Config, options: AnalyzeOptions, calibrate = true, roomForFile = false,
): ShardResult {
  const expectedRows = estimatedRows(input, shard);
  const range = csvRangeReader(input, shard, layout, expectedRows);
  const result = shardPass(input, range.reader, expectedRows, detection, config, options, calibrate, roomForFile);
  const failure = range.failure();
  const { starts, ends } = range.offsets();
  return { ...result, starts, ends, ...(failure ? { failure } : {}) };
}

/** The per-row pass over a shard's reader, its columns sized for the shard (or, with `roomForFile`, the file). */
function shardPass(
  input: Uint8Array | ByteSource, reader: DatasetReader, expectedRows: number, detection: Detection, config: Config, options: AnalyzeOptions, calibrate: boolean, roomForFile: boolean,
): RowPassResult {
  const pass = new RowPass(reader, detection, config, options, calibrate, roomForFile ? Math.max(expectedRows, Math.min(estimatedRows(input), MAX_ROOM_ROWS)) : expectedRows);
  for (const row of reader.rows()) pass.addRow(row);
  return pass.result();
}

/** At most this many rows of room (a hash column of 512 MB): beyond, the merge makes new columns. */
const MAX_ROOM_ROWS = 1 << 26;

/** Merges shard results in file order and runs the file-level rules once. */
export function mergeJsonlShards(path: string, input: Uint8Array | ByteSource, detection: Detection, config: Config, options: AnalyzeOptions, shards: ShardResult[]): DatasetAnalysis {
  return mergeJsonlShardsThen(path, input, detection, config, options, shards)();
}

/**
 * mergeJsonlShards up to the statistics, made when the returned function is called: with the
 * shards' token sample (the first's, when it calibrated), or one taken elsewhere (firstTokenSample)
 * while the shards merged.
 */
export function mergeJsonlShardsThen(
  path: string, input: Uint8Array | ByteSource, detection: Detection, config: Config, options: AnalyzeOptions, shards: ShardResult[],
): (tokens?: TokenSample) => DatasetAnalysis {
  return mergeShardsThen(path, input, detection, config, options, shards, (merged) => {
    const encoding = merged.invalidUtf8?.encoding;
    return {
      container: 'jsonl',
      row: (bytes, index, line) => parseJsonRow(new LineDecoder(encoding).decode(bytes, line), index, line, 1),
      locate: locateInJsonRow,
      offsets: true,
    };
  });
}

/** mergeJsonlShardsThen for the shards of a CSV/TSV file (analyzeCsvShard), none of which failed. */
export function mergeCsvShardsThen(
  path: string, input: Uint8Array | ByteSource, layout: CsvLayout, detection: Detection, config: Config, options: AnalyzeOptions, shards: ShardResult[],
): (tokens?: TokenSample) => DatasetAnalysis {
  const make = new CsvRows(layout);
  return mergeShardsThen(path, input, detection, config, options, shards, () => ({
    container: 'csv',
    row: (bytes, index, line) => csvRowOfBytes(bytes, index, line, make),
    locate(row, path) {
      const col = layout.columns.indexOf(String(path[0]));
      return col < 0 || path.length !== 1 ? undefined : make.spans(row.text)[col];
    },
    notes: layout.notes.length ? layout.notes : undefined,
  }));
}

/** How the merged file's rows are read again from their bytes (the container's reading of a row). */
interface RowsAgain {
  container: ContainerKind;
  row(bytes: Uint8Array, index: number, line: number): SourceRow;
  locate: RowAccess['locate'];
  notes?: RowAccess['notes'];
  /** Offer the rows' byte ranges (JSON Lines: a split plans from them). */
  offsets?: boolean;
}

function mergeShardsThen(
  path: string, input: Uint8Array | ByteSource, detection: Detection, config: Config, options: AnalyzeOptions, shards: ShardResult[],
  again: (merged: RowPassResult) => RowsAgain,
): (tokens?: TokenSample) => DatasetAnalysis {
  const tokens = TokenEstimator.from(...shards.map((s) => s.tokens)).sample;
  const total = shards.reduce((n, s) => n + s.facts.count, 0);
  const all = ([] as Finding[]).concat(...shards.map((s) => s.findings));
  // Each shard kept its own first findings of a rule; merged, the file keeps its first ones.
  const budget = options.maxFindingsPerRule ? new FindingBudget(options.maxFindingsPerRule) : undefined;
  const findings = budget ? keepWithinBudget(all, budget) : all;
  for (const s of shards) if (budget && s.omitted) budget.absorb(s.omitted);
  const omitted = budget?.omitted();
  const merged: RowPassResult = {
    findings,
    ...(omitted ? { omitted } : {}),
    facts: emptyFacts(shards[0]?.facts.bandsPerRow ?? 0),
    rowBytes: concat(Int32Array, total, shards.map((s) => s.rowBytes)),
    tokens,
    invalidUtf8: shards.find((s) => s.invalidUtf8)?.invalidUtf8,
  };
  if (merged.invalidUtf8) merged.invalidUtf8 = { ...merged.invalidUtf8, lines: shards.reduce((n, s) => n + (s.invalidUtf8?.lines ?? 0), 0) };
  merged.encoding = fileEncoding(fileStart(input), merged.invalidUtf8);
  const f = merged.facts;
  f.line = concat(Int32Array, total, shards.map((s) => s.facts.line));
  f.hash = concat(Float64Array, total, shards.map((s) => s.facts.hash));
  f.chars = concat(Int32Array, total, shards.map((s) => s.facts.chars));
  f.traits = concat(Uint16Array, total, shards.map((s) => s.facts.traits));
  // Each shard's label ids, then renumbered in place as the merged file's.
  f.label = concat(Int32Array, total, shards.map((s) => s.facts.label));
  const labelIds = new LabelIds(f.labelNames);
  for (const s of shards) {
    // A shard's band table numbers its own rows; the offset places them in the file.
    for (const table of s.facts.bandTables) f.bandTables.push({ ...table, offset: table.offset + f.count });
    const remap = s.facts.labelNames.map((name) => labelIds.id(name));
    const labels = f.label;
    for (let i = f.count; i < f.count + s.facts.count; i++) labels[i] = labels[i] < 0 ? -1 : remap[labels[i]];
    f.count += s.facts.count;
  }
  const rows = again(merged);
  // Late findings re-read their rows in file order: from a source, through one window.
  const window = isByteSource(input) ? new SourceWindow(input) : undefined;
  const access: RowAccess = {
    container: rows.container,
    row(index) {
      if (index < 0 || index >= total) return undefined;
      // The shard holding the row (a handful of shards): its byte offsets are the shard's own columns.
      let k = 0;
      let first = 0;
      while (index - first >= shards[k].starts.length) first += shards[k++].starts.length;
      const start = shards[k].starts[index - first];
      const end = shards[k].ends[index - first];
      return rows.row(window ? window.slice(start, end) : (input as Uint8Array).subarray(start, end), index, f.line[index]);
    },
    locate: rows.locate,
    ...(rows.notes ? { notes: rows.notes } : {}),
    ...(rows.offsets ? { offsets: () => ({ starts: concat(Float64Array, total, shards.map((s) => s.starts)), ends: concat(Float64Array, total, shards.map((s) => s.ends)) }) } : {}),
  };
  const finish = fileLevelRules(path, access, detection, config, options, merged);
  return (sample) => finish(sample).analysis;
}

/** A file's first bytes, where a byte order mark would be. */
function fileStart(input: Uint8Array | ByteSource): Uint8Array {
  if (!isByteSource(input)) return input.subarray(0, START_BYTES);
  const head = new Uint8Array(Math.min(START_BYTES, input.size));
  return head.subarray(0, readFully(input, head, 0));
}

/**
 * The token sample of a file's first texts (TOKEN_SAMPLE_SIZE of them, counted exactly), as a pass
 * over the whole file takes it: for a host whose shards count no tokens, so that loading the
 * tokenizer (~0.4 s) is left out of the row pass (a worker thread takes it while the shards merge).
 * A CSV/TSV file is read by its layout (planCsvRead); without one, the file is JSON Lines.
 */
export function firstTokenSample(input: Uint8Array | ByteSource, detection: Detection, config: Config, layout?: CsvLayout): TokenSample {
  const size = isByteSource(input) ? input.size : input.length;
  const reader = layout ? csvRangeReader(input, { start: 0, end: size, firstLine: 1 }, layout).reader : jsonlReader(input);
  const pass = new RowPass(reader, detection, config, { nearDuplicates: false });
  for (const row of reader.rows()) {
    if (pass.calibrated) break;
    pass.addRow(row);
  }
  return pass.result().tokens;
}
