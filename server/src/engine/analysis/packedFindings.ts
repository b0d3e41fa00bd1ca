import { makeFinding } from './analyze';
import type { Finding, Severity } from '../types';

/**
 * Findings in a form that crosses between threads cheaply: a shard's hundred thousand findings as
 * objects took ~0.1 s to copy out of a worker and ~0.2 s to copy into the host (structured clone
 * builds every object and string one by one), both on the way to the file-level step. Packed, their
 * numbers are one array (moved, not copied), their messages one string, and only the few fields
 * most findings lack (related rows, data, fixes) are sent as objects.
 */
export interface PackedFindings {
  /** Per finding: rule and severity (indexes into `names`), line, column, endLine, endColumn, message length. */
  ints: Int32Array;
  names: string[];
  /** The messages end to end. */
  messages: string;
  /** The fields beyond those, for the findings that have any, by index. */
  extras: FindingExtras[];
}

type FindingExtras = Pick<Finding, 'related' | 'data' | 'similarity' | 'cluster' | 'row' | 'fix'> & { at: number };

const INTS = 7;

export function packFindings(findings: readonly Finding[]): PackedFindings {
  const ints = new Int32Array(findings.length * INTS);
  const ids = new Map<string, number>();
  const names: string[] = [];
  const id = (name: string) => {
    let k = ids.get(name);
    if (k === undefined) {
      ids.set(name, (k = names.length));
      names.push(name);
    }
    return k;
  };
  const messages: string[] = [];
  const extras: FindingExtras[] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const at = i * INTS;
    ints[at] = id(f.rule);
    ints[at + 1] = id(f.severity);
    ints[at + 2] = f.line;
    ints[at + 3] = f.column;
    ints[at + 4] = f.endLine;
    ints[at + 5] = f.endColumn;
    ints[at + 6] = f.message.length;
    messages.push(f.message);
    const { related, data, similarity, cluster, row, fix } = f;
    if (related || data || similarity !== undefined || cluster !== undefined || row || fix) extras.push({ at: i, related, data, similarity, cluster, row, fix });
  }
  return { ints, names, messages: messages.join(''), extras };
}

/** The findings packFindings was given, field for field (and in the shape every finding has). */
export function unpackFindings(packed: PackedFindings): Finding[] {
  const { ints, names, messages } = packed;
  const out = new Array<Finding>(ints.length / INTS);
  let from = 0;
  for (let i = 0; i < out.length; i++) {
    const at = i * INTS;
    const to = from + ints[at + 6];
    const range = { line: ints[at + 2], column: ints[at + 3], endLine: ints[at + 4], endColumn: ints[at + 5] };
    out[i] = makeFinding(names[ints[at]], names[ints[at + 1]] as Severity, messages.slice(from, to), range);
    from = to;
  }
  for (const { at, related, data, similarity, cluster, row, fix } of packed.extras) {
    const f = out[at];
    f.related = related;
    f.data = data;
    f.similarity = similarity;
    f.cluster = cluster;
    f.row = row;
    f.fix = fix;
  }
  return out;
}
