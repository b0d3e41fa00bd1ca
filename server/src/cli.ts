import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeFile } from './analyzeFile';
import { fileSplitRole, parseConfig, SEVERITY_ORDER, withExtraFindings, type Config, type DatasetAnalysis, type Finding, type Severity } from './engine';
import { findWorkspaceLeaks } from './leaks';
import { expandInputs } from './cli/files';
import { sarifChunks } from './cli/sarif';
import { textChunks } from './cli/text';

/** The `tuneset` command line: the engine over files, for people and CI. Exit 0 ok, 1 findings, 2 usage/read errors. */

const VERSION = '0.1.0';

export class UsageError extends Error {}

const USAGE = `Usage: tuneset <command> [options] <files or directories…>

Commands:
  check     Report what is wrong with datasets (JSONL, CSV/TSV, JSON arrays)
  report    The quality report of one dataset: an HTML page, a Markdown data card, or a summary
  split     Split a dataset into train/val/test files, stratified and grouped (split --help)
  augment   Add augmented rows (EDA) or balance labels, into a new file (augment --help)

Options for check:
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

Options for report (tuneset report FILE):
  --html FILE                Write the report as one self-contained HTML page (charts work offline)
  --md FILE                  Write the report as a Markdown data card
  --force                    Overwrite existing output files
  --config, --text-field, --label-field, --format-hint, --max-tokens as for check
  Without --html or --md, a summary is printed. Split siblings (NAME.train/val/test.*, train/val/test.*)
  in the same folder are compared side by side.
`;

/** Loads tuneset.json (explicit or from the cwd) and applies command-line overrides. */
export function loadConfig(file: string | undefined, overrides: Record<string, unknown>): Config {
  let raw: Record<string, unknown> = {};
  const source = file ?? (fs.existsSync('tuneset.json') ? 'tuneset.json' : undefined);
  if (source) {
    let text: string;
    try {
      text = fs.readFileSync(source, 'utf8');
    } catch {
      throw new UsageError(`${source}: cannot read the settings file`);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${source}: not valid JSON (${(e as Error).message})`);
    }
  }
  const merged = { ...raw, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  const { config, problems } = parseConfig(merged);
  if (problems.length) throw new UsageError(problems.map((p) => `${source ?? 'options'}: ${p}`).join('\n'));
  return config;
}

async function check(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      config: { type: 'string' },
      'text-field': { type: 'string' },
      'label-field': { type: 'string' },
      'format-hint': { type: 'string' },
      'max-tokens': { type: 'string' },
      'no-color': { type: 'boolean', default: false },
      'no-near-duplicates': { type: 'boolean', default: false },
    },
  });
  if (!['text', 'json', 'sarif'].includes(values.format!)) throw new UsageError(`--format must be text, json or sarif, not "${values.format}"`);
  if (!['error', 'warning', 'never'].includes(values['fail-on']!)) throw new UsageError(`--fail-on must be error, warning or never, not "${values['fail-on']}"`);
  if (!positionals.length) throw new UsageError('check needs at least one file or directory');
  const maxTokens = values['max-tokens'] === undefined ? undefined : Number(values['max-tokens']);
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens > 0)) throw new UsageError(`--max-tokens must be a positive whole number, not "${values['max-tokens']}"`);
  const config = loadConfig(values.config, {
    textField: values['text-field'],
    labelField: values['label-field'],
    format: values['format-hint'],
    maxTokens,
  });
  const { files, errors } = expandInputs(positionals);
  for (const e of errors) process.stderr.write(`tuneset: ${e}\n`);
  const results: DatasetAnalysis[] = [];
  let unreadable = errors.length > 0;
  // Held-out files are checked against training files among the arguments (cross-file-leak), which
  // needs each such file's compact row index; other files do not keep one.
  const displayOf = (file: string) => path.relative(process.cwd(), file).split(path.sep).join('/') || file;
  const roles = files.map((f) => fileSplitRole(displayOf(f), config));
  const leakCheck = roles.includes('held-out') && roles.includes('train');
  const fileOf = new Map<string, string>();
  for (const [k, file] of files.entries()) {
    const display = displayOf(file);
    fileOf.set(display, file);
    try {
      results.push(await analyzeFile(file, display, config, { rowIndex: leakCheck && roles[k] !== undefined, nearDuplicates: !values['no-near-duplicates'] }));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!code) throw e;
      process.stderr.write(`tuneset: ${file}: cannot read (${code})\n`);
      unreadable = true;
    }
  }
  if (leakCheck) {
    const leaks = findWorkspaceLeaks(new Map(results.map((r) => [r.path, r])), config, {
      readBytes: (display) => fs.readFileSync(fileOf.get(display) ?? display),
    });
    results.forEach((r, k) => {
      delete r.rowIndex;
      results[k] = withExtraFindings(r, leaks.get(r.path) ?? []);
    });
  }
  if (values.format === 'json') await writeChunks(jsonChunks(results));
  else if (values.format === 'sarif') await writeChunks(sarifChunks(results, VERSION));
  else await writeChunks(textChunks(results, !values['no-color'] && process.stdout.isTTY === true));
  if (unreadable) return 2;
  const failOn = values['fail-on'] as Severity | 'never';
  if (failOn === 'never') return 0;
  const worst = results.flatMap((r) => r.findings).some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn]);
  return worst ? 1 : 0;
}

/**
 * Writes a report's pieces to stdout as they are made. A full pipe queues what is written in memory,
 * so a piece waits for the last one to drain; the next piece is made while it drains.
 */
async function writeChunks(chunks: Iterable<string>): Promise<void> {
  let draining: Promise<unknown> | undefined;
  for (const chunk of chunks) {
    await draining;
    draining = process.stdout.write(chunk) ? undefined : new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  await draining;
}

/** The JSON contract (version 1) that other tools and our tests read. */
export function toJson(results: DatasetAnalysis[]): object {
  return { version: 1, files: results.map((r) => ({ ...fileHead(r), findings: r.findings.map(withoutFix), ...fileTail(r) })) };
}

const fileHead = (r: DatasetAnalysis) => ({ path: r.path, format: r.format, container: r.container, rows: r.rows, fields: r.fields, labels: r.labels });
const fileTail = (r: DatasetAnalysis) => ({ summary: r.summary, stats: r.stats });
const withoutFix = (f: Finding): Omit<Finding, 'fix'> => {
  if (!f.fix) return f;
  const { fix: _fix, ...rest } = f;
  return rest;
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
  yield '{"version":1,"files":[';
  for (const [k, r] of results.entries()) {
    const head = JSON.stringify(fileHead(r));
    yield `${k ? ',' : ''}${head.slice(0, -1)},"findings":[`;
    for (let i = 0; i < r.findings.length; i += FINDINGS_PER_CHUNK) {
      const piece = JSON.stringify(r.findings.slice(i, i + FINDINGS_PER_CHUNK).map(withoutFix));
      yield (i ? ',' : '') + piece.slice(1, -1);
    }
    yield `],${JSON.stringify(fileTail(r)).slice(1)}`;
  }
  yield ']}\n';
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  check,
  report: (argv) => import('./cli/report').then((m) => m.report(argv)),
  split: (argv) => import('./cli/split').then((m) => m.split(argv)),
  augment: (argv) => import('./cli/augment').then((m) => m.augment(argv)),
};

/** Runs the CLI with arguments (without node and script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`tuneset: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tuneset: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
