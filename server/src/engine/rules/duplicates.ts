import { forEachRepeat } from '../similarity/repeats';
import type { FileFacts, LateReport } from './fileFacts';
import type { FixSpec, RowReport } from './rowRule';

/**
 * Exact duplicates and conflicting labels, found through one hash table of normalised texts
 * (the index is the hook for near-duplicates and cross-file leakage: they add candidates, not passes).
 */

export interface DuplicateGroup {
  /** Row indexes in file order; the first is the one kept. */
  rows: number[];
}

/** Groups rows whose normalised text is the same; only groups of two or more are returned. */
export function exactDuplicateGroups(facts: FileFacts): DuplicateGroup[] {
  const groups = new Map<number, number[]>();
  forEachRepeat(facts.hash, facts.count, (first, row) => {
    const g = groups.get(first);
    if (g) g.push(row);
    else groups.set(first, [first, row]);
  });
  return [...groups.values()].map((rows) => ({ rows }));
}

/**
 * exact-duplicate on every repeat (related: the first occurrence); conflicting-labels on every row
 * of a group with more than one label. `canonical` maps a label id to the label it is a variant of,
 * so "Positive" against "positive" is a label-variant finding, not a conflict.
 */
export function findExactDuplicates(facts: FileFacts, groups: DuplicateGroup[], report: LateReport, canonical: (label: number) => number = (l) => l): void {
  for (const { rows } of groups) {
    const firstLine = facts.line[rows[0]];
    // Every repeat of a group gets the same report (reports are read, never changed): one per group.
    const duplicate: RowReport = {
      rule: 'exact-duplicate',
      message: `Duplicate of line ${firstLine}${rows.length > 2 ? ` (${rows.length} copies in all)` : ''}`,
      target: TEXT_TARGET,
      related: [{ line: firstLine, message: 'first occurrence' }],
      data: { firstLine, copies: rows.length },
      fix: DELETE_DUPLICATE,
    };
    for (let k = 1; k < rows.length; k++) report(rows[k], duplicate);
    findConflicts(facts, rows, report, canonical);
  }
}

const TEXT_TARGET = { path: ['@text'] };
const LABEL_TARGET = { path: ['@label'] };
const DELETE_DUPLICATE: FixSpec = { title: 'Delete this duplicate row', kind: 'delete-row' };

function findConflicts(facts: FileFacts, rows: number[], report: LateReport, canonical: (label: number) => number): void {
  // Most groups repeat one label: rows are grouped by label only once a second label shows up.
  let first = -1;
  let mixed = false;
  for (const r of rows) {
    const l = facts.label[r] < 0 ? -1 : canonical(facts.label[r]);
    if (l < 0) continue;
    if (first < 0) first = l;
    else if (l !== first) {
      mixed = true;
      break;
    }
  }
  if (!mixed) return;
  const byLabel = new Map<number, number[]>();
  for (const r of rows) {
    const l = facts.label[r] < 0 ? -1 : canonical(facts.label[r]);
    if (l < 0) continue;
    const list = byLabel.get(l);
    if (list) list.push(r);
    else byLabel.set(l, [r]);
  }
  if (byLabel.size < 2) return;
  const names = facts.labelNames;
  const summary = [...byLabel].map(([l, rs]) => `"${names[l]}" (${rs.length} row${rs.length === 1 ? '' : 's'})`).join(', ');
  const data = { labels: [...byLabel.keys()].map((x) => names[x]) };
  for (const [l, rs] of byLabel) {
    const others = [...byLabel].filter(([o]) => o !== l).flatMap(([, list]) => list);
    const conflict: RowReport = {
      rule: 'conflicting-labels',
      message: `The same text is labelled ${summary}; this row says "${names[l]}"`,
      target: LABEL_TARGET,
      related: others.slice(0, 20).map((o) => ({ line: facts.line[o], message: `labelled "${names[facts.label[o]]}"` })),
      data,
    };
    for (const r of rs) report(r, conflict);
  }
}
