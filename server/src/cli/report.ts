import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findSplitSiblings, renderReportMarkdown, type QualityReport } from '../engine';
import { formatCount as n } from '../engine';
import { SETTINGS_FILE } from '../host/config';
import { InputError } from '../host/errors';
import { FileTooLargeError } from '../host/fileSource';
import { notWritableAsFile, outputOverInput, sameFile } from '../host/outputPaths';
import { exportHtml, makeReport } from '../host/report';
import { localizeReport } from '../host/l10n';
import { writeFilesAtomic } from '../host/writeAtomic';
import { commandConfig, SETTINGS_OPTIONS, UsageError } from './command';
import { cliTranslator } from './lang';
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
    process.stdout.write(REPORT_USAGE);
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
      process.stderr.write(`tuneset: ${e.message}\n`);
      return 2;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    process.stderr.write(`tuneset: ${file}: cannot read (${code})\n`);
    return 2;
  }
  // Both pages or neither: a failed write leaves no Markdown card beside an old HTML page.
  const files = [...(values.html ? [{ path: values.html, data: exportHtml(made) }] : []), ...(values.md ? [{ path: values.md, data: renderReportMarkdown(made, (m, ...args) => cliTranslator().t(m, ...args)) }] : [])];
  writeFilesAtomic(files);
  for (const f of files) process.stdout.write(`wrote ${f.path}\n`);
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
  const over = outputOverInput(outputs, inputs);
  if (over) throw new UsageError(`${over.output} is ${over.output === over.input ? 'an input' : `the same file as ${over.input}, an input`} of the report: Tuneset never writes over what it reads, not even with --force`);
  for (const out of outputs) {
    const why = notWritableAsFile(out);
    if (why) throw new UsageError(`${out} ${why}`);
    const dir = path.dirname(path.resolve(out));
    if (!fs.existsSync(dir)) throw new UsageError(`${out}: the folder ${path.dirname(out)} does not exist; create it first or choose another path`);
  }
}

const plural = (x: number, one: string) => `${n(x)} ${one}${x === 1 ? '' : 's'}`;

/** A few lines for the terminal when no file is asked for. */
function summary(r: QualityReport): string {
  const h = r.header;
  const sev = h.findingsBySeverity;
  const out = [`${h.path}: ${h.format} (${h.container}), ${n(h.rows)} rows (${n(h.validRows)} valid), quality ${h.quality.score}/100`];
  if (h.quality.penalties.length) out.push(`  lowered by: ${h.quality.penalties.map((p) => `${p.cause} −${p.points}`).join(' · ')}`);
  if (r.labels) {
    const rare = r.labels.labels.filter((l) => l.rare).map((l) => l.name);
    const shown = r.labels.labels.slice(0, 8).map((l) => `${l.name} ${n(l.count)} (${(l.share * 100).toFixed(1)}%)`).join(' · ');
    out.push(`  labels: ${shown}${r.labels.labels.length > 8 ? ' · …' : ''}; balance index ${r.labels.balanceIndex.toFixed(2)}${rare.length ? `; rare: ${rare.slice(0, 8).join(', ')}` : ''}`);
  }
  const l = r.lengths;
  out.push(`  tokens (est.): median ${n(l.distribution.median)}, p95 ${n(l.distribution.p95)}, max ${n(l.distribution.max)}; ${n(l.overLimit)} over the ${n(l.maxTokens)} limit, ${plural(l.lengthOutliers, 'length outlier')}`);
  out.push(`  findings: ${plural(sev.error, 'error')}, ${plural(sev.warning, 'warning')}, ${plural(sev.info + sev.hint, 'note')}` + (r.findings.length ? ` — ${r.findings.slice(0, 6).map((f) => `${f.rule} ${n(f.count)}`).join(', ')}` : ''));
  const d = r.diversity;
  if (d) out.push(`  diversity: ${n(d.tokens)} words, vocabulary ${n(d.vocabulary)}, type/token ${d.typeTokenRatio < 0.1 ? d.typeTokenRatio.toPrecision(2) : d.typeTokenRatio.toFixed(2)}, distinct bigrams ${(d.distinctBigramShare * 100).toFixed(1)}%${d.sampled ? ` (sample of ${n(d.rows)} rows)` : ''}`);
  const q = r.labelQuality;
  if (q?.notRun) out.push(`  label model: not run: ${q.notRun}`);
  else if (q?.withheld) out.push(`  label model: no label errors reported: ${q.withheld}`);
  else if (q) {
    out.push(`  label quality: noise ratio ${(q.noiseRatio * 100).toFixed(1)}% (${plural(q.flaggedRows, 'row')} flagged${q.leftToConflicts ? `, ${n(q.leftToConflicts)} left to conflicting-labels` : ''}; estimated ${(q.estimatedNoiseRatio * 100).toFixed(1)}% wrong)${q.learningCurve ? `; learning curve: ${q.learningCurve.verdict}` : ''}`);
  }
  const s = r.splits;
  if (s) {
    out.push(`  splits: ${s.splits.map((x) => `${x.split} ${n(x.rows)}`).join(' · ')}; texts in both: ${s.leakage.map((x) => `${x.between.join('–')} ${n(x.shared)}`).join(', ')}`);
    if (s.leaks) out.push(`  leaks (as check counts them): ${s.leaks.map((x) => `${x.between[1]} from ${x.between[0]} ${n(x.exact)} exact, ${n(x.near)} near`).join('; ')}`);
  }
  const near = r.nearDuplicates;
  if (near.computed) {
    const top = near.clusters.slice(0, 3).map((c) => `${n(c.size)} rows (lines ${c.pair ? c.pair.join(' and ') : c.lines.slice(0, 2).join(' and ')} at ${c.similarity.toFixed(2)})`);
    out.push(`  near-duplicate clusters: ${near.clusters.length ? `${n(near.clusters.length)}, largest ${top.join(', ')}` : 'none'}`);
  }
  out.push('Write the report with --html FILE and/or --md FILE.');
  return out.join('\n') + '\n';
}
