import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { READING_USAGE } from './readingOptions';
import {
  AUGMENT_OPERATIONS, DEFAULT_OPERATIONS, MODEL_OPERATIONS, containerOfPath, datasetSource, MAX_VARIANTS_PER_ROW, openReader, planAugmentation, readFully, renderAugmentedPieces, SNIFF_BYTES, sniffContainer,
  type Augmentation, type AugmentOperation, type AugmentOptions, type AugmentSummary, type SourceRow,
} from '../engine';
import { openDatasetFile } from '../host/datasetFile';
import { InputError } from '../host/errors';
import { fileSource } from '../host/fileSource';
import { shown } from '../host/inputs';
import { findSplitManifest, readSplitManifest, type SplitFiles } from '../host/splitManifest';
import { loadPolarWords, loadTagger, loadWordNet } from '../host/wordnet';
import { writeNewFiles } from '../host/writeAtomic';
import { describeEstimate, endpointOptions, endpointProblems, estimateRewrites, fetchRewrites, rewriteLookup, type ModelOperation, type RewriteRun } from '../host/rewrites';
import { commandConfig, FILE_COMMAND_OPTIONS, fmt, list, runCommand, wholeNumber } from './command';
import { cliTranslator, errorLine, helpText } from './lang';
import { translateReasonList } from '../host/l10n';
import { LARGE_PER_ROW, LARGE_RUN, largeRunRefusal, noUsableRows } from '../host/refusals';

/** `tuneset augment FILE`: EDA augmentation into a new file (never in place), train split only when one exists. */

export const AUGMENT_USAGE = `Usage: tuneset augment FILE [options]

Writes FILE's rows plus augmented rows to NAME.augmented.jsonl (FILE's own format) beside FILE. When FILE
was split (NAME.split.json beside it), its train split is augmented instead, and new rows equal to a val or
test row are left out and reported. FILE may also be the split manifest itself.

  --n N                    New rows per source row (default 1)
  --ops sr,ri,rs,rd,ss     Operations: synonym replacement (WordNet), random insertion, random swap,
                           random deletion, sentence shuffle (default these five); also
                           cn  character noise: keyboard-neighbour, dropped, doubled, swapped letters
                               (α: chance per letter, default 0.05; never in names, numbers, quotes…)
                           cp  copy (oversampling): the row as it is. Copies are exact duplicates by
                               design (check reports them): augment a train split, never split after
                           bt  back-translation and pp paraphrase through an OpenAI-compatible endpoint
                               you run (augment.endpoint, augment.model, augment.pivotLanguage in
                               tuneset.json; the API key from the variable augment.apiKeyEnv names,
                               default TUNESET_AUGMENT_API_KEY). The cost is printed before the run;
                               answers are cached (TUNESET_CACHE_DIR, default ~/.cache/tuneset)
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
  --redact                 Augment rows holding credentials or personal data from a redacted copy
                           ([EMAIL], [CARD], [SECRET]…) instead of leaving them out (or augment.redact
                           in tuneset.json); the source rows are written as they are
  --split MANIFEST         Augment this split manifest's train split, checking against its other splits
  --whole-file             Augment FILE even though it was split
  --force-large            Make more than ${LARGE_PER_ROW} new rows per source row, or more than ${fmt(LARGE_RUN)} in all
                           (refused without it: such a run is most likely a mistyped --n or --target)
  --out FILE               Output file (default NAME.augmented.EXT beside the input)
  --force                  Overwrite the output if it exists
  --config, --text-field, --label-field, --format-hint   As for check (tuneset.json applies as it does to check)
${READING_USAGE}Exit code 1 when new rows equal val/test rows (they are left out of the file), 2 on bad input.
`;

