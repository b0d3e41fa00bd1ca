import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments,
  TextDocumentSyncKind, type Connection, type InitializeParams,
} from 'vscode-languageserver/node';
import { analyzeFile } from './analyzeFile';
import { decodeSourceLines, isJsonlPath, loadTokenizer, tokenizerLoaded, withExtraFindings, type DatasetAnalysis, type Finding } from './engine';
import { fileSource } from './fileSource';
import { findWorkspaceLeaks } from './leaks';
import { codeActions, duplicateDeletions, FIX_ALL_KIND } from './lsp/codeActions';
import { CheckWorkers } from './lsp/checkWorkers';
import { codeLenses } from './lsp/codeLens';
import { toDiagnostics, toSummary } from './lsp/convert';
import { isDatasetDocument, OpenDatasets, type Analyzed, type ContentChange } from './lsp/datasets';
import { LineDocument } from './lsp/document';
import { hover } from './lsp/hover';
import { showProgress } from './lsp/progress';
import { registerAugmentRequests } from './lsp/panels/augment';
import { registerReportRequests } from './lsp/panels/export';
import { registerSplitRequests } from './lsp/panels/split';
import { fileReport } from './lsp/report';
import { readSettings, type Settings } from './lsp/settings';
import { warmUp } from './lsp/warmUp';
import { listDatasetFiles } from './lsp/workspaceFiles';
import {
  CheckWorkspaceRequest, FileSummaryRequest, RemoveDuplicatesRequest, ReportRequest, SettingsProblemsNotification, SummaryChangedNotification,
  WillOpenNotification,
} from './protocol';

/**
 * The language server: documents and files in, engine analyses, LSP features out. Handlers only
 * look up an analysis and convert; every decision about data lives in the engine.
 */
const connection: Connection = createConnection(ProposedFeatures.all);

// Changes are recorded as they arrive so JSONL models re-analyze only the lines they touch.
const pendingChanges = new Map<string, ContentChange[]>();
const documents = new TextDocuments<LineDocument>({
  create: LineDocument.create,
  update(doc, changes, version) {
    const list = pendingChanges.get(doc.uri) ?? [];
    for (const c of changes) list.push('range' in c ? { range: c.range, text: c.text } : { text: c.text });
    pendingChanges.set(doc.uri, list);
    return LineDocument.update(doc, changes, version);
  },
});

let settings: Settings = readSettings({}, {});
const workers = new CheckWorkers(path.join(__dirname, 'checkWorker.js'));
let open = openDatasets();
/** Analyses of dataset files that are not open, read from disk by the workspace check. */
const onDisk = new Map<string, Analyzed>();
const timers = new Map<string, NodeJS.Timeout>();
let workspaceFolders: string[] = [];
let hasConfiguration = false;

const log = (message: string) => connection.console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

connection.onInitialize((params: InitializeParams) => {
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  hasConfiguration = !!params.capabilities.workspace?.configuration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      codeLensProvider: { resolveProvider: false },
      hoverProvider: true,
    },
  };
});

/**
 * Documents are checked once the settings are read: one opened before would be checked with the
 * defaults (and the model made for them thrown away with the settings' arrival).
 */
let settingsRead = false;

connection.onInitialized(async () => {
  if (hasConfiguration) connection.client.register(DidChangeConfigurationNotification.type, undefined);
  await loadSettings();
  settingsRead = true;
  for (const doc of documents.all()) schedule(doc, 0);
  // Before the workspace check (which may find nothing to check), unless documents are waiting.
  if (documents.all().length === 0) log(`engine warmed up in ${warmUp(settings.config).toFixed(0)} ms`);
  void checkWorkspace();
});

