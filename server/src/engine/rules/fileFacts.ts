import type { BandTable } from '../similarity/bandTable';
import type { RowReport } from './rowRule';

/**
 * What the file-level rules know of each row, kept as typed columns so a million rows cost a few
 * tens of megabytes (and a worker thread hands them over without copying). Rows with structure
 * errors have a NaN hash and take part in no file rule.
 */
export interface FileFacts {
  count: number;
  /** Typed columns of `count` entries each, one entry per row. */
  line: Int32Array;
  /** normalizedHash of the row's duplicate key, or NaN when the row is excluded. */
  hash: Float64Array;
  /** Index into labelNames, or -1. */
  label: Int32Array;
  /** Characters of the row's duplicate key text. */
  chars: Int32Array;
  /** The row's language and Chinese-text traits (text/scripts.ts rowTraits; 0 for rows with structure errors). */
  traits: Uint16Array;
  labelNames: string[];
  /** Near-duplicate band keys of the sketched rows, sorted per band: one table per shard, in file order. */
  bandTables: BandTable[];
  /** 0 when near-duplicate detection is off. */
  bandsPerRow: number;
}

/** A finding raised after the pass over rows; `row` -1 means the file as a whole (line 1). */
export type LateReport = (row: number, report: RowReport) => void;

export function emptyFacts(bandsPerRow = 0): FileFacts {
  return { count: 0, line: new Int32Array(0), hash: new Float64Array(0), label: new Int32Array(0), chars: new Int32Array(0), traits: new Uint16Array(0), labelNames: [], bandTables: [], bandsPerRow };
}

/** Label names numbered in order of first sight (the ids FileFacts.label holds). */
export class LabelIds {
  private readonly ids = new Map<string, number>();

  /** @param names the names so far, appended to as new ones are seen */
  constructor(readonly names: string[] = []) {
    names.forEach((name, id) => this.ids.set(name, id));
  }

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.push(name) - 1;
      this.ids.set(name, id);
    }
    return id;
  }
}

/** Row counts per label id. */
export function labelCounts(facts: FileFacts): number[] {
  const counts = new Array<number>(facts.labelNames.length).fill(0);
  for (let i = 0; i < facts.count; i++) if (facts.label[i] >= 0) counts[facts.label[i]]++;
  return counts;
}
