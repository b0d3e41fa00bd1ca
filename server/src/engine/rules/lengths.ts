import type { Thresholds } from '../config';
import type { FileFacts, LateReport } from './fileFacts';
import { mapValues, medianValue, valueCounts } from '../select';
import { formatCount } from '../format';

/**
 * length-outlier: rows whose log length has a robust z-score (0.6745·(x − median)/MAD) beyond the
 * threshold and that are several times longer or shorter than the median row; the median and MAD
 * ignore the outliers themselves, unlike a mean and a standard deviation.
 */
export function findLengthOutliers(facts: FileFacts, t: Thresholds, report: LateReport): void {
  const lengths: number[] = [];
  for (let i = 0; i < facts.count; i++) if (!Number.isNaN(facts.hash[i])) lengths.push(facts.chars[i]);
  const n = lengths.length;
  if (n < 20) return;
  // Everything is computed per distinct length: a million rows have a few thousand.
  const counts = valueCounts(lengths);
  const logs = mapValues(counts, Math.log1p, true);
  const med = medianValue(logs);
  const deviations = mapValues(logs, (x) => Math.abs(x - med), false);
  // When over half the rows share one length the MAD is 0; the mean absolute deviation stands in.
  let scale = medianValue(deviations) / 0.6745;
  if (scale === 0) {
    let sum = 0;
    for (let j = 0; j < deviations.values.length; j++) sum += deviations.values[j] * deviations.counts[j];
    scale = (1.2533 * sum) / n;
  }
  if (scale === 0) return;
  const typical = formatCount(Math.round(Math.expm1(med)));
  const outliers = new Map<number, number>();
  for (let j = 0; j < logs.values.length; j++) {
    const x = logs.values[j];
    const z = (x - med) / scale;
    if (Math.abs(z) > t.lengthOutlierZ && Math.abs(x - med) >= Math.log(t.lengthOutlierRatio)) outliers.set(counts.values[j], z);
  }
  if (outliers.size === 0) return;
  for (let i = 0; i < facts.count; i++) {
    if (Number.isNaN(facts.hash[i])) continue;
    const z = outliers.get(facts.chars[i]);
    if (z === undefined) continue;
    report(i, {
      rule: 'length-outlier',
      message: `Unusually ${z > 0 ? 'long' : 'short'}: ${formatCount(facts.chars[i])} characters where rows typically have ${typical} (robust z ${z.toFixed(1)})`,
      target: { path: ['@text'] },
      data: { z },
    });
  }
}
