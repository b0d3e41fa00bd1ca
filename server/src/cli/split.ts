import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { READING_USAGE } from './readingOptions';
import { analyzeFile } from '../host/analyzeFile';
import { datasetSource, nearDuplicateClusters, planSplit, renderSplitPieces, type SplitOptions, type SplitPlan } from '../engine';
import { openDatasetFile, sha256, TOOL_VERSION, type OpenDataset } from '../host/datasetFile';
import { InputError } from '../host/errors';
import { shown } from '../host/inputs';
import { writeNewFiles } from '../host/writeAtomic';
import { commandConfig, FILE_COMMAND_OPTIONS, fmt, labelSummary, list, noUsableRows, runCommand, wholeNumber } from './command';

/** `tuneset split FILE`: writes NAME.train/val/test files (same container, exact rows) and NAME.split.json. */

export const SPLIT_USAGE = `Usage: tuneset split FILE [options]

Writes FILE's rows into split files beside it (NAME.train.jsonl, NAME.val.jsonl, NAME.test.jsonl, in
FILE's own format with every row's exact text) and NAME.split.json (seed, options, counts, source hash).
Rows with structure errors are left out and listed.

  --ratios 80,10,10        Relative split sizes (default 80,10,10); two numbers give train and test
  --names a,b,c            Split names (default train,val,test; train,test for two ratios)
  --folds K                K equal folds (fold1…foldK) instead of ratios
  --seed N                 Same seed, same split (default 42)
  --stratify               Keep each label's share in every split (within one row per label)
  --group-duplicates       Keep exact duplicates (after normalisation) in one split
  --group-near-duplicates  Keep each near-duplicate cluster in one split (runs the near-duplicate check first)
  --group-field F          Keep rows sharing the value of field F (e.g. a conversation id) in one split
  --time-field F           Split by the date in field F: oldest rows first, newest in the last split
  --out DIR                Folder for the new files (default: FILE's folder)
  --force                  Overwrite files that exist
  --config, --text-field, --label-field, --format-hint   As for check (tuneset.json applies as it does to check)
${READING_USAGE}`;

export function split(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ratios: { type: 'string' },
        names: { type: 'string' },
        folds: { type: 'string' },
        seed: { type: 'string' },
        stratify: { type: 'boolean', default: false },
        'group-duplicates': { type: 'boolean', default: false },
        'group-near-duplicates': { type: 'boolean', default: false },
        'group-field': { type: 'string' },
        'time-field': { type: 'string' },
        ...FILE_COMMAND_OPTIONS,
      },
    });
    if (values.help) {
      process.stdout.write(SPLIT_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new InputError(`split takes one dataset file${positionals.length ? `, not ${positionals.length}` : ''}\n\n${SPLIT_USAGE}`);
    const options: SplitOptions = {
      ratios: ratiosOf(values.ratios),
      names: list(values.names),
      folds: wholeNumber('folds', values.folds, 2),
      seed: wholeNumber('seed', values.seed, 0),
      stratify: values.stratify,
      groupDuplicates: values['group-duplicates'],
      groupField: values['group-field'],
      timeField: values['time-field'],
    };
    const file = positionals[0];
    if (values.out !== undefined) refuseOutFolder(values.out);
    // A JSON Lines file is read in pieces: memory holds its rows' offsets and the plan, never the file.
    const ds = openDatasetFile(file, commandConfig(values));
    try {
      if (values['group-near-duplicates']) options.groups = await nearDuplicateGroups(ds);
      const plan = planSplit(ds.reader.rows(), { ...options, detection: ds.detection });
      if (plan.splits.every((s) => s.rows.length === 0)) throw noUsableRows(ds.display, plan.rows, plan.excluded);
      const input = ds.bytes ?? ds.source;
      const source = datasetSource(path.basename(file), ds.reader, input, { sha256: sha256(input), toolVersion: TOOL_VERSION });
      const outDir = values.out ?? path.dirname(file);
      // Each split file is written as its rows are copied, a megabyte at a time.
      const outputs = renderSplitPieces(plan, source).map((f) => ({ path: path.join(outDir, f.name), pieces: f.pieces }));
      await writeNewFiles(outputs, values.force, [file]);
      process.stdout.write(summary(ds.display, plan, outputs.map((o) => shown(o.path))));
      return 0;
    } finally {
      ds.close();
    }
  });
}

