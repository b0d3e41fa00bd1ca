import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { describeJsonRow, RULES, type Finding } from '../engine';
import { agreementSentence, labelModelSentence } from './labelSummary';
import type { Analyzed } from './datasets';
import { formatCount } from '../engine';
import { translator, type Translator } from '../host/l10n';

/**
 * Severities in words: a language server's Markdown hover has no theme icons (`$(error)` showed as
 * literal text).
 */
const SEVERITY: Record<string, string> = { error: 'Error', warning: 'Warning', info: 'Info', hint: 'Hint' };
const BOLD = new Set(['error', 'warning']);

/**
 * Hover on a row: its label and token count, the rules that flagged it, and the row it duplicates. On
 * line 1 (where the file's own findings and the CodeLens are) and on a row said to be in another
 * language, the file's languages too, as the CodeLens has them (when any script but Latin is there).
 */
export function hover(doc: Analyzed, params: HoverParams, lineText: string, tr: Translator = translator('en')): Hover | null {
  const line = params.position.line + 1;
  const a = doc.analysis;
  const onRow = a.findings.filter((f) => f.rule !== 'label-imbalance' && (f.row ? f.row.line <= line && line <= f.row.endLine : f.line === line));
  const details = a.container === 'jsonl' ? describeJsonRow(lineText.replace(/\r$/, ''), a) : undefined;
  const languages = line === 1 || onRow.some((f) => f.rule === 'mixed-language') ? languagesOf(doc, tr) : undefined;
  if (!onRow.length && !details && !languages) return null;
  const parts: string[] = [];
  const facts: string[] = [];
  if (details?.label !== undefined) facts.push(tr.t('label {0}', `**${escape(details.label)}**`));
  if (details) facts.push(tr.t(details.estimated ? 'about {0} tokens (o200k)' : '{0} tokens (o200k)', formatCount(details.tokens)));
  if (facts.length) parts.push(tr.t('Tuneset · row at line {0}: {1}', line, facts.join(' · ')));
  // VS Code shows a diagnostic's own hover where the pointer is on its range: only the row's other
  // findings are listed here, so nothing is said twice.
  const elsewhere = onRow.filter((f) => !covers(f, line, params.position.character + 1));
  for (const f of elsewhere) {
    const severity = tr.t(SEVERITY[f.severity]);
    parts.push(`${BOLD.has(f.severity) ? `**${severity}**` : severity} \`${f.rule}\` ${escape(tr.message(f.message))}${describeRelated(f, tr)}`);
  }
  // A possible label error is judged against the whole file: its noise ratio says how common they are.
  const noise = onRow.some((f) => f.rule === 'possible-label-error') ? labelModelSentence(a.labelQuality, tr) : undefined;
  if (noise) parts.push(tr.t('File: {0}', escape(noise)));
  // So is a disagreement among annotators: how often they agree over the file, and their κ.
  const agreement = onRow.some((f) => f.rule === 'annotator-disagreement') ? agreementSentence(a.labelQuality, tr) : undefined;
  if (agreement) parts.push(tr.t('File: {0}', escape(agreement)));
  if (languages) parts.push(languages);
  if (onRow.length) parts.push(onRow.map((f) => `*${f.rule}*: ${summaryOf(f.rule, tr)}`).filter((s, i, all) => all.indexOf(s) === i).join('  \n'));
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') } };
}

/** "File languages: Chinese 96% · Latin script 4.2%" (the share of rows per script), or undefined for a file in Latin script alone. */
function languagesOf(doc: Analyzed, tr: Translator): string | undefined {
  const languages = doc.analysis.stats.languages;
  if (!languages.some((l) => l.name !== 'Latin script')) return undefined;
  return tr.t('File languages: {0}', languages.slice(0, 5).map((l) => `${tr.t(l.name)} ${(l.share * 100).toFixed(l.share < 0.1 ? 1 : 0)}%`).join(' · '));
}

/** True when a finding's range holds a (1-based) position. */
function covers(f: Finding, line: number, column: number): boolean {
  if (line < f.line || line > f.endLine) return false;
  if (line === f.line && column < f.column) return false;
  return !(line === f.endLine && column > f.endColumn);
}

/** A rule's one-line summary from the catalog, translated where the bundle has it. */
function summaryOf(rule: string, tr: Translator): string {
  const summary = RULES[rule as keyof typeof RULES]?.summary ?? '';
  return summary ? tr.t(summary) : '';
}

function describeRelated(f: Finding, tr: Translator): string {
  if (f.rule === 'exact-duplicate' && f.related?.[0]) return tr.t(' — same text as line {0}', f.related[0].line);
  return '';
}

/** Dataset text is untrusted: keep Markdown from interpreting it. */
function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
