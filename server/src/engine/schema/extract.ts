import type { RuleId } from '../rules/catalog';
import type { JsonPath } from '../read/jsonScan';
import type { FormatName } from '../types';
import type { FieldMap } from './formats';

/** What a text plays in a row: the rules treat classified texts and answers differently from prompts. */
export type PartKind = 'text' | 'prompt' | 'response' | 'system';

/** One text of a row, with where it sits in the row. */
export interface TextPart {
  path: JsonPath;
  text: string;
  kind: PartKind;
  /** A human name for messages, e.g. "messages[2].content (assistant)". */
  name: string;
}

/** A structure problem of a row's shape, located by path (the rows' reader maps it to a range). */
export interface RowIssue {
  rule: RuleId;
  message: string;
  path?: JsonPath;
  /** A replacement value for the field at `path`, offered as a quick fix. */
  suggestion?: { title: string; value: string };
}

/** Role names people use for the two sides of a chat, mapped to the ones the format knows. */
const ROLE_SYNONYMS: Record<string, string> = {
  bot: 'assistant', ai: 'assistant', gpt: 'assistant', model: 'assistant', chatbot: 'assistant', agent: 'assistant', response: 'assistant',
  human: 'user', person: 'user', customer: 'user', client: 'user', prompter: 'user', question: 'user',
  sys: 'system', instruction: 'system',
};

/** The parts of a row that the rules look at. */
export interface RowContent {
  parts: TextPart[];
  label?: string;
  labelPath?: JsonPath;
  /** The text whose normalised form decides whether two rows are duplicates. */
  key: string;
  issues: RowIssue[];
}

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const SHAREGPT_ROLES: Record<string, string> = {
  system: 'system', human: 'user', user: 'user', gpt: 'assistant', assistant: 'assistant',
  function_call: 'assistant', observation: 'tool', tool: 'tool',
};

const describeType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/** Extracts the texts, label and shape problems of one parsed row in a given format. */
export function extractRow(value: Record<string, unknown>, format: FormatName, fields: FieldMap): RowContent {
  const c: RowContent = { parts: [], key: '', issues: [] };
  switch (format) {
    case 'classification':
    case 'text':
      textField(c, value, fields.text, 'text', true);
      if (format === 'classification') label(c, value, fields.label);
      c.key = c.parts[0]?.text ?? '';
      break;
    case 'instruction': {
      const ins = textField(c, value, fields.instruction, 'prompt', true);
      const inp = textField(c, value, fields.input, 'prompt', false);
      const out = textField(c, value, fields.output, 'response', true, 'empty-output');
      c.key = `${ins}\u0001${inp}\u0001${out}`;
      break;
    }
    case 'prompt-completion': {
      const p = textField(c, value, fields.prompt, 'prompt', true);
      const o = textField(c, value, fields.completion, 'response', true, 'empty-output');
      c.key = `${p}\u0001${o}`;
      break;
    }
    case 'preference': {
      const p = value[fields.prompt] === undefined ? '' : textOrMessages(c, value, fields.prompt, 'prompt');
      const ch = textOrMessages(c, value, fields.chosen, 'response');
      const rj = textOrMessages(c, value, fields.rejected, 'response');
      c.key = `${p}\u0001${ch}\u0001${rj}`;
      break;
    }
    case 'chat':
      c.key = conversation(c, value, fields.messages, 'role', 'content', (r) => (CHAT_ROLES.has(r) ? r : undefined));
      break;
    case 'sharegpt':
      c.key = conversation(c, value, fields.conversations, 'from', 'value', (r) => SHAREGPT_ROLES[r]);
      break;
    default:
      c.key = JSON.stringify(value);
  }
  return c;
}

function textField(
  c: RowContent, value: Record<string, unknown>, field: string, kind: PartKind, required: boolean,
  emptyRule: RuleId = 'empty-field',
): string {
  const v = value[field];
  if (v === undefined || (v === null && !required)) {
    if (required) c.issues.push({ rule: 'missing-field', message: `Row has no "${field}" field` });
    return '';
  }
  if (typeof v !== 'string') {
    c.issues.push({ rule: 'wrong-type', message: `"${field}" should be a string but is ${describeType(v)}`, path: [field] });
    return '';
  }
  if (required && v.trim() === '') {
    const message = emptyRule === 'empty-output' ? `The answer "${field}" is empty` : `"${field}" is empty`;
    c.issues.push({ rule: emptyRule, message, path: [field] });
  }
  c.parts.push({ path: [field], text: v, kind, name: field });
  return v;
}

function label(c: RowContent, value: Record<string, unknown>, field: string): void {
  const v = value[field];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    c.issues.push({ rule: 'missing-label', message: v === undefined ? `Row has no label ("${field}")` : `The label "${field}" is empty`, path: v === undefined ? undefined : [field] });
    return;
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') c.label = String(v);
  else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) c.label = v.map(String).join(', ');
  else {
    c.issues.push({ rule: 'wrong-type', message: `The label "${field}" should be a string or number but is ${describeType(v)}`, path: [field] });
    return;
  }
  c.labelPath = [field];
}

function textOrMessages(c: RowContent, value: Record<string, unknown>, field: string, kind: PartKind): string {
  const v = value[field];
  if (Array.isArray(v)) return conversation(c, value, field, 'role', 'content', (r) => (CHAT_ROLES.has(r) ? r : undefined), false);
  return textField(c, value, field, kind, true, kind === 'response' ? 'empty-output' : 'empty-field');
}

