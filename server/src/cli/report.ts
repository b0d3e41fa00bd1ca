import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findSplitSiblings, kappaPhrase, renderReportMarkdown, type QualityReport } from '../engine';
import { formatCount as n, formatShare } from '../engine';
import { SETTINGS_FILE } from '../host/config';
import { InputError } from '../host/errors';
import { FileTooLargeError } from '../host/fileSource';
import { sameFile } from '../host/outputPaths';
import { exportHtml, makeReport } from '../host/report';
import { localizeReport, reportPageLanguage, type Translator } from '../host/l10n';
import { refuseOutputs, writeFilesAtomic } from '../host/writeAtomic';
import { commandConfig, SETTINGS_OPTIONS, UsageError } from './command';
import { cliTranslator, errorLine, helpText } from './lang';
import { READING_USAGE } from './readingOptions';

export const REPORT_USAGE = `Usage: tuneset report FILE [options]

The quality report of one dataset. Without --html or --md, a summary is printed. Split siblings
(NAME.train/val/test.*, train/val/test.*) in the same folder are compared side by side.

  --html FILE                Write the report as one self-contained HTML page (charts work offline)
  --md FILE                  Write the report as a Markdown data card
  --force                    Overwrite existing output files
  --config, --text-field, --label-field, --format-hint, --max-tokens   As for check
${READING_USAGE}  -h, --help                 This help
`;

/** `tuneset report FILE [--html OUT] [--md OUT] [--force]`: the quality report of one dataset, exported or summarised. */
export async function report(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      html: { type: 'string' },
      md: { type: 'string' },
      force: { type: 'boolean', default: false },
      ...SETTINGS_OPTIONS,
      'max-tokens': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(helpText('report', REPORT_USAGE));
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('report needs exactly one dataset file');
  const file = positionals[0];
  const outputs = [values.html, values.md].filter((o): o is string => o !== undefined);
  if (values.html && values.md && sameFile(values.html, values.md)) throw new UsageError('--html and --md must be different files');
  // Refuse before the analysis, which can take a while on a big file.
  refuseReportOutputs(outputs, reportInputs(file, values.config));
  for (const out of outputs) {
    if (!values.force && fs.existsSync(out)) throw new UsageError(`${out} exists; pass --force to overwrite it`);
  }
  const config = commandConfig(values);

  let made: QualityReport;
  try {
    made = localizeReport(await makeReport(file, config, (line) => process.stderr.write(`${line}\n`)), cliTranslator());
  } catch (e) {
    if (e instanceof InputError || e instanceof FileTooLargeError) {
      process.stderr.write(errorLine(e.message));
      return 2;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    process.stderr.write(errorLine(`${file}: cannot read (${code})`));
    return 2;
  }
  // Both pages or neither: a failed write leaves no Markdown card beside an old HTML page.
  const files = [...(values.html ? [{ path: values.html, data: exportHtml(made, reportPageLanguage(cliTranslator().locale)) }] : []), ...(values.md ? [{ path: values.md, data: renderReportMarkdown(made, (m, ...args) => cliTranslator().t(m, ...args)) }] : [])];
  writeFilesAtomic(files);
  for (const f of files) process.stdout.write(cliTranslator().t('wrote {0}', f.path) + '\n');
  if (!outputs.length) process.stdout.write(summary(made));
  return 0;
}

/** What the report reads: the dataset, its split siblings (compared side by side) and the settings file. */
function reportInputs(file: string, config: string | undefined): string[] {
  const dir = path.dirname(file);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    // A folder that cannot be listed has no siblings to compare; reading the file itself says what is wrong.
  }
  const siblings = findSplitSiblings(path.basename(file), names).map((s) => path.join(dir, s.name));
  const settings = config ?? (fs.existsSync(SETTINGS_FILE) ? SETTINGS_FILE : undefined);
  return [file, ...siblings, ...(settings ? [settings] : [])];
}

/** A report is written only as a new file in an existing folder, never over what it reads (not even with --force). */
function refuseReportOutputs(outputs: string[], inputs: string[]): void {
  refuseOutputs(outputs, inputs, 'the report');
  for (const out of outputs) {
    const dir = path.dirname(path.resolve(out));
    if (!fs.existsSync(dir)) throw new UsageError(`${out}: the folder ${path.dirname(out)} does not exist; create it first or choose another path`);
  }
}

/** A count with its noun, in the command line's language: plural(tr, n, '{0} row', '{0} rows'). */
const plural = (tr: Translator, x: number, one: string, many: string) => tr.t(x === 1 ? one : many, n(x));

