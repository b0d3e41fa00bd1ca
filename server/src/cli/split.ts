import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { READING_USAGE } from './readingOptions';
import { datasetSource, foldFileName, renderSplitPieces, splitFileNames, splitManifestName, type SplitOptions, type SplitPlan } from '../engine';
import { openDatasetFile, sha256, sha256InBackground, TOOL_VERSION } from '../host/datasetFile';
import { PARALLEL_BYTES } from '../host/analyzeFile';
import { groupedSplitSource, planGroupedSplit, planSplitOfGrouping, splitLeakGroups } from '../host/leaks';
import { InputError } from '../host/errors';
import { shown } from '../host/inputs';
import { writeNewFiles } from '../host/writeAtomic';
import { commandConfig, FILE_COMMAND_OPTIONS, fmt, labelSummary, list, runCommand, wholeNumber } from './command';
import { cliTranslator, errorLine, helpText } from './lang';
import { nearRulesOn, noUsableRows } from '../host/refusals';

/** `tuneset split FILE`: writes NAME.train/val/test files (same container, exact rows) and NAME.split.json. */

export const SPLIT_USAGE = `Usage: tuneset split FILE [options]

Writes FILE's rows into split files beside it (NAME.train.jsonl, NAME.val.jsonl, NAME.test.jsonl, in
FILE's own format with every row's exact text) and NAME.split.json (seed, options, counts, source hash).
Rows with structure errors are left out and listed.

  --ratios 80,10,10        Relative split sizes (default 80,10,10); two numbers give train and test
  --names a,b,c            Split names (default train,val,test; train,test for two ratios)
  --folds K                K equal folds instead of ratios, written per fold as the pair a trainer
                           reads: NAME.folds/foldN/train (every other fold) and NAME.folds/foldN/val
                           (this fold), listed in NAME.split.json's "folds"
  --test P                 With --folds: hold P percent out first as a fixed test part (NAME.test)
  --seed N                 Same seed, same split (default 42)
  --stratify               Keep each label's share in every split (within one row per label where
                           groups allow), and every label in every split that can hold it
  --allow-missing-labels   Write the split even when a label cannot be in every split (stratified;
                           without it the split is not written and the exit code is 1)
  --no-group-duplicates    Let duplicates straddle splits. By default exact duplicates (after
                           normalisation) and, when the near-duplicate check is on (it is by default),
                           verified near-duplicates stay in one split: what check calls a leak
  --group-near-duplicates  Group near-duplicates even when the near-duplicate rules are off
  --group-duplicates       The default (accepted for scripts written before it was)
  --group-field F          Keep rows sharing the value of field F (e.g. a conversation id) in one split
  --time-field F           Split by the date in field F: oldest rows first, newest in the last split;
                           a value that is not a date stops the split, naming its rows
  --min-rows N             A time split warns about a part with fewer rows (default 10)
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
        'allow-missing-labels': { type: 'boolean', default: false },
        test: { type: 'string' },
        'min-rows': { type: 'string' },
        'group-duplicates': { type: 'boolean', default: false },
        'no-group-duplicates': { type: 'boolean', default: false },
        'group-near-duplicates': { type: 'boolean', default: false },
        'group-field': { type: 'string' },
        'time-field': { type: 'string' },
        ...FILE_COMMAND_OPTIONS,
      },
    });
    if (values.help) {
      process.stdout.write(helpText('split', SPLIT_USAGE));
      return 0;
    }
    if (positionals.length !== 1) throw new InputError(`split takes one dataset file${positionals.length ? `, not ${positionals.length}` : ''}\n\n${helpText('split', SPLIT_USAGE)}`);
    const options: SplitOptions = {
      ratios: ratiosOf(values.ratios),
      names: list(values.names),
      folds: wholeNumber('folds', values.folds, 2),
      seed: wholeNumber('seed', values.seed, 0),
      stratify: values.stratify,
      groupDuplicates: !values['no-group-duplicates'],
      groupField: values['group-field'],
      timeField: values['time-field'],
      test: percent('test', values.test),
      minRows: wholeNumber('min-rows', values['min-rows'], 0),
    };
    if (values['no-group-duplicates'] && (values['group-duplicates'] || values['group-near-duplicates'])) {
      throw new InputError('--no-group-duplicates contradicts --group-duplicates and --group-near-duplicates: choose one');
    }
    const file = positionals[0];
    if (values.out !== undefined) refuseOutFolder(values.out);
    // A JSON Lines file is read in pieces: memory holds its rows' offsets and the plan, never the file.
    const ds = openDatasetFile(file, commandConfig(values));
    let hashing: ReturnType<typeof sha256InBackground> | undefined;
    try {
      // What check calls a leak stays in one part: exact duplicates by their hash, near-duplicates by
      // their verified pairs (when the near rules are on, as by default, or asked for).
      const near = !values['no-group-duplicates'] && (values['group-near-duplicates'] || nearRulesOn(ds.config));
      const t0 = performance.now();
      const timing = (what: string) => process.env.TUNESET_TIMING && process.stderr.write(`[timing] ${what} ${(performance.now() - t0).toFixed(0)} ms, ${(process.cpuUsage().user / 1000).toFixed(0)} ms CPU\n`);
      const made = near ? await splitLeakGroups(ds.file, ds.display, ds.config, { near: true, container: ds.container, timing }) : undefined;
      // This thread plans alone from here: a big file's hash (for the manifest) is made meanwhile on the other core.
      const input = ds.bytes ?? ds.source;
      if ((ds.bytes?.length ?? ds.source.size) >= PARALLEL_BYTES) hashing = sha256InBackground(file);
      // Planned from the grouping's analysis when it kept the rows' facts (a JSON Lines file): no second read of every row.
      // The parts are named with the leak check's role words from the settings, as check reads them.
      const planned = { ...options, detection: ds.detection, roleWords: ds.config };
      const fromGrouping = planSplitOfGrouping(planned, made);
      const plan = fromGrouping ?? planGroupedSplit(ds.reader.rows(), planned, made);
      timing('plan');
      if (plan.unreadableDates) throw new InputError(`${ds.display}: ${plan.unreadableDates.message}`);
      if (plan.splits.every((s) => s.rows.length === 0)) throw noUsableRows(ds.display, plan.rows, plan.excluded);
      if (plan.missingLabels.length && !values['allow-missing-labels']) {
        process.stdout.write(summary(ds.display, plan, undefined));
        // Each label's sentence in the command line's language (a template matches one, not their join).
        process.stderr.write(errorLine(`${ds.display}: not written: ${missingLabelLines(plan).map((m) => cliTranslator().message(m)).join('; ')}. Pass --allow-missing-labels to write it anyway`));
        return 1;
      }
      const extra = { sha256: hashing ? await hashing.hash() : sha256(input), toolVersion: TOOL_VERSION };
      timing('source hashed');
      const source = fromGrouping ? groupedSplitSource(path.basename(file), made!, input, extra) : datasetSource(path.basename(file), ds.reader, input, extra);
      const outDir = values.out ?? path.dirname(file);
      // Each split file is written as its rows are copied, a megabyte at a time.
      const outputs = renderSplitPieces(plan, source).map((f) => ({ path: path.join(outDir, f.name), pieces: f.pieces }));
      await writeNewFiles(outputs, values.force, [file]);
      timing('written');
      process.stdout.write(summary(ds.display, plan, (name) => shown(path.join(outDir, name)), path.basename(file)));
      return 0;
    } finally {
      hashing?.stop();
      ds.close();
    }
  });
}

/** --test: a percent from 0 to 99. */
function percent(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n >= 100) throw new InputError(`--${name} takes a percent above 0 and below 100, e.g. 10; not "${value}"`);
  return n;
}

/** One sentence per label a split lacks. */
function missingLabelLines(plan: SplitPlan): string[] {
  return plan.missingLabels.map((m) => `label "${m.label}" is in no row of ${m.splits.join(', ')}: ${m.reason}`);
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

/**
 * What was written (`written` shows a written file by its base name; undefined before anything is
 * written), split by split, with the rows left out and any warnings.
 */
function summary(display: string, plan: SplitPlan, written?: (name: string) => string, sourceName = ''): string {
  const o = plan.options;
  const how = [o.timeField !== undefined ? `by time (${o.timeField})` : `seed ${o.seed}`];
  if (o.stratify) how.push('stratified by label');
  if (o.groupDuplicates) how.push(o.nearDuplicateGroups ? 'duplicates kept together, near-duplicate clusters kept together' : 'duplicates kept together');
  else how.push('duplicates not grouped');
  if (o.groupField !== undefined) how.push(`grouped by ${o.groupField}`);
  if (o.folds !== undefined) how.push(`${o.folds} folds${o.test ? `, ${o.test}% held out as test` : ''}`);
  const lines = [`${display}: ${fmt(plan.rows)} rows, ${plan.format}; ${how.join(', ')}`];
  const width = Math.max(...plan.splits.map((s) => s.name.length));
  const files = splitFileNames(plan, sourceName);
  plan.splits.forEach((s, i) => {
    const balance = Object.values(s.labels).filter((n) => n > 0).length > 1 ? `  balance ${s.balanceIndex.toFixed(2)}` : '';
    const dates = s.dates ? `  ${s.dates.first.slice(0, 10)} … ${s.dates.last.slice(0, 10)}` : '';
    lines.push(`  ${s.name.padEnd(width)}  ${fmt(s.rows.length).padStart(9)} ${s.rows.length === 1 ? 'row ' : 'rows'}  ${labelSummary(s.labels)}${s.unlabeled ? ` · (no label) ${fmt(s.unlabeled)}` : ''}${balance}${dates}${written && files[i] !== undefined ? `  → ${written(files[i]!)}` : ''}`);
  });
  const g = plan.groups;
  if (g.count) {
    lines.push(`  ${fmt(g.rows)} rows in ${fmt(g.count)} group${g.count === 1 ? '' : 's'} kept whole (largest: ${fmt(g.largest)} rows); ${fmt(g.moved)} ${g.moved === 1 ? 'row' : 'rows'} moved to keep ${fmt(g.straddling)} ${g.straddling === 1 ? 'group' : 'groups'} whole that an ungrouped split would have cut`);
  }
  if (plan.folds && written) {
    plan.folds.forEach((f) => lines.push(`  ${f.name}: train ${fmt(f.train.length)} rows → ${written(foldFileName(sourceName, f.name, 'train', plan.roleWords))}, val ${fmt(f.val.length)} rows → ${written(foldFileName(sourceName, f.name, 'val', plan.roleWords))}`));
  }
  // The engine's reasons and warnings in the command line's language (the summary's own words stay English for now).
  const tr = cliTranslator();
  for (const m of missingLabelLines(plan)) lines.push(`  ${written ? 'warning' : 'error'}: ${tr.message(m)}`);
  if (plan.excluded.length) {
    lines.push(`  left out: ${fmt(plan.excluded.length)} row${plan.excluded.length === 1 ? '' : 's'} that cannot be used:`);
    for (const e of plan.excluded.slice(0, SHOWN_EXCLUDED)) lines.push(`    ${display}:${e.line} ${e.rule} ${tr.message(e.reason)}`);
    if (plan.excluded.length > SHOWN_EXCLUDED) lines.push(`    … and ${fmt(plan.excluded.length - SHOWN_EXCLUDED)} more${written ? `, all listed in ${written(splitManifestName(sourceName))}` : ''}`);
  }
  for (const w of plan.warnings) lines.push(`  warning: ${tr.message(w)}`);
  if (written) lines.push(`  manifest → ${written(splitManifestName(sourceName))}`);
  return lines.join('\n') + '\n';
}
