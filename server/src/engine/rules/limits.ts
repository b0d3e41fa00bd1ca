import { countTokens, exceedsTokens, utf8Length } from '../text/tokens';
import type { RowContent } from '../schema/extract';
import type { PartContext, Report } from './rowRule';
import { formatCount as fmt } from '../format';

/** Tokens a chat template adds around each message (OpenAI's documented overhead). */
const PER_PART_OVERHEAD = 4;

/** too-long: one text over the per-field token threshold (counted exactly only when its bytes exceed it). */
export function tooLong(ctx: PartContext, bytes: number): void {
  const limit = ctx.thresholds.maxFieldTokens;
  const tokens = exceedsTokens(ctx.part.text, bytes, limit);
  if (tokens !== undefined) {
    ctx.report({
      rule: 'too-long',
      message: `"${ctx.part.name}" has ${fmt(tokens)} tokens (o200k), over the ${fmt(limit)} set for one text`,
      target: { path: ctx.part.path },
      data: { tokens },
    });
  }
}

/** token-limit: the whole row over the context length; exact count only when the byte bound allows it. */
export function tokenLimit(content: RowContent, totalBytes: number, maxTokens: number, report: Report): void {
  const overhead = PER_PART_OVERHEAD * content.parts.length;
  if (totalBytes + overhead <= maxTokens) return;
  let tokens = overhead;
  for (const p of content.parts) tokens += countTokens(p.text);
  if (tokens <= maxTokens) return;
  const longest = content.parts.reduce((a, b) => (utf8Length(b.text) > utf8Length(a.text) ? b : a));
  report({
    rule: 'token-limit',
    message: `Row has ${fmt(tokens)} tokens (o200k, with ${PER_PART_OVERHEAD} per message of template overhead); the limit is ${fmt(maxTokens)}`,
    target: { path: longest.path },
    data: { tokens, limit: maxTokens },
  });
}