function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .join('');
  }
  return undefined;
}

/** Checks a list of turns: roles known, order sensible, content present, ending in an assistant reply. */
function conversation(
  c: RowContent, value: Record<string, unknown>, field: string, roleKey: string, contentKey: string,
  canonical: (role: string) => string | undefined, mustEndWithAssistant = true,
): string {
  const turns = value[field];
  if (turns === undefined) {
    c.issues.push({ rule: 'missing-field', message: `Row has no "${field}" list` });
    return '';
  }
  if (!Array.isArray(turns)) {
    c.issues.push({ rule: 'wrong-type', message: `"${field}" should be a list of messages but is ${describeType(turns)}`, path: [field] });
    return '';
  }
  if (turns.length === 0) {
    c.issues.push({ rule: 'empty-field', message: `"${field}" has no messages`, path: [field] });
    return '';
  }
  const keyParts: string[] = [];
  // The last user/assistant/tool role, whether a non-system turn was seen, and whether order checks still make sense.
  let previous: string | undefined;
  let lastRole: string | undefined;
  let lastIndex = -1;
  let orderKnown = true;
  turns.forEach((turn, i) => {
    if (typeof turn !== 'object' || turn === null || Array.isArray(turn)) {
      c.issues.push({ rule: 'wrong-type', message: `${field}[${i}] should be a message object but is ${describeType(turn)}`, path: [field, i] });
      return;
    }
    const t = turn as Record<string, unknown>;
    const rawRole = t[roleKey];
    if (typeof rawRole !== 'string') {
      c.issues.push({ rule: rawRole === undefined ? 'missing-field' : 'wrong-type', message: `${field}[${i}] has no "${roleKey}" string`, path: [field, i] });
      return;
    }
    const role = canonical(rawRole);
    if (!role) {
      orderKnown = false;
      // Suggest the known role the unknown one stands for, in the format's own names (ShareGPT says human/gpt).
      const meant = ROLE_SYNONYMS[rawRole.trim().toLowerCase()] ?? (canonical(rawRole.trim().toLowerCase()) ? rawRole.trim().toLowerCase() : undefined);
      const spelled = meant && (roleKey === 'from' ? ({ assistant: 'gpt', user: 'human', system: 'system' } as Record<string, string>)[meant] : meant);
      c.issues.push({
        rule: 'chat-unknown-role',
        message: `Unknown role "${rawRole}" in ${field}[${i}]${spelled ? `; did you mean "${spelled}"?` : ''}`,
        path: [field, i, roleKey],
        ...(spelled ? { suggestion: { title: `Change the role to "${spelled}"`, value: spelled } } : {}),
      });
      return;
    }
    const text = contentText(t[contentKey]);
    const hasToolCalls = Array.isArray(t.tool_calls) || typeof t.function_call === 'object';
    if (text === undefined && t[contentKey] !== undefined && t[contentKey] !== null) {
      c.issues.push({ rule: 'wrong-type', message: `${field}[${i}].${contentKey} should be text but is ${describeType(t[contentKey])}`, path: [field, i, contentKey] });
    } else if ((text ?? '').trim() === '' && !hasToolCalls) {
      c.issues.push({ rule: 'chat-empty-content', message: `${field}[${i}] (${role}) has no content`, path: t[contentKey] === undefined ? [field, i] : [field, i, contentKey] });
    }
    if (text) {
      const kind: PartKind = role === 'assistant' ? 'response' : role === 'system' || role === 'developer' ? 'system' : 'prompt';
      c.parts.push({ path: [field, i, contentKey], text, kind, name: `${field}[${i}].${contentKey} (${role})` });
    }
    keyParts.push(`${role}\u0002${text ?? ''}`);
    const order = orderKnown ? roleOrderProblem(previous, role, i) : undefined;
    if (order) c.issues.push({ rule: 'chat-role-order', message: `${field}[${i}]: ${order}`, path: [field, i, roleKey] });
    if (role !== 'system' && role !== 'developer') previous = role;
    lastRole = role;
    lastIndex = i;
  });
  if (mustEndWithAssistant && orderKnown && lastRole && lastRole !== 'assistant') {
    c.issues.push({
      rule: 'chat-role-order',
      message: `The conversation ends with a ${lastRole} turn: there is no assistant reply to learn from`,
      path: [field, lastIndex, roleKey],
    });
  }
  return keyParts.join('\u0001');
}

/** What is wrong with `role` following `previous` (the last non-system role, undefined at the start). */
function roleOrderProblem(previous: string | undefined, role: string, i: number): string | undefined {
  const isSystem = role === 'system' || role === 'developer';
  if (isSystem) return previous === undefined ? undefined : `a ${role} message must come first (found at position ${i})`;
  if (previous === undefined) return role === 'user' ? undefined : `the conversation should start with a user turn, not ${role}`;
  if (role === 'tool' || role === 'function') return previous === 'assistant' || previous === 'tool' || previous === 'function' ? undefined : `a ${role} result must follow an assistant call`;
  if (role === previous && role !== 'tool') return `two ${role} turns in a row; user and assistant should alternate`;
  if (role === 'user' && (previous === 'tool' || previous === 'function')) return 'a tool result should be followed by an assistant turn';
  return undefined;
}
