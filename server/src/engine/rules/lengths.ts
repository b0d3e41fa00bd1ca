import type { Thresholds } from '../config';
import type { FileFacts, LateReport } from './fileFacts';
import { mapValues, medianValue, valueCounts } from '../select';
import { formatCount } from '../format';
import type { RowReport } from './rowRule';

const TEXT_TARGET = { path: ['@text'] };

/**
 * length-outlier: rows whose log length has a robust z-score (0.6745·(x − median)/MAD) beyond the
 * threshold and that are several times longer or shorter than the median row; the median and MAD
 * ignore the outliers themselves, unlike a mean and a standard deviation.
 */
export function findLengthOutliers(facts: FileFacts, t: Thresholds, report: LateReport): void {
  let n = 0;
  for (let i = 0; i < facts.count; i++) if (!Number.isNaN(facts.hash[i])) n++;
  if (n < 20) return;
  const lengths = new Int32Array(n);
  for (let i = 0, k = 0; i < facts.count; i++) if (!Number.isNaN(facts.hash[i])) lengths[k++] = facts.chars[i];
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
  const z = (length: number) => (Math.log1p(length) - med) / scale;
  const isOutlier = (length: number) => Math.abs(z(length)) > t.lengthOutlierZ && Math.abs(Math.log1p(length) - med) >= Math.log(t.lengthOutlierRatio);
  // Both tests grow with the distance from the median, so the outliers are the lengths up to some
  // bound below it and from some bound above it.
  let below = -Infinity;
  let above = Infinity;
  for (let j = 0; j < counts.values.length; j++) {
    const length = counts.values[j];
    if (!isOutlier(length)) continue;
    if (logs.values[j] < med) below = length;
    else if (above === Infinity) above = length;
  }
  if (below === -Infinity && above === Infinity) return;
  const typical = formatCount(Math.round(Math.expm1(med)));
  // Rows of one length get one report (reports are read, never changed).
  const byLength = new Map<number, RowReport>();
  for (let i = 0; i < facts.count; i++) {
    const length = facts.chars[i];
    if ((length > below && length < above) || Number.isNaN(facts.hash[i])) continue;
    let r = byLength.get(length);
    if (!r) {
      const score = z(length);
      r = {
        rule: 'length-outlier',
        message: `Unusually ${score > 0 ? 'long' : 'short'}: ${formatCount(length)} characters where rows typically have ${typical} (robust z ${score.toFixed(1)})`,
        target: TEXT_TARGET,
        data: { z: score },
      };
      byLength.set(length, r);
    }
    report(i, r);
  }
}
