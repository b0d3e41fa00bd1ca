import { omittedPerRule, type DatasetAnalysis } from '../engine';
import { formatCount } from '../engine';

/** Finding lines per piece (small pieces stay in V8's young generation; see the JSON report's). */
const LINES_PER_CHUNK = 500;

/**
 * Human output, in pieces for writing a big report as it is made: one line per finding
 * (path:line:col severity rule message), then a summary per file.
 */
export function* textChunks(results: DatasetAnalysis[], color: boolean): Generator<string> {
  for (const file of results) yield* textFindingChunks(file, color);
  yield textSummary(results, color);
}

/** One file's finding lines, in pieces (a file's lines are written as soon as it is analyzed). */
export function* textFindingChunks(file: DatasetAnalysis, color: boolean): Generator<string> {
  const paint = painter(color);
  const sev = { error: '31', warning: '33', info: '36', hint: '90' } as const;
  let lines: string[] = [];
  for (const f of file.findings) {
    lines.push(`${file.path}:${f.line}:${f.column} ${paint(sev[f.severity], f.severity)} ${f.rule} ${f.message}\n`);
    if (lines.length === LINES_PER_CHUNK) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length) yield lines.join('');
}

const painter = (color: boolean) => (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

/** The summary block after every file's findings (it needs no finding, only each file's counts). */
export function textSummary(results: DatasetAnalysis[], color: boolean): string {
  return results.map((file) => textFileSummary(file, color)).join('\n') + '\n';
}

/** One file's part of the summary block: a blank line, then its lines (without the last newline). */
export function textFileSummary(file: DatasetAnalysis, color: boolean): string {
  const paint = painter(color);
  const out: string[] = [];
  const s = file.stats;
  out.push('');
  out.push(paint('1', `${file.path}`) + `: ${file.format} (${file.container}), ${formatCount(s.rows)} rows, quality ${s.quality.score}/100`);
  const fields = Object.entries(file.fields).map(([k, v]) => (k === v ? k : `${k}=${v}`)).join(', ');
  if (fields) out.push(`  fields: ${fields}`);
  // Plain UTF-8 goes without saying; anything else was decoded on a judgement the user may want to check.
  if (file.encoding && file.encoding !== 'utf-8') out.push(`  encoding: ${file.encoding}${file.encoding === 'utf-8-bom' ? '' : ' (not UTF-8)'}`);
  if (s.labels.length) {
    const shown = s.labels.slice(0, 10).map((l) => `${l.name} ${l.count} (${(l.share * 100).toFixed(1)}%)`).join(' · ');
    out.push(`  labels: ${shown}${s.labels.length > 10 ? ` · … ${s.labels.length} in all` : ''}; balance index ${s.balanceIndex.toFixed(2)}`);
  }
  if (file.labelQuality) out.push(...labelQualityLines(file.labelQuality));
  out.push(`  ${tokensHeading(s.tokens.exactRows)}: median ${formatCount(s.tokens.median)}, p95 ${formatCount(s.tokens.p95)}, max ${formatCount(s.tokens.max)}`);
  const rules = Object.entries(file.summary).sort((a, b) => b[1] - a[1]);
  const bySev = s.findingsBySeverity;
  if (file.omitted) {
    const notListed = Object.entries(omittedPerRule(file.omitted)).map(([r, n]) => `${r} ${formatCount(n)}`).join(', ');
    out.push(`  not listed (over the limit per rule; --max-findings-per-rule 0 lists all): ${notListed}`);
  }
  out.push(`  findings: ${bySev.error} errors, ${bySev.warning} warnings, ${bySev.info + bySev.hint} notes` + (rules.length ? ` — ${rules.map(([r, n]) => `${r} ${n}`).join(', ')}` : ''));
  return out.join('\n');
}

/** Token lengths are estimates, but the rows token-limit counted count exactly (so the max agrees with its findings). */
function tokensHeading(exactRows: number): string {
  return exactRows ? `tokens (est.; exact for the ${formatCount(exactRows)} row${exactRows === 1 ? '' : 's'} over the limit)` : 'tokens (est.)';
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The label model's lines of a file's summary: its noise ratio and curve, or why it did not run. */
export function labelQualityLines(q: Record<string, unknown>): string[] {
  const model = q.model as { ok: boolean; reason?: string; labelledRows?: number };
  const agreement = q.agreement as { rows: number; annotators: number; percentAgreement: number; cohensKappa: number | null; fleissKappa: number | null; strength: string } | undefined;
  const out: string[] = [];
  if (!model.ok) out.push(`  label model: not run: ${model.reason}`);
  else {
    const e = q.labelErrors as { noiseRatio: number; estimatedNoiseRatio: number; noisyRows: number; checkedRows: number } | undefined;
    const curve = q.learningCurve as { verdict: string } | undefined;
    const left = Number(q.leftToConflicts ?? 0);
    if (typeof q.withheld === 'string') out.push(`  label model: no label errors reported: ${q.withheld}`);
    else if (e) out.push(`  label model: noise ratio ${pct(e.noiseRatio)} (${formatCount(e.noisyRows)} of ${formatCount(e.checkedRows)} rows flagged${left ? `, ${left} left to conflicting-labels` : ''}; estimated ${pct(e.estimatedNoiseRatio)} of labels wrong)`);
    if (curve) out.push(`  learning curve: ${curve.verdict}`);
    const next = q.rowsToLabel as unknown[] | undefined;
    if (next?.length) out.push(`  rows to label next: ${next.length} unlabelled row${next.length === 1 ? '' : 's'} ranked by uncertainty (JSON: labelQuality.rowsToLabel)`);
  }
  if (agreement) {
    const kappa = agreement.cohensKappa !== null ? `Cohen's κ ${agreement.cohensKappa.toFixed(2)}` : agreement.fleissKappa !== null ? `Fleiss' κ ${agreement.fleissKappa.toFixed(2)}` : 'κ undefined';
    out.push(`  annotators: ${agreement.annotators} agree on ${pct(agreement.percentAgreement)} of ${formatCount(agreement.rows)} rows; ${kappa} (${agreement.strength})`);
  }
  return out;
}
