import type { Detection } from '../analysis/detection';
import type { SourceRow } from '../read';
import { extractRow, type RowContent } from './extract';

/** A row that was left out of a split or an augmentation, and why (rows are never dropped silently). */
export interface ExcludedRow {
  /** 0-based row index and 1-based line. */
  index: number;
  line: number;
  /** The rule that makes the row unusable, e.g. "invalid-json", "missing-field". */
  rule: string;
  reason: string;
}

/** Content problems that leave a row without the shape its format needs; other findings do not. */
const UNUSABLE = new Set(['missing-field', 'wrong-type']);

/** A row's content, or why the row cannot be used (a structure error or a missing or mistyped field). */
export function usableRow(row: SourceRow, detection: Detection): { content: RowContent; excluded?: undefined } | { excluded: ExcludedRow; content?: undefined } {
  if (row.problem) return { excluded: { index: row.index, line: row.line, rule: row.problem.rule, reason: row.problem.message } };
  const content = extractRow(row.value as Record<string, unknown>, detection.format, detection.fields);
  const broken = unusableIssue(content);
  if (broken) return { excluded: { index: row.index, line: row.line, rule: broken.rule, reason: broken.message } };
  return { content };
}

/** The issue that makes a row's content unusable (a missing or mistyped field its format needs), if any. */
export function unusableIssue(content: RowContent): RowContent['issues'][number] | undefined {
  return content.issues.length ? content.issues.find((issue) => UNUSABLE.has(issue.rule)) : undefined;
}
