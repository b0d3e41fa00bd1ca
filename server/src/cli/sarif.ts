import { RULES, ruleDocsUrl, type DatasetAnalysis, type Severity } from '../engine';

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
        results: results.flatMap((file) =>
          file.findings.map((f) => ({
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
          })),
        ),
      },
    ],
  };
}
