import { readAnnotations, type AnnotationShape, type Annotations } from './agreement';
import type { GivenLabel, LabelInput } from './dataset';

/**
 * From parsed rows to the model's input. Hosts read the file as for the rule pass and hand the rows'
 * parsed values (objects; anything else counts as a row without text or label, so indexes stay the
 * file's rows) with the text and label fields the detection found.
 */
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const asLabel = (v: unknown): GivenLabel => {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
  return null;
};

/** The texts and labels of parsed rows, by field name. */
export function labelInputFromValues(values: readonly unknown[], fields: { text: string; label: string }): LabelInput {
  const texts: string[] = new Array(values.length);
  const labels: GivenLabel[] = new Array(values.length);
  values.forEach((value, i) => {
    const text = isRecord(value) ? value[fields.text] : undefined;
    texts[i] = typeof text === 'string' ? text : '';
    labels[i] = isRecord(value) ? asLabel(value[fields.label]) : null;
  });
  return { texts, labels };
}

/** Each row's majority label among its annotators (null on a tie or with no label), for files with no label field of their own. */
export function majorityLabels(ratings: readonly (readonly (string | null)[])[]): (string | null)[] {
  return ratings.map((row) => {
    const tally = new Map<string, number>();
    for (const r of row) if (r !== null) tally.set(r, (tally.get(r) ?? 0) + 1);
    let best: string | null = null;
    let top = 0;
    let tie = false;
    for (const [label, count] of tally) {
      if (count > top) {
        best = label;
        top = count;
        tie = false;
      } else if (count === top) tie = true;
    }
    return tie ? null : best;
  });
}

/**
 * Everything label quality reads from a file's parsed rows: texts and labels by field, and several
 * annotators' labels when the file has an annotation shape (the one its detection found: from the
 * annotatorFields setting or its first rows, see agreement.ts). A file with annotators but no label
 * field of its own is modelled on each row's majority label.
 */
export function readLabelRows(values: readonly unknown[], fields: { text: string; label?: string }, shape?: AnnotationShape): { input: LabelInput; annotations?: Annotations; shape?: AnnotationShape } {
  const annotations = shape ? readAnnotations(values, shape) : undefined;
  if (fields.label !== undefined) return { input: labelInputFromValues(values, { text: fields.text, label: fields.label }), ...(shape ? { annotations, shape } : {}) };
  const texts = labelInputFromValues(values, { text: fields.text, label: '' }).texts;
  return { input: { texts, labels: annotations ? majorityLabels(annotations.ratings) : texts.map(() => null) }, ...(shape ? { annotations, shape } : {}) };
}
