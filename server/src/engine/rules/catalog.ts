// Room: rules. This catalog declares every rule once. The rules themselves: per-row rules, each
// given one text of a row at a time (rowRule.ts: noise, privacy, limits; the structure rules come
// from the reader and schema/extract.ts), file-level rules over the facts the row pass gathered (fileRules.ts: FILE_RULES), and
// cross-file-leak over several files. A new rule: an entry here, its code in this folder (a per-row
// rule called from analysis/analyze.ts's RowAnalyzer, or an entry of FILE_RULES), a row in the README.
import type { Severity } from '../types';

/** The one declaration of every rule: its code, family, default severity, where it looks, what its quick fix may do, the settings it reads, and what it means. */
export interface RuleInfo {
  family: 'structure' | 'duplicates' | 'labels' | 'noise' | 'privacy' | 'limits';
  severity: Severity;
  /**
   * Where the rule looks: one row at a time (the row pass, also on a single edited line), the whole
   * file (after the row pass, over what it gathered: FILE_RULES in fileRules.ts), or several files
   * (the workspace check and a `check` of several files), or the whole file through a label model
   * trained on it ('model': rules/labelErrors.ts; seconds of work on a big file, so it runs after the
   * rule pass, never on the editor's keystroke path: the CLI's check, the report, the editor's background pass).
   */
  scope: 'row' | 'file' | 'cross-file' | 'model';
  /**
   * Its findings' quick fix: 'safe' when applying it cannot lose information, so "fix all" (the
   * editor's source.fixAll) applies it; 'review' when a person should look at each (it deletes a
   * row, redacts a value, guesses a spelling). No fix when absent.
   */
  fix?: 'safe' | 'review';
  /** The settings the rule reads besides its severity, as paths into Config ('thresholds.minChars'). */
  settings?: readonly string[];
  summary: string;
}

