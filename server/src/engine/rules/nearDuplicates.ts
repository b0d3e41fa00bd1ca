import { clusterRows } from '../similarity/clusters';
import { jaccard } from '../similarity/shingles';
import { candidatePairs } from '../similarity/lsh';
import type { Finding } from '../types';
import type { DuplicateGroup } from './duplicates';
import type { FileFacts, LateReport } from './fileFacts';

/**
 * near-duplicate and the near-identical half of conflicting-labels: LSH candidates from the band
 * keys the per-row pass left in the facts, each verified by the exact Jaccard similarity of the two
 * rows' shingle sets before anything is reported.
 */

export interface NearDuplicateCounts {
  /** Clusters of two or more near-identical rows. */
  clusters: number;
  /** Rows flagged as near-duplicates (every cluster member but its first row). */
  rows: number;
}

/** Shingle sets kept at once while verifying (about 50 MB for rows of 60 words). */
export const SHINGLE_CACHE_ROWS = 100_000;

/** Rounds a similarity for messages and the JSON contract (4 decimals). */
export const roundSimilarity = (s: number) => Math.round(s * 10000) / 10000;

/**
 * Finds near-duplicate clusters and reports near-duplicate on every member but the first row, and
 * conflicting-labels on near-identical rows whose (canonical) labels differ. `shingles` re-reads a
 * row's shingle set; it is called only for rows of candidate pairs.
 */
export function findNearDuplicates(
  facts: FileFacts, groups: DuplicateGroup[], threshold: number, shingles: (row: number) => Float64Array | undefined,
  report: LateReport, canonical: (label: number) => number = (l) => l,
): NearDuplicateCounts {
  if (facts.bandsPerRow === 0 || facts.count < 2) return { clusters: 0, rows: 0 };
  // The repeats of exact-duplicate groups stay out: exact-duplicate reports them, and a pair is never reported twice.
  const skip = new Uint8Array(facts.count);
  for (const g of groups) for (let k = 1; k < g.rows.length; k++) skip[g.rows[k]] = 1;
  const pairs = candidatePairs(facts.bandTables, facts.bandsPerRow, facts.count, { skip });
  if (pairs.length === 0) return { clusters: 0, rows: 0 };
  const cache = new Map<number, Float64Array | undefined>();
  const setOf = (row: number) => {
    if (!cache.has(row)) {
      // Templated data can make most rows candidates: the cache is bounded, rows are read again if need be.
      if (cache.size >= SHINGLE_CACHE_ROWS) cache.clear();
      cache.set(row, shingles(row));
    }
    return cache.get(row);
  };
  const { rep, similarity } = clusterRows(facts.count, pairs, (a, b) => {
    const sa = setOf(a);
    const sb = setOf(b);
    return sa && sb ? jaccard(sa, sb) : 0;
  }, threshold);
  const members = new Map<number, number[]>();
  for (let i = 0; i < facts.count; i++) {
    const r = rep[i];
    if (r < 0 || r === i) continue;
    const list = members.get(r);
    if (list) list.push(i);
    else members.set(r, [i]);
  }
  // Clusters are numbered by their first row's position in the file.
  const reps = [...members.keys()].sort((a, b) => a - b);
  let flagged = 0;
  reps.forEach((r, c) => {
    const list = members.get(r)!;
    const size = list.length + 1;
    const firstLine = facts.line[r];
    flagged += list.length;
    for (const m of list) {
      const s = roundSimilarity(similarity[m]);
      report(m, {
        rule: 'near-duplicate',
        message: `Near-duplicate of line ${firstLine} (similarity ${s.toFixed(2)}; ${size} rows in this cluster)`,
        target: { path: ['@text'] },
        related: [{ line: firstLine, message: 'first row of the near-duplicate cluster' }],
        data: { similarity: s, cluster: c + 1, clusterSize: size, firstLine },
        similarity: s,
        cluster: c + 1,
        fix: { title: `Delete this near-duplicate (keep line ${firstLine})`, kind: 'delete-row' },
      });
    }
    findNearConflicts(facts, r, list, similarity, report, canonical);
  });
  return { clusters: reps.length, rows: flagged };
}

