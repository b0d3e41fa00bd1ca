import { omittedPerRule, type DatasetAnalysis } from '../engine';
import { formatCount, formatShare, kappaPhrase } from '../engine';
import { translator, type Translator } from '../host/l10n';

const ENGLISH = translator('en');

/** Finding lines per piece (small pieces stay in V8's young generation; see the JSON report's). */
const LINES_PER_CHUNK = 500;

/**
 * Human output, in pieces for writing a big report as it is made: one line per finding
 * (path:line:col severity rule message), then a summary per file.
 */
export function* textChunks(results: DatasetAnalysis[], color: boolean, tr: Translator = ENGLISH): Generator<string> {
  for (const file of results) yield* textFindingChunks(file, color, tr);
  yield textSummary(results, color, tr);
}

/** One file's finding lines, in pieces (a file's lines are written as soon as it is analyzed). */
export function* textFindingChunks(file: DatasetAnalysis, color: boolean, tr: Translator = ENGLISH): Generator<string> {
  const paint = painter(color);
  const sev = { error: '31', warning: '33', info: '36', hint: '90' } as const;
  let lines: string[] = [];
  for (const f of file.findings) {
    lines.push(`${file.path}:${f.line}:${f.column} ${paint(sev[f.severity], f.severity)} ${f.rule} ${tr.message(f.message)}\n`);
    if (lines.length === LINES_PER_CHUNK) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length) yield lines.join('');
}

