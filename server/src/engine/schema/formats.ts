// Room: schema. What a row means: the format (classification, instruction, chat…) detected from a
// sample of rows by zod schemas (this file; guess.ts when no field has a known name), and a row's
// texts and label extracted for that format (extract.ts). usableRows.ts: the rows split and augment can use.
import { z } from 'zod';
import type { FormatName } from '../types';
import { guessFields } from './guess';

/** Field name aliases of DESIGN.md §2, most common first. */
export const TEXT_ALIASES = ['text', 'sentence', 'content', 'review', 'document', 'input', 'query'];
export const LABEL_ALIASES = ['label', 'labels', 'category', 'class', 'target', 'sentiment', 'intent'];
const INSTRUCTION_OUTPUT = ['output', 'response'];
const INSTRUCTION_INPUT = ['input', 'context'];

/** Which source field plays which part in a format (e.g. text → "sentence", label → "sentiment"). */
export type FieldMap = Record<string, string>;

const labelValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);
const messageContent = z.union([z.string(), z.array(z.object({ type: z.string() }).passthrough()), z.null()]);
const chatMessage = z.object({ role: z.string(), content: messageContent.optional() }).passthrough();
const shareGptTurn = z.object({ from: z.string(), value: z.string() }).passthrough();
const textOrMessages = z.union([z.string(), z.array(chatMessage)]);

export interface FormatSpec {
  name: FormatName;
  /** Resolves field names from the keys seen in a sample, or undefined when the format cannot apply. */
  fields(keys: Set<string>, hint: { textField?: string; labelField?: string }): FieldMap | undefined;
  /** The zod schema a row of this format satisfies, for the resolved fields. */
  schema(fields: FieldMap): z.ZodTypeAny;
}

const pick = (keys: Set<string>, names: string[]) => names.find((n) => keys.has(n));