/** A few lines for the terminal when no file is asked for, in the command line's language. */
function summary(r: QualityReport, tr: Translator = cliTranslator()): string {
  const h = r.header;
  const sev = h.findingsBySeverity;
  const out = [tr.t('{0}: {1} ({2}), {3} rows ({4} valid), quality {5}/100', h.path, h.format, h.container, n(h.rows), n(h.validRows), h.quality.score)];
  if (h.quality.penalties.length) out.push(tr.t('  lowered by: {0}', h.quality.penalties.map((p) => `${p.cause} −${p.points}`).join(' · ')));
  if (r.labels) {
    const rare = r.labels.labels.filter((l) => l.rare).map((l) => l.name);
    const shown = r.labels.labels.slice(0, 8).map((l) => `${l.name} ${n(l.count)} (${(l.share * 100).toFixed(1)}%)`).join(' · ') + (r.labels.labels.length > 8 ? ' · …' : '');
    out.push(tr.t('  labels: {0}; balance index {1}', shown, r.labels.balanceIndex.toFixed(2)) + (rare.length ? tr.t('; rare: {0}', rare.slice(0, 8).join(', ')) : ''));
  }
  const l = r.lengths;
  out.push(tr.t('  tokens (est.): median {0}, p95 {1}, max {2}; {3} over the {4} limit, {5}', n(l.distribution.median), n(l.distribution.p95), n(l.distribution.max), n(l.overLimit), n(l.maxTokens),
    plural(tr, l.lengthOutliers, '{0} length outlier', '{0} length outliers')));
  out.push(tr.t('  findings: {0}, {1}, {2}', plural(tr, sev.error, '{0} error', '{0} errors'), plural(tr, sev.warning, '{0} warning', '{0} warnings'), plural(tr, sev.info + sev.hint, '{0} note', '{0} notes')) +
    (r.findings.length ? ` — ${r.findings.slice(0, 6).map((f) => `${f.rule} ${n(f.count)}`).join(', ')}` : ''));
  const d = r.diversity;
  if (d) {
    out.push(tr.t('  diversity: {0} words, vocabulary {1}, type/token {2}, distinct bigrams {3}', n(d.tokens), n(d.vocabulary), d.typeTokenRatio < 0.1 ? d.typeTokenRatio.toPrecision(2) : d.typeTokenRatio.toFixed(2), `${(d.distinctBigramShare * 100).toFixed(1)}%`) +
      (d.sampled ? tr.t(' (sample of {0} rows)', n(d.rows)) : ''));
  }
  const q = r.labelQuality;
  // (The report was localized: the model's reasons and verdict are in the command line's language already.)
  if (q?.notRun) out.push(tr.t('  label model: not run: {0}', q.notRun));
  else if (q?.withheld) out.push(tr.t('  label model: no label errors reported: {0}', q.withheld));
  else if (q) {
    const flagged = plural(tr, q.flaggedRows, '{0} row', '{0} rows');
    const [noise, estimated] = [`${(q.noiseRatio * 100).toFixed(1)}%`, `${(q.estimatedNoiseRatio * 100).toFixed(1)}%`];
    out.push((q.leftToConflicts
      ? tr.t('  label quality: noise ratio {0} ({1} flagged, {2} left to conflicting-labels; estimated {3} wrong)', noise, flagged, n(q.leftToConflicts), estimated)
      : tr.t('  label quality: noise ratio {0} ({1} flagged; estimated {2} wrong)', noise, flagged, estimated)) +
      (q.learningCurve ? tr.t('; learning curve: {0}', q.learningCurve.verdict) : ''));
  }
  if (q) out.push(...labelQualityExtraLines(q, tr));
  const s = r.splits;
  if (s) {
    out.push(tr.t('  splits: {0}; texts in both: {1}', s.splits.map((x) => `${x.split} ${n(x.rows)}`).join(' · '), s.leakage.map((x) => `${x.between.join('–')} ${n(x.shared)}`).join(', ')));
    if (s.leaks) out.push(tr.t('  leaks (as check counts them): {0}', s.leaks.map((x) => tr.t('{0} from {1} {2} exact, {3} near', x.between[1], x.between[0], n(x.exact), n(x.near))).join('; ')));
  }
  const near = r.nearDuplicates;
  if (near.computed) {
    const top = near.clusters.slice(0, 3).map((c) => tr.t('{0} rows (lines {1} at {2})', n(c.size), (c.pair ? c.pair : c.lines.slice(0, 2)).join(tr.t(' and ')), c.similarity.toFixed(2)));
    out.push(tr.t('  near-duplicate clusters: {0}', near.clusters.length ? tr.t('{0}, largest {1}', n(near.clusters.length), top.join(', ')) : tr.t('none')));
  }
  out.push(tr.t('Write the report with --html FILE and/or --md FILE.'));
  return out.join('\n') + '\n';
}

/** The report summary's lines on where the learning curve was measured (split files) and on annotator agreement. */
function labelQualityExtraLines(q: NonNullable<QualityReport['labelQuality']>, tr: Translator): string[] {
  const out: string[] = [];
  const source = q.learningCurveSource;
  if (q.learningCurve && source?.kind === 'split') out.push(tr.t('  learning curve: learned on {0}, scored on {1}: {2}', source.train, source.heldOut, tr.message(q.learningCurve.verdict)));
  if (q.splitReason) out.push(tr.t('  learning curve: split files not used ({0})', tr.message(q.splitReason)));
  const a = q.agreement;
  if (a) {
    const kappa = kappaPhrase(a, tr.t('κ undefined'));
    out.push(tr.t('  annotators: {0} agree on {1} of {2} rows (consistency); {3} ({4}); {5} with differing labels', a.annotators, formatShare(a.percentAgreement), n(a.rows), kappa, tr.message(a.strength),
      plural(tr, a.disagreements, '{0} row', '{0} rows')));
  }
  return out;
}
