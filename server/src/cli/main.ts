import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileSplitRole, omittedPerRule, OptionsError, SEVERITY_ORDER, withExtraFindings, type DatasetAnalysis, type Finding, type Severity } from '../engine';
import { analyzeFile } from '../host/analyzeFile';
import type { Translator } from '../host/l10n';
import { InputError } from '../host/errors';
import { FileTooLargeError } from '../host/fileSource';
import { expandInputs, skippedNotices } from '../host/inputs';
import { withLabelModel } from '../host/labelModel';
import { findWorkspaceLeaks, isSplitSource } from '../host/leaks';
import { commandConfig, SETTINGS_OPTIONS, UsageError } from './command';
import { installLastResort, lastResortLines, takeDebugFlag } from './lastResort';
import { fileVerdict, reportStream, type FileVerdict, type ReportStream } from './output';
import { cliTranslator, errorLine, helpText, takeLangFlag } from './lang';
import { READING_USAGE, readingNoteLines } from './readingOptions';

/** The `tuneset` command line: the engine over files, for people and CI. Exit 0 ok, 1 findings, 2 usage/read errors. */

const VERSION = '0.1.0';

/**
 * Findings listed per rule and file unless --max-findings-per-rule says otherwise: beyond it a rule's
 * findings are counted, not kept, which bounds memory (a million duplicate findings took 2.8 GB).
 */
export const DEFAULT_MAX_FINDINGS_PER_RULE = 50_000;

export const CHECK_USAGE = `Usage: tuneset check FILE|DIR… [options]

Reports what is wrong with datasets: files (.jsonl, .ndjson, .csv, .tsv, .json arrays of objects) and,
recursively, directories. Exit code 0 when clean, 1 when a finding of the --fail-on severity exists,
2 on bad usage, a bad setting or an unreadable file.

  --format text|json|sarif   Output format (default text)
  --fail-on error|warning|never
                             Exit 1 when a finding of this severity or worse exists (default error)
  --config FILE              Settings file (default: tuneset.json in the current folder, if any)
  --text-field NAME          Name of the text field, overriding detection
  --label-field NAME         Name of the label field, overriding detection
  --format-hint FORMAT       classification|instruction|chat|sharegpt|prompt-completion|preference|text
  --max-tokens N             Context length for token-limit (default 4096)
  --no-color                 Plain text output
  --no-near-duplicates       Skip the file-wide near-duplicate search (exact duplicates and every other rule still run)
  --no-label-model           Skip the label model of classification files (possible-label-error and the
                             labelQuality figures: noise ratio, learning curve, rows to label next);
                             annotator agreement is still reported
  --label-model              The whole model (ensemble and learning curve) at any size; by default it runs up to
                             20,000 rows, then naive Bayes alone without the curve up to 200,000, none above
  --max-findings-per-rule N  List at most N findings of each rule per file (default ${DEFAULT_MAX_FINDINGS_PER_RULE}; 0: all); the rest
                             are counted in the summary, so memory stays bounded whatever the file
${READING_USAGE}  -h, --help                 This help
`;

