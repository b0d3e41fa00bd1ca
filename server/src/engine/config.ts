import { z } from 'zod';
import { RULE_IDS, type RuleId } from './rules/catalog';

/**
 * The one settings object. The CLI reads it from tuneset.json, the editor from `tuneset.*` settings;
 * both go through `parseConfig`, so a bad value gets the same clear message everywhere.
 */
const ruleSetting = z.enum(['off', 'error', 'warning', 'info', 'hint']);

/** The texts of a row near-duplicate detection compares: user and assistant turns (instruction and input, output) by default. */
export const NEAR_DUPLICATE_TEXTS = ['prompt-and-response', 'prompt', 'response', 'all'] as const;

const thresholds = z
  .object({
    /** label-imbalance: majority/minority count ratio above which the file is imbalanced. */
    imbalanceRatio: z.number().positive().default(3),
    /** label-imbalance: the rarest class under this fraction of a uniform share (1/C) is imbalanced. */
    imbalanceMinShare: z.number().min(0).max(1).default(0.1),
    /** rare-label: a label with fewer rows than this. */
    rareLabelMin: z.number().int().min(1).default(5),
    /** label-variant: largest edit distance between a variant and the common label. */
    labelVariantMaxEdits: z.number().int().min(0).max(3).default(1),
    /** too-short: fewer characters than this (after trimming). */
    minChars: z.number().int().min(0).default(3),
    /** too-short: fewer words than this (classification texts only; a one-word answer can be right). */
    minWords: z.number().int().min(0).default(2),
    /** too-short for Chinese and Japanese texts (read a character at a time): fewer letters than this (classification texts only). */
    minCjkChars: z.number().int().min(0).default(4),
    /** mixed-language: the share of rows the main language must hold for other languages' rows to be reported (below it, the file is bilingual). */
    mixedLanguageMajority: z.number().min(0.5).max(1).default(0.9),
    /** too-long: one text field over this many tokens. */
    maxFieldTokens: z.number().int().positive().default(2048),
    /** length-outlier: robust z-score of log length above which a row is an outlier. */
    lengthOutlierZ: z.number().positive().default(4),
    /** length-outlier: and at least this many times longer (or shorter) than the median row. */
    lengthOutlierRatio: z.number().min(1).default(8),
    /** low-alpha: a text whose letters are under this fraction of its non-space characters. */
    minAlphaRatio: z.number().min(0).max(1).default(0.5),
    /** repetition: a character repeated this many times in a row. */
    repeatedCharRun: z.number().int().min(3).default(6),
    /** repetition: a word or phrase repeated this many times in a row. */
    repeatedWordRun: z.number().int().min(2).default(4),
  })
  .strict()
  .default({});

