/**
 * Agreement between annotators who labelled the same rows: the share of rows on which all agree
 * (the articles' Consistency = (1/N) Σ 1(ŷ¹ = … = ŷᴹ)), Cohen's κ when there are exactly two named
 * annotators, Fleiss' κ for any number (with the usual extension to rows rated by different numbers
 * of annotators), each label's specific agreement, and the rows on which they disagree.
 *
 * Shapes read (see `detectAnnotationShape`):
 * - columns, one per annotator: two or more fields named like `label_1`, `label_2`, `label_a`,
 *   `annotator_1`, `annotation_2`, `rater3`, `judge_b` (prefix label / annotator / annotation / rater
 *   / judge, an optional `_`, `-` or space, then a number or one letter); the field is the annotator;
 * - a list per row in a field named `annotations`, `annotator_labels`, `annotators`, `ratings`,
 *   `judgments`, `judgements` or `votes`: an array of labels, or of objects holding the label in
 *   `label` / `value` / `answer` / `rating` and, optionally, who gave it in `annotator` / `annotator_id`
 *   / `rater` / `worker` / `worker_id` / `user`. Without names the annotators are anonymous: Fleiss'
 *   κ still applies, Cohen's does not.
 * A `labels` array is read as a multi-label row, not as annotators. The annotatorFields setting names
 * the fields instead (two or more: columns; one: a list).
 */

/** Where a file keeps its annotators' labels. */
export type AnnotationShape = { kind: 'columns'; fields: string[] } | { kind: 'list'; field: string };

/** Each row's labels by annotator (null: that annotator left the row), and the annotators' names when known. */
export interface Annotations {
  ratings: (string | null)[][];
  annotators?: string[];
}

export interface AnnotatorAgreement {
  /** Rows with at least two labels, the only ones agreement can be measured on. */
  rows: number;
  /** Named annotators, or the most labels any row has when they are anonymous. */
  annotators: number;
  annotatorNames?: string[];
  labels: string[];
  /** Share of rows on which every annotator gave the same label. */
  percentAgreement: number;
  /** Two named annotators only; null when it is undefined (both gave one label throughout). */
  cohensKappa: number | null;
  /** Any number of annotators; null when undefined (one label throughout). */
  fleissKappa: number | null;
  /** Landis and Koch's words for the κ reported (Cohen's for two named annotators, else Fleiss'). */
  strength: string;
  /** Per label: of the annotator pairs in which one gave it, the share in which the other did too. */
  perLabel: { label: string; agreement: number; ratings: number }[];
  /** Rows with differing labels, with the majority label (null on a tie) and its share. */
  disagreements: { row: number; labels: (string | null)[]; majority: string | null; share: number }[];
}

const COLUMN = /^(label|annotator|annotation|rater|judge)[_\- ]?(\d+|[a-z])$/i;
const LIST_FIELDS = ['annotations', 'annotator_labels', 'annotators', 'ratings', 'judgments', 'judgements', 'votes'];
const LABEL_KEYS = ['label', 'value', 'answer', 'rating'];
const WHO_KEYS = ['annotator', 'annotator_id', 'rater', 'worker', 'worker_id', 'user'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Finds the annotation shape in a sample of parsed rows, or undefined when the file has none. Fields
 * named by the annotatorFields setting win: two or more are columns (in the order given), one is a list.
 */
export function detectAnnotationShape(sample: readonly unknown[], fields?: readonly string[]): AnnotationShape | undefined {
  if (fields && fields.length > 0) return fields.length === 1 ? { kind: 'list', field: fields[0] } : { kind: 'columns', fields: [...fields] };
  const keys = new Set<string>();
  for (const row of sample) if (isRecord(row)) for (const k of Object.keys(row)) keys.add(k);
  const columns = [...keys].filter((k) => COLUMN.test(k));
  if (columns.length >= 2) {
    const suffix = (k: string) => COLUMN.exec(k)![2];
    const numeric = (s: string) => (/^\d+$/.test(s) ? Number(s) : NaN);
    columns.sort((a, b) => numeric(suffix(a)) - numeric(suffix(b)) || (a < b ? -1 : a > b ? 1 : 0));
    return { kind: 'columns', fields: columns };
  }
  for (const field of LIST_FIELDS) {
    if (sample.some((row) => isRecord(row) && Array.isArray(row[field]) && (row[field] as unknown[]).length > 0)) return { kind: 'list', field };
  }
  return undefined;
}

const labelOf = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isRecord(v)) for (const k of LABEL_KEYS) if (k in v) return labelOf(v[k]);
  return null;
};

const whoOf = (v: unknown): string | undefined => {
  if (!isRecord(v)) return undefined;
  for (const k of WHO_KEYS) if (typeof v[k] === 'string' || typeof v[k] === 'number') return String(v[k]);
  return undefined;
};