async function check(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      ...SETTINGS_OPTIONS,
      'max-tokens': { type: 'string' },
      'no-color': { type: 'boolean', default: false },
      'no-near-duplicates': { type: 'boolean', default: false },
      'no-label-model': { type: 'boolean', default: false },
      'label-model': { type: 'boolean', default: false },
      'max-findings-per-rule': { type: 'string', default: String(DEFAULT_MAX_FINDINGS_PER_RULE) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(helpText('check', CHECK_USAGE, { max: DEFAULT_MAX_FINDINGS_PER_RULE }));
    return 0;
  }
  if (!['text', 'json', 'sarif'].includes(values.format!)) throw new UsageError(`--format must be text, json or sarif, not "${values.format}"`);
  if (!['error', 'warning', 'never'].includes(values['fail-on']!)) throw new UsageError(`--fail-on must be error, warning or never, not "${values['fail-on']}"`);
  if (!positionals.length) throw new UsageError('check needs at least one file or directory');
  const maxFindings = Number(values['max-findings-per-rule']);
  if (!(Number.isInteger(maxFindings) && maxFindings >= 0)) throw new UsageError(`--max-findings-per-rule must be a whole number (0: no limit), not "${values['max-findings-per-rule']}"`);
  const config = commandConfig(values);
  const displayOf = (file: string) => path.relative(process.cwd(), file).split(path.sep).join('/') || file;
  const expanded = expandInputs(positionals);
  const { files, errors } = expanded;
  for (const e of errors) process.stderr.write(errorLine(e));
  for (const line of skippedNotices(expanded, positionals, displayOf)) process.stderr.write(errorLine(line.replace(/^tuneset: /, '')));
  // A check that read nothing must not pass: a CI job would go green having checked no file.
  if (!files.length) return 2;
  // Analyses are held (findings and all) only for the leak check, which adds findings to held-out
  // files once every training file is read; otherwise each file is written as soon as it is analyzed
  // and only its counts are kept.
  const results: DatasetAnalysis[] = [];
  const written: FileVerdict[] = [];
  const tr = cliTranslator();
  const stream = values.format === 'json' ? new JsonStream(tr) : reportStream(values.format as 'text' | 'sarif', { color: !values['no-color'] && process.stdout.isTTY === true, version: VERSION, tr });
  const emit = async (analysis: DatasetAnalysis) => {
    for (const line of readingNoteLines([analysis], cliTranslator())) process.stderr.write(`${line}\n`);
    await writeChunks(stream.file(analysis));
    written.push(fileVerdict(analysis));
  };
  let unreadable = errors.length > 0;
  // Held-out files are checked against training files among the arguments (cross-file-leak), which
  // needs each such file's compact row index; other files do not keep one.
  // The whole a split was cut from is no training file for its own parts.
  const roles = files.map((f) => (isSplitSource(f.file) ? undefined : fileSplitRole(displayOf(f.file), config)));
  const leakCheck = roles.includes('held-out') && roles.includes('train');
  const fileOf = new Map<string, string>();
  await writeChunks([stream.head()]);
  for (const [k, { file, container }] of files.entries()) {
    const display = displayOf(file);
    fileOf.set(display, file);
    try {
      const ruled = await analyzeFile(file, display, config, { rowIndex: leakCheck && roles[k] !== undefined, nearDuplicates: !values['no-near-duplicates'], container, maxFindingsPerRule: maxFindings || undefined });
      // A classification file's label model runs after its rule pass, over the file read again.
      const { analysis } = withLabelModel(file, ruled, config, { container, anySize: values['label-model'], ...(values['no-label-model'] ? { skip: 'skipped (--no-label-model)' } : {}) });
      if (leakCheck) results.push(analysis);
      else await emit(analysis);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!code) throw e;
      process.stderr.write(errorLine(e instanceof FileTooLargeError ? e.message : `${file}: cannot read (${code})`));
      unreadable = true;
    }
  }
  if (leakCheck) {
    const leaks = findWorkspaceLeaks(new Map(results.map((r) => [r.path, r])), config, { fileOf: (display) => fileOf.get(display) ?? display });
    results.forEach((r, k) => {
      delete r.rowIndex;
      results[k] = withExtraFindings(r, leaks.get(r.path) ?? []);
    });
  }
  for (const analysis of results) await emit(analysis);
  await writeChunks([stream.tail()]);
  if (written.some((v) => v.namesUnknownField)) unreadable = true;
  if (unreadable) return 2;
  const failOn = values['fail-on'] as Severity | 'never';
  if (failOn === 'never') return 0;
  // The counts, not the findings listed: findings over the per-rule limit count as much.
  const worst = written.some((v) => (Object.keys(v.findingsBySeverity) as Severity[]).some((s) => v.findingsBySeverity[s] > 0 && SEVERITY_ORDER[s] >= SEVERITY_ORDER[failOn]));
  return worst ? 1 : 0;
}

/**
 * Writes a report's pieces to stdout as they are made. A full pipe queues what is written in memory,
 * so a piece waits for the last one to drain; the next piece is made while it drains. When the reader
 * has gone (`tuneset check … | head`), the rest is not made at all.
 */
async function writeChunks(chunks: Iterable<string>): Promise<void> {
  let draining: Promise<unknown> | undefined;
  for (const chunk of chunks) {
    await draining;
    if (process.stdout.destroyed) return;
    draining = process.stdout.write(chunk) ? undefined : drained(process.stdout);
  }
  await draining;
}

/** Resolves when a stream can take more, or when it closed (a pipe whose reader left never drains). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/**
 * A reader that stops reading early (`| head -1`) closes the pipe, and the next write fails with
 * EPIPE. That is no error of ours: the output is dropped quietly instead of ending in a stack trace,
 * and the command still ends with its own exit code (its verdict does not depend on who read it).
 */
function quietWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (!stream.listeners('error').includes(ignoreClosedPipe)) stream.on('error', ignoreClosedPipe);
  }
}

function ignoreClosedPipe(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE') throw e;
}

/** The JSON contract (version 1) that other tools and our tests read. */
export function toJson(results: DatasetAnalysis[]): object {
  return { version: 1, files: results.map((r) => ({ ...fileHead(r), findings: r.findings.map(withoutFix), ...fileTail(r) })) };
}

const fileHead = (r: DatasetAnalysis) => ({ path: r.path, format: r.format, container: r.container, encoding: r.encoding, rows: r.rows, fields: r.fields, labels: r.labels, notes: r.notes });
const fileTail = (r: DatasetAnalysis) => ({ summary: r.summary, ...(r.omitted ? { omitted: omittedPerRule(r.omitted) } : {}), stats: r.stats, ...(r.labelQuality ? { labelQuality: r.labelQuality } : {}) });
const withoutFix = (f: Finding): Omit<Finding, 'fix'> => {
  if (!f.fix) return f;
  const { fix: _fix, ...rest } = f;
  return rest;
};