async function loadSettings(): Promise<void> {
  if (!hasConfiguration) return;
  const [tuneset, filesExclude] = await connection.workspace.getConfiguration([{ section: 'tuneset' }, { section: 'files.exclude' }]);
  settings = readSettings(tuneset, filesExclude);
  // Checks made with the old settings are of no use any more: every document is checked again.
  open.cancelAll();
  open = openDatasets();
  if (settings.problems.length) {
    log(`settings problems: ${settings.problems.join(' | ')}`);
    void connection.sendNotification(SettingsProblemsNotification.type, { problems: settings.problems });
  }
}

connection.onDidChangeConfiguration(async () => {
  await loadSettings();
  for (const doc of documents.all()) void analyzeNow(doc);
  void checkWorkspace();
});

/** cross-file-leak findings of held-out files, from the last workspace check, by URI. */
let leaks = new Map<string, Finding[]>();

/** The open documents' datasets, checked with the current settings; long checks show their progress. */
function openDatasets(): OpenDatasets {
  return new OpenDatasets(settings, workers, {
    started: (check) => showProgress(connection, check, `Tuneset: checking ${path.basename(decodeURIComponent(check.uri))}`),
    extraFindings: (uri) => leaks.get(uri),
  });
}

/** A result with its file's cross-file-leak findings merged in (they come from the workspace check). */
function withLeaks(result: Analyzed): Analyzed {
  const extra = leaks.get(result.uri);
  return extra?.length ? { ...result, analysis: withExtraFindings(result.analysis, extra) } : result;
}

function publish(result: Analyzed): void {
  void connection.sendDiagnostics({ uri: result.uri, diagnostics: toDiagnostics(result.uri, result.analysis, result.version, settings.editor.maxDiagnosticsPerFile) });
}

/**
 * Why a document is checked: its text changed (or it opened), or it is checked again as it is for
 * what came since: the background pass's near-duplicates, or the tokenizer (which only the
 * statistics depend on: diagnostics are not sent again).
 */
type CheckReason = 'text' | 'near-duplicates' | 'tokenizer';

/**
 * Checks a document as it is now (its changes so far applied) and sends the result. Resolves once
 * it is sent, or once the check is cancelled: a newer check of the document took over, or the user
 * cancelled it (the document then keeps its last diagnostics until its next change).
 */
async function analyzeNow(doc: LineDocument, reason: CheckReason = 'text'): Promise<void> {
  timers.delete(doc.uri);
  // Whether a document is a dataset is decided once: reading its head would flatten a big text on every keystroke.
  if (!open.get(doc.uri) && !open.running(doc.uri) && !isDatasetDocument(doc.uri, doc.getText({ start: { line: 0, character: 0 }, end: { line: 200, character: 0 } }))) return;
  const t0 = performance.now();
  const version = doc.version;
  open.change(doc.uri, pendingChanges.get(doc.uri) ?? []);
  pendingChanges.delete(doc.uri);
  let result: Analyzed | undefined;
  try {
    result = await open.analyze(doc);
  } catch (e) {
    // A check that fails (an engine error, a worker thread that died) leaves the document's diagnostics as they were.
    return log(`check of ${path.basename(doc.uri)} v${version} failed: ${(e as Error).message}`);
  }
  if (!result) return log(`check of ${path.basename(doc.uri)} v${version} cancelled`);
  if (reason !== 'tokenizer') publish(result);
  void connection.sendNotification(SummaryChangedNotification.type, toSummary(doc.uri, result.analysis));
  if (reason === 'text' && open.needsBackground(doc)) scheduleBackground(doc);
  if (result.analysis.stats.tokens.sampledTexts === 0 && result.analysis.rows > 0) scheduleTokenizer();
  log(`checked ${path.basename(doc.uri)} v${version}${reason === 'text' ? '' : ` for its ${reason}`}: ${result.analysis.rows} rows, ${result.analysis.findings.length} findings in ${(performance.now() - t0).toFixed(0)} ms`);
}

let tokenizerTimer: NodeJS.Timeout | undefined;

/**
 * The first check of a dataset does not wait for the tokenizer (loading it takes about half a
 * second): it is loaded once checks pause (as the background near-duplicate pass is), so neither the
 * first diagnostics nor the first keystrokes wait for it, and the open datasets are analyzed again
 * for their calibrated token statistics (rows' outputs are reused, so that is quick). Diagnostics
 * never depend on the estimate, so only the summary is sent again.
 */
