import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from './analyzeFile';
import { InputError } from './errors';
import type { ReportPageLanguage } from './l10n';
import { FileTooLargeError, fileSource, MAX_WHOLE_FILE_BYTES } from './fileSource';
import { withLabelModel } from './labelModel';
import { namedDatasetContainer, shown } from './inputs';
import { findWorkspaceLeaks } from './leaks';
import {
  analyzeDataset, buildReport, containerOfPath, buildSplitComparison, computeDiversity, conversationStats, datasetRowHashes, exampleLines, findSplitSiblings, labelCheckSteps, nearDuplicateClusterPairs,
  readRowTexts, renderReportHtml, splitLearningCurveSteps, toBytes, withConversations, withExampleTexts, withExtraFindings,
  type ByteSource, type SplitLearningCurve, type Config, type DatasetAnalysis, type Diversity, type QualityReport, type ReportExtras, type SplitComparison, type SplitInput, type SplitLeaks, type SplitName,
} from '../engine';

/**
 * Report assembly for both hosts: the quality report of a dataset is its analysis, the diversity of
 * its texts and the comparison with its train/val/test siblings in the same folder. The CLI makes it
 * from the file on disk (makeReport), the language server from the analysis it holds (fileReport).
 */

/**
 * The quality report of a file on disk. `notes` hears each "tuneset: FILE: note" line on how the file
 * was read; a setting that names a field the file lacks is an InputError (a report of something else).
 */
export async function makeReport(file: string, config: Config, notes: (line: string) => void = () => {}): Promise<QualityReport> {
  // An archive or a format Tuneset does not read is named, not reported as rows of invalid JSON.
  const container = namedDatasetContainer(file, shown(file));
  // The diversity figures read every text again, a CSV, TSV or JSON array whole: one over 512 MiB is
  // refused before the check (which could read a big CSV in parts) runs for nothing.
  const kind = container ?? containerOfPath(file) ?? 'jsonl';
  const size = fs.statSync(file).size;
  if (kind !== 'jsonl' && size > MAX_WHOLE_FILE_BYTES) throw new FileTooLargeError(shown(file), size, kind);
  // With its row index: the leak counts between splits are check's own.
  const ruled = await analyzeFile(file, shown(file), config, { container, rowIndex: true });
  // A classification file's label model: its possible-label-error findings and the "Label quality" section.
  // When the model was not asked (its rule off, over the row limit), the section still gives annotator agreement if there is any.
  const { analysis, check, agreementOnly } = withLabelModel(file, ruled, config, { container });
  const labelCheck = check ?? agreementOnly;
  const unknown = analysis.notes?.find((n) => n.kind === 'unknown-field');
  if (unknown) throw new InputError(`${analysis.path}: ${unknown.message}`);
  for (const n of analysis.notes ?? []) notes(`tuneset: ${analysis.path}: ${n.message}`);
  // The file's texts are read again from disk: a JSON Lines file in pieces, never whole.
  const fd = fs.openSync(file, 'r');
  let diversity: Diversity;
  try {
    diversity = diversityOf(fileSource(fd), analysis, config);
  } finally {
    fs.closeSync(fd);
  }
  const splits = await compareSplits(file, analysis, config, { display: shown });
  delete analysis.rowIndex;
  const splitCurve = check && splitLearningCurve(file, undefined, analysis, config, shown);
  return buildReport(analysis, { config, diversity, splits, nearDuplicates: nearDuplicatesOf(analysis, config), generatedAt: new Date().toISOString(), ...(labelCheck ? { labelCheck } : {}), ...(splitCurve ? { splitCurve } : {}) });
}

/**
 * The near-duplicate section: the clusters `check` reports (its near-duplicate findings), largest
 * first, whenever the near-duplicate rule is on; left "not computed" only when it is off.
 */
function nearDuplicatesOf(analysis: DatasetAnalysis, config: Config): ReportExtras['nearDuplicates'] {
  if (config.rules['near-duplicate'] === 'off') return undefined;
  return { threshold: config.nearDuplicateThreshold, clusters: nearDuplicateClusterPairs(analysis.findings) };
}

/**
 * The quality report of a dataset the server holds: its live analysis (the editor's text when the
 * file is open), diversity from the same text, and the comparison with its train/val/test siblings.
 */
