import { z } from 'zod';
import type { AugmentChoices, AugmentPageMessage, DatasetRowAction, DatasetRowsQuery, DatasetViewPageMessage, ReportPageMessage, SplitChoices, SplitPageMessage, SuggestChoices, SuggestPageMessage } from '../../../server/src/protocol';

/**
 * What the panels' pages may post to their host, checked before the host acts on anything. A webview
 * is a web page: what it posts is data to check, not typed values to trust (a page that misbehaves, or
 * a dataset text that got into one, must not make the host write elsewhere or loop for ever). The
 * schemas check the shape and keep every string and list small; what the values mean (ratios that add
 * up, a whole-number seed) the engine checks, and says in words. This module imports nothing but zod,
 * so it is unit-tested without VS Code.
 */

/**
 * A number as a form field gives it: NaN when the field holds none or no number, which reaches the host
 * as null (a webview's message travels as JSON). Both become NaN, for the engine to say what to type.
 */
const formNumber = z.union([z.number(), z.nan(), z.null().transform(() => Number.NaN)]);

/** A field name or a folder typed into the form. */
const formText = z.string().max(4096);

export const splitChoicesSchema: z.ZodType<SplitChoices, z.ZodTypeDef, unknown> = z.object({
  mode: z.enum(['ratios', 'folds']),
  ratios: z.array(formNumber).max(100),
  folds: formNumber,
  seed: formNumber,
  stratify: z.boolean(),
  groupDuplicates: z.boolean(),
  groupNearDuplicates: z.boolean(),
  groupField: formText,
  timeField: formText,
  outputFolder: formText,
});

/** The operation codes of AugmentChoices (protocol.ts's AUGMENT_OPERATION_CODES; this module imports types only). */
const OPERATION_CODES = ['sr', 'ri', 'rs', 'rd', 'ss', 'cn', 'cp', 'bt', 'pp'] as const;

export const augmentChoicesSchema: z.ZodType<AugmentChoices, z.ZodTypeDef, unknown> = z.object({
  operations: z.array(z.enum(OPERATION_CODES)).max(OPERATION_CODES.length),
  rejected: z.array(z.enum(OPERATION_CODES)).max(OPERATION_CODES.length).optional(),
  alpha: formNumber,
  n: formNumber,
  balance: z.enum(['none', 'majority', 'target', 'downsample']),
  target: formNumber,
  seed: formNumber,
  provenanceField: formText,
});

/** The messages of both form pages: ready, a preview of the choices, write them. */
function formPageSchema<C>(choices: z.ZodType<C, z.ZodTypeDef, unknown>) {
  return z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('preview'), choices }),
    z.object({ type: z.literal('write'), choices }),
  ]);
}

export const splitPageMessageSchema: z.ZodType<SplitPageMessage, z.ZodTypeDef, unknown> = formPageSchema(splitChoicesSchema);
export const augmentPageMessageSchema: z.ZodType<AugmentPageMessage, z.ZodTypeDef, unknown> = formPageSchema(augmentChoicesSchema);

export const reportPageMessageSchema: z.ZodType<ReportPageMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('reveal'), line: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
]);

const line = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const datasetRowsQuerySchema: z.ZodType<DatasetRowsQuery> = z.object({
  label: z.string().max(4096).optional(),
  rule: z.string().max(100).optional(),
  severity: z.enum(['error', 'warning', 'info', 'hint']).optional(),
  cluster: z.number().int().min(1).optional(),
  text: z.string().max(4096).optional(),
  regex: z.boolean().optional(),
  sort: z.enum(['line', 'length-asc', 'length-desc', 'label', 'findings', 'score', 'text', 'field']).optional(),
  sortField: z.string().max(4096).optional(),
});

const rowAction: z.ZodType<DatasetRowAction> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delete') }),
  z.object({ kind: z.literal('relabel'), label: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('redact') }),
]);

export const datasetViewPageMessageSchema: z.ZodType<DatasetViewPageMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('rows'), seq: z.number().int(), query: datasetRowsQuerySchema, offset: z.number().int().min(0), limit: z.number().int().min(0).max(10000) }),
  z.object({ type: z.literal('reveal'), line, endLine: line }),
  z.object({ type: z.literal('edit'), action: rowAction, query: datasetRowsQuerySchema, matched: z.number().int().min(0), version: z.number().int().min(-1), lines: z.array(line).max(1000).optional() }),
]);

export const suggestChoicesSchema: z.ZodType<SuggestChoices, z.ZodTypeDef, unknown> = z.object({
  n: z.number().int().min(1).max(1000),
  all: z.boolean(),
  strategy: z.enum(['margin', 'entropy', 'least-confidence']),
  density: z.boolean(),
});

/** A label as the page sends it: one label, or a label set in a multi-label file. */
const chosenLabel = z.union([z.string().min(1).max(4096), z.array(z.string().max(4096)).max(1000)]);

export const suggestPageMessageSchema: z.ZodType<SuggestPageMessage, z.ZodTypeDef, unknown> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('rank'), choices: suggestChoicesSchema }),
  z.object({ type: z.literal('apply'), labels: z.array(z.object({ line, label: chosenLabel })).max(1000) }),
  z.object({ type: z.literal('reveal'), line }),
]);

/** A page message checked against its schema: the message as typed, or the problems in words for the page to show. */
export function checkPageMessage<M>(schema: z.ZodType<M, z.ZodTypeDef, unknown>, message: unknown): { ok: true; message: M } | { ok: false; problems: string[] } {
  const parsed = schema.safeParse(message);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `the page sent an unusable message: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`) };
}
