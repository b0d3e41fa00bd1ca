import { analyzeDataset, parseConfig, type DatasetAnalysis, type Finding } from '../../server/src/engine';
import { seededRandom } from '../../server/src/engine/seededRandom';

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

/** Applies text edits (1-based lines and columns, as the engine makes them; several lines each) to a text, last first. */
export function applyTextEdits(source: string, edits: readonly { line: number; column: number; endLine: number; endColumn: number; newText: string }[]): string {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number) => (line - 1 < starts.length ? starts[line - 1] : source.length) + column - 1;
  let out = source;
  for (const e of [...edits].sort((a, b) => offset(b.line, b.column) - offset(a.line, a.column))) {
    out = out.slice(0, offset(e.line, e.column)) + e.newText + out.slice(offset(e.endLine, e.endColumn));
  }
  return out;
}

/** The same for LSP edits (0-based positions), as a WorkspaceEdit applies them. */
export function applyLspEdits(source: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  return applyTextEdits(source, edits.map((e) => ({ line: e.range.start.line + 1, column: e.range.start.character + 1, endLine: e.range.end.line + 1, endColumn: e.range.end.character + 1, newText: e.newText })));
}

/** `count` texts of 1 to `most` pieces drawn from `bits`, the same ones for a seed (property tests' inputs). */
export function* randomTexts(bits: readonly string[], count: number, most: number, seed: number): Generator<string> {
  const random = seededRandom(seed);
  for (let k = 0; k < count; k++) {
    let text = '';
    for (let n = 1 + Math.floor(random() * most); n > 0; n--) text += bits[Math.floor(random() * bits.length)];
    yield text;
  }
}