export function augment(argv: string[]): Promise<number> {
  return runCommand(async () => {
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
        redact: { type: 'boolean', default: false },
        split: { type: 'string' },
        'whole-file': { type: 'boolean', default: false },
        'force-large': { type: 'boolean', default: false },
        ...FILE_COMMAND_OPTIONS,
      },
    });
    if (values.help) {
      process.stdout.write(helpText('augment', AUGMENT_USAGE));
      return 0;
    }
    if (positionals.length !== 1) throw new InputError(`augment takes one dataset file${positionals.length ? `, not ${positionals.length}` : ''}\n\n${helpText('augment', AUGMENT_USAGE)}`);
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

    if (values.out !== undefined && fs.existsSync(values.out) && fs.statSync(values.out).isDirectory()) {
      throw new InputError(`--out ${values.out} is a folder; --out names the file to write`);
    }
    const split = chooseInput(positionals[0], values.split, values['whole-file']);
    // A JSON Lines file is read in pieces: its rows are read again by offset as they are augmented.
    const config = commandConfig(values);
    const ds = openDatasetFile(split.input, config);
    try {
      const ops = operations ?? DEFAULT_OPERATIONS;
      if (ops.includes('sr') || ops.includes('ri')) options.synonyms = loadWordNet();
      // Names stay (the tagger tells a sentence's first word), and so do words a sentiment label rests on.
      options.tagger = loadTagger();
      options.polarWords = loadPolarWords();
      options.config = config;
      options.redact = values.redact || config.augment.redact;
      const modelOps = ops.filter((op): op is ModelOperation => MODEL_OPERATIONS.includes(op));
      const run: Pick<RewriteRun, 'rewrites'> = { rewrites: new Map() };
      const endpoint = endpointOptions(config, process.env[config.augment.apiKeyEnv]);
      if (modelOps.length) {
        const problems = endpointProblems(endpoint);
        // Each problem in the command line's language (errorLine matches one message, not several joined).
        if (problems.length) throw new InputError(problems.map((p) => cliTranslator().message(p)).join('\n'));
        options.rewrites = rewriteLookup(run);
      }
      const augmentation = withHeldOut(split.heldOut, (heldOut) => planAugmentation(ds.reader.rows(), { ...options, heldOut, detection: ds.detection }));
      if (!augmentation.kept.length) throw noUsableRows(ds.display, augmentation.rowCount, augmentation.excluded);
      if (!values['force-large']) refuseLargeRun(ds.display, augmentation, values.target !== undefined ? `--target ${fmt(Number(values.target))}` : values.balance ? 'balancing' : `--n ${options.n ?? 1}`);

      if (modelOps.length) {
        // What the endpoint is asked, priced before anything is sent; then the answers, a few at a time.
        const texts = augmentation.textsToRewrite((i) => ds.reader.row(i)!);
        process.stderr.write(errorLine(describeEstimate(estimateRewrites(texts, modelOps, endpoint), endpoint)));
        const fetched = await fetchRewrites(texts, modelOps, endpoint);
        run.rewrites = fetched.rewrites;
        process.stderr.write(errorLine(`${fmt(fetched.requests)} ${fetched.requests === 1 ? 'request' : 'requests'} sent to the endpoint (${fmt(fetched.retried)} retried), ${fmt(fetched.cached)} answered from the cache`));
        // Each error in the command line's language (the URL and HTTP status as they are).
        if (fetched.failed) process.stderr.write(errorLine(`Texts without a rewrite from the endpoint: ${fmt(fetched.failed)} (${fetched.errors.map((e) => cliTranslator().message(e)).join('; ')})`));
      }
      const source = datasetSource(path.basename(split.input), ds.reader, ds.bytes ?? ds.source);
      // New rows are made one source row at a time and written as they come: memory does not grow with their number.
      const rowAt = (i: number) => ds.reader.row(i)!;
      const file = renderAugmentedPieces(augmentation, augmentation.newRows(rowAt), source, { includeOriginals: !values['only-new'] });
      const out = values.out ?? path.join(path.dirname(split.input), file.name);
      const inputs = [positionals[0], split.input, ...split.heldOut, ...(split.manifest ? [split.manifest] : [])];
      await writeNewFiles([{ path: out, pieces: file.pieces }], values.force, inputs);
      const made = augmentation.summary();
      process.stdout.write(summary(ds.display, made, shown(out), !values['only-new']));
      return made.leaks ? 1 : 0;
    } finally {
      ds.close();
    }
  });
}

/** Refuses, before anything is made, a run of more new rows than LARGE_PER_ROW a usable row or LARGE_RUN in all. */
function refuseLargeRun(display: string, augmentation: Augmentation, asking: string): void {
  const refusal = largeRunRefusal(display, augmentation, asking, `pass --force-large to make them anyway (each source row gives at most ${fmt(MAX_VARIANTS_PER_ROW)} variants)`);
  if (refusal) throw new InputError(refusal);
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
    process.stderr.write(errorLine(`${shown(file)} was split (${shown(found.manifest)}): augmenting its train split ${shown(splitFiles.input)}; pass --whole-file to augment ${shown(file)} itself`));
  }
  return splitFiles;
}