export const configSchema = z
  .object({
    /** Force a format instead of detecting it. */
    format: z
      .enum(['auto', 'classification', 'instruction', 'chat', 'sharegpt', 'prompt-completion', 'preference', 'text'])
      .default('auto'),
    /** Name of the text field (classification/text), overriding detection. */
    textField: z.string().min(1).optional(),
    /** Name of the label field (classification), overriding detection. */
    labelField: z.string().min(1).optional(),
    /**
     * Several annotators' labels of a classification row (annotator-disagreement, annotator agreement):
     * two or more fields, one per annotator; or one field holding a list of labels per row. Unset:
     * detected from field names (label_a, label_b, annotator_1, …; a list in annotations, votes, …).
     */
    annotatorFields: z.array(z.string().min(1)).min(1).optional(),
    /** CSV/TSV: whether the first record is a header; 'auto' takes it for one unless it looks like the data below it. */
    hasHeader: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    /** CSV/TSV: names for the columns, instead of the header's (or col1…colN when the file has none). */
    columns: z.array(z.string().min(1)).min(1).optional(),
    /** Context length for token-limit. */
    maxTokens: z.number().int().positive().default(4096),
    /** Per-rule setting: 'off' disables a rule, a severity overrides its default. */
    rules: z.record(z.string(), ruleSetting).default({}).superRefine((rules, ctx) => {
      for (const id of Object.keys(rules)) {
        if (!(RULE_IDS as string[]).includes(id)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [id], message: `unknown rule "${id}"` });
        }
      }
    }),
    thresholds,
    /** near-duplicate: Jaccard similarity of word shingles from which two rows are near-duplicates. */
    nearDuplicateThreshold: z.number().min(0.5).max(1).default(0.8),
    /** near-duplicate: words per shingle (texts with fewer words are compared by character 3-grams). */
    nearDuplicateShingleSize: z.number().int().min(1).max(10).default(5),
    /** near-duplicate: which texts of a chat/instruction row are compared (classification rows compare their text). */
    nearDuplicateText: z.enum(NEAR_DUPLICATE_TEXTS).default('prompt-and-response'),
    /** cross-file-leak: words in a file or folder name that mark it as held out (validation/test). */
    heldOutFileWords: z.array(z.string().min(1)).default(['val', 'valid', 'validation', 'dev', 'test', 'eval', 'evaluation', 'heldout', 'holdout']),
    /** cross-file-leak: words in a file or folder name that mark it as training data. */
    trainFileWords: z.array(z.string().min(1)).default(['train', 'training']),
    /** possible-label-error: a label with fewer rows is left out of the label model (at least 2 labels must have this many). */
    labelModelMinRowsPerLabel: z.number().int().min(2).default(10),
    /** possible-label-error: folds of the label model's out-of-fold predictions. */
    labelModelFolds: z.number().int().min(2).max(20).default(5),
    /** possible-label-error: seed of the label model's folds and samples (the same seed gives the same findings). */
    labelModelSeed: z.number().int().min(0).default(1),
    augment: z
      .object({
        /** Augment rows with credentials or personal data from a redacted copy ([EMAIL], [CARD]…) instead of leaving them out. */
        redact: z.boolean().default(false),
        /** Back-translation and paraphrase: an OpenAI-compatible base URL (…/v1) the user runs; '' for none. */
        endpoint: z.string().default(''),
        /** The model the endpoint is asked for. */
        model: z.string().default(''),
        /** Back-translation's pivot language. */
        pivotLanguage: z.string().min(1).default('French'),
        /** The environment variable holding the endpoint's API key (never the key itself: settings files are shared). */
        apiKeyEnv: z.string().min(1).default('TUNESET_AUGMENT_API_KEY'),
        /** Price per 1,000 tokens, for the estimate printed before a run (0: tokens only). */
        pricePer1kTokens: z.number().min(0).default(0),
        /** Requests in flight at once. */
        concurrency: z.number().int().min(1).max(64).default(4),
        /** Attempts after a failed request (429, 5xx, timeout), with backoff. */
        retries: z.number().int().min(0).max(10).default(3),
        /** Milliseconds before a request is given up. */
        timeoutMs: z.number().int().min(100).default(30000),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type Thresholds = Config['thresholds'];
export type RuleSetting = z.infer<typeof ruleSetting>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});

export interface ConfigResult {
  config: Config;
  /** One sentence per bad value, naming its path; the value falls back to its default. */
  problems: string[];
}

/** Validates settings; bad values are reported and replaced by their defaults, never thrown. */
export function parseConfig(input: unknown): ConfigResult {
  const problems: string[] = [];
  let candidate: unknown = input === undefined || input === null ? {} : structuredClone(input);
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = configSchema.safeParse(candidate);
    if (result.success) return { config: result.data, problems };
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      const extra = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      problems.push(`${path || 'settings'}: ${issue.message}${extra}; using the default`);
      candidate = withoutPath(candidate, issue.path, issue.code === 'unrecognized_keys' ? issue.keys : undefined);
    }
  }
  return { config: DEFAULT_CONFIG, problems };
}

function withoutPath(value: unknown, path: (string | number)[], keys?: string[]): unknown {
  if (typeof value !== 'object' || value === null) return path.length === 0 ? {} : value;
  if (path.length === 0) {
    if (!keys) return {};
    const copy = { ...(value as Record<string, unknown>) };
    for (const k of keys) delete copy[k];
    return copy;
  }
  const [head, ...rest] = path;
  const copy = { ...(value as Record<string | number, unknown>) };
  if (rest.length === 0 && !keys) delete copy[head];
  else copy[head] = withoutPath(copy[head], rest, keys);
  return copy;
}

/** The effective severity of a rule, or undefined when it is turned off. */
export function ruleSeverity(config: Config, rule: RuleId, fallback: string): string | undefined {
  const setting = config.rules[rule];
  if (setting === 'off') return undefined;
  return setting ?? fallback;
}