export const RULES = {
  'invalid-json': { family: 'structure', severity: 'error', scope: 'row',
    summary: 'A JSONL line (or JSON file) that is not valid JSON.' },
  'not-an-object': { family: 'structure', severity: 'error', scope: 'row',
    summary: 'A row that is valid JSON but not an object.' },
  'too-deep': { family: 'structure', severity: 'error', scope: 'row',
    summary: 'A JSON row that nests arrays and objects more than 64 levels deep; it is not checked further.' },
  'csv-field-count': { family: 'structure', severity: 'error', scope: 'row',
    summary: 'A CSV/TSV record with more or fewer fields than the header.' },
  'csv-unclosed-quote': { family: 'structure', severity: 'error', scope: 'row',
    summary: 'A quoted CSV field that is never closed; the rest of the file was swallowed into it.' },
  'csv-extra-fields': { family: 'structure', severity: 'warning', scope: 'row', fix: 'review',
    summary: 'Values in CSV/TSV columns without a header name (text that ran on at an unquoted comma), which would otherwise be lost.' },
  'csv-suspect-multiline': { family: 'structure', severity: 'warning', scope: 'row',
    summary: 'A quoted CSV field that runs over lines which each look like a whole record: probably a missing closing quote.' },
  'tsv-quote': { family: 'structure', severity: 'warning', scope: 'row',
    summary: 'A TSV whose quotes make it read two ways (literally, or with CSV quoting) with different row counts; read literally.' },
  'invalid-utf8': { family: 'structure', severity: 'warning', scope: 'file',
    summary: 'The file is not valid UTF-8; it was read in the legacy encoding its bytes show (Windows-1252, GB18030, Shift-JIS, Big5 or EUC-KR).' },
  'missing-field': { family: 'structure', severity: 'error', scope: 'row',
    summary: 'A row without a field its format requires (e.g. the text of a classification row).' },
  'wrong-type': { family: 'structure', severity: 'error', scope: 'row',
    summary: 'A field of the wrong JSON type (e.g. a number where text belongs).' },
  'empty-field': { family: 'structure', severity: 'warning', scope: 'row',
    summary: 'A required text field that is empty or only whitespace.' },
  'chat-role-order': { family: 'structure', severity: 'warning', scope: 'row',
    summary: 'Chat turns out of order: system first if any, user and assistant alternate, the last turn is the assistant reply.' },
  'chat-unknown-role': { family: 'structure', severity: 'error', scope: 'row', fix: 'review',
    summary: 'A chat message role other than system, user, assistant, tool (or ShareGPT system, human, gpt).' },
  'chat-empty-content': { family: 'structure', severity: 'warning', scope: 'row',
    summary: 'A chat message without content.' },
  'exact-duplicate': { family: 'duplicates', severity: 'warning', scope: 'file', fix: 'review',
    summary: 'The same text as an earlier row after Unicode NFKC, case-folding and whitespace collapse.' },
  'near-duplicate': { family: 'duplicates', severity: 'warning', scope: 'file', fix: 'review', settings: ['nearDuplicateThreshold', 'nearDuplicateShingleSize', 'nearDuplicateText'],
    summary: "A text nearly identical to an earlier row's (Jaccard similarity of word shingles at or above the threshold, verified); each cluster keeps its first row." },
  'conflicting-labels': { family: 'duplicates', severity: 'error', scope: 'file', settings: ['nearDuplicateThreshold', 'nearDuplicateShingleSize', 'nearDuplicateText'],
    summary: 'The same normalised text, or a near-identical one, appears with different labels.' },
  'cross-file-leak': { family: 'duplicates', severity: 'error', scope: 'cross-file', fix: 'review', settings: ['nearDuplicateThreshold', 'nearDuplicateShingleSize', 'nearDuplicateText', 'heldOutFileWords', 'trainFileWords'],
    summary: 'A row of a validation/test file that also appears, exactly or nearly, in a training file.' },
  'possible-label-error': { family: 'labels', severity: 'info', scope: 'model', fix: 'review', settings: ['labelModelMinRowsPerLabel', 'labelModelFolds', 'labelModelSeed'],
    summary: "A classification row whose label a text model trained on the other rows finds unlikely (confident learning on out-of-fold probabilities); the message names the likelier label." },
  'annotator-disagreement': { family: 'labels', severity: 'info', scope: 'row', fix: 'review',
    summary: "A classification row whose annotators gave different labels (columns such as label_a, label_b, annotator_1, a list of labels, or the annotatorFields setting); the message counts each label, and the fix sets the row's label to the majority one." },
  'label-imbalance': { family: 'labels', severity: 'warning', scope: 'file', settings: ['thresholds.imbalanceRatio', 'thresholds.imbalanceMinShare'],
    summary: 'Classes are imbalanced: majority/minority ratio over the threshold or the rarest class far under a uniform share.' },
  'rare-label': { family: 'labels', severity: 'warning', scope: 'file', settings: ['thresholds.rareLabelMin'],
    summary: 'A label with fewer rows than the configured minimum.' },
  'label-variant': { family: 'labels', severity: 'warning', scope: 'file', fix: 'safe', settings: ['thresholds.labelVariantMaxEdits'],
    summary: 'A label that differs from a more common one only by case, whitespace or a small typo.' },
  'missing-label': { family: 'labels', severity: 'error', scope: 'row',
    summary: 'A classification row without a label, or with an empty one.' },
  'too-short': { family: 'noise', severity: 'warning', scope: 'row', settings: ['thresholds.minChars', 'thresholds.minWords', 'thresholds.minCjkChars'],
    summary: 'A text with fewer words or characters than the configured minimum (Chinese and Japanese measured in characters).' },
  'too-long': { family: 'noise', severity: 'info', scope: 'row', settings: ['thresholds.maxFieldTokens'],
    summary: 'A single text field longer than the configured number of tokens.' },
  'length-outlier': { family: 'noise', severity: 'info', scope: 'file', settings: ['thresholds.lengthOutlierZ', 'thresholds.lengthOutlierRatio'],
    summary: "A text whose length is far from the file's typical length (robust z-score of log length)." },
  'low-alpha': { family: 'noise', severity: 'warning', scope: 'row', settings: ['thresholds.minAlphaRatio'],
    summary: 'A text made mostly of symbols, digits or punctuation rather than words.' },
  'control-chars': { family: 'noise', severity: 'warning', scope: 'row', fix: 'safe',
    summary: 'Invisible control characters (e.g. NUL, BEL, zero-width) inside a text.' },
  mojibake: { family: 'noise', severity: 'warning', scope: 'row', fix: 'safe',
    summary: 'Text decoded with the wrong encoding, such as "Ã©" for "é" or "â€™" for "’", and UTF-8 Chinese read as GBK ("鍙傛暟" for "参数", "锟斤拷").' },
  'html-markup': { family: 'noise', severity: 'info', scope: 'row',
    summary: 'HTML tags or entities such as <br> or &lt; left in a text.' },
  'url-only': { family: 'noise', severity: 'warning', scope: 'row',
    summary: 'A text that is nothing but a URL.' },
  repetition: { family: 'noise', severity: 'warning', scope: 'row', settings: ['thresholds.repeatedCharRun', 'thresholds.repeatedWordRun'],
    summary: 'Runs of a repeated character, word, phrase or line.' },
  whitespace: { family: 'noise', severity: 'info', scope: 'row', fix: 'safe',
    summary: 'Leading or trailing whitespace, or runs of spaces inside a text.' },
  placeholder: { family: 'noise', severity: 'warning', scope: 'row',
    summary: 'A placeholder or boilerplate text: N/A, TODO, lorem ipsum, "As an AI language model".' },
  echo: { family: 'noise', severity: 'warning', scope: 'row',
    summary: 'The output only repeats the instruction or input.' },
  'empty-output': { family: 'noise', severity: 'error', scope: 'row',
    summary: 'An instruction, prompt or chat row whose answer is empty.' },
  'mixed-language': { family: 'noise', severity: 'info', scope: 'file', settings: ['thresholds.mixedLanguageMajority'],
    summary: "A row in another language (by script) than the file's main one, e.g. an English answer in a Chinese dataset; only when one language holds at least mixedLanguageMajority of the rows (a bilingual file gets no finding)." },
  'width-mix': { family: 'noise', severity: 'info', scope: 'file', fix: 'safe',
    summary: "A Chinese or Japanese row writing punctuation (，/,) or digits (１/1) in the other width than most of the file's rows; the fix writes them in the file's width." },
  'han-variant-mix': { family: 'noise', severity: 'info', scope: 'file',
    summary: 'A Chinese file mixing simplified and traditional characters: one note on the file with the row counts and the first rows of the smaller system.' },
  'pii-email': { family: 'privacy', severity: 'warning', scope: 'row', fix: 'review',
    summary: 'An e-mail address.' },
  'pii-phone': { family: 'privacy', severity: 'warning', scope: 'row', fix: 'review',
    summary: "A phone number: checked against its country's numbering plan (libphonenumber), and mainland China mobile numbers with or without +86." },
  'pii-card': { family: 'privacy', severity: 'error', scope: 'row', fix: 'review',
    summary: "A payment card number: a card network's prefix and length, and passes the Luhn check." },
  'pii-iban': { family: 'privacy', severity: 'warning', scope: 'row', fix: 'review',
    summary: "An IBAN (international bank account number): its country's length and a valid mod-97 check." },
  'pii-id-number': { family: 'privacy', severity: 'error', scope: 'row', fix: 'review',
    summary: 'A national identity number: a mainland China resident identity number (18 characters with a valid region, date of birth and ISO 7064 check character).' },
  'pii-ip': { family: 'privacy', severity: 'info', scope: 'row', fix: 'review',
    summary: 'An IPv4 or IPv6 address.' },
  secret: { family: 'privacy', severity: 'error', scope: 'row', fix: 'review',
    summary: 'An API key, access token or private key: OpenAI, Anthropic, AWS (key ids, and secret keys next to one), GitHub, GitLab, Slack, Google, Stripe, Hugging Face, npm, SendGrid, JSON Web Tokens, PEM private key blocks; also searched in rows that cannot be read.' },
  'token-limit': { family: 'limits', severity: 'error', scope: 'row', settings: ['maxTokens'],
    summary: 'A row whose token count exceeds the configured context length.' },
} satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

/** The rules whose quick fix "fix all" applies (fix: 'safe'). */
export const SAFE_FIX_RULES: ReadonlySet<string> = new Set(RULE_IDS.filter((id) => (RULES[id] as RuleInfo).fix === 'safe'));

/** The documentation anchor of a rule in the README, used as the diagnostic's codeDescription. */
export function ruleDocsUrl(rule: string): string {
  return `https://github.com/tuneset/tuneset/blob/main/README.md#rule-${rule}`;
}
