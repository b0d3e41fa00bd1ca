import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { suggestSteps, type SuggestResult, type Uncertainty } from '../engine';
import { readDatasetFile } from '../host/datasetFile';
import { InputError } from '../host/errors';
import { shown } from '../host/inputs';
import { refuseOutputs, writeNewFiles } from '../host/writeAtomic';
import { READING_USAGE } from './readingOptions';
import { commandConfig, FILE_COMMAND_OPTIONS, fmt, runCommand, wholeNumber } from './command';

/** `tuneset suggest FILE`: the rows a person should label next, most informative first, as JSON Lines. */

const STRATEGIES: readonly Uncertainty[] = ['margin', 'entropy', 'least-confidence'];

export const SUGGEST_USAGE = `Usage: tuneset suggest FILE [options]

Ranks the rows of a classification file that a person should label next: the rows without a label (or
every row, with --all) that the label model is least sure of. One JSON object per pick, most uncertain
first: {"line", "text" (its first 300 characters), "label" (the row's label now, or null), "guess" (the
model's likeliest label; in a multi-label file, the labels at 0.5 or over), "probabilities" (per label),
"score"}. Rows that cannot be read (invalid JSON, a row that is not an object) or have no text are never
listed. The model is the one \`check\` runs (settings labelModelFolds, labelModelSeed,
labelModelMinRowsPerLabel), on the whole file whatever its size.

  --n N                    Picks (default 50)
  --all                    Rank every row, labelled ones too (to review labels); default: unlabelled rows
  --strategy S             How uncertainty is measured: margin (default; 1 − the gap between the two
                           likeliest labels), entropy (of the probabilities, 0–1) or least-confidence
                           (1 − the likeliest label's probability)
  --density                Weight each row's uncertainty by how many rows resemble it (MinHash over word
                           pairs), so one-off outliers do not crowd the list
  --out FILE               Write the picks to FILE (JSON Lines, written whole or not at all) instead of
                           the standard output
  --force                  Overwrite FILE if it exists
  --config, --text-field, --label-field, --format-hint   As for check (tuneset.json applies as it does to check)
${READING_USAGE}Exit code 0 (also when no row qualifies: the summary on standard error says why), 2 on bad input or
when the model cannot run (not a classification file, fewer than two labels with enough rows).
`;

export function suggest(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        n: { type: 'string' },
        all: { type: 'boolean', default: false },
        strategy: { type: 'string' },
        density: { type: 'boolean', default: false },
        ...FILE_COMMAND_OPTIONS,
      },
    });
    if (values.help) {
      process.stdout.write(SUGGEST_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new InputError(`suggest takes one dataset file${positionals.length ? `, not ${positionals.length}` : ''}\n\n${SUGGEST_USAGE}`);
    const strategy = (values.strategy ?? 'margin') as Uncertainty;
    if (!STRATEGIES.includes(strategy)) throw new InputError(`--strategy must be ${STRATEGIES.join(', ')}, not "${values.strategy}"`);
    const n = wholeNumber('n', values.n, 1) ?? 50;
    const file = positionals[0];
    const config = commandConfig(values);
    // Refused before the model runs: an output over the input, a folder, an existing file without --force.
    const out = values.out;
    if (out !== undefined) refuseEarly(out, values.force, file);
    const ds = readDatasetFile(file, config);
    const result = runSteps(suggestSteps(file, ds.bytes, config, { n, all: values.all, strategy, density: values.density, container: ds.container }));
    if (result.notRun) throw new InputError(`${ds.display}: the label model cannot rank rows: ${result.notRun}`);
    const lines = result.picks.map((p) => JSON.stringify({ line: p.line, text: p.text, label: p.label, guess: p.guess, probabilities: p.probabilities, score: p.score }) + '\n');
    if (out !== undefined) await writeNewFiles([{ path: out, data: lines.join('') }], values.force, [file]);
    else for (const line of lines) process.stdout.write(line);
    process.stderr.write(summary(ds.display, result, values.all, out === undefined ? undefined : shown(out)));
    return 0;
  });
}

/** The output checks writeNewFiles makes, before the model's seconds are spent. */
function refuseEarly(out: string, force: boolean, input: string): void {
  if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new InputError(`--out ${out} is a folder; --out names the file to write`);
  refuseOutputs([out], [input]);
  if (!force && fs.existsSync(out)) throw new InputError(`${shown(out)} already exists; pass --force to overwrite it`);
}

function summary(display: string, r: SuggestResult, all: boolean, out: string | undefined): string {
  const pool = all ? `${fmt(r.rows)} rows` : `${fmt(r.unlabelledRows)} unlabelled row${r.unlabelledRows === 1 ? '' : 's'}`;
  const how = `${r.strategy}${r.density ? ', density-weighted' : ''}`;
  const lines = [`tuneset: ${display}: ${fmt(r.picks.length)} row${r.picks.length === 1 ? '' : 's'} to label next of ${pool} (${how})${out ? ` written to ${out}` : ''}`];
  if (!r.picks.length && !all) lines.push(`tuneset: ${display}: every readable row has a label; --all ranks labelled rows too`);
  if (r.weak) lines.push(`tuneset: ${display}: warning: ${r.weak.replace(/, so none is reported$/, '')}: its guesses are weak`);
  return lines.join('\n') + '\n';
}

function runSteps<T>(steps: Generator<number, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
