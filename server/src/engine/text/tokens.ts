import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token counts with the o200k BPE (GPT-4o's), offline. Exact counting costs ~14 µs per 300
 * characters, so the engine counts exactly only where a count decides a finding: a text's token
 * count never exceeds its UTF-8 byte length, so texts with fewer bytes than a limit are under it.
 */
const options = { disallowedSpecial: new Set<string>() };

let o200k: typeof O200k | undefined;

/**
 * The encoding, loaded on the first exact count: building its tables takes ~150 ms, which a run
 * that never counts exactly (most rows are far under any limit) should not pay at start-up.
 */
function encoding(): typeof O200k {
  return (o200k ??= require('gpt-tokenizer/encoding/o200k_base') as typeof O200k);
}

/** Whether the tokenizer is loaded (a host that defers calibration asks before it analyzes). */
export function tokenizerLoaded(): boolean {
  return o200k !== undefined;
}

/** Loads the tokenizer now (~0.3–0.6 s), e.g. when the editor is idle after publishing diagnostics. */
export function loadTokenizer(): void {
  encoding();
}

/** Exact o200k token count. */
export function countTokens(text: string): number {
  return encoding().countTokens(text, options);
}

/** UTF-8 byte length without encoding (an upper bound of the token count). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else {
      // Three bytes, or four for a surrogate pair (two UTF-16 units); a lone surrogate becomes U+FFFD (three).
      n += 2;
      if (c >= 0xd800 && c <= 0xdbff) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
    }
  }
  return n;
}

/** The exact token count when a text exceeds `limit` tokens, else undefined; counts only when bytes cannot tell. */
export function exceedsTokens(text: string, bytes: number, limit: number): number | undefined {
  if (bytes <= limit) return undefined;
  let within: number | false;
  try {
    within = encoding().isWithinTokenLimit(text, limit);
  } catch {
    // Special-token text such as <|endoftext|> makes the early-exit check throw; count it as text.
    within = countTokens(text) <= limit ? 0 : false;
  }
  return within === false ? countTokens(text) : undefined;
}

/**
 * Estimates token counts from UTF-8 bytes with a bytes-per-token ratio calibrated on a sample of
 * the file's own texts (exactly counted); statistics use it, findings never do.
 */
/** The exact counts behind an estimator's ratio, row by row in file order; plain data, so shards can send theirs. */
export interface TokenSample {
  bytes: number[];
  tokens: number[];
}

/** Texts counted exactly to calibrate an estimator (the first ones of the file). */
export const TOKEN_SAMPLE_SIZE = 300;

export class TokenEstimator {
  readonly sample: TokenSample = { bytes: [], tokens: [] };
  private sumBytes = 0;
  private sumTokens = 0;

  /** An estimator over the first rows of several shards' samples, taken in file order. */
  static from(...samples: TokenSample[]): TokenEstimator {
    const e = new TokenEstimator();
    for (const s of samples) {
      for (let i = 0; i < s.bytes.length && !e.full; i++) e.add(s.bytes[i], s.tokens[i]);
    }
    return e;
  }

  get full(): boolean {
    return this.sample.bytes.length >= TOKEN_SAMPLE_SIZE;
  }

  /** Adds a text's byte and exact token counts to the sample (texts of no bytes say nothing). */
  add(bytes: number, tokens: number): void {
    if (this.full || bytes === 0) return;
    this.sample.bytes.push(bytes);
    this.sample.tokens.push(tokens);
    this.sumBytes += bytes;
    this.sumTokens += tokens;
  }

  get bytesPerToken(): number {
    return this.sumTokens > 0 ? this.sumBytes / this.sumTokens : 4;
  }

  estimate(bytes: number): number {
    return Math.round(bytes / this.bytesPerToken);
  }
}
