import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import { SAFE_FIX_RULES, type Finding } from '../engine';
import { toLspEdit, type DiagnosticData } from './convert';
import type { Analyzed } from './datasets';

// fixAll applies only fixes that cannot lose information: the rules the catalog marks fix: 'safe'.
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.tuneset`;

function workspaceEdit(uri: string, edits: LspTextEdit[]) {
  return { changes: { [uri]: edits } };
}

/** Keeps the first of any edits whose ranges overlap (two fixes of one field cannot both apply). */
function withoutOverlaps(edits: LspTextEdit[]): LspTextEdit[] {
  const sorted = [...edits].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const out: LspTextEdit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    const overlaps = prev && (prev.range.end.line > e.range.start.line || (prev.range.end.line === e.range.start.line && prev.range.end.character > e.range.start.character));
    if (!overlaps) out.push(e);
  }
  return out;
}

/** The edits deleting every exact duplicate row (each group's first occurrence stays). */
export function duplicateDeletions(doc: Analyzed): LspTextEdit[] {
  return withoutOverlaps(doc.analysis.findings.filter((f) => f.rule === 'exact-duplicate' && f.fix).map((f) => toLspEdit(f.fix!.edits[0])));
}

/** Edits for every fixable finding of one rule (one edit per field). */
function fixesOf(doc: Analyzed, accept: (f: Finding) => boolean): LspTextEdit[] {
  return withoutOverlaps(doc.analysis.findings.filter((f) => f.fix && accept(f)).flatMap((f) => f.fix!.edits.map(toLspEdit)));
}

/** Code actions for the diagnostics under the cursor, plus the file-wide ones they suggest. */
export function codeActions(doc: Analyzed, params: CodeActionParams): CodeAction[] {
  const uri = params.textDocument.uri;
  const only = params.context.only;
  if (only?.some((k) => k.startsWith(CodeActionKind.SourceFixAll))) {
    const edits = fixesOf(doc, (f) => SAFE_FIX_RULES.has(f.rule));
    return edits.length ? [{ title: 'Tuneset: fix whitespace, control characters, mojibake, label variants and character widths', kind: FIX_ALL_KIND, edit: workspaceEdit(uri, edits) }] : [];
  }
  const actions: CodeAction[] = [];
  const seenFileWide = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    const data = diagnostic.data as DiagnosticData | undefined;
    if (diagnostic.source !== 'tuneset' || !data) continue;
    // A diagnostic from an older analysis (or from the file on disk) is matched by rule and position.
    const finding = data.version === doc.version
      ? doc.analysis.findings[data.index]
      : doc.analysis.findings.find((f) => f.rule === diagnostic.code && f.line === diagnostic.range.start.line + 1 && f.column === diagnostic.range.start.character + 1);
    if (!finding) continue;
    actions.push(...actionsFor(doc, finding, diagnostic, seenFileWide));
  }
  return actions;
}

function actionsFor(doc: Analyzed, f: Finding, diagnostic: Diagnostic, seen: Set<string>): CodeAction[] {
  const uri = doc.uri;
  const out: CodeAction[] = [];
  const quick = (title: string, edits: LspTextEdit[], preferred = false): CodeAction => ({
    title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(uri, edits), isPreferred: preferred,
  });
  if (f.fix && f.rule !== 'exact-duplicate') out.push(quick(f.fix.title, f.fix.edits.map(toLspEdit), true));
  if (f.rule === 'exact-duplicate' && f.fix) out.push(quick('Delete this duplicate row', f.fix.edits.map(toLspEdit), true));
  if (f.rule === 'exact-duplicate' && !seen.has('dups')) {
    seen.add('dups');
    const edits = duplicateDeletions(doc);
    if (edits.length > 1) out.push(quick(`Delete all ${edits.length} exact duplicates in this file (keep the first of each)`, edits));
  }
  if (f.rule === 'label-variant' && typeof f.data?.label === 'string' && !seen.has(`variant:${f.data.label}`)) {
    seen.add(`variant:${f.data.label}`);
    const edits = fixesOf(doc, (g) => g.rule === 'label-variant' && g.data?.label === f.data!.label);
    if (edits.length > 1) out.push(quick(`Change "${f.data.label}" to "${f.data.canonical}" everywhere in this file (${edits.length} rows)`, edits));
  }
  if (f.fix && f.rule !== 'exact-duplicate' && f.rule !== 'label-variant' && !seen.has(`rule:${f.rule}`)) {
    seen.add(`rule:${f.rule}`);
    const edits = fixesOf(doc, (g) => g.rule === f.rule);
    if (edits.length > 1) out.push(quick(`Fix all ${edits.length} ${f.rule} findings in this file`, edits));
  }
  if (f.row && f.rule !== 'label-imbalance' && doc.analysis.container !== 'json' && f.rule !== 'exact-duplicate') {
    out.push(quick('Delete this row', [{ range: { start: { line: f.row.line - 1, character: 0 }, end: { line: f.row.endLine, character: 0 } }, newText: '' }]));
  }
  return out;
}