const painter = (color: boolean) => (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

/** The summary block after every file's findings (it needs no finding, only each file's counts). */
export function textSummary(results: DatasetAnalysis[], color: boolean, tr: Translator = ENGLISH): string {
  return results.map((file) => textFileSummary(file, color, tr)).join('\n') + '\n';
}

/** One file's part of the summary block: a blank line, then its lines (without the last newline). */
export function textFileSummary(file: DatasetAnalysis, color: boolean, tr: Translator = ENGLISH): string {
  const paint = painter(color);
  const out: string[] = [];
  const s = file.stats;
  out.push('');
  out.push(paint('1', `${file.path}`) + tr.t(': {0} ({1}), {2} rows, quality {3}/100', file.format, file.container, formatCount(s.rows), s.quality.score));
  const fields = Object.entries(file.fields).map(([k, v]) => (k === v ? k : `${k}=${v}`)).join(', ');
  if (fields) out.push(tr.t('  fields: {0}', fields));
  // Plain UTF-8 goes without saying; anything else was decoded on a judgement the user may want to check.
  if (file.encoding && file.encoding !== 'utf-8') out.push(tr.t(file.encoding === 'utf-8-bom' ? '  encoding: {0}' : '  encoding: {0} (not UTF-8)', file.encoding));
  if (s.labels.length) {
    const shown = s.labels.slice(0, 10).map((l) => `${l.name} ${l.count} (${(l.share * 100).toFixed(1)}%)`).join(' · ');
    const all = s.labels.length > 10 ? tr.t(' · … {0} in all', s.labels.length) : '';
    out.push(tr.t('  labels: {0}; balance index {1}', shown + all, s.balanceIndex.toFixed(2)));
  }
  // Latin script alone goes without saying (most datasets); any other script is worth a line.
  if (s.languages.some((l) => l.name !== 'Latin script')) {
    out.push(tr.t('  languages: {0}', s.languages.slice(0, 5).map((l) => `${tr.t(l.name)} ${(l.share * 100).toFixed(l.share < 0.1 ? 1 : 0)}%`).join(' · ')));
  }
  if (file.labelQuality) out.push(...labelQualityLines(file.labelQuality, tr));
  out.push(tr.t('  {0}: median {1}, p95 {2}, max {3}', tokensHeading(s.tokens.exactRows, tr), formatCount(s.tokens.median), formatCount(s.tokens.p95), formatCount(s.tokens.max)));
  const rules = Object.entries(file.summary).sort((a, b) => b[1] - a[1]);
  const bySev = s.findingsBySeverity;
  if (file.omitted) {
    const notListed = Object.entries(omittedPerRule(file.omitted)).map(([r, n]) => `${r} ${formatCount(n)}`).join(', ');
    out.push(tr.t('  not listed (over the limit per rule; --max-findings-per-rule 0 lists all): {0}', notListed));
  }
  out.push(tr.t('  findings: {0} errors, {1} warnings, {2} notes', bySev.error, bySev.warning, bySev.info + bySev.hint) + (rules.length ? ` — ${rules.map(([r, n]) => `${r} ${n}`).join(', ')}` : ''));
  return out.join('\n');
}

/** Token lengths are estimates, but the rows token-limit counted count exactly (so the max agrees with its findings). */
function tokensHeading(exactRows: number, tr: Translator): string {
  if (!exactRows) return tr.t('tokens (est.)');
  return tr.t(exactRows === 1 ? 'tokens (est.; exact for the {0} row over the limit)' : 'tokens (est.; exact for the {0} rows over the limit)', formatCount(exactRows));
}

const pct = formatShare;

/** The label model's lines of a file's summary: its noise ratio and curve, or why it did not run, in `tr`'s language. */
export function labelQualityLines(q: Record<string, unknown>, tr: Translator = ENGLISH): string[] {
  const model = q.model as { ok: boolean; reason?: string; labelledRows?: number };
  const agreement = q.agreement as {
    rows: number; annotators: number; percentAgreement: number; cohensKappa: number | null; fleissKappa: number | null; strength: string;
    perLabel: { label: string; agreement: number }[]; disagreements: unknown[];
  } | undefined;
  const out: string[] = [];
  if (!model.ok) out.push(tr.t('  label model: not run: {0}', tr.message(model.reason ?? '')));
  else {
    const e = q.labelErrors as { noiseRatio: number; estimatedNoiseRatio: number; noisyRows: number; checkedRows: number } | undefined;
    const curve = q.learningCurve as { verdict: string } | undefined;
    const left = Number(q.leftToConflicts ?? 0);
    if (typeof q.withheld === 'string') out.push(tr.t('  label model: no label errors reported: {0}', tr.message(q.withheld)));
    else if (e) {
      const shownFlagged = formatCount(Number(q.findings ?? e.noisyRows));
      const flagged = left
        ? tr.t('{0} of {1} rows flagged, {2} left to conflicting-labels', shownFlagged, formatCount(e.checkedRows), left)
        : tr.t('{0} of {1} rows flagged', shownFlagged, formatCount(e.checkedRows));
      out.push(tr.t('  label model: noise ratio {0} ({1}; estimated {2} of labels wrong)', pct(e.noiseRatio), flagged, pct(e.estimatedNoiseRatio)));
    }
    if (curve) out.push(tr.t('  learning curve: {0}', tr.message(curve.verdict)));
    const next = q.rowsToLabel as unknown[] | undefined;
    if (next?.length) {
      out.push(tr.t(next.length === 1
        ? '  rows to label next: {0} unlabelled row ranked by uncertainty (JSON: labelQuality.rowsToLabel; `tuneset suggest` lists more)'
        : '  rows to label next: {0} unlabelled rows ranked by uncertainty (JSON: labelQuality.rowsToLabel; `tuneset suggest` lists more)', next.length));
    }
    for (const note of (model as { notes?: string[] }).notes ?? []) out.push(tr.t('  label model: {0}', tr.message(note)));
  }
  if (agreement) {
    const kappa = kappaPhrase(agreement, tr.t('κ undefined'));
    out.push(tr.t('  annotators: {0} agree on {1} of {2} rows (consistency); {3} ({4})', agreement.annotators, pct(agreement.percentAgreement), formatCount(agreement.rows), kappa, tr.message(agreement.strength)));
    const shown = agreement.perLabel.slice(0, 8).map((p) => `${p.label} ${pct(p.agreement)}`).join(' · ') + (agreement.perLabel.length > 8 ? ` · … ${tr.t('({0} labels)', agreement.perLabel.length)}` : '');
    const differing = agreement.disagreements.length;
    out.push(differing === 1
      ? tr.t('  agreement per label: {0}; {1} row with differing labels (JSON: labelQuality.agreement)', shown, formatCount(differing))
      : tr.t('  agreement per label: {0}; {1} rows with differing labels (JSON: labelQuality.agreement)', shown, formatCount(differing)));
  }
  return out;
}