/** Reads every row's annotations in the given shape (rows that are not objects have none). */
export function readAnnotations(rows: readonly unknown[], shape: AnnotationShape): Annotations {
  if (shape.kind === 'columns') {
    return { ratings: rows.map((row) => shape.fields.map((f) => (isRecord(row) ? labelOf(row[f]) : null))), annotators: shape.fields };
  }
  const lists = rows.map((row) => (isRecord(row) && Array.isArray(row[shape.field]) ? (row[shape.field] as unknown[]) : []));
  const named = lists.every((list) => list.every((item) => whoOf(item) !== undefined)) && lists.some((l) => l.length > 0);
  if (!named) return { ratings: lists.map((list) => list.map(labelOf)) };
  const names = [...new Set(lists.flatMap((list) => list.map((item) => whoOf(item)!)))].sort();
  const position = new Map(names.map((n, i) => [n, i]));
  const ratings = lists.map((list) => {
    const row = new Array<string | null>(names.length).fill(null);
    for (const item of list) row[position.get(whoOf(item)!)!] = labelOf(item);
    return row;
  });
  return { ratings, annotators: names };
}

/** Landis and Koch (1977): the usual words for a κ. */
export function kappaStrength(kappa: number | null): string {
  if (kappa === null) return 'undefined (a single label throughout)';
  if (kappa < 0) return 'poor (below chance)';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}

/** The κ a summary names: Cohen's for two annotators, Fleiss' for more; `undefinedWord` when there is none. */
export function kappaPhrase(a: { cohensKappa: number | null; fleissKappa: number | null }, undefinedWord: string): string {
  if (a.cohensKappa !== null) return `Cohen's κ ${a.cohensKappa.toFixed(2)}`;
  return a.fleissKappa !== null ? `Fleiss' κ ${a.fleissKappa.toFixed(2)}` : undefinedWord;
}

/** Cohen's κ of two annotators over the rows both labelled; null when chance agreement is 1. */
export function cohensKappa(a: readonly (string | null)[], b: readonly (string | null)[]): number | null {
  const first = new Map<string, number>();
  const second = new Map<string, number>();
  let n = 0;
  let agree = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || y === null) continue;
    n++;
    if (x === y) agree++;
    first.set(x, (first.get(x) ?? 0) + 1);
    second.set(y, (second.get(y) ?? 0) + 1);
  }
  if (n === 0) return null;
  let chance = 0;
  for (const [label, count] of first) chance += (count / n) * ((second.get(label) ?? 0) / n);
  return chance >= 1 ? null : (agree / n - chance) / (1 - chance);
}

/** Fleiss' κ from per-row label counts (rows with fewer than two ratings are skipped); null when undefined. */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  let rows = 0;
  let observed = 0;
  let ratings = 0;
  const totals: number[] = [];
  for (const row of counts) {
    const n = row.reduce((s, v) => s + v, 0);
    if (n < 2) continue;
    rows++;
    ratings += n;
    let pairs = 0;
    row.forEach((v, k) => {
      pairs += v * (v - 1);
      totals[k] = (totals[k] ?? 0) + v;
    });
    observed += pairs / (n * (n - 1));
  }
  if (rows === 0) return null;
  const chance = totals.reduce((s, t) => s + (t / ratings) ** 2, 0);
  return chance >= 1 ? null : (observed / rows - chance) / (1 - chance);
}

/** Agreement over the rows that at least two annotators labelled; undefined when there are none. */
export function annotatorAgreement(annotations: Annotations): AnnotatorAgreement | undefined {
  const { ratings, annotators } = annotations;
  const labelSet = new Set<string>();
  for (const row of ratings) for (const r of row) if (r !== null) labelSet.add(r);
  const labels = [...labelSet].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts: number[][] = [];
  const disagreements: AnnotatorAgreement['disagreements'] = [];
  let rows = 0;
  let unanimous = 0;
  let widest = 0;
  const pairsWith = new Array<number>(labels.length).fill(0);
  const agreeingPairs = new Array<number>(labels.length).fill(0);
  const given = new Array<number>(labels.length).fill(0);
  ratings.forEach((row, i) => {
    const present = row.filter((r): r is string => r !== null);
    if (present.length < 2) return;
    rows++;
    widest = Math.max(widest, present.length);
    const c = new Array<number>(labels.length).fill(0);
    for (const r of present) c[index.get(r)!]++;
    counts.push(c);
    c.forEach((v, k) => {
      given[k] += v;
      agreeingPairs[k] += v * (v - 1);
      pairsWith[k] += v * (present.length - 1);
    });
    if (c.some((v) => v === present.length)) {
      unanimous++;
      return;
    }
    const top = Math.max(...c);
    const winners = c.flatMap((v, k) => (v === top ? [labels[k]] : []));
    disagreements.push({ row: i, labels: row, majority: winners.length === 1 ? winners[0] : null, share: top / present.length });
  });
  if (rows === 0) return undefined;
  const cohen = annotators && annotators.length === 2 ? cohensKappa(ratings.map((r) => r[0]), ratings.map((r) => r[1])) : null;
  const fleiss = fleissKappa(counts);
  return {
    rows,
    annotators: annotators ? annotators.length : widest,
    ...(annotators ? { annotatorNames: annotators } : {}),
    labels,
    percentAgreement: unanimous / rows,
    cohensKappa: cohen,
    fleissKappa: fleiss,
    strength: kappaStrength(annotators && annotators.length === 2 ? cohen : fleiss),
    perLabel: labels.map((label, k) => ({ label, agreement: pairsWith[k] ? agreeingPairs[k] / pairsWith[k] : 0, ratings: given[k] })),
    disagreements,
  };
}