/** Formats in detection priority order: the more specific shape wins a tie. */
export const FORMATS: FormatSpec[] = [
  {
    name: 'chat',
    fields: (keys) => (keys.has('messages') ? { messages: 'messages' } : undefined),
    schema: () => z.object({ messages: z.array(chatMessage).min(1) }).passthrough(),
  },
  {
    name: 'sharegpt',
    fields: (keys) => (keys.has('conversations') ? { conversations: 'conversations' } : undefined),
    schema: () => z.object({ conversations: z.array(shareGptTurn).min(1) }).passthrough(),
  },
  {
    name: 'preference',
    fields: (keys) => (keys.has('chosen') && keys.has('rejected') ? { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected' } : undefined),
    schema: () => z.object({ prompt: textOrMessages.optional(), chosen: textOrMessages, rejected: textOrMessages }).passthrough(),
  },
  {
    name: 'instruction',
    fields(keys) {
      const output = pick(keys, INSTRUCTION_OUTPUT);
      if (!keys.has('instruction') || !output) return undefined;
      return { instruction: 'instruction', input: pick(keys, INSTRUCTION_INPUT) ?? 'input', output };
    },
    schema: (f) => z.object({ [f.instruction]: z.string(), [f.input]: z.string().optional().nullable(), [f.output]: z.string() }).passthrough(),
  },
  {
    name: 'prompt-completion',
    fields: (keys) => (keys.has('prompt') && keys.has('completion') ? { prompt: 'prompt', completion: 'completion' } : undefined),
    schema: (f) => z.object({ [f.prompt]: z.string(), [f.completion]: z.string() }).passthrough(),
  },
  {
    name: 'classification',
    fields(keys, hint) {
      const text = hint.textField ?? pick(keys, TEXT_ALIASES);
      const label = hint.labelField ?? pick(keys, LABEL_ALIASES);
      return text && label ? { text, label } : undefined;
    },
    schema: (f) => z.object({ [f.text]: z.string(), [f.label]: labelValue }).passthrough(),
  },
  {
    name: 'text',
    fields(keys, hint) {
      const text = hint.textField ?? pick(keys, TEXT_ALIASES);
      return text ? { text } : undefined;
    },
    schema: (f) => z.object({ [f.text]: z.string() }).passthrough(),
  },
];

export interface Detection {
  format: FormatName;
  fields: FieldMap;
  /** Fraction of sampled rows that satisfy the chosen format's schema. */
  confidence: number;
  /** True when no field had a known name and the fields were guessed from their values (guessFields). */
  guessed?: boolean;
  /** Fields named by settings that no row has: each with the setting's name and the fields rows do have. */
  unknownFields?: UnknownField[];
}

/** A field named by a setting (textField, labelField) that the file does not have. */
export interface UnknownField {
  setting: 'textField' | 'labelField';
  field: string;
  available: string[];
}

/**
 * Detects the format from a sample of parsed rows: the format whose zod schema the most rows
 * satisfy wins, with the more specific format winning a tie. A forced format skips the vote.
 */
export function detectFormat(
  sample: Record<string, unknown>[],
  hint: { format?: string; textField?: string; labelField?: string } = {},
): Detection {
  const counts = new Map<string, number>();
  for (const row of sample) for (const k of Object.keys(row)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const common = new Set([...counts].filter(([, n]) => n >= sample.length / 2).map(([k]) => k));
  const unknownFields = missingHintFields(counts, hint);
  const found = bestFormat(sample, counts, common, hint);
  const detection = found.format === 'unknown' && !unknownFields ? guessedDetection(sample) ?? found : found;
  return unknownFields ? { ...detection, unknownFields } : detection;
}

function bestFormat(
  sample: Record<string, unknown>[], counts: Map<string, number>, common: Set<string>, hint: { format?: string; textField?: string; labelField?: string },
): Detection {
  const candidates = hint.format && hint.format !== 'auto' ? FORMATS.filter((f) => f.name === hint.format) : FORMATS;
  let best: Detection = { format: 'unknown', fields: {}, confidence: 0 };
  for (const spec of candidates) {
    const forced = candidates.length === 1;
    const fields = spec.fields(forced ? new Set(counts.keys()) : common, hint) ?? (forced ? forcedFields(spec.name, hint) : undefined);
    if (!fields) continue;
    const schema = spec.schema(fields);
    const ok = sample.filter((r) => schema.safeParse(r).success).length;
    const confidence = sample.length ? ok / sample.length : 0;
    // Formats come most specific first: the first one most rows satisfy wins over a looser one more rows satisfy.
    if (forced || confidence >= 0.5) return { format: spec.name, fields, confidence };
    if (confidence > best.confidence) best = { format: spec.name, fields, confidence };
  }
  return best;
}

/** A classification (or text) detection from fields guessed by their values, when no name was known. */
function guessedDetection(sample: Record<string, unknown>[]): Detection | undefined {
  const { text, label } = guessFields(sample);
  if (!text) return undefined;
  const spec = FORMATS.find((f) => f.name === (label ? 'classification' : 'text'))!;
  const fields: FieldMap = label ? { text, label } : { text };
  const schema = spec.schema(fields);
  const confidence = sample.filter((r) => schema.safeParse(r).success).length / sample.length;
  return { format: spec.name, fields, confidence, guessed: true };
}

/** Settings that name a field no sampled row has (a misspelling would otherwise turn label checks off silently). */
function missingHintFields(counts: Map<string, number>, hint: { textField?: string; labelField?: string }): UnknownField[] | undefined {
  if (counts.size === 0) return undefined;
  const available = [...counts.keys()];
  const missing: UnknownField[] = [];
  for (const setting of ['textField', 'labelField'] as const) {
    const field = hint[setting];
    if (field !== undefined && !counts.has(field)) missing.push({ setting, field, available });
  }
  return missing.length ? missing : undefined;
}

function forcedFields(format: FormatName, hint: { textField?: string; labelField?: string }): FieldMap {
  if (format === 'classification') return { text: hint.textField ?? 'text', label: hint.labelField ?? 'label' };
  if (format === 'text') return { text: hint.textField ?? 'text' };
  if (format === 'instruction') return { instruction: 'instruction', input: 'input', output: 'output' };
  if (format === 'prompt-completion') return { prompt: 'prompt', completion: 'completion' };
  if (format === 'preference') return { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected' };
  if (format === 'sharegpt') return { conversations: 'conversations' };
  return { messages: 'messages' };
}
