import type { Detection } from '../analysis/detection';
import { spliced } from '../columns';
import type { SourceRow } from '../read';
import { normalizedHash } from '../text/normalize';
import { usableRow, type ExcludedRow } from '../schema/usableRows';
import type { RowIndex } from '../similarity/rowIndex';
import { TRAIT } from '../text/scripts';

/**
 * What the split needs to know of each row, as flat columns indexed by row index: typed arrays, a
 * few bytes a row (a JS array of numbers costs eight bytes an entry, and more while it grows), so
 * a split of seven million rows plans in a few hundred megabytes.
 */
export interface SplitRows {
  count: number;
  /** 0 for excluded rows, 1 for the others. */
  usable: Uint8Array;
  /** Index into labelNames, or -1 for a row without a label. */
  label: Int32Array;
  labelNames: string[];
  /** normalizedHash of the row's duplicate key (as analyze computes it), NaN when empty; empty unless hashKeys was asked for. */
  keyHash: Float64Array;
  /** The group field's value as a string key, when a group field was asked for and the row has one. */
  groupValue: (string | undefined)[];
  /** Milliseconds since the epoch from the time field (NaN without one); empty unless a time field was asked for. */
  time: Float64Array;
  excluded: ExcludedRow[];
  /** Rows whose time field holds a value that is not a date (a time split refuses them): line and value. */
  badDates: { line: number; value: string }[];
}

export interface SplitRowsOptions {
  hashKeys: boolean;
  /** With hashKeys: each row's key hash as the caller computed it (normalizedHash of the same key), read as the row arrives. */
  keyHashes?: ArrayLike<number>;
  groupField?: string;
  timeField?: string;
}

/** Rows the columns hold before they first grow (they double when full). */
const FIRST_CAPACITY = 1024;

/** Reads the facts of every row once; rows that cannot be placed are listed in `excluded`. */
export function readSplitRows(rows: Iterable<SourceRow>, detection: Detection, options: SplitRowsOptions): SplitRows {
  const capacity = (asked: boolean) => (asked ? FIRST_CAPACITY : 0);
  const out: SplitRows = {
    count: 0,
    usable: new Uint8Array(FIRST_CAPACITY),
    label: new Int32Array(FIRST_CAPACITY),
    labelNames: [],
    keyHash: new Float64Array(capacity(options.hashKeys)),
    groupValue: [],
    time: new Float64Array(capacity(options.timeField !== undefined)),
    excluded: [],
    badDates: [],
  };
  const labelIds = new Map<string, number>();
  for (const row of rows) {
    const i = out.count++;
    if (row.index !== i) throw new Error(`split: rows must come in file order (row ${row.index} arrived as ${i})`);
    if (i === out.usable.length) grow(out);
    out.label[i] = -1;
    if (options.hashKeys) out.keyHash[i] = NaN;
    if (options.timeField !== undefined) out.time[i] = NaN;
    if (options.groupField !== undefined) out.groupValue.push(undefined);
    const { content, excluded } = usableRow(row, detection);
    if (excluded) {
      out.excluded.push(excluded);
      continue;
    }
    const value = row.value as Record<string, unknown>;
    if (options.timeField !== undefined) {
      const raw = fieldValue(value, options.timeField);
      const time = parseTime(raw);
      if (Number.isNaN(time)) {
        if (raw !== undefined && raw !== null && raw !== '') out.badDates.push({ line: row.line, value: JSON.stringify(raw).slice(0, 60) });
        const reason = raw === undefined || raw === null ? `Row has no date in "${options.timeField}"` : `"${options.timeField}" is not a date: ${JSON.stringify(raw).slice(0, 60)}`;
        out.excluded.push({ index: i, line: row.line, rule: 'missing-field', reason });
        continue;
      }
      out.time[i] = time;
    }
    out.usable[i] = 1;
    if (content.label !== undefined) {
      let id = labelIds.get(content.label);
      if (id === undefined) {
        id = out.labelNames.length;
        labelIds.set(content.label, id);
        out.labelNames.push(content.label);
      }
      out.label[i] = id;
    }
    if (options.hashKeys && content.key.trim() !== '') {
      const given = options.keyHashes?.[i];
      out.keyHash[i] = given !== undefined && !Number.isNaN(given) ? given : normalizedHash(content.key);
    }
    if (options.groupField !== undefined) {
      const g = fieldValue(value, options.groupField);
      if (g !== undefined && g !== null && g !== '') out.groupValue[i] = typeof g === 'string' ? g : JSON.stringify(g);
    }
  }
  return trimmed(out);
}