/**
 * Near-duplicate cluster ids per row index, from the near-duplicate rule of a full analysis (the
 * same clusters `check` reports); rows in no cluster get -1.
 */
/** The near-duplicate cluster of each row (-1 for none), from a check with the near-duplicate rule on. */
export async function nearDuplicateGroups(ds: OpenDataset): Promise<number[]> {
  const config = { ...ds.config, rules: { ...ds.config.rules, 'near-duplicate': 'warning' as const } };
  const analysis = await analyzeFile(ds.file, ds.display, config, { container: ds.container });
  const clusterOfLine = new Map<number, number>();
  nearDuplicateClusters(analysis.findings).forEach((cluster, id) => cluster.lines.forEach((line) => clusterOfLine.set(line, id)));
  const groups: number[] = [];
  for (const row of ds.reader.rows()) groups[row.index] = clusterOfLine.get(row.line) ?? -1;
  return groups;
}

/** --out names a folder: a file there is refused before the split is made (it would be in the way of every split file). */
function refuseOutFolder(out: string): void {
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) throw new InputError(`--out ${out} is a file, not a folder; --out names the folder for the split files`);
}

function ratiosOf(value: string | undefined): number[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const ratios = items.map(Number);
  if (ratios.some((r) => !Number.isFinite(r) || r < 0)) throw new InputError(`--ratios takes numbers of 0 or more separated by commas, e.g. 80,10,10; not "${value}"`);
  return ratios;
}

const SHOWN_EXCLUDED = 20;

/** What was written, split by split, with the rows left out and any warnings. */
function summary(display: string, plan: SplitPlan, written: string[]): string {
  const o = plan.options;
  const how = [o.timeField !== undefined ? `by time (${o.timeField})` : `seed ${o.seed}`];
  if (o.stratify) how.push('stratified by label');
  if (o.groupDuplicates) how.push('duplicates kept together');
  if (o.groupField !== undefined) how.push(`grouped by ${o.groupField}`);
  if (o.nearDuplicateGroups) how.push('near-duplicate clusters kept together');
  const lines = [`${display}: ${fmt(plan.rows)} rows, ${plan.format}; ${how.join(', ')}`];
  const width = Math.max(...plan.splits.map((s) => s.name.length));
  plan.splits.forEach((s, i) => {
    const balance = Object.values(s.labels).filter((n) => n > 0).length > 1 ? `  balance ${s.balanceIndex.toFixed(2)}` : '';
    lines.push(`  ${s.name.padEnd(width)}  ${fmt(s.rows.length).padStart(9)} ${s.rows.length === 1 ? 'row ' : 'rows'}  ${labelSummary(s.labels)}${s.unlabeled ? ` · (no label) ${fmt(s.unlabeled)}` : ''}${balance}  → ${written[i]}`);
  });
  if (plan.groups.count) lines.push(`  ${fmt(plan.groups.rows)} rows in ${fmt(plan.groups.count)} groups kept whole (largest: ${fmt(plan.groups.largest)} rows)`);
  if (plan.excluded.length) {
    lines.push(`  left out: ${fmt(plan.excluded.length)} row${plan.excluded.length === 1 ? '' : 's'} that cannot be used:`);
    for (const e of plan.excluded.slice(0, SHOWN_EXCLUDED)) lines.push(`    ${display}:${e.line} ${e.rule} ${e.reason}`);
    if (plan.excluded.length > SHOWN_EXCLUDED) lines.push(`    … and ${fmt(plan.excluded.length - SHOWN_EXCLUDED)} more, all listed in ${written[written.length - 1]}`);
  }
  for (const w of plan.warnings) lines.push(`  warning: ${w}`);
  lines.push(`  manifest → ${written[written.length - 1]}`);
  return lines.join('\n') + '\n';
}
