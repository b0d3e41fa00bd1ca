import { readAnnotations, type AnnotationShape } from '../labels/agreement';
import type { Report } from './rowRule';

/**
 * annotator-disagreement: a classification row whose annotators (see labels/agreement.ts for the
 * shapes read, or the annotatorFields setting) gave different labels. A row rule: it needs only the
 * row and the file's annotation shape (detected once from the first rows), so the editor re-checks
 * it on the edited line. The message counts each label (and names its annotators when they have
 * names); the quick fix sets the row's own label field to the majority label: the one label more
 * annotators gave than any other. There is no fix on a tie, when the label already is the majority
 * one, when the row's label is a list (multi-label), or when the file has no label field besides the
 * annotators' (the message says which).
 */

const NUMBER = /^-?\d+(\.\d+)?$/;

/** One label's votes on a row: how many annotators gave it, and which (when they have names). */
export interface LabelVotes {
  label: string;
  count: number;
  annotators?: string[];
}

/** A row's votes, most given first (then by label), or undefined when fewer than two annotators labelled it or all agree. */
export function rowDisagreement(value: Record<string, unknown>, shape: AnnotationShape): { votes: LabelVotes[]; majority: string | null; ratings: (string | null)[] } | undefined {
  const read = readAnnotations([value], shape);
  const row = read.ratings[0];
  const names = read.annotators;
  const byLabel = new Map<string, LabelVotes>();
  let present = 0;
  row.forEach((label, k) => {
    if (label === null) return;
    present++;
    let v = byLabel.get(label);
    if (!v) byLabel.set(label, (v = { label, count: 0, ...(names ? { annotators: [] } : {}) }));
    v.count++;
    if (names) v.annotators!.push(names[k]);
  });
  if (present < 2 || byLabel.size < 2) return undefined;
  const votes = [...byLabel.values()].sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return { votes, majority: votes[0].count > votes[1].count ? votes[0].label : null, ratings: row };
}

/** The votes as the message shows them: `"pos" ×2 (label_a, label_c), "neg" ×1 (label_b)`. */
export function shownVotes(votes: readonly LabelVotes[]): string {
  return votes.map((v) => `"${v.label}" ×${v.count}${v.annotators ? ` (${v.annotators.join(', ')})` : ''}`).join(', ');
}

/**
 * Reports a row whose annotators disagree. `labelField` is the file's own label field when it is not
 * one of the annotators' (the fix's target); `label` the row's current label there.
 */
export function checkAnnotators(value: Record<string, unknown>, shape: AnnotationShape, labelField: string | undefined, report: Report): void {
  const found = rowDisagreement(value, shape);
  if (!found) return;
  const { votes, majority, ratings } = found;
  const shown = shownVotes(votes);
  const own = labelField !== undefined && !(shape.kind === 'columns' ? shape.fields.includes(labelField) : shape.field === labelField) ? labelField : undefined;
  const current = own === undefined ? undefined : value[own];
  const currentText = typeof current === 'string' ? current.trim() : typeof current === 'number' || typeof current === 'boolean' ? String(current) : undefined;
  // Points at the annotators' labels: the first column that differs from the majority (or the first two's second on a tie), or the list.
  const dissent = shape.kind === 'columns' ? ratings.findIndex((r) => r !== null && r !== (majority ?? votes[0].label)) : -1;
  const field = shape.kind === 'list' ? shape.field : shape.fields[Math.max(0, dissent)];
  const data = { votes: votes.map((v) => ({ ...v })), majority, ...(own !== undefined ? { label: currentText ?? null } : {}) };
  const base = { rule: 'annotator-disagreement' as const, target: { path: [field] }, data };
  if (majority === null) {
    report({ ...base, message: `Annotators disagree: ${shown}; no majority (a tie), so no label is suggested` });
  } else if (own === undefined) {
    report({ ...base, message: `Annotators disagree: ${shown}; the majority label is "${majority}" (the file has no label field of its own to set)` });
  } else if (Array.isArray(current)) {
    report({ ...base, message: `Annotators disagree: ${shown}; the majority label is "${majority}" (the row's label is a list, left as it is)` });
  } else if (currentText === majority) {
    report({ ...base, message: `Annotators disagree: ${shown}; the label already is the majority "${majority}"` });
  } else {
    // A number or boolean label is written back as one.
    const raw = (typeof current === 'number' && NUMBER.test(majority)) || (typeof current === 'boolean' && (majority === 'true' || majority === 'false'));
    report({
      ...base,
      message: `Annotators disagree: ${shown}; set the label to the majority "${majority}"?`,
      fix: { title: `Set the label to the majority "${majority}"`, kind: 'set-value', path: [own], value: majority, ...(raw ? { json: true } : {}) },
    });
  }
}