/**
 * The same facts as readSplitRows from an analysis's row index made with its split facts
 * (AnalyzeOptions.splitFacts), without reading every row again: labels, usability and key hashes
 * come from the analysis's own pass over the rows. Only the rows it marked unusable are read
 * (`row`), for the reason they are left out. Undefined when the index has no split facts or the
 * options read a field of every row (a group or time field): then the rows are read (readSplitRows).
 */
export function splitRowsOfIndex(index: RowIndex, row: (index: number) => SourceRow | undefined, options: SplitRowsOptions): SplitRows | undefined {
  const facts = index.split;
  if (!facts || options.groupField !== undefined || options.timeField !== undefined) return undefined;
  const count = index.lines.length;
  const out: SplitRows = {
    count,
    usable: new Uint8Array(count),
    label: new Int32Array(count).fill(-1),
    labelNames: [],
    keyHash: options.hashKeys ? new Float64Array(count).fill(NaN) : new Float64Array(0),
    groupValue: [],
    time: new Float64Array(0),
    excluded: [],
    badDates: [],
  };
  // Label ids as readSplitRows numbers them: in order of first sight among the usable rows.
  const ids = new Int32Array(facts.labelNames.length).fill(-1);
  for (let i = 0; i < count; i++) {
    if (facts.traits[i] & TRAIT.UNUSABLE) {
      const r = row(i);
      const u = r && usableRow(r, index.detection);
      if (!u) throw new Error(`split: row ${i} (line ${index.lines[i]}) could not be read again`);
      // The analysis and this read agree on what is unusable; should they not, this read decides.
      if (u.excluded) {
        out.excluded.push(u.excluded);
        continue;
      }
    }
    out.usable[i] = 1;
    const l = facts.label[i];
    if (l >= 0) {
      if (ids[l] < 0) {
        ids[l] = out.labelNames.length;
        out.labelNames.push(facts.labelNames[l]);
      }
      out.label[i] = ids[l];
    }
    // The analysis hashed the same key with the same function (NaN for an empty one), as readSplitRows would.
    if (options.hashKeys) out.keyHash[i] = index.hashes[i];
  }
  return out;
}

/** Doubles the columns in use (an empty column is one not asked for, and stays empty). */
function grow(facts: SplitRows): void {
  const more = facts.usable.length;
  facts.usable = spliced(facts.usable, more, 0, more);
  facts.label = spliced(facts.label, more, 0, more);
  if (facts.keyHash.length) facts.keyHash = spliced(facts.keyHash, more, 0, more);
  if (facts.time.length) facts.time = spliced(facts.time, more, 0, more);
}

/** The columns cut to the rows read (views: nothing is copied). */
function trimmed(facts: SplitRows): SplitRows {
  const n = facts.count;
  return {
    ...facts,
    usable: facts.usable.subarray(0, n),
    label: facts.label.subarray(0, n),
    keyHash: facts.keyHash.subarray(0, Math.min(n, facts.keyHash.length)),
    time: facts.time.subarray(0, Math.min(n, facts.time.length)),
  };
}

/** A field's value by exact top-level name, else by a dotted path ("meta.conversation_id"). */
export function fieldValue(value: Record<string, unknown>, field: string): unknown {
  if (field in value) return value[field];
  let v: unknown = value;
  for (const key of field.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * A date as epoch milliseconds: numbers are epoch seconds (below 10^11) or milliseconds, strings go
 * through Date.parse (ISO 8601 and the common English forms). NaN when it is not a date.
 */
export function parseTime(raw: unknown): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? (Math.abs(raw) < 1e11 ? raw * 1000 : raw) : NaN;
  if (typeof raw !== 'string' || raw.trim() === '') return NaN;
  const s = raw.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return parseTime(Number(s));
  return Date.parse(s);
}
