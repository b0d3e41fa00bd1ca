import type { Thresholds } from '../config';
import type { FileFacts, LateReport } from './fileFacts';

/** Median of a sorted array. */
export function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const m = n >> 1;
  return n % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * length-outlier: rows whose log length has a robust z-score (0.6745·(x − median)/MAD) beyond the
 * threshold; the median and MAD ignore the outliers themselves, unlike a mean and a standard deviation.
 */
export function findLengthOutliers(facts: FileFacts, t: Thresholds, report: LateReport): void {
  const logs = new Float64Array(facts.count);
  let n = 0;
  for (let i = 0; i < facts.count; i++) if (!Number.isNaN(facts.hash[i])) logs[n++] = Math.log1p(facts.chars[i]);
  if (n < 20) return;
  const sorted = logs.slice(0, n).sort();
  const med = median(sorted);
  const deviations = sorted.map((x) => Math.abs(x - med)).sort();
  // When over half the rows share one length the MAD is 0; the mean absolute deviation stands in.
  let scale = median(deviations) / 0.6745;
  if (scale === 0) scale = (1.2533 * deviations.reduce((s, d) => s + d, 0)) / n;
  if (scale === 0) return;
  const typical = Math.round(Math.expm1(med));
  for (let i = 0; i < facts.count; i++) {
    if (Number.isNaN(facts.hash[i])) continue;
    const z = (Math.log1p(facts.chars[i]) - med) / scale;
    if (Math.abs(z) > t.lengthOutlierZ) {
      report(i, {
        rule: 'length-outlier',
        message: `Unusually ${z > 0 ? 'long' : 'short'}: ${facts.chars[i].toLocaleString('en-US')} characters where rows typically have ${typical.toLocaleString('en-US')} (robust z ${z.toFixed(1)})`,
        target: { path: ['@text'] },
        data: { z },
      });
    }
  }
}
