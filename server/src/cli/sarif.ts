import { RULES, ruleDocsUrl, type DatasetAnalysis, type Finding, type Severity } from '../engine';

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
      },
    ],
  };
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
  const skeleton = JSON.stringify(toSarif([], version), null, 2) + '\n';
  const at = skeleton.indexOf('"results": []');
  if (!results.some((r) => r.findings.length)) {
    yield skeleton;
    return;
  }
  // The results array's items sit one level (two spaces) deeper than its key.
  const keyIndent = at - skeleton.lastIndexOf('\n', at) - 1;
  const indent = ' '.repeat(keyIndent + 2);
  yield skeleton.slice(0, at) + '"results": [\n';
  let piece: string[] = [];
  let first = true;
  for (const file of results) {
    for (const f of file.findings) {
      piece.push((first ? '' : ',\n') + indent + JSON.stringify(sarifResult(file, f), null, 2).replace(/\n/g, '\n' + indent));
      first = false;
      if (piece.length === RESULTS_PER_CHUNK) {
        yield piece.join('');
        piece = [];
      }
    }
  }
  yield piece.join('') + '\n' + ' '.repeat(keyIndent) + ']' + skeleton.slice(at + '"results": []'.length);
}