export async function fileReport(file: string, held: DatasetAnalysis, text: string | undefined, config: Config, siblingAnalysis: (file: string) => Promise<DatasetAnalysis | undefined>): Promise<QualityReport> {
  const bytes = text === undefined ? fs.readFileSync(file) : toBytes(text);
  // The label model of a classification file (its findings merged unless the editor's background pass already did).
  // With the rule off, labelCheckSteps reads annotator agreement alone: the section is kept only when there is some.
  const modelOn = config.rules['possible-label-error'] !== 'off';
  const read = held.format === 'classification' ? runSteps(labelCheckSteps(file, bytes, config, { container: held.container, findings: held.findings })) : undefined;
  const labelCheck = read && (modelOn || read.quality) ? read : undefined;
  const analysis = labelCheck && !held.findings.some((f) => f.rule === 'possible-label-error') ? withExtraFindings(held, labelCheck.findings) : held;
  // One pass over the rows: their words for diversity, and the texts of the rows the report's examples name.
  const wanted = exampleLines(analysis);
  const exampleTexts = new Map<number, string>();
  const rows = readRowTexts(file, bytes, analysis);
  const nextText = (): IteratorResult<string> => {
    const r = rows.next();
    if (r.done) return { done: true, value: undefined };
    if (wanted.has(r.value.line)) exampleTexts.set(r.value.line, r.value.text);
    return { done: false, value: r.value.text };
  };
  // No return(): diversity stops at its word budget without closing the rows, and the rest are read for the examples.
  const diversity = computeDiversity({ [Symbol.iterator]: () => ({ next: nextText }) }, { totalRows: analysis.rows });
  while (exampleTexts.size < wanted.size && !nextText().done);
  const splits = await compareSplits(file, analysis, config, { display: (f) => f, sibling: siblingAnalysis, ownBytes: bytes });
  const splitCurve = labelCheck && modelOn && splitLearningCurve(file, bytes, analysis, config, (f) => path.basename(f));
  const report = buildReport(analysis, { config, diversity, splits, nearDuplicates: nearDuplicatesOf(analysis, config), generatedAt: new Date().toISOString(), ...(labelCheck ? { labelCheck } : {}), ...(splitCurve ? { splitCurve } : {}) });
  return withConversations(withExampleTexts(report, (line) => exampleTexts.get(line)), conversationStats(file, bytes, analysis, config));
}

/**
 * With split files (the train/val/test siblings the split comparison finds): the learning curve learned
 * on the training file and scored on a held-out one: the file itself when it is held out, else the
 * validation file, else the test file. Undefined without a training sibling (the k-fold curve stays).
 */
function splitLearningCurve(file: string, ownBytes: Uint8Array | undefined, analysis: DatasetAnalysis, config: Config, display: (file: string) => string): SplitLearningCurve | undefined {
  if (analysis.format !== 'classification') return undefined;
  const dir = path.dirname(file);
  const siblings = findSplitSiblings(path.basename(file), fs.readdirSync(dir));
  const own = siblings.find((s) => s.name === path.basename(file));
  const train = siblings.find((s) => s.split === 'train');
  if (!own || !train) return undefined;
  const heldOut = own.split !== 'train' ? own : siblings.find((s) => s.split === 'val') ?? siblings.find((s) => s.split === 'test');
  if (!heldOut) return undefined;
  const files = [train, heldOut].map(({ name }) => {
    const full = path.join(dir, name);
    return { path: full, shown: display(full), own: name === own.name };
  });
  const tooBig = files.find((f) => !(f.own && ownBytes) && fs.statSync(f.path).size > MAX_WHOLE_FILE_BYTES);
  if (tooBig) return { train: files[0].shown, heldOut: files[1].shown, reason: `${tooBig.shown} is over 512 MiB; the label model reads a file whole` };
  const [t, h] = files.map((f) => ({ path: f.path, shown: f.shown, bytes: f.own && ownBytes ? ownBytes : fs.readFileSync(f.path), ...(f.own ? { container: analysis.container } : {}) }));
  return runSteps(splitLearningCurveSteps(t, h, config));
}

