import { eachMatch, withoutOverlaps, type Found } from './found';

/**
 * Credentials in texts: provider API keys by their real prefixes, lengths and alphabets, AWS key
 * pairs, private key blocks and JSON Web Tokens. Identifiers that merely start like a key
 * (`sk-learn_preprocessing`, `hf_hub_download`, "ghp" in prose) differ in length or alphabet, and
 * placeholders (`sk-xxxx…`, `ghp_XXXX…`, `sk-your-key-here`) are not random enough to be keys.
 */

interface KeyShape {
  what: string;
  /** A piece of text every key of the shape contains: texts without it skip the shape's regex. */
  anchor: string | RegExp;
  re: RegExp;
  /** The capture groups holding the random part, which must look random (placeholders do not). */
  random?: number[];
}

// Every shape is bounded on both sides by a character that cannot continue the key, so a longer
// identifier or a longer random string is never taken for a key by a piece of it.
const KEYS: KeyShape[] = [
  { what: 'a private key', anchor: 'PRIVATE KEY', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g },
  // Anthropic: sk-ant-api03-… (about 95 characters after the kind); checked before OpenAI's shapes.
  { what: 'an Anthropic API key', anchor: 'sk-ant-', re: /(?<![\w-])sk-ant-(?:[a-z]{3,6}\d{2}-)?([A-Za-z0-9_-]{40,120})(?![\w-])/g, random: [1] },
  // OpenAI project, service-account and admin keys: sk-proj-… and 100-200 characters of base64url, taken
  // from 20 on (the prefix alone is specific, and a key shown cut short is still a leak).
  { what: 'an OpenAI API key', anchor: 'sk-', re: /(?<![\w-])sk-(?:proj|svcacct|admin)-([A-Za-z0-9_-]{20,250})(?![\w-])/g, random: [1] },
  // OpenAI's older keys (sk- and 48 letters and digits) and the 32-64 character keys of the services
  // that copied the shape; no "-" or "_" inside, which every sk-something identifier has.
  { what: 'an OpenAI-style API key', anchor: 'sk-', re: /(?<![\w-])sk-([A-Za-z0-9]{32,64})(?![\w-])/g, random: [1] },
  { what: 'a Stripe secret key', anchor: 'k_live_', re: /(?<![\w-])[sr]k_live_([A-Za-z0-9]{24,99})(?![\w-])/g, random: [1] },
  // AWS access key ids: AKIA (long-term) or ASIA (temporary) and 16 upper-case letters and digits (base
  // 32 in the keys AWS issues; examples and test tools use every digit, and nothing else has this shape).
  { what: 'an AWS access key id', anchor: /A[KS]IA/, re: /(?<![A-Za-z0-9])A[KS]IA([A-Z0-9]{16})(?![A-Za-z0-9])/g, random: [1] },
  { what: 'a GitHub token', anchor: /gh[pousr]_/, re: /(?<![\w-])gh[pousr]_([A-Za-z0-9]{36})(?![\w-])/g, random: [1] },
  { what: 'a GitHub token', anchor: 'github_pat_', re: /(?<![\w-])github_pat_([A-Za-z0-9]{22})_([A-Za-z0-9]{59})(?![\w-])/g, random: [1, 2] },
  { what: 'a GitLab token', anchor: 'glpat-', re: /(?<![\w-])glpat-([A-Za-z0-9_-]{20,64})(?![\w-])/g, random: [1] },
  { what: 'a Slack token', anchor: 'xox', re: /(?<![\w-])xox[abeoprs]-(?:\d{1,15}-){1,3}([A-Za-z0-9]{20,64})(?![\w-])/g, random: [1] },
  { what: 'a Slack webhook URL', anchor: 'hooks.slack.com', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/([A-Za-z0-9]{24})(?![\w-])/g, random: [1] },
  { what: 'a Google API key', anchor: 'AIza', re: /(?<![\w-])AIza([0-9A-Za-z_-]{35})(?![\w-])/g, random: [1] },
  // Hugging Face user tokens: hf_ and 34 letters (no digits), unlike hf_hub_download and friends.
  { what: 'a Hugging Face token', anchor: 'hf_', re: /(?<![\w-])hf_([A-Za-z]{34})(?![\w-])/g, random: [1] },
  { what: 'an npm token', anchor: 'npm_', re: /(?<![\w-])npm_([A-Za-z0-9]{36})(?![\w-])/g, random: [1] },
  { what: 'a SendGrid API key', anchor: 'SG.', re: /(?<![\w-])SG\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})(?![\w-])/g, random: [1, 2] },
  { what: 'a JSON Web Token', anchor: 'eyJ', re: /(?<![\w-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
];

/**
 * Every shape's anchor in one regex: one pass over a text rules out all the shapes, most texts' only
 * cost here (measured twice as fast as looking for each anchor in turn).
 */
const ANY_ANCHOR = /sk-|k_live_|A[KS]IA|gh[pousr]_|github_pat_|glpat-|xox|hooks\.slack\.com|AIza|hf_|npm_|SG\.|eyJ|PRIVATE KEY/;

/** Finds every credential in a text, in text order, overlapping ones counted once. */
export function findSecrets(text: string): Found[] {
  const found = ANY_ANCHOR.test(text) ? providerKeys(text) : [];
  const all = found.concat(awsSecretKeys(text, found));
  return all.length > 1 ? withoutOverlaps(all) : all;
}

/** The text with every credential in it replaced by [SECRET], for messages that quote a row's text. */
export function redactSecrets(text: string): string {
  let out = '';
  let from = 0;
  for (const f of findSecrets(text)) {
    out += text.slice(from, f.start) + '[SECRET]';
    from = f.end;
  }
  return out + text.slice(from);
}

/** The keys of the shapes whose anchor the text has. */
function providerKeys(text: string): Found[] {
  let found: Found[] = [];
  for (const shape of KEYS) {
    if (typeof shape.anchor === 'string' ? !text.includes(shape.anchor) : !shape.anchor.test(text)) continue;
    // (concat, not push(...): a long row may hold more matches than a call can take arguments.)
    found = found.concat(eachMatch(shape.re, text, shape.what, (m) => (shape.random ?? []).every((g) => looksRandom(m[g]))));
  }
  return found;
}

/**
 * Whether the random part of a key looks random: no run of five equal characters (XXXXX, 00000)
 * and, past 20 characters, at least two of lower case, upper case and digits (a random string of
 * that length lacks one of them far less often than one in a hundred; a slug or a word never has two).
 */
export function looksRandom(s: string): boolean {
  let lower = false;
  let upper = false;
  let digit = false;
  let run = 1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
    run = i > 0 && c === s.charCodeAt(i - 1) ? run + 1 : 1;
    if (run >= 5) return false;
  }
  return s.length <= 20 || Number(lower) + Number(upper) + Number(digit) >= 2;
}

/**
 * 40 characters of base64 alone: an AWS secret access key's shape, also a hash's or a random id's.
 * (An "=" may come before it, as in KEY=…, but not after it: that would be a longer value's padding.)
 */
const AWS_SECRET = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** The names an AWS secret access key goes by in config files, code and JSON, right before its value. */
const AWS_SECRET_NAME = /(?:secret_?access_?key|aws_?secret(?:_?key)?)["']?\s*(?:=|:|=>)?\s*["']?$/i;

/** Whether a text names an AWS secret key anywhere: without that or a key id, no 40 characters are one. */
const AWS_SECRET_NAMED = /secret_?access_?key|aws_?secret/i;

/** How far from an access key id its secret key may be (the two usually share a line or a block). */
const PAIR_DISTANCE = 300;

/**
 * AWS secret access keys: 40 characters of base64 with upper case, lower case and a digit or "/" or
 * "+", found only next to what tells them from a hash: an access key id nearby, or the setting's name.
 */
function awsSecretKeys(text: string, found: Found[]): Found[] {
  const ids = found.filter((f) => f.what === 'an AWS access key id');
  if (!ids.length && !((text.includes('ecret') || text.includes('ECRET')) && AWS_SECRET_NAMED.test(text))) return [];
  // Candidates come in text order: the key ids before the current window are passed once, not per candidate.
  let next = 0;
  return eachMatch(AWS_SECRET, text, 'an AWS secret access key', (m) => {
    const key = m[0];
    if (!/[a-z]/.test(key) || !/[A-Z]/.test(key) || !/[0-9/+]/.test(key)) return false;
    while (next < ids.length && ids[next].start < m.index - PAIR_DISTANCE) next++;
    const nearId = next < ids.length && ids[next].start <= m.index + PAIR_DISTANCE;
    return nearId || AWS_SECRET_NAME.test(text.slice(Math.max(0, m.index - 60), m.index));
  });
}
