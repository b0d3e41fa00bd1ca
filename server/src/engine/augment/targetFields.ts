import type { JsonPath } from '../read/jsonScan';
import type { FieldMap } from '../schema/formats';
import type { RowContent } from '../schema/extract';
import type { FormatName } from '../types';

/**
 * Which texts of a row get augmented. A selector is a top-level field ("text", "instruction"), a
 * role ("user": every user turn of a conversation; ShareGPT's "human" counts as "user"), or both
 * ("messages.user", "prompt.user"). Answers are left alone by default: augmenting what the model
 * should say teaches it noisier answers, while varied questions teach it robustness.
 */

/** The texts augmented when the user names none. */
export function defaultSelectors(format: FormatName, fields: FieldMap): string[] {
  switch (format) {
    case 'classification':
    case 'text':
      return [fields.text];
    case 'instruction':
      return [fields.instruction];
    case 'prompt-completion':
    case 'preference':
      return [fields.prompt];
    case 'chat':
    case 'sharegpt':
      return ['user'];
    default:
      return [];
  }
}

/** One text to augment: where it is in the row and a name to show for it. */
export interface TargetText {
  path: JsonPath;
  field: string;
  text: string;
}

const CANONICAL: Record<string, string> = { human: 'user', gpt: 'assistant' };

/** The row's texts the selectors pick, in row order; only plain string values (not multi-part content). */
export function targetTexts(value: Record<string, unknown>, content: RowContent, selectors: readonly string[]): TargetText[] {
  const out: TargetText[] = [];
  for (const part of content.parts) {
    if (typeof valueAt(value, part.path) !== 'string') continue;
    const top = String(part.path[0]);
    let role: string | undefined;
    if (part.path.length === 3) {
      const turn = valueAt(value, part.path.slice(0, 2)) as Record<string, unknown>;
      const raw = turn.role ?? turn.from;
      role = typeof raw === 'string' ? raw : undefined;
    }
    const picked = selectors.some((s) => {
      if (s === top) return true;
      if (role === undefined) return false;
      const dot = s.indexOf('.');
      const [field, want] = dot < 0 ? [undefined, s] : [s.slice(0, dot), s.slice(dot + 1)];
      return (field === undefined || field === top) && (want === role || want === CANONICAL[role]);
    });
    if (picked) out.push({ path: part.path, field: part.name, text: part.text });
  }
  return out;
}

export function valueAt(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** A copy of `value` with the string at `path` replaced; the original is not touched. */
export function withValueAt(value: unknown, path: JsonPath, text: string): unknown {
  if (path.length === 0) return text;
  const [key, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = value.slice();
    copy[key as number] = withValueAt(value[key as number], rest, text);
    return copy;
  }
  const obj = value as Record<string, unknown>;
  return { ...obj, [key]: withValueAt(obj[key as string], rest, text) };
}
