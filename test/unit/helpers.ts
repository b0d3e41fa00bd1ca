import { analyzeDataset, parseConfig, type DatasetAnalysis, type Finding } from '../../server/src/engine';

/** Analyzes inline content as a file of the given name (JSONL by default), with optional settings. */
export function analyze(content: string | Uint8Array, name = 'data.jsonl', settings: unknown = {}, fixes = false): DatasetAnalysis {
  const { config, problems } = parseConfig(settings);
  if (problems.length) throw new Error(problems.join('; '));
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return analyzeDataset(name, bytes, config, { fixes });
}

/** JSONL text from objects (or raw strings, kept as they are). */
export function jsonl(...rows: unknown[]): string {
  return rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
}

/** Findings of one rule. */
export function ofRule(a: DatasetAnalysis, rule: string): Finding[] {
  return a.findings.filter((f) => f.rule === rule);
}

/** Findings of one rule for a single classification text (with filler rows so file rules stay quiet). */
export function textFindings(text: string, rule: string, settings: unknown = {}): Finding[] {
  return ofRule(analyze(jsonl({ text, label: 'a' }), 'data.jsonl', settings), rule);
}
