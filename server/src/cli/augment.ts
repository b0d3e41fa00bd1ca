import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { READING_USAGE, readingOverrides } from './readingOptions';
import {
  AUGMENT_OPERATIONS, augmentDataset, containerOfPath, datasetSource, openReader, renderAugmented, SNIFF_BYTES, sniffContainer,
  type AugmentOperation, type AugmentOptions, type AugmentResult, type SourceRow,
} from '../engine';
import { loadWordNet } from '../wordnet';
import { FILE_COMMAND_OPTIONS, fmt, InputError, list, noUsableRows, readDatasetFile, runCommand, shown, wholeNumber, writeNewFiles } from './datasetFile';
import { findSplitManifest, readSplitManifest, type SplitFiles } from './splitManifest';

/** `tuneset augment FILE`: EDA augmentation into a new file (never in place), train split only when one exists. */

export const AUGMENT_USAGE = `Usage: tuneset augment FILE [options]

Writes FILE's rows plus augmented rows to NAME.augmented.jsonl (FILE's own format) beside FILE. When FILE
was split (NAME.split.json beside it), its train split is augmented instead, and new rows equal to a val or
test row are left out and reported. FILE may also be the split manifest itself.

  --n N                    New rows per source row (default 1)
  --ops sr,ri,rs,rd,ss     Operations: synonym replacement (WordNet), random insertion, random swap,
                           random deletion, sentence shuffle (default all)
  --alpha A | op=A,…       Share of words changed, 0–1 (default 0.1), for all operations or each one
  --balance                Augment the smaller labels up to the largest label's count (or --target N)
  --target N               The row count each label should reach with --balance
  --downsample             With --balance: shrink the larger labels instead (to the smallest, or --target)
  --seed N                 Same seed, same rows (default 42)
  --fields a,b             Texts to augment: field names, or roles for chat data (default: the text,
                           the instruction, the prompt, or the user turns)
  --provenance-field NAME  Field recording the source line on new rows (default augmented_from)
  --no-provenance          Do not record the source line
  --only-new               Write only the new rows
  --split MANIFEST         Augment this split manifest's train split, checking against its other splits
  --whole-file             Augment FILE even though it was split
  --out FILE               Output file (default NAME.augmented.EXT beside the input)
  --force                  Overwrite the output if it exists
  --text-field, --label-field, --format-hint   As for check
${READING_USAGE}Exit code 1 when new rows equal val/test rows (they are left out of the file), 2 on bad input.
`;

export function augment(argv: string[]): Promise<number> {
  return runCommand(() => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        n: { type: 'string' },
        ops: { type: 'string' },
        alpha: { type: 'string' },
        balance: { type: 'boolean', default: false },
        target: { type: 'string' },
        downsample: { type: 'boolean', default: false },
        seed: { type: 'string' },
        fields: { type: 'string' },
        'provenance-field': { type: 'string' },
        'no-provenance': { type: 'boolean', default: false },
        'only-new': { type: 'boolean', default: false },
        split: { type: 'string' },
        'whole-file': { type: 'boolean', default: false },
        ...FILE_COMMAND_OPTIONS,
      },
    });
    if (values.help) {
      process.stdout.write(AUGMENT_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new InputError(`augment takes one dataset file${positionals.length ? `, not ${positionals.length}` : ''}\n\n${AUGMENT_USAGE}`);
    if (values.balance && values.n !== undefined) throw new InputError('--n and --balance do not go together: balancing decides how many new rows each label needs');
    if (!values.balance && (values.target !== undefined || values.downsample)) throw new InputError('--target and --downsample go with --balance');
    if (values['no-provenance'] && values['provenance-field'] !== undefined) throw new InputError('choose --provenance-field or --no-provenance, not both');
    const operations = operationsOf(values.ops);
    const options: AugmentOptions = {
      operations,
      alpha: alphaOf(values.alpha),
      n: wholeNumber('n', values.n, 1),
      seed: wholeNumber('seed', values.seed, 0),
      fields: list(values.fields),
      provenanceField: values['no-provenance'] ? null : values['provenance-field'],
    };
    if (values.balance) options.balance = { method: values.downsample ? 'downsample' : 'augment', target: wholeNumber('target', values.target, 1) };

    const split = chooseInput(positionals[0], values.split, values['whole-file']);
    const ds = readDatasetFile(split.input, { textField: values['text-field'], labelField: values['label-field'], format: values['format-hint'], ...readingOverrides(values) });
    const rows = [...ds.reader.rows()];
    const ops = operations ?? (Object.keys(AUGMENT_OPERATIONS) as AugmentOperation[]);
    if (ops.includes('sr') || ops.includes('ri')) options.synonyms = loadWordNet();
    options.heldOut = split.heldOut.flatMap((f) => heldOutRows(f));
    const result = augmentDataset(rows, { ...options, detection: ds.detection });
    if (!result.kept.length) throw noUsableRows(ds.display, rows.length, result.excluded);

    const source = datasetSource(path.basename(split.input), ds.reader, ds.bytes);
    const file = renderAugmented(result, source, { includeOriginals: !values['only-new'] });
    const out = values.out ?? path.join(path.dirname(split.input), file.name);
    if (path.resolve(out) === path.resolve(split.input)) throw new InputError(`${shown(out)}: augment never writes over its input; choose another --out`);
    writeNewFiles([{ path: out, data: file.text }], values.force);
    process.stdout.write(summary(ds.display, result, shown(out), !values['only-new']));
    return result.leaks ? 1 : 0;
  });
}

