/**
 * Field inference for rows whose names say nothing (`v1`, `v2`; `col1`, `col2` of a file without a
 * header): the text is the long, varied string field, the label the short one with few values, as
 * a person glancing at the rows would say.
 */

export interface GuessedFields {
  text?: string;
  label?: string;
}

/** A text averages at least this many characters; a label at most this many. */
const MIN_TEXT_CHARS = 8;
const MAX_LABEL_CHARS = 30;

interface FieldStats {
  key: string;
  /** Share of rows whose value is a string (text) or a string, number or boolean (label). */
  strings: number;
  scalars: number;
  meanChars: number;
  distinct: number;
}

/** Guesses the text and label fields from a sample of rows; either may be undefined when nothing fits. */
export function guessFields(sample: Record<string, unknown>[]): GuessedFields {
  const n = sample.length;
  if (n === 0) return {};
  const stats = commonKeys(sample).map((key) => fieldStats(sample, key));
  const text = stats
    .filter((s) => s.strings >= 0.9 && s.meanChars >= MIN_TEXT_CHARS && s.distinct >= Math.max(2, n / 2))
    .sort((a, b) => b.meanChars - a.meanChars)[0]?.key;
  const maxLabels = Math.max(2, Math.min(50, n / 2));
  const label = stats
    .filter((s) => s.key !== text && s.scalars >= 0.9 && s.distinct >= 2 && s.distinct <= maxLabels && s.meanChars <= MAX_LABEL_CHARS)
    .sort((a, b) => a.distinct - b.distinct)[0]?.key;
  return { text, label };
}

/** Keys present in at least half the rows, in order of first sight. */
function commonKeys(sample: Record<string, unknown>[]): string[] {
  const counts = new Map<string, number>();
  for (const row of sample) for (const k of Object.keys(row)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].filter(([, c]) => c >= sample.length / 2).map(([k]) => k);
}

function fieldStats(sample: Record<string, unknown>[], key: string): FieldStats {
  let strings = 0;
  let scalars = 0;
  let chars = 0;
  const values = new Set<string>();
  for (const row of sample) {
    const v = row[key];
    if (typeof v === 'string') {
      strings++;
      chars += v.trim().length;
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      scalars++;
      values.add(String(v).trim());
    }
  }
  return { key, strings: strings / sample.length, scalars: scalars / sample.length, meanChars: strings ? chars / strings : 0, distinct: values.size };
}
