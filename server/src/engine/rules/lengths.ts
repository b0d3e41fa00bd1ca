import type { Thresholds } from '../config';
import type { FileFacts, LateReport } from './fileFacts';
import { mapValues, medianValue, valueCounts, type ValueCounts } from '../select';
import { formatCount } from '../format';
import type { RowReport } from './rowRule';
import { TRAIT } from '../text/scripts';

const TEXT_TARGET = { path: ['@text'] };

/**
 * The length-outlier test of a file: the outliers are the lengths up to `below` and from `above`,
 * each with one report (reports are read, never changed, so rows of one length share theirs).
 */
export interface LengthOutliers {
  below: number;
  above: number;
  /** The median log length and the robust scale the z-scores (and so the messages) come from. */
  median: number;
  scale: number;
  isOutlier(length: number): boolean;
  report(length: number): RowReport;
}

/** Whether two files' length tests flag the same lengths with the same messages. */
export function sameLengthOutliers(a: LengthOutliers | undefined, b: LengthOutliers | undefined): boolean {
  if (!a || !b) return a === b;
  return a.below === b.below && a.above === b.above && a.median === b.median && a.scale === b.scale;
}

/** The value counts of the lengths of the rows that take part in file rules (not those with structure errors). */
export function lengthCounts(facts: FileFacts): ValueCounts {
  let n = 0;
  for (let i = 0; i < facts.count; i++) if (!Number.isNaN(facts.hash[i])) n++;
  return valueCounts(validLengths(facts, n));
}

/** The lengths of the n rows with a hash (a loop of its own: see stats.ts validRowLengths). */
function validLengths(facts: FileFacts, n: number): Int32Array {
  const lengths = new Int32Array(n);
  for (let i = 0, k = 0; i < facts.count; i++) if (!Number.isNaN(facts.hash[i])) lengths[k++] = facts.chars[i];
  return lengths;
}

/**
 * length-outlier: rows whose log length has a robust z-score (0.6745·(x − median)/MAD) beyond the
 * threshold and that are several times longer or shorter than the median row; the median and MAD
 * ignore the outliers themselves, unlike a mean and a standard deviation. Undefined when no length
 * is an outlier. `counts`: lengthCounts of the file.
 */
export function lengthOutliers(counts: ValueCounts, t: Thresholds): LengthOutliers | undefined {
  const n = counts.total;
  if (n < 20) return undefined;
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
  if (scale === 0) return undefined;
  const z = (length: number) => (Math.log1p(length) - med) / scale;
  const flagged = (length: number) => Math.abs(z(length)) > t.lengthOutlierZ && Math.abs(Math.log1p(length) - med) >= Math.log(t.lengthOutlierRatio);
  // Both tests grow with the distance from the median, so the outliers are the lengths up to some
  // bound below it and from some bound above it.
  let below = -Infinity;
  let above = Infinity;
  for (let j = 0; j < counts.values.length; j++) {
    const length = counts.values[j];
    if (!flagged(length)) continue;
    if (logs.values[j] < med) below = length;
    else if (above === Infinity) above = length;
  }
  if (below === -Infinity && above === Infinity) return undefined;
  const typical = formatCount(Math.round(Math.expm1(med)));
  const byLength = new Map<number, RowReport>();
  return {
    below,
    above,
    median: med,
    scale,
    isOutlier: (length) => length <= below || length >= above,
    report(length) {
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
      return r;
    },
  };
}

/**
 * Whether row `i` is a length outlier length-outlier reports: a row that takes part in file rules, of
 * an outlier length, unless it is short and another finding says so already (TRAIT.SAID_SHORT).
 */
export function isReportedOutlier(facts: FileFacts, outliers: LengthOutliers, i: number): boolean {
  const chars = facts.chars[i];
  return !Number.isNaN(facts.hash[i]) && !(facts.traits[i] & TRAIT.SAID_SHORT && chars <= outliers.below) && outliers.isOutlier(chars);
}

/** Reports length-outlier on every row of an outlier length. */
export function findLengthOutliers(facts: FileFacts, outliers: LengthOutliers | undefined, report: LateReport): void {
  if (!outliers) return;
  for (let i = 0; i < facts.count; i++) {
    if (isReportedOutlier(facts, outliers, i)) report(i, outliers.report(facts.chars[i]));
  }
}