/** A finding of the JSON contract: English `message`, and `localizedMessage` when the language is not English. */
const jsonFinding = (tr: Translator) => (f: Finding): Omit<Finding, 'fix'> & { localizedMessage?: string } => {
  const out = withoutFix(f);
  return tr.locale === 'en' ? out : { ...out, localizedMessage: tr.message(f.message) };
};

/**
 * Findings per piece of the streamed JSON: pieces stay small (~40 KB) so that their strings live in
 * V8's young generation, whose memory is reused. A string over ~128 KB gets fresh pages of its own,
 * and on this project's VM a fresh page costs ~10 µs: 5000 findings a piece made writing a 1M-row
 * report 0.75 s, 200 make it 0.3 s.
 */
const FINDINGS_PER_CHUNK = 200;

/**
 * The text of toJson(results) and a newline, in pieces: a million-row report is tens of megabytes,
 * which are written as they are made instead of held as one string (and copied once more to write).
 */
export function* jsonChunks(results: DatasetAnalysis[]): Generator<string> {
  const stream = new JsonStream();
  yield stream.head();
  for (const r of results) yield* stream.file(r);
  yield stream.tail();
}

/** The JSON contract written a file at a time (see ReportStream). */
class JsonStream implements ReportStream {
  private files = 0;

  constructor(private readonly tr: Translator = cliTranslator()) {}

  head(): string {
    return '{"version":1,"files":[';
  }

  *file(r: DatasetAnalysis): Generator<string> {
    const head = JSON.stringify(fileHead(r));
    yield `${this.files++ ? ',' : ''}${head.slice(0, -1)},"findings":[`;
    for (let i = 0; i < r.findings.length; i += FINDINGS_PER_CHUNK) {
      const piece = JSON.stringify(r.findings.slice(i, i + FINDINGS_PER_CHUNK).map(jsonFinding(this.tr)));
      yield (i ? ',' : '') + piece.slice(1, -1);
    }
    yield `],${JSON.stringify(fileTail(r)).slice(1)}`;
  }

  tail(): string {
    return ']}\n';
  }
}

/** Each command with what it does in one line; its options are in its own usage text (`COMMAND --help`). */
const COMMANDS: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  check: { summary: 'Report what is wrong with datasets (JSONL, CSV/TSV, JSON arrays)', run: check },
  report: {
    summary: 'The quality report of one dataset: an HTML page, a Markdown data card, or a summary',
    run: (argv) => import('./report').then((m) => m.report(argv)),
  },
  split: { summary: 'Split a dataset into train/val/test files, stratified and grouped', run: (argv) => import('./split').then((m) => m.split(argv)) },
  augment: { summary: 'Add augmented rows (EDA) or balance labels, into a new file', run: (argv) => import('./augment').then((m) => m.augment(argv)) },
  suggest: { summary: 'The rows to label next: those the label model is least sure of, as JSON Lines', run: (argv) => import('./suggest').then((m) => m.suggest(argv)) },
};

function usage(): string {
  return helpText('tuneset', englishUsage());
}

function englishUsage(): string {
  const commands = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `Usage: tuneset <command> [options] <files or directories…>\n\nCommands:\n${commands.join('\n')}\n\n` +
    'Options: `tuneset <command> --help` (or `tuneset help <command>`). `tuneset --version` prints the version.\n' +
    '`--debug` (or TUNESET_DEBUG=1) shows the stack trace of an unexpected error.\n' +
    '`--lang zh-cn|en` sets the language of messages (default: the locale of LC_ALL, LC_MESSAGES or LANG).\n';
}

/** Runs the CLI with arguments (without node and script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  quietWhenOutputCloses();
  const { argv: withoutDebug, debug } = takeDebugFlag(argv);
  let args: string[];
  try {
    args = takeLangFlag(withoutDebug);
  } catch (e) {
    process.stderr.write(errorLine((e as Error).message));
    return 2;
  }
  let [command, ...rest] = args;
  // `tuneset help check` is `tuneset check --help`.
  if (command === 'help' && rest.length) [command, rest] = [rest[0], ['--help']];
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage());
    return command ? 0 : 2;
  }
  if (command === '--version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const run = COMMANDS[command]?.run;
  if (!run) {
    process.stderr.write(`${errorLine(`unknown command "${command}"`)}\n${usage()}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof InputError || e instanceof OptionsError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(errorLine((e as Error).message));
      return 2;
    }
    process.stderr.write(lastResortLines(e, VERSION, debug).join('\n') + '\n');
    return 2;
  }
}

/** The program: main() with the last-resort handler for what escapes it (bin/tuneset.js runs this). */
export function run(argv: string[]): void {
  installLastResort(VERSION, takeDebugFlag(argv).debug);
  void main(argv).then((code) => (process.exitCode = code));
}

if (require.main === module) run(process.argv.slice(2));