/** The file to augment and the splits to check against, following a split manifest when there is one. */
function chooseInput(file: string, manifestOption: string | undefined, wholeFile: boolean): SplitFiles {
  const manifest = manifestOption ?? (file.toLowerCase().endsWith('.split.json') ? file : undefined);
  if (manifest) return readSplitManifest(manifest);
  if (wholeFile) return { input: file, heldOut: [] };
  const found = findSplitManifest(file);
  if (!found) return { input: file, heldOut: [] };
  if (found.role === 'held-out') throw new InputError(`${shown(file)} is a held-out split of ${shown(found.manifest)}: augment the train split (or pass --whole-file)`);
  const splitFiles = readSplitManifest(found.manifest);
  if (found.role === 'source') {
    process.stderr.write(`tuneset: ${shown(file)} was split (${shown(found.manifest)}): augmenting its train split ${shown(splitFiles.input)}; pass --whole-file to augment ${shown(file)} itself\n`);
  }
  return splitFiles;
}

function heldOutRows(file: string): { file: string; rows: SourceRow[] }[] {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    process.stderr.write(`tuneset: warning: ${shown(file)} is missing; new rows are not checked against it\n`);
    return [];
  }
  // Splits of a file whose name said no container (NAME.val) are read as their first bytes show.
  const container = containerOfPath(file) ?? sniffContainer(bytes.subarray(0, SNIFF_BYTES));
  return [{ file: shown(file), rows: [...openReader(file, bytes, container).rows()] }];
}

function operationsOf(value: string | undefined): AugmentOperation[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const known = Object.keys(AUGMENT_OPERATIONS);
  const bad = items.filter((op) => !known.includes(op));
  if (bad.length) throw new InputError(`--ops: unknown operation ${bad.map((b) => `"${b}"`).join(', ')}; use ${known.map((k) => `${k} (${AUGMENT_OPERATIONS[k as AugmentOperation]})`).join(', ')}`);
  return items as AugmentOperation[];
}

/** "0.1" for every operation, or "sr=0.2,rd=0.05" per operation (the others keep 0.1). */
function alphaOf(value: string | undefined): AugmentOptions['alpha'] {
  if (value === undefined) return undefined;
  const number = (s: string) => {
    const n = Number(s);
    if (s.trim() === '' || !(n >= 0 && n <= 1)) throw new InputError(`--alpha takes numbers from 0 to 1, not "${s}"`);
    return n;
  };
  if (!value.includes('=')) return number(value);
  const out: Partial<Record<AugmentOperation, number>> = {};
  for (const item of list(value) ?? []) {
    const [op, a] = item.split('=');
    if (!(op in AUGMENT_OPERATIONS) || a === undefined) throw new InputError(`--alpha: "${item}" should look like sr=0.1`);
    out[op as AugmentOperation] = number(a);
  }
  return out;
}

const SHOWN_ROWS = 20;

function summary(display: string, r: AugmentResult, written: string, originals: boolean): string {
  const o = r.options;
  const alpha = [...new Set(o.operations.map((op) => o.alpha[op]))].length === 1 ? `α ${o.alpha[o.operations[0]]}` : o.operations.map((op) => `${op} α ${o.alpha[op]}`).join(', ');
  const how = o.balance ? `balance by ${o.balance.method === 'augment' ? 'augmenting' : 'downsampling'} to ${fmt(o.balance.target)} per label` : `n ${o.n}`;
  const lines = [`${display}: ${r.format}; ${o.operations.join(', ')} · ${alpha} · ${how} · seed ${o.seed} · fields ${o.fields.join(', ')}`];
  const made = r.rows.length - r.leaks;
  lines.push(`  wrote ${written}: ${originals ? `${fmt(r.kept.length)} source rows + ` : ''}${fmt(made)} new rows`);
  const names = Object.keys(r.labels.before);
  if (names.length) lines.push(`  labels: ${names.map((l) => `${l} ${fmt(r.labels.before[l])} → ${fmt(r.labels.after[l] ?? 0)}`).join(' · ')}`);
  const list = (title: string, items: string[]) => {
    if (!items.length) return;
    lines.push(`  ${title}:`);
    for (const item of items.slice(0, SHOWN_ROWS)) lines.push(`    ${item}`);
    if (items.length > SHOWN_ROWS) lines.push(`    … and ${fmt(items.length - SHOWN_ROWS)} more`);
  };
  list(`could not change ${fmt(r.unchanged.length)} row${r.unchanged.length === 1 ? '' : 's'}`, r.unchanged.map((u) => `${display}:${u.line} ${u.reason}`));
  list(`left out ${fmt(r.excluded.length)} row${r.excluded.length === 1 ? '' : 's'} that cannot be used`, r.excluded.map((e) => `${display}:${e.line} ${e.rule} ${e.reason}`));
  list(`left out ${fmt(r.leaks)} new row${r.leaks === 1 ? '' : 's'} equal to a held-out row`, r.rows.filter((x) => x.leak).map((x) => `${display}:${x.sourceLine} (variant ${x.copy}) equals ${x.leak!.file}:${x.leak!.line}`));
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n') + '\n';
}