/** conflicting-labels between a cluster's first row and members whose label is not the same (nor a variant of it). */
function findNearConflicts(facts: FileFacts, r: number, list: number[], similarity: Float64Array, report: LateReport, canonical: (label: number) => number): void {
  const repLabel = facts.label[r] < 0 ? -1 : canonical(facts.label[r]);
  if (repLabel < 0) return;
  const names = facts.labelNames;
  const conflicting = list.filter((m) => facts.label[m] >= 0 && canonical(facts.label[m]) !== repLabel);
  if (!conflicting.length) return;
  const firstLine = facts.line[r];
  for (const m of conflicting) {
    const s = roundSimilarity(similarity[m]);
    report(m, {
      rule: 'conflicting-labels',
      message: `A near-identical text (similarity ${s.toFixed(2)}) at line ${firstLine} is labelled "${names[facts.label[r]]}"; this row says "${names[facts.label[m]]}"`,
      target: { path: ['@label'] },
      related: [{ line: firstLine, message: `near-identical, labelled "${names[facts.label[r]]}"` }],
      data: { labels: [names[facts.label[m]], names[facts.label[r]]], similarity: s, nearIdentical: true },
      similarity: s,
    });
  }
  const shown = conflicting.slice(0, 3).map((m) => `line ${facts.line[m]} "${names[facts.label[m]]}" (similarity ${roundSimilarity(similarity[m]).toFixed(2)})`);
  const more = conflicting.length > 3 ? ` and ${conflicting.length - 3} more` : '';
  // The first row's finding carries the highest similarity among the rows that disagree with it.
  const closest = roundSimilarity(conflicting.reduce((best, m) => Math.max(best, similarity[m]), 0));
  report(r, {
    rule: 'conflicting-labels',
    message: `Near-identical texts have other labels: ${shown.join(', ')}${more}; this row says "${names[facts.label[r]]}"`,
    target: { path: ['@label'] },
    related: conflicting.slice(0, 20).map((m) => ({ line: facts.line[m], message: `near-identical, labelled "${names[facts.label[m]]}"` })),
    data: { labels: [names[facts.label[r]], ...new Set(conflicting.map((m) => names[facts.label[m]]))], similarity: closest, nearIdentical: true },
    similarity: closest,
  });
}

/**
 * A file's near-duplicate clusters as the quality report shows them, read back from its findings:
 * size, lines, and the least similar pair (the cluster's first row and a member) with its similarity.
 */
export function nearDuplicateClusterPairs(findings: Finding[]): { size: number; similarity: number; lines: number[]; pair: [number, number] }[] {
  const byCluster = new Map<number, { size: number; similarity: number; lines: number[]; pair: [number, number] }>();
  for (const f of findings) {
    if (f.rule !== 'near-duplicate' || f.cluster === undefined || f.similarity === undefined) continue;
    let c = byCluster.get(f.cluster);
    const first = Number(f.data?.firstLine);
    if (!c) byCluster.set(f.cluster, (c = { size: Number(f.data?.clusterSize ?? 0), similarity: f.similarity, lines: [first], pair: [first, f.line] }));
    if (f.similarity < c.similarity) c.pair = [first, f.line];
    c.similarity = Math.min(c.similarity, f.similarity);
    c.lines.push(f.line);
  }
  return [...byCluster.values()];
}

/** A file's near-duplicate clusters (size, lowest similarity, lines), read back from its findings. */
export function nearDuplicateClusters(findings: Finding[]): { size: number; similarity: number; lines: number[] }[] {
  return nearDuplicateClusterPairs(findings).map(({ size, similarity, lines }) => ({ size, similarity, lines }));
}
