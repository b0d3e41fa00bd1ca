import type { Thresholds } from '../config';
import type { FileFacts, LateReport } from './fileFacts';
import { medianOf } from '../select';

/**
 * length-outlier: rows whose log length has a robust z-score (0.6745·(x − median)/MAD) beyond the
 * threshold and that are several times longer or shorter than the median row; the median and MAD
 * ignore the outliers themselves, unlike a mean and a standard deviation.
 */
export function findLengthOutliers(facts: FileFacts, t: Thresholds, report: LateReport): void {
  const logs = new Float64Array(facts.count);
  let n = 0;
  for (let i = 0; i < facts.count; i++) if (!Number.isNaN(facts.hash[i])) logs[n++] = Math.log1p(facts.chars[i]);
  if (n < 20) return;
  const values = logs.subarray(0, n);
  const med = medianOf(values.slice());
  const deviations = values.map((x) => Math.abs(x - med));
  // When over half the rows share one length the MAD is 0; the mean absolute deviation stands in.
  let scale = medianOf(deviations.slice()) / 0.6745;
  if (scale === 0) scale = (1.2533 * deviations.reduce((s, d) => s + d, 0)) / n;
  if (scale === 0) return;
  const typical = Math.round(Math.expm1(med));
  for (let i = 0; i < facts.count; i++) {
    if (Number.isNaN(facts.hash[i])) continue;
    const x = Math.log1p(facts.chars[i]);
    const z = (x - med) / scale;
    if (Math.abs(z) > t.lengthOutlierZ && Math.abs(x - med) >= Math.log(t.lengthOutlierRatio)) {
      report(i, {
        rule: 'length-outlier',
        message: `Unusually ${z > 0 ? 'long' : 'short'}: ${facts.chars[i].toLocaleString('en-US')} characters where rows typically have ${typical.toLocaleString('en-US')} (robust z ${z.toFixed(1)})`,
        target: { path: ['@text'] },
        data: { z },
      });
    }
  }
}
