import { exceedsTokens, measureTokens, type TokenCount } from '../text/tokens';
import type { RowContent } from '../schema/extract';
import type { PartContext, Report } from './rowRule';
import { formatCount as fmt } from '../format';

/** Tokens a chat template adds around each message (OpenAI's documented overhead). */
const PER_PART_OVERHEAD = 4;

/** "7,000 tokens (o200k" or, for a count estimated past its first characters, "about 210,000 tokens (o200k, estimated past …". */
function tokensPhrase(count: TokenCount): string {
  if (!count.estimated) return `${fmt(count.tokens)} tokens (o200k`;
  if (count.sampled) return `about ${fmt(count.tokens)} tokens (o200k, estimated from ${fmt(count.counted)} of its characters`;
  return `about ${fmt(count.tokens)} tokens (o200k, estimated past the first ${fmt(count.counted)} characters`;
}

/** too-long: one text over the per-field token threshold (counted only when its bytes exceed it). */
export function tooLong(ctx: PartContext, bytes: number): void {
  const limit = ctx.thresholds.maxFieldTokens;
  // bytes is the profile's exact UTF-8 length: equal to the length only for ASCII text.
  const count = exceedsTokens(ctx.part.text, bytes, limit, bytes === ctx.part.text.length);
  if (count !== undefined) {
    ctx.report({
      rule: 'too-long',
      message: `"${ctx.part.name}" has ${tokensPhrase(count)}), over the ${fmt(limit)} set for one text`,
      target: { path: ctx.part.path },
      data: count.estimated ? { tokens: count.tokens, estimated: true } : { tokens: count.tokens },
    });
  }
}

/**
 * token-limit: the whole row over the context length; exact count only when the byte bound allows it.
 * `partBytes`: each part's UTF-8 length (the profile has it), `totalBytes` their sum.
 */
export function tokenLimit(content: RowContent, partBytes: readonly number[], totalBytes: number, maxTokens: number, report: Report): void {
  const overhead = PER_PART_OVERHEAD * content.parts.length;
  if (totalBytes + overhead <= maxTokens) return;
  const row: TokenCount = { tokens: overhead, estimated: false, counted: 0 };
  let longest = content.parts[0];
  let longestBytes = -1;
  for (let k = 0; k < content.parts.length; k++) {
    const p = content.parts[k];
    const bytes = partBytes[k];
    const count = measureTokens(p.text, bytes, maxTokens, bytes === p.text.length);
    row.tokens += count.tokens;
    row.estimated ||= count.estimated;
    if (count.estimated) row.counted = Math.max(row.counted, count.counted);
    if (count.sampled) row.sampled = true;
    if (bytes > longestBytes) [longest, longestBytes] = [p, bytes];
  }
  if (row.tokens <= maxTokens) return;
  report({
    rule: 'token-limit',
    message: `Row has ${tokensPhrase(row)}, with ${PER_PART_OVERHEAD} per message of template overhead); the limit is ${fmt(maxTokens)}`,
    target: { path: longest.path },
    data: row.estimated ? { tokens: row.tokens, limit: maxTokens, estimated: true } : { tokens: row.tokens, limit: maxTokens },
  });
}
