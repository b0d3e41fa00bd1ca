import type { Thresholds } from '../config';
import { labelCounts, type FileFacts, type LateReport } from './fileFacts';
import { formatCount as fmt } from '../format';
import type { RowReport } from './rowRule';

/** The balance index 1 − Σ(n_c/N − 1/C)²: 1 for a uniform distribution, lower the more skewed. */
export function balanceIndex(counts: number[]): number {
  const present = counts.filter((n) => n > 0);
  const total = present.reduce((a, b) => a + b, 0);
  if (present.length < 2 || total === 0) return 1;
  const uniform = 1 / present.length;
  return 1 - present.reduce((s, n) => s + (n / total - uniform) ** 2, 0);
}

/** label-imbalance: one file-level finding on line 1 with the counts, the ratio and the balance index. */
export function findLabelImbalance(facts: FileFacts, t: Thresholds, report: LateReport): void {
  const counts = labelCounts(facts);
  const present = counts.map((n, i) => ({ n, name: facts.labelNames[i] })).filter((c) => c.n > 0).sort((a, b) => b.n - a.n);
  if (present.length < 2) return;
  const total = present.reduce((s, c) => s + c.n, 0);
  const max = present[0];
  const min = present[present.length - 1];
  const ratio = max.n / min.n;
  const minShare = min.n / total;
  const uniform = 1 / present.length;
  if (ratio <= t.imbalanceRatio && minShare >= t.imbalanceMinShare * uniform) return;
  const index = balanceIndex(counts);
  const shown = present.slice(0, 8).map((c) => `${c.name}: ${fmt(c.n)}`).join(' · ') + (present.length > 8 ? ` · … (${present.length} labels)` : '');
  report(-1, {
    rule: 'label-imbalance',
    message: `Labels are imbalanced: ${shown}; majority/minority ratio ${ratio.toFixed(1)}, balance index ${index.toFixed(2)}`,
    data: { ratio, balanceIndex: index, counts: Object.fromEntries(present.map((c) => [c.name, c.n])) },
  });
}

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * For each label, the more common label it is a variant of (same after case/whitespace folding,
 * or within a small edit distance for labels of four or more characters), if any.
 */
export function labelVariants(names: string[], counts: number[], maxEdits: number): Map<number, number> {
  const variants = new Map<number, number>();
  const fold = (s: string) => s.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  for (let v = 0; v < names.length; v++) {
    let best = -1;
    for (let c = 0; c < names.length; c++) {
      if (c === v || counts[c] <= counts[v] || counts[c] === 0) continue;
      const a = fold(names[v]);
      const b = fold(names[c]);
      const similar = a === b || (Math.min(a.length, b.length) >= 4 && maxEdits > 0 && editDistance(a, b, maxEdits) <= maxEdits);
      if (similar && (best < 0 || counts[c] > counts[best])) best = c;
    }
    if (best >= 0) variants.set(v, best);
  }
  return variants;
}

/**
 * The report each label's rows get: label-variant for a variant of a more common label, rare-label for
 * a label under the minimum, none otherwise. One report per label, made on first request.
 */
export function labelReports(facts: FileFacts, t: Thresholds): (label: number) => RowReport | undefined {
  const counts = labelCounts(facts);
  const variants = labelVariants(facts.labelNames, counts, t.labelVariantMaxEdits);
  const total = counts.reduce((a, b) => a + b, 0);
  const distinct = counts.filter((n) => n > 0).length;
  const checkRare = distinct >= 2 && total >= t.rareLabelMin * 2;
  // By label id: undefined until made, null for a label without a report.
  const made: (RowReport | null | undefined)[] = new Array(counts.length);
  const make = (l: number): RowReport | null => {
    const canonical = variants.get(l);
    const name = facts.labelNames[l];
    if (canonical !== undefined) {
      const target = facts.labelNames[canonical];
      return {
        rule: 'label-variant',
        message: `Label "${name}" (${fmt(counts[l])} row${counts[l] === 1 ? '' : 's'}) looks like a variant of "${target}" (${fmt(counts[canonical])} rows)`,
        target: { path: ['@label'] },
        data: { label: name, canonical: target },
        fix: { title: `Change label to "${target}"`, kind: 'set-value', path: ['@label'], value: target },
      };
    }
    if (checkRare && counts[l] < t.rareLabelMin) {
      return {
        rule: 'rare-label',
        message: `Label "${name}" has only ${counts[l]} row${counts[l] === 1 ? '' : 's'} (minimum ${t.rareLabelMin}); a model cannot learn it from so few examples`,
        target: { path: ['@label'] },
        data: { label: name, count: counts[l] },
      };
    }
    return null;
  };
  return (l) => (l < 0 ? undefined : (made[l] ??= make(l)) ?? undefined);
}

/** label-variant on each row carrying a variant, and rare-label on rows of labels under the minimum. */
export function findLabelVariantsAndRareLabels(facts: FileFacts, reportFor: (label: number) => RowReport | undefined, report: LateReport): void {
  for (let i = 0; i < facts.count; i++) {
    const r = reportFor(facts.label[i]);
    if (r) report(i, r);
  }
}