function scheduleTokenizer(): void {
  if (tokenizerLoaded()) return;
  clearTimeout(tokenizerTimer);
  tokenizerTimer = setTimeout(() => {
    // Still busy with a document's changes or a long check (loading blocks the thread): wait for the next pause.
    if (timers.size > 0 || open.checking) return scheduleTokenizer();
    const t0 = performance.now();
    loadTokenizer();
    log(`tokenizer loaded in ${(performance.now() - t0).toFixed(0)} ms`);
    for (const doc of documents.all()) {
      // Only documents still without a token sample; one with changes waiting, or being checked, is
      // calibrated by that check.
      if (open.get(doc.uri)?.analysis.stats.tokens.sampledTexts !== 0 || timers.has(doc.uri) || pendingChanges.get(doc.uri)?.length || open.running(doc.uri)) continue;
      void analyzeNow(doc, 'tokenizer');
    }
  }, Math.max(1000, settings.editor.debounceMs * 4));
}

const backgroundTimers = new Map<string, NodeJS.Timeout>();

/** Once typing pauses, big documents get their near-duplicates from a worker thread, then are published again. */
function scheduleBackground(doc: LineDocument): void {
  clearTimeout(backgroundTimers.get(doc.uri));
  backgroundTimers.set(doc.uri, setTimeout(async () => {
    backgroundTimers.delete(doc.uri);
    const version = doc.version;
    const t0 = performance.now();
    try {
      await open.background(doc, path.join(__dirname, 'nearDuplicateWorker.js'));
    } catch (e) {
      log(`near-duplicate pass failed for ${path.basename(doc.uri)}: ${(e as Error).message}`);
      return;
    }
    const current = documents.get(doc.uri);
    if (!current || current.version !== version) return;
    log(`near-duplicates of ${path.basename(doc.uri)} in the background in ${(performance.now() - t0).toFixed(0)} ms`);
    await analyzeNow(current, 'near-duplicates');
  }, Math.max(1000, settings.editor.debounceMs * 4)));
}

function schedule(doc: LineDocument, delay: number): void {
  clearTimeout(timers.get(doc.uri));
  if (!settingsRead) return;
  timers.set(doc.uri, setTimeout(() => {
    const current = documents.get(doc.uri);
    if (current) void analyzeNow(current);
  }, delay));
}

/**
 * A file is about to open (the client says so before the didOpen, whose text takes about a second
 * to cross for a big file): its text on disk is analyzed meanwhile and published; the document, when
 * its text is the same, adopts the analysis instead of making it again.
 */
