import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { describeJsonRow, RULES, type Finding } from '../engine';
import type { Analyzed } from './datasets';
import { formatCount } from '../engine/format';

const ICON: Record<string, string> = { error: '$(error)', warning: '$(warning)', info: '$(info)', hint: '$(lightbulb)' };

/** Hover on a row: its label and token count, the rules that flagged it, and the row it duplicates. */
export function hover(doc: Analyzed, params: HoverParams, lineText: string): Hover | null {
  const line = params.position.line + 1;
  const a = doc.analysis;
  const onRow = a.findings.filter((f) => f.rule !== 'label-imbalance' && (f.row ? f.row.line <= line && line <= f.row.endLine : f.line === line));
  const details = a.container === 'jsonl' ? describeJsonRow(lineText.replace(/\r$/, ''), a) : undefined;
  if (!onRow.length && !details) return null;
  const parts: string[] = [];
  const facts: string[] = [];
  if (details?.label !== undefined) facts.push(`label **${escape(details.label)}**`);
  if (details) facts.push(`${details.estimated ? 'about ' : ''}${formatCount(details.tokens)} tokens (o200k)`);
  if (facts.length) parts.push(`Tuneset · row at line ${line}: ${facts.join(' · ')}`);
  for (const f of onRow) parts.push(`${ICON[f.severity]} \`${f.rule}\` ${escape(f.message)}${describeRelated(f)}`);
  if (onRow.length) parts.push(onRow.map((f) => `*${f.rule}*: ${RULES[f.rule as keyof typeof RULES]?.summary ?? ''}`).filter((s, i, all) => all.indexOf(s) === i).join('  \n'));
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') } };
}

function describeRelated(f: Finding): string {
  if (f.rule === 'exact-duplicate' && f.related?.[0]) return ` — same text as line ${f.related[0].line}`;
  return '';
}

/** Dataset text is untrusted: keep Markdown from interpreting it. */
function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