function runSteps<T>(steps: Generator<number, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

function diversityOf(source: ByteSource, analysis: DatasetAnalysis, config: Config): Diversity {
  const texts = (function* () {
    for (const row of readRowTexts(analysis.path, source, analysis, config)) yield row.text;
  })();
  return computeDiversity(texts, { totalRows: analysis.rows });
}

interface SiblingOptions {
  /** The path a sibling's findings are shown with. */
  display: (file: string) => string;
  /** An analysis the host already holds of a sibling; others are analyzed from disk. */
  sibling?: (file: string) => Promise<DatasetAnalysis | undefined>;
  /** The file's own bytes as analyzed (the editor's text), for its row hashes. */
  ownBytes?: Uint8Array;
}

/** The split comparison when the file has train/val/test siblings in its folder, else undefined. */
async function compareSplits(file: string, analysis: DatasetAnalysis, config: Config, options: SiblingOptions): Promise<SplitComparison | undefined> {
  const dir = path.dirname(file);
  const siblings = findSplitSiblings(path.basename(file), fs.readdirSync(dir), config);
  if (!siblings.length) return undefined;
  const inputs: SplitInput[] = [];
  const indexed = new Map<string, DatasetAnalysis>();
  const splitOf = new Map<string, SplitName>();
  for (const { split, name } of siblings) {
    const full = path.join(dir, name);
    const own = name === path.basename(file);
    let a = own ? analysis : ((await options.sibling?.(full)) ?? (await analyzeFile(full, options.display(full), config, { rowIndex: true })));
    inputs.push({ split, report: buildReport(a, { config, examplesPerRule: 0 }), hashes: datasetRowHashes(a, own ? options.ownBytes : undefined) });
    // The leak counts need each file's row index: an analysis held without one is made again with it.
    if (!a.rowIndex) a = own && options.ownBytes ? analyzeDataset(full, options.ownBytes, config, { rowIndex: true }) : await analyzeFile(full, options.display(full), config, { rowIndex: true });
    indexed.set(full, a);
    splitOf.set(full, split);
  }
  return buildSplitComparison(inputs, splitLeaks(indexed, splitOf, config, path.join(dir, path.basename(file)), options.ownBytes));
}

/**
 * For each pair of splits (train–val, train–test, val–test), the rows of the later one that
 * cross-file-leak finds in the earlier one: check's own code, with the earlier split as training data.
 */
function splitLeaks(analyses: Map<string, DatasetAnalysis>, splitOf: Map<string, SplitName>, config: Config, own: string, ownBytes: Uint8Array | undefined): SplitLeaks[] {
  const files = [...analyses.keys()];
  const out: SplitLeaks[] = [];
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const [train, heldOut] = [files[i], files[j]];
      const pair = new Map([[train, analyses.get(train)!], [heldOut, analyses.get(heldOut)!]]);
      const leaks = findWorkspaceLeaks(pair, config, {
        roles: (p) => (p === train ? 'train' : 'held-out'),
        ...(ownBytes ? { readBytes: (p: string) => (p === own ? ownBytes : readOrUndefined(p)) } : {}),
      }).get(heldOut) ?? [];
      const exact = leaks.filter((f) => f.data?.exact === true).length;
      out.push({ between: [splitOf.get(train)!, splitOf.get(heldOut)!], exact, near: leaks.length - exact });
    }
  }
  return out;
}

function readOrUndefined(file: string): Uint8Array | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The export: one HTML file with Chart.js, the page script and its styles inlined (works offline), in `language` (English when left out). */
export function exportHtml(made: QualityReport, language?: ReportPageLanguage): string {
  const assets = reportAssets();
  return renderReportHtml(made, {
    scripts: [{ inline: fs.readFileSync(assets.chart, 'utf8') }, { inline: fs.readFileSync(assets.script, 'utf8') }],
    styles: [{ inline: fs.readFileSync(assets.style, 'utf8') }],
    ...(language ? { language } : {}),
  });
}

/** Where the page's files are, from the source tree (tests) or next to the bundled CLI (dist/). */
function reportAssets(): { chart: string; script: string; style: string } {
  let root = __dirname;
  while (!fs.existsSync(path.join(root, 'media', 'report.js'))) {
    const up = path.dirname(root);
    if (up === root) throw new Error('media/report.js not found next to the tuneset CLI');
    root = up;
  }
  // The build copies Chart.js into media/vendor for the extension; a source checkout also has it in node_modules.
  const chart = [path.join(root, 'media', 'vendor', 'chart.umd.js'), path.join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.js')].find((p) => fs.existsSync(p));
  if (!chart) throw new Error('Chart.js (media/vendor/chart.umd.js) not found; run `npm run build`');
  return { chart, script: path.join(root, 'media', 'report.js'), style: path.join(root, 'media', 'report.css') };
}