connection.onNotification(WillOpenNotification.type, async ({ uri }) => {
  if (!settingsRead || documents.get(uri) || !uri.startsWith('file:')) return;
  const file = fileURLToPath(uri);
  if (!isJsonlPath(file)) return;
  // Opening a named pipe would block the server; a document that is not a regular file comes with its didOpen.
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return;
  const t0 = performance.now();
  let lines: string[];
  try {
    // Decoded as the editor decodes a UTF-8 file (without its byte order mark), split at '\n'; a file
    // in UTF-16 or a legacy encoding as the readers decode it (its text then only matches a document
    // the editor opened in that encoding: otherwise the document is analyzed afresh).
    const fd = fs.openSync(file, 'r');
    try {
      lines = decodeSourceLines(fileSource(fd));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return;
  }
  const read = performance.now() - t0;
  let analysis: DatasetAnalysis | undefined;
  try {
    analysis = await open.prepare(uri, lines);
  } catch (e) {
    return log(`check of ${path.basename(file)} from disk failed: ${(e as Error).message}`);
  }
  if (!analysis) return;
  publish(withLeaks({ uri, analysis, version: -1 }));
  log(`checked ${path.basename(file)} from disk as it opens: ${analysis.rows} rows, ${analysis.findings.length} findings in ${(performance.now() - t0).toFixed(0)} ms (reading ${read.toFixed(0)} ms)`);
});

documents.onDidOpen(({ document }) => schedule(document, 0));
// TextDocuments fires onDidChangeContent on open too; only real changes (recorded by update()) wait for the debounce.
documents.onDidChangeContent(({ document }) => {
  if (pendingChanges.has(document.uri)) schedule(document, settings.editor.debounceMs);
});
documents.onDidClose(({ document }) => {
  clearTimeout(timers.get(document.uri));
  pendingChanges.delete(document.uri);
  open.close(document.uri);
  // A closed file keeps its problems: the workspace check reads it from disk again.
  void analyzeOnDisk(fileURLToPath(document.uri));
});

async function analyzeOnDisk(file: string): Promise<Analyzed | undefined> {
  const uri = pathToFileURL(file).href;
  try {
    // Open files are read from disk too: the workspace's leak check compares saved files.
    const mtimeMs = fs.statSync(file).mtimeMs;
    const analysis = await analyzeFile(file, file, settings.config, { fixes: true, rowIndex: true });
    const result = { uri, analysis, version: -1, mtimeMs };
    onDisk.set(uri, result);
    if (documents.get(uri)) return open.get(uri);
    publish(withLeaks(result));
    return result;
  } catch (e) {
    log(`cannot read ${file}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * cross-file-leak across the workspace: validation/test files against training files, from the
 * files' disk analyses; the files whose leak findings changed are published again.
 */
function checkLeaks(cancelled: () => boolean): void {
  const analyses = new Map<string, DatasetAnalysis>();
  for (const [uri, r] of onDisk) analyses.set(fileURLToPath(uri), r.analysis);
  const found = findWorkspaceLeaks(analyses, settings.config, { fixes: true, cancelled });
  const next = new Map<string, Finding[]>();
  for (const [file, findings] of found) if (findings.length) next.set(pathToFileURL(file).href, findings);
  const touched = new Set([...leaks.keys(), ...next.keys()]);
  leaks = next;
  for (const uri of touched) {
    const doc = documents.get(uri);
    if (doc) void analyzeNow(doc);
    else {
      const r = onDisk.get(uri);
      if (r) publish(withLeaks(r));
    }
  }
}

let scan: { cancel: boolean } | undefined;

/** Checks every dataset file of the workspace from disk (files VS Code will not sync, over 50 MB, included). */
async function checkWorkspace(): Promise<CheckWorkspaceRequest.Result> {
  if (scan) scan.cancel = true;
  const mine = (scan = { cancel: false });
  const files = listDatasetFiles(workspaceFolders, settings.excludes);
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Tuneset: checking datasets', 0, `${files.length} files`, true);
  let findings = 0;
  let done = 0;
  for (const file of files) {
    if (mine.cancel || progress.token.isCancellationRequested) break;
    progress.report(Math.round((100 * done) / Math.max(1, files.length)), path.basename(file));
    const r = await analyzeOnDisk(file);
    findings += r?.analysis.findings.length ?? 0;
    done++;
  }
  if (done === files.length) checkLeaks(() => mine.cancel || progress.token.isCancellationRequested);
  progress.done();
  const cancelled = done < files.length;
  // Files that were excluded or deleted since the last check lose their diagnostics.
  const current = new Set(files.map((f) => pathToFileURL(f).href));
  for (const uri of [...onDisk.keys()]) {
    if (!current.has(uri) && !cancelled) {
      onDisk.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }
  if (scan === mine) scan = undefined;
  log(`workspace check: ${done} of ${files.length} files, ${findings} findings${cancelled ? ' (cancelled)' : ''}`);
  return { files: done, findings, cancelled };
}

connection.onDidChangeWatchedFiles(async ({ changes }) => {
  for (const change of changes) {
    const file = fileURLToPath(change.uri);
    if (change.type === 3) {
      onDisk.delete(change.uri);
      if (!documents.get(change.uri)) void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
    } else {
      await analyzeOnDisk(file);
    }
  }
  checkLeaks(() => false);
});

/** The analysis the server holds for a URI: the open document's, or the file's on disk with its leaks. */
async function analyzed(uri: string): Promise<Analyzed | undefined> {
  const disk = onDisk.get(uri);
  return (await current(uri)) ?? (disk && withLeaks(disk));
}

/**
 * The analysis of an open document as it is now: a request that arrives before the debounced check
 * (a command right after an edit or an open) has it made at once, and one that arrives while the
 * check of this version runs waits for it, instead of getting an old one. Other requests are
 * answered meanwhile: checks let them in between their slices.
 */
async function current(uri: string): Promise<Analyzed | undefined> {
  const doc = documents.get(uri);
  if (!doc || open.get(uri)?.version === doc.version) return open.get(uri);
  const running = open.running(uri);
  if (running?.version === doc.version) {
    await running.ended;
  } else {
    clearTimeout(timers.get(uri));
    await analyzeNow(doc);
  }
  return open.get(uri);
}

connection.onCodeAction(async (params) => {
  const doc = await current(params.textDocument.uri);
  return doc ? codeActions(doc, params) : [];
});
connection.onCodeLens(async ({ textDocument }) => {
  const doc = await current(textDocument.uri);
  return doc ? codeLenses(doc) : [];
});
connection.onHover(async (params) => {
  const doc = await current(params.textDocument.uri);
  const text = documents.get(params.textDocument.uri);
  if (!doc || !text) return null;
  const line = text.getText({ start: { line: params.position.line, character: 0 }, end: { line: params.position.line + 1, character: 0 } });
  return hover(doc, params, line.replace(/\n$/, ''));
});

connection.onRequest(FileSummaryRequest.type, async ({ uri }) => {
  const doc = await analyzed(uri);
  return doc ? toSummary(uri, doc.analysis) : null;
});
connection.onRequest(CheckWorkspaceRequest.type, () => checkWorkspace());

/** The quality report of a dataset the server holds, or null. */
async function report(uri: string): Promise<ReportRequest.Result> {
  const doc = await analyzed(uri);
  if (!doc) return null;
  const sibling = async (file: string) => (await analyzed(pathToFileURL(file).href))?.analysis;
  return fileReport(fileURLToPath(uri), doc.analysis, documents.get(uri)?.getText(), settings.config, sibling);
}
connection.onRequest(ReportRequest.type, ({ uri }) => report(uri));
connection.onRequest(RemoveDuplicatesRequest.type, async ({ uri }) => {
  const doc = await current(uri);
  const edits = doc ? duplicateDeletions(doc) : [];
  return { edits, rows: edits.length };
});

// The panels' work (client/src/panels are views): split, augment, the report page and its export.
registerSplitRequests(connection, { heldAnalyses, config: () => settings.config, workerFile: path.join(__dirname, 'nearDuplicateWorker.js'), log });
registerAugmentRequests(connection);
registerReportRequests(connection, { report });

/**
 * The analyses the server holds for a file, for the split panel's near-duplicate groups: the open
 * document's (unless its near-duplicate search is left to a background pass, as a big JSONL
 * document's is) with the text it was made from, and the one made from the file on disk.
 */
async function heldAnalyses(uri: string): Promise<{ analysis: DatasetAnalysis; text?: string; mtimeMs?: number }[]> {
  const held = documents.get(uri) && (await current(uri));
  const doc = documents.get(uri);
  const disk = onDisk.get(uri);
  return [
    ...(held && doc && held.version === doc.version && !open.needsBackground(doc) ? [{ analysis: held.analysis, text: doc.getText() }] : []),
    ...(disk ? [{ analysis: disk.analysis, mtimeMs: disk.mtimeMs }] : []),
  ];
}

connection.onShutdown(() => workers.dispose());

documents.listen(connection);
connection.listen();