/**
 * Runs `work` with the held-out splits' rows, each file read in pieces as the work reads its rows
 * (once) and closed when it is done. A missing split is said and skipped.
 */
function withHeldOut<T>(files: string[], work: (heldOut: { file: string; rows: Iterable<SourceRow> }[]) => T): T {
  const fds: number[] = [];
  try {
    const heldOut = files.flatMap((file) => {
      // A named pipe would never end and a folder cannot be read: only a regular file is opened.
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile()) {
        process.stderr.write(errorLine(`warning: ${shown(file)} is ${stat ? 'not a regular file' : 'missing'}; new rows are not checked against it`));
        return [];
      }
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch (e) {
        process.stderr.write(errorLine(`warning: ${shown(file)} cannot be read (${(e as NodeJS.ErrnoException).code}); new rows are not checked against it`));
        return [];
      }
      fds.push(fd);
      const source = fileSource(fd, stat.size);
      // Splits of a file whose name said no container (NAME.val) are read as their first bytes show.
      const head = new Uint8Array(Math.min(SNIFF_BYTES, source.size));
      const container = containerOfPath(file) ?? sniffContainer(head.subarray(0, readFully(source, head, 0)));
      return [{ file: shown(file), rows: openReader(file, source, container).rows() }];
    });
    return work(heldOut);
  } finally {
    for (const fd of fds) fs.closeSync(fd);
  }
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

function summary(display: string, r: AugmentSummary, written: string, originals: boolean): string {
  const o = r.options;
  const alpha = [...new Set(o.operations.map((op) => o.alpha[op]))].length === 1 ? `α ${o.alpha[o.operations[0]]}` : o.operations.map((op) => `${op} α ${o.alpha[op]}`).join(', ');
  const how = o.balance ? `balance by ${o.balance.method === 'augment' ? 'augmenting' : 'downsampling'} to ${fmt(o.balance.target)} per label` : `n ${o.n}`;
  const lines = [`${display}: ${r.format}; ${o.operations.join(', ')} · ${alpha} · ${how} · seed ${o.seed} · fields ${o.fields.join(', ')}`];
  const made = r.made - r.leaks;
  lines.push(`  wrote ${written}: ${originals ? `${fmt(r.kept.length)} source rows + ` : ''}${fmt(made)} new rows`);
  const byOp = Object.entries(r.byOperation);
  if (byOp.length > 1) lines.push(`  by operation: ${byOp.map(([op, n]) => `${op} ${fmt(n)}`).join(' · ')}`);
  const names = Object.keys(r.labels.before);
  if (names.length) lines.push(`  labels: ${names.map((l) => `${l} ${fmt(r.labels.before[l])} → ${fmt(r.labels.after[l] ?? 0)}`).join(' · ')}`);
  const list = (title: string, items: string[], count = items.length) => {
    if (!count) return;
    lines.push(`  ${title}:`);
    for (const item of items.slice(0, SHOWN_ROWS)) lines.push(`    ${item}`);
    if (count > SHOWN_ROWS) lines.push(`    … and ${fmt(count - SHOWN_ROWS)} more`);
  };
  // The engine's reasons and warnings in the command line's language (the summary's own words stay English for now).
  const tr = cliTranslator();
  list(`could not change ${fmt(r.unchanged.length)} row${r.unchanged.length === 1 ? '' : 's'}`, r.unchanged.map((u) => `${display}:${u.line} ${translateReasonList((m) => tr.message(m), u.reason)}`));
  list(`left out ${fmt(r.excluded.length)} row${r.excluded.length === 1 ? '' : 's'} that cannot be used`, r.excluded.map((e) => `${display}:${e.line} ${e.rule} ${tr.message(e.reason)}`));
  list(`left out ${fmt(r.leaks)} new row${r.leaks === 1 ? '' : 's'} equal to a held-out row`, r.leakedRows.map((x) => `${display}:${x.sourceLine} (variant ${x.copy}) equals ${x.leak!.file}:${x.leak!.line}`), r.leaks);
  for (const w of r.warnings) lines.push(`  warning: ${tr.message(w)}`);
  return lines.join('\n') + '\n';
}
