import { deleteRowEdit, FindingBuilder } from '../analysis/analyze';
import { detectDatasetFormat } from '../analysis/detection';
import type { Config } from '../config';
import { openReader, type DatasetContainer } from '../read';
import { extractRow } from '../schema/extract';
import type { TextEdit } from '../types';
import { redactPrivacy } from './privacy';
import { labelEdits } from './suggest';

/**
 * What the dataset view does to the rows a person picked (the rows its filters show, or the selected
 * one): delete them, give them one label, or redact the credentials and personal data in their texts.
 * The answer is a list of text edits for one WorkspaceEdit (one undo), plus the rows left alone and why.
 */

export type RowAction = { kind: 'delete' } | { kind: 'relabel'; label: string } | { kind: 'redact' };

export interface RowActionEdits {
  edits: TextEdit[];
  /** Rows the edits change. */
  rows: number;
  /** Rows that could not be changed, each named by its line (or the whole file's reason). */
  problems: string[];
}

/** Separate text edits in one WorkspaceEdit at most: deleting neighbouring rows is one edit (joinedDeletions). */
const MAX_EDITS = 50_000;

/** Deletions of neighbouring rows as one deletion each run (all the rows of a file: one edit, not a million). */
function joinedDeletions(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && last.endLine === e.line && last.endColumn === 1 && e.column === 1) out[out.length - 1] = { ...last, endLine: e.endLine, endColumn: e.endColumn };
    else out.push(e);
  }
  return out;
}

/** The edits of `action` on the rows starting at `lines` of a file's text. */
export function rowActionEdits(path: string, bytes: Uint8Array, config: Config, action: RowAction, lines: readonly number[], container?: DatasetContainer): RowActionEdits {
  if (action.kind === 'relabel') {
    const label = action.label.trim();
    if (!label) return { edits: [], rows: 0, problems: ['type the label to give the rows'] };
    const { edits, problems } = labelEdits(path, bytes, config, lines.map((line) => ({ line, label })), container);
    return { edits, rows: edits.length, problems };
  }
  const reader = openReader(path, bytes, container, config);
  if (action.kind === 'delete' && reader.container === 'json') {
    return { edits: [], rows: 0, problems: [`${path}: the rows of a JSON array are not deleted from the dataset view (the array's commas would break); edit them in the text editor`] };
  }
  const wanted = new Set(lines);
  const detection = action.kind === 'redact' ? detectDatasetFormat(reader.rows(), config) : undefined;
  const builder = detection && new FindingBuilder(reader, detection.fields, config, { fixes: true });
  const edits: TextEdit[] = [];
  const problems: string[] = [];
  const found = new Set<number>();
  let rows = 0;
  for (const row of reader.rows()) {
    if (!wanted.has(row.line)) continue;
    found.add(row.line);
    if (action.kind === 'delete') {
      edits.push(deleteRowEdit(row));
      rows++;
      continue;
    }
    const value = row.value;
    if (row.problem || typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path}:${row.line}: the row cannot be read, so its texts cannot be redacted`);
      continue;
    }
    const content = extractRow(value as Record<string, unknown>, detection!.format, detection!.fields);
    let changed = false;
    for (const part of content.parts) {
      const redacted = redactPrivacy(part.text);
      if (!redacted.rules.length || redacted.text === part.text) continue;
      const fix = builder!.encodeFix(row, content, { title: 'Redact', kind: 'set-value', path: part.path, value: redacted.text });
      if (fix) {
        edits.push(...fix.edits);
        changed = true;
      } else problems.push(`${path}:${row.line}: ${part.name} cannot be rewritten in place`);
    }
    if (changed) rows++;
  }
  for (const line of wanted) if (!found.has(line)) problems.push(`${path}:${line}: no row starts on this line`);
  edits.sort((a, b) => a.line - b.line || a.column - b.column);
  const merged = action.kind === 'delete' ? joinedDeletions(edits) : edits;
  if (merged.length > MAX_EDITS) {
    return { edits: [], rows: 0, problems: [`${path}: ${merged.length} separate places to change in one edit is more than the editor takes well (at most ${MAX_EDITS}); filter the rows further, or fix the file with the command line`] };
  }
  return { edits: merged, rows, problems };
}
