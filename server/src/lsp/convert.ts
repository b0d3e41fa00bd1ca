import { DiagnosticSeverity, type Diagnostic, type Range as LspRange, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import { ruleDocsUrl, type DatasetAnalysis, type Finding, type Range, type Severity, type TextEdit } from '../engine';
import { labelQualitySentence } from './labelSummary';
import type { FileSummary } from '../protocol';
import { formatCount } from '../engine';
import { translator, type Translator } from '../host/l10n';

/** Engine ranges are 1-based; LSP ranges are 0-based. */
export function toLspRange(r: Range): LspRange {
  return { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.endLine - 1, character: r.endColumn - 1 } };
}

export function toLspEdit(e: TextEdit): LspTextEdit {
  return { range: toLspRange(e), newText: e.newText };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The payload a diagnostic carries back to the code action handler: which finding of which analysis it is. */
export interface DiagnosticData {
  index: number;
  version: number;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * The indices of the findings shown under the cap, in order: the most severe first into the cap,
 * and within the severity the cap cuts, the first in the file. One pass, no sort (a file can have
 * tens of thousands of findings, and this runs after every edit).
 */
export function shownFindings(findings: readonly Finding[], cap: number): number[] {
  const shown: number[] = [];
  if (findings.length <= cap) {
    for (let i = 0; i < findings.length; i++) shown.push(i);
    return shown;
  }
  const counts = [0, 0, 0, 0];
  for (const f of findings) counts[RANK[f.severity]]++;
  // Severities ranked before `cut` are shown whole; of the `cut` severity, the first `room`.
  let cut = 0;
  let room = cap;
  while (counts[cut] < room) room -= counts[cut++];
  for (let i = 0; i < findings.length && shown.length < cap; i++) {
    const r = RANK[findings[i].severity];
    if (r < cut || (r === cut && room-- > 0)) shown.push(i);
  }
  return shown;
}

/**
 * Findings to diagnostics, capped per file: the most severe come first into the cap, and one
 * summary diagnostic on line 1 says how many more were found.
 */
export function toDiagnostics(uri: string, analysis: DatasetAnalysis, version: number, cap: number, tr: Translator = translator('en')): Diagnostic[] {
  const shown = shownFindings(analysis.findings, cap);
  const diagnostics = shown.map((i) => toDiagnostic(uri, analysis.findings[i], { index: i, version }, tr));
  const hidden = analysis.findings.length - shown.length;
  if (hidden > 0) {
    diagnostics.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: 'tuneset',
      code: 'more-findings',
      message: tr.t('{0} more findings are not shown (at most {1} per file; setting tuneset.maxDiagnosticsPerFile). Run "Tuneset: Show File Summary" for all counts.', formatCount(hidden), formatCount(cap)),
    });
  }
  return diagnostics;
}

function toDiagnostic(uri: string, f: Finding, data: DiagnosticData, tr: Translator): Diagnostic {
  const d: Diagnostic = {
    range: toLspRange(f),
    severity: SEVERITY[f.severity],
    source: 'tuneset',
    code: f.rule,
    codeDescription: { href: ruleDocsUrl(f.rule) },
    message: tr.message(f.message),
    data,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: r.path ?? uri, range: { start: { line: r.line - 1, character: (r.column ?? 1) - 1 }, end: { line: r.line - 1, character: (r.column ?? 1) - 1 } } },
      message: tr.message(r.message ?? 'related row'),
    }));
  }
  return d;
}

export function toSummary(uri: string, a: DatasetAnalysis, tr: Translator = translator('en')): FileSummary {
  const s = a.stats.findingsBySeverity;
  const labelQuality = labelQualitySentence(a.labelQuality, tr);
  // What lowers the score is said in the client's language too (the status bar and the file summary show it).
  const stats = tr.locale === 'en' ? a.stats : { ...a.stats, quality: { ...a.stats.quality, penalties: a.stats.quality.penalties.map((p) => ({ ...p, cause: tr.message(p.cause) })) } };
  return { uri, format: a.format, container: a.container, rows: a.rows, fields: a.fields, errors: s.error, warnings: s.warning, infos: s.info + s.hint, stats, readAs: (a.notes ?? []).map((n) => tr.message(n.message)), ...(labelQuality ? { labelQuality } : {}) };
}
