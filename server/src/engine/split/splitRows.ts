import type { Detection } from '../analyze';
import type { SourceRow } from '../read';
import { normalizedHash } from '../text/normalize';
import { usableRow, type ExcludedRow } from '../usableRows';

/** What the split needs to know of each row, as flat arrays indexed by row index. */
export interface SplitRows {
  count: number;
  line: number[];
  /** False for excluded rows. */
  usable: boolean[];
  /** Index into labelNames, or -1 for a row without a label. */
  label: number[];
  labelNames: string[];
  /** normalizedHash of the row's duplicate key (as analyze computes it), NaN when empty. */
  keyHash: number[];
  /** The group field's value as a string key, when a group field was asked for and the row has one. */
  groupValue: (string | undefined)[];
  /** Milliseconds since the epoch from the time field, when one was asked for. */
  time: number[];
  excluded: ExcludedRow[];
}

export interface SplitRowsOptions {
  hashKeys: boolean;
  groupField?: string;
  timeField?: string;
}

/** Reads the facts of every row once; rows that cannot be placed are listed in `excluded`. */
export function readSplitRows(rows: Iterable<SourceRow>, detection: Detection, options: SplitRowsOptions): SplitRows {
  const out: SplitRows = { count: 0, line: [], usable: [], label: [], labelNames: [], keyHash: [], groupValue: [], time: [], excluded: [] };
  const labelIds = new Map<string, number>();
  for (const row of rows) {
    const i = out.count++;
    if (row.index !== i) throw new Error(`split: rows must come in file order (row ${row.index} arrived as ${i})`);
    out.line.push(row.line);
    out.label.push(-1);
    out.keyHash.push(NaN);
    out.groupValue.push(undefined);
    out.time.push(NaN);
    out.usable.push(false);
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
        const reason = raw === undefined || raw === null ? `Row has no date in "${options.timeField}"` : `"${options.timeField}" is not a date: ${JSON.stringify(raw).slice(0, 60)}`;
        out.excluded.push({ index: i, line: row.line, rule: 'missing-field', reason });
        continue;
      }
      out.time[i] = time;
    }
    out.usable[i] = true;
    if (content.label !== undefined) {
      let id = labelIds.get(content.label);
      if (id === undefined) {
        id = out.labelNames.length;
        labelIds.set(content.label, id);
        out.labelNames.push(content.label);
      }
      out.label[i] = id;
    }
    if (options.hashKeys && content.key.trim() !== '') out.keyHash[i] = normalizedHash(content.key);
    if (options.groupField !== undefined) {
      const g = fieldValue(value, options.groupField);
      if (g !== undefined && g !== null && g !== '') out.groupValue[i] = typeof g === 'string' ? g : JSON.stringify(g);
    }
  }
  return out;
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
