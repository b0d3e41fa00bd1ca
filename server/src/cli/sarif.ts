import { omittedPerRule, RULES, ruleDocsUrl, type DatasetAnalysis, type Finding, type Severity } from '../engine';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, as GitHub code scanning accepts it: one run, every rule described, paths relative. */
export function toSarif(results: DatasetAnalysis[], version: string): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tuneset',
            version,
            informationUri: 'https://github.com/tuneset/tuneset',
            rules: Object.entries(RULES).map(([id, info]) => ({
              id,
              name: id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: info.summary },
              helpUri: ruleDocsUrl(id),
              defaultConfiguration: { level: LEVEL[info.severity] },
              properties: { tags: [info.family] },
            })),
          },
        },
        results: results.flatMap((file) => file.findings.map((f) => sarifResult(file, f))),
        // Findings over the per-rule limit are counted, not listed: each file with any says so.
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: results.flatMap(omittedNotifications) }],
      },
    ],
  };
}

function omittedNotifications(file: DatasetAnalysis): object[] {
  return Object.entries(file.omitted ? omittedPerRule(file.omitted) : {}).map(([rule, n]) => ({
    level: 'note',
    message: { text: `${file.path}: ${n} more ${rule} findings are counted but not listed (--max-findings-per-rule)` },
    associatedRule: { id: rule },
  }));
}

/** One finding as a SARIF result. */
function sarifResult(file: DatasetAnalysis, f: Finding): object {
  return {
    ruleId: f.rule,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: file.path },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: Math.max(f.endColumn, f.column) },
        },
      },
    ],
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, id) => ({
            id,
            message: { text: r.message ?? 'related row' },
            physicalLocation: { artifactLocation: { uri: r.path ?? file.path }, region: { startLine: r.line } },
          })),
        }
      : {}),
  };
}

/** Results per piece of sarifChunks (small pieces stay in V8's young generation; see the JSON report's). */
const RESULTS_PER_CHUNK = 100;

/**
 * The text of `JSON.stringify(toSarif(results, version), null, 2)` and a newline, in pieces: a
 * million-row file's SARIF is well over 100 MB, which is written as it is made instead of held.
 */
export function* sarifChunks(results: DatasetAnalysis[], version: string): Generator<string> {
  const stream = new SarifStream(version);
  yield stream.head();
  for (const file of results) yield* stream.file(file);
  yield stream.tail();
}

/**
 * SARIF written a file at a time, as each is analyzed: the head (tool and rules) first, each file's
 * results as they come, and the tail (the notifications of findings not listed, which need every
 * file's counts) last.
 */
export class SarifStream {
  private readonly skeleton: string;
  private readonly at: number;
  private readonly indent: string;
  private first = true;
  /** Each file's path and count of findings not listed: all the tail needs of it. */
  private readonly files: DatasetAnalysis[] = [];

  constructor(private readonly version: string) {
    this.skeleton = JSON.stringify(toSarif([], version), null, 2) + '\n';
    this.at = this.skeleton.indexOf('"results": []');
    // The results array's items sit one level (two spaces) deeper than its key.
    this.indent = ' '.repeat(this.at - this.skeleton.lastIndexOf('\n', this.at) - 1 + 2);
  }

  head(): string {
    return this.skeleton.slice(0, this.at) + '"results": [';
  }

  *file(file: DatasetAnalysis): Generator<string> {
    if (file.omitted) this.files.push({ ...file, findings: [], rowIndex: undefined });
    let piece: string[] = [];
    for (const f of file.findings) {
      piece.push((this.first ? '\n' : ',\n') + this.indent + JSON.stringify(sarifResult(file, f), null, 2).replace(/\n/g, '\n' + this.indent));
      this.first = false;
      if (piece.length === RESULTS_PER_CHUNK) {
        yield piece.join('');
        piece = [];
      }
    }
    if (piece.length) yield piece.join('');
  }

  tail(): string {
    const end = JSON.stringify(toSarif(this.files, this.version), null, 2) + '\n';
    const rest = end.slice(end.indexOf('"results": []') + '"results": ['.length);
    return this.first ? rest : '\n' + this.indent.slice(2) + rest;
  }
}
