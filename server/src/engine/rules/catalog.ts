import type { Severity } from '../types';

/** The one declaration of every rule: its code, family, default severity and what it means. */
export interface RuleInfo {
  family: 'structure' | 'duplicates' | 'labels' | 'noise' | 'privacy' | 'limits';
  severity: Severity;
  summary: string;
}

export const RULES = {
  'invalid-json': { family: 'structure', severity: 'error', summary: 'A JSONL line (or JSON file) that is not valid JSON.' },
  'not-an-object': { family: 'structure', severity: 'error', summary: 'A row that is valid JSON but not an object.' },
  'too-deep': { family: 'structure', severity: 'error', summary: 'A JSON row that nests arrays and objects more than 64 levels deep; it is not checked further.' },
  'csv-field-count': { family: 'structure', severity: 'error', summary: 'A CSV/TSV record with more or fewer fields than the header.' },
  'csv-unclosed-quote': { family: 'structure', severity: 'error', summary: 'A quoted CSV field that is never closed; the rest of the file was swallowed into it.' },
  'csv-extra-fields': { family: 'structure', severity: 'warning', summary: 'Values in CSV/TSV columns without a header name (text that ran on at an unquoted comma), which would otherwise be lost.' },
  'csv-suspect-multiline': { family: 'structure', severity: 'warning', summary: 'A quoted CSV field that runs over lines which each look like a whole record: probably a missing closing quote.' },
  'tsv-quote': { family: 'structure', severity: 'warning', summary: 'A TSV whose quotes make it read two ways (literally, or with CSV quoting) with different row counts; read literally.' },
  'invalid-utf8': { family: 'structure', severity: 'warning', summary: 'The file is not valid UTF-8; it was read in the legacy encoding its bytes show (Windows-1252, GB18030, Shift-JIS, Big5 or EUC-KR).' },
  'missing-field': { family: 'structure', severity: 'error', summary: 'A row without a field its format requires (e.g. the text of a classification row).' },
  'wrong-type': { family: 'structure', severity: 'error', summary: 'A field of the wrong JSON type (e.g. a number where text belongs).' },
  'empty-field': { family: 'structure', severity: 'warning', summary: 'A required text field that is empty or only whitespace.' },
  'chat-role-order': { family: 'structure', severity: 'warning', summary: 'Chat turns out of order: system first if any, user and assistant alternate, the last turn is the assistant reply.' },
  'chat-unknown-role': { family: 'structure', severity: 'error', summary: 'A chat message role other than system, user, assistant, tool (or ShareGPT system, human, gpt).' },
  'chat-empty-content': { family: 'structure', severity: 'warning', summary: 'A chat message without content.' },
  'exact-duplicate': { family: 'duplicates', severity: 'warning', summary: 'The same text as an earlier row after Unicode NFKC, case-folding and whitespace collapse.' },
  'near-duplicate': { family: 'duplicates', severity: 'warning', summary: "A text nearly identical to an earlier row's (Jaccard similarity of word shingles at or above the threshold, verified); each cluster keeps its first row." },
  'conflicting-labels': { family: 'duplicates', severity: 'error', summary: 'The same normalised text, or a near-identical one, appears with different labels.' },
  'cross-file-leak': { family: 'duplicates', severity: 'error', summary: 'A row of a validation/test file that also appears, exactly or nearly, in a training file.' },
  'label-imbalance': { family: 'labels', severity: 'warning', summary: 'Classes are imbalanced: majority/minority ratio over the threshold or the rarest class far under a uniform share.' },
  'rare-label': { family: 'labels', severity: 'warning', summary: 'A label with fewer rows than the configured minimum.' },
  'label-variant': { family: 'labels', severity: 'warning', summary: 'A label that differs from a more common one only by case, whitespace or a small typo.' },
  'missing-label': { family: 'labels', severity: 'error', summary: 'A classification row without a label, or with an empty one.' },
  'too-short': { family: 'noise', severity: 'warning', summary: 'A text with fewer words or characters than the configured minimum (Chinese and Japanese measured in characters).' },
  'too-long': { family: 'noise', severity: 'info', summary: 'A single text field longer than the configured number of tokens.' },
  'length-outlier': { family: 'noise', severity: 'info', summary: "A text whose length is far from the file's typical length (robust z-score of log length)." },
  'low-alpha': { family: 'noise', severity: 'warning', summary: 'A text made mostly of symbols, digits or punctuation rather than words.' },
  'control-chars': { family: 'noise', severity: 'warning', summary: 'Invisible control characters (e.g. NUL, BEL, zero-width) inside a text.' },
  mojibake: { family: 'noise', severity: 'warning', summary: 'Text decoded with the wrong encoding, such as "Ã©" for "é" or "â€™" for "’", and UTF-8 Chinese read as GBK ("鍙傛暟" for "参数", "锟斤拷").' },
  'html-markup': { family: 'noise', severity: 'info', summary: 'HTML tags or entities such as <br> or &lt; left in a text.' },
  'url-only': { family: 'noise', severity: 'warning', summary: 'A text that is nothing but a URL.' },
  repetition: { family: 'noise', severity: 'warning', summary: 'Runs of a repeated character, word, phrase or line.' },
  whitespace: { family: 'noise', severity: 'info', summary: 'Leading or trailing whitespace, or runs of spaces inside a text.' },
  placeholder: { family: 'noise', severity: 'warning', summary: 'A placeholder or boilerplate text: N/A, TODO, lorem ipsum, "As an AI language model".' },
  echo: { family: 'noise', severity: 'warning', summary: 'The output only repeats the instruction or input.' },
  'empty-output': { family: 'noise', severity: 'error', summary: 'An instruction, prompt or chat row whose answer is empty.' },
  'pii-email': { family: 'privacy', severity: 'warning', summary: 'An e-mail address.' },
  'pii-phone': { family: 'privacy', severity: 'warning', summary: "A phone number: checked against its country's numbering plan (libphonenumber), and mainland China mobile numbers with or without +86." },
  'pii-card': { family: 'privacy', severity: 'error', summary: "A payment card number: a card network's prefix and length, and passes the Luhn check." },
  'pii-iban': { family: 'privacy', severity: 'warning', summary: "An IBAN (international bank account number): its country's length and a valid mod-97 check." },
  'pii-id-number': { family: 'privacy', severity: 'error', summary: 'A national identity number: a mainland China resident identity number (18 characters with a valid region, date of birth and ISO 7064 check character).' },
  'pii-ip': { family: 'privacy', severity: 'info', summary: 'An IPv4 or IPv6 address.' },
  secret: { family: 'privacy', severity: 'error', summary: 'An API key, access token or private key: OpenAI, Anthropic, AWS (key ids, and secret keys next to one), GitHub, GitLab, Slack, Google, Stripe, Hugging Face, npm, SendGrid, JSON Web Tokens, PEM private key blocks; also searched in rows that cannot be read.' },
  'token-limit': { family: 'limits', severity: 'error', summary: 'A row whose token count exceeds the configured context length.' },
} satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

/** The documentation anchor of a rule in the README, used as the diagnostic's codeDescription. */
export function ruleDocsUrl(rule: string): string {
  return `https://github.com/tuneset/tuneset/blob/main/README.md#rule-${rule}`;
}
