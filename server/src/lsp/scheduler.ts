import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocuments, type Connection } from 'vscode-languageserver';
import { containerOfPath, decodeSourceLines, fileSplitRole, isDatasetPath, isJsonlPath, loadTokenizer, toBytes, tokenizerLoaded, withExtraFindings, type Config, type DatasetAnalysis, type Finding } from '../engine';
import { analyzeFile, PARALLEL_BYTES } from '../host/analyzeFile';
import { SETTINGS_FILE } from '../host/config';
import { fileSource, MAX_WHOLE_FILE_BYTES } from '../host/fileSource';
import { labelModelInWorker } from '../host/labelModel';
import { findWorkspaceLeaks } from '../host/leaks';
import { CheckWorkspaceRequest, SettingsProblemsNotification, SummaryChangedNotification } from '../protocol';
import { Check } from './checks';
import { CheckWorkers } from './checkWorkers';
import { toDiagnostics, toSummary } from './convert';
import { resolveLocale, translator, type Translator } from '../host/l10n';
import { isDatasetDocument, OpenDatasets, WORKER_MIN_CHARS, type Analyzed, type ContentChange } from './datasets';
import { LineDocument } from './document';
import { PROGRESS_AFTER_MS, RunningChecks, showProgress } from './progress';
import { DatasetConfigs, readSettings, type Settings } from './settings';
import { warmUp } from './warmUp';
import { isWorkspaceDatasetFile, listDatasetFiles } from './workspaceFiles';

/**
 * Why a document is checked: its text changed (or it opened), or it is checked again as it is for
 * what came since: the background pass's near-duplicates, the label model's findings, or the tokenizer (which only the
 * statistics depend on: diagnostics are not sent again).
 */
type CheckReason = 'text' | 'near-duplicates' | 'label-model' | 'tokenizer';

export interface SchedulerOptions {
  /** The folder of the bundled worker scripts (checkWorker.js, nearDuplicateWorker.js, labelModelWorker.js): dist/. */
  workerDir: string;
  /** How long (ms) after its rule pass a document's label model starts (default: the background passes' pause). */
  labelModelDelayMs?: number;
}

/**
 * When the language server checks what: documents after a pause in typing (debounce), big documents'
 * near-duplicates in a background pass, the tokenizer once checks pause, files from disk (a file about
 * to open, closed files, the workspace scan, watched files) and the cross-file leak check. It holds the
 * documents, the settings and every analysis; server.ts only registers handlers that call it, so a
 * test can drive it in-process over any connection.
 */
/**
 * JSON Lines files up to this size are checked from disk in a worker thread (read whole there): the
 * server's thread would otherwise take a share of the rows (analyzeFile) while a document is typed into.
 */
const WORKER_JSONL_BYTES = 64 * 1024 * 1024;

/** How long (ms) a changed file must stay as it is before it is read (see Scheduler.settle). */
const DISK_SETTLE_MS = 300;

/** Documents of more lines than this get their background near-duplicate pass after a 3 s pause, not 1 s. */
const LONG_PAUSE_LINES = 50_000;

/** A file's modification time and size, to tell a file changed since it was read. */
function diskStamp(stat: fs.Stats): string {
  return `${stat.mtimeMs}:${stat.size}`;
}

/** Milliseconds of CPU the server's process (its threads together) used since `since`. */
function cpuMs(since: NodeJS.CpuUsage): string {
  const used = process.cpuUsage(since);
  return ((used.user + used.system) / 1000).toFixed(0);
}

export class Scheduler {
  /** Changes as they arrive, so JSONL models re-analyze only the lines they touch. */
  private readonly pendingChanges = new Map<string, ContentChange[]>();
  readonly documents: TextDocuments<LineDocument>;
  private settings: Settings = readSettings({}, {});
  private configs: DatasetConfigs;
  private readonly workers: CheckWorkers;
  private open: OpenDatasets;
  /** Analyses of dataset files that are not open, read from disk by the workspace check. */
  private readonly onDisk = new Map<string, Analyzed>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent of each document's diagnostics (findingsSignature), to leave out a resend of the same. */
  private readonly published = new Map<string, string>();
  private readonly backgroundTimers = new Map<string, NodeJS.Timeout>();
  /** A changed file's read, waiting for the file to settle (see settle()). */
  private readonly settling = new Map<string, NodeJS.Timeout>();
  /** The modification time and size of each file as its last check from disk started to read it (see filesChanged). */
  private readonly diskStamps = new Map<string, string>();
  /** The checks of files from disk still running, per URI (see analyzeOnDisk). */
  private readonly diskChecks = new Map<string, Set<Check>>();
  private readonly labelTimers = new Map<string, NodeJS.Timeout>();
  /** The label model running for each document (in a worker thread), until it ends. */
  private readonly labelRuns = new Map<string, Check>();
  private tokenizerTimer: NodeJS.Timeout | undefined;
  private workspaceFolders: string[] = [];
  /** The client answers workspace/configuration requests. */
  private hasConfiguration = false;
  /**
   * Documents are checked once the settings are read: one opened before would be checked with the
   * defaults (and the model made for them thrown away with the settings' arrival).
   */
  private settingsRead = false;
  /** cross-file-leak findings of held-out files, from the last workspace check, by URI. */
  private leaks = new Map<string, Finding[]>();
  private scan: { cancel: boolean } | undefined;
  /** The long checks running now, for the client's "Cancel check" (tuneset/cancelChecks). */
  readonly runningChecks: RunningChecks;
  /** The language of what the server says: the client's display language (InitializeParams.locale). */
  tr: Translator = translator('en');

  constructor(private readonly connection: Connection, private readonly options: SchedulerOptions) {
    this.runningChecks = new RunningChecks(connection);
    const pendingChanges = this.pendingChanges;
    this.documents = new TextDocuments<LineDocument>({
      create: LineDocument.create,
      update(doc, changes, version) {
        const list = pendingChanges.get(doc.uri) ?? [];
        for (const c of changes) list.push('range' in c ? { range: c.range, text: c.text } : { text: c.text });
        pendingChanges.set(doc.uri, list);
        return LineDocument.update(doc, changes, version);
      },
    });
    this.workers = new CheckWorkers(path.join(options.workerDir, 'checkWorker.js'));
    this.configs = new DatasetConfigs(this.settings, this.workspaceFolders);
    this.open = this.openDatasets();
  }

  private log(message: string): void {
    this.connection.console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
  }

  /** The workspace folders and whether settings can be asked for, from the client's initialize request. */
  initialize(workspaceFolders: string[], hasConfiguration: boolean, locale?: string): void {
    this.workspaceFolders = workspaceFolders;
    this.tr = translator(resolveLocale(locale));
    this.hasConfiguration = hasConfiguration;
    this.configs = new DatasetConfigs(this.settings, this.workspaceFolders);
  }

  /** True when the client answers workspace/configuration requests (so it can tell of their changes too). */
  get asksSettings(): boolean {
    return this.hasConfiguration;
  }

  /** The client is ready: the settings are read, the open documents checked, then the workspace. */
  async initialized(): Promise<void> {
    await this.loadSettings();
    this.settingsRead = true;
    for (const doc of this.documents.all()) this.schedule(doc, 0);
    // Before the workspace check (which may find nothing to check), unless documents are waiting.
    if (this.documents.all().length === 0) this.log(`engine warmed up in ${warmUp(this.settings.config).toFixed(0)} ms`);
    void this.checkWorkspace();
  }

  /** The editor's settings (or a tuneset.json) changed: everything is checked again with the new ones. */
  async settingsChanged(): Promise<void> {
    await this.loadSettings();
    for (const doc of this.documents.all()) void this.analyzeNow(doc);
    void this.checkWorkspace();
  }

  private async loadSettings(): Promise<void> {
    if (this.hasConfiguration) {
      const [tuneset, filesExclude] = await this.connection.workspace.getConfiguration([{ section: 'tuneset' }, { section: 'files.exclude' }]);
      this.settings = readSettings(tuneset, filesExclude);
    }
    this.configs = new DatasetConfigs(this.settings, this.workspaceFolders);
    // Checks made with the old settings are of no use any more: every document is checked again, and
    // the old datasets' background passes (their results would be dropped with them) are stopped.
    this.open.dispose();
    for (const run of this.labelRuns.values()) run.cancel();
    this.open = this.openDatasets();
    const problems = this.configs.problems();
    if (problems.length) {
      this.log(`settings problems: ${problems.join(' | ')}`);
      void this.connection.sendNotification(SettingsProblemsNotification.method, { problems } satisfies SettingsProblemsNotification.Params);
    }
  }

  /** The open documents' datasets, checked with the current settings; long checks show their progress. */
  private openDatasets(): OpenDatasets {
    const configs = this.configs;
    return new OpenDatasets((file) => configs.of(file), this.workers, {
      started: (check) => showProgress(this.connection, this.runningChecks, check, this.tr.t('Tuneset: checking {0}', path.basename(decodeURIComponent(check.uri)))),
      extraFindings: (uri) => this.leaks.get(uri),
    });
  }

  /** A result with its file's cross-file-leak findings merged in (they come from the workspace check). */
  private withLeaks(result: Analyzed): Analyzed {
    const extra = this.leaks.get(result.uri);
    return extra?.length ? { ...result, analysis: withExtraFindings(result.analysis, extra) } : result;
  }

  private publish(result: Analyzed): void {
    const diagnostics = toDiagnostics(result.uri, result.analysis, result.version, this.settings.editor.maxDiagnosticsPerFile, this.tr);
    this.published.set(result.uri, findingsSignature(diagnostics));
    void this.connection.sendDiagnostics({ uri: result.uri, diagnostics });
  }

  /**
   * Whether a check's diagnostics differ from those last sent for its document, the versions in
   * their data aside. The background near-duplicate pass of a big document usually finds what the
   * last pass found: sending its diagnostics again (half a megabyte at the cap) would only make the
   * editor take them in again while the user types. Quick fixes of the diagnostics kept find their
   * finding by rule and place (see codeActions.ts).
   */
  private diagnosticsChanged(result: Analyzed): boolean {
    const known = this.published.get(result.uri);
    return known === undefined || known !== findingsSignature(toDiagnostics(result.uri, result.analysis, result.version, this.settings.editor.maxDiagnosticsPerFile, this.tr));
  }

  /**
   * Checks a document as it is now (its changes so far applied) and sends the result. Resolves once
   * it is sent, or once the check is cancelled: a newer check of the document took over, or the user
   * cancelled it (the document then keeps its last diagnostics until its next change).
   */
  private async analyzeNow(doc: LineDocument, reason: CheckReason = 'text'): Promise<void> {
    this.timers.delete(doc.uri);
    // Whether a document is a dataset is decided once: reading its head would flatten a big text on every keystroke.
    if (!this.open.get(doc.uri) && !this.open.running(doc.uri) && !isDatasetDocument(doc.uri, doc.getText({ start: { line: 0, character: 0 }, end: { line: 200, character: 0 } }))) return;
    const t0 = performance.now();
    // CPU time beside the wall time in the log: a check far longer than its CPU waited for a core.
    const cpu0 = process.cpuUsage();
    const version = doc.version;
    this.open.change(doc.uri, this.pendingChanges.get(doc.uri) ?? []);
    this.pendingChanges.delete(doc.uri);
    let result: Analyzed | undefined;
    try {
      result = await this.open.analyze(doc);
    } catch (e) {
      // A check that fails (an engine error, a worker thread that died) leaves the document's diagnostics as they were.
      return this.log(`check of ${path.basename(doc.uri)} v${version} failed: ${(e as Error).message}`);
    }
    if (!result) return this.log(`check of ${path.basename(doc.uri)} v${version} cancelled`);
    // The summary (a kilobyte) goes first: the client reads its messages in order, and the status bar
    // and CodeLens need not wait for it to take in a big file's diagnostics (up to the cap, ~0.5 MB).
    void this.connection.sendNotification(SummaryChangedNotification.method, toSummary(doc.uri, result.analysis, this.tr));
    // The label model's findings are new diagnostics; a background near-duplicate pass's are sent only when they changed.
    if (reason === 'text' || reason === 'label-model' || (reason === 'near-duplicates' && this.diagnosticsChanged(result))) this.publish(result);
    this.onChecked(result);
    if (reason === 'text' && this.open.needsBackground(doc)) this.scheduleBackground(doc);
    if (reason === 'text') this.scheduleLabelModel(doc, result);
    if (result.analysis.stats.tokens.sampledTexts === 0 && result.analysis.rows > 0) this.scheduleTokenizer();
    this.log(`checked ${path.basename(doc.uri)} v${version}${reason === 'text' ? '' : ` for its ${reason}`}: ${result.analysis.rows} rows, ${result.analysis.findings.length} findings in ${(performance.now() - t0).toFixed(0)} ms (${cpuMs(cpu0)} ms CPU)`);
  }

  /**
   * The first check of a dataset does not wait for the tokenizer (loading it takes about half a
   * second): it is loaded once checks pause (as the background near-duplicate pass is), so neither the
   * first diagnostics nor the first keystrokes wait for it, and the open datasets are analyzed again
   * for their calibrated token statistics (rows' outputs are reused, so that is quick). Diagnostics
   * never depend on the estimate, so only the summary is sent again.
   */
  private scheduleTokenizer(): void {
    if (tokenizerLoaded()) return;
    clearTimeout(this.tokenizerTimer);
    this.tokenizerTimer = setTimeout(() => {
      // Still busy with a document's changes or a long check (loading blocks the thread): wait for the next pause.
      if (this.timers.size > 0 || this.open.checking) return this.scheduleTokenizer();
      const t0 = performance.now();
      loadTokenizer();
      this.log(`tokenizer loaded in ${(performance.now() - t0).toFixed(0)} ms`);
      for (const doc of this.documents.all()) {
        // Only documents still without a token sample; one with changes waiting, or being checked, is
        // calibrated by that check.
        if (this.open.get(doc.uri)?.analysis.stats.tokens.sampledTexts !== 0 || this.timers.has(doc.uri) || this.pendingChanges.get(doc.uri)?.length || this.open.running(doc.uri)) continue;
        void this.analyzeNow(doc, 'tokenizer');
      }
    }, Math.max(1000, this.settings.editor.debounceMs * 4));
  }

  /**
   * Once typing pauses, big documents get their near-duplicates from a worker thread, then are published
   * again. The pass over a document of more than LONG_PAUSE_LINES rows takes seconds of a core: it waits
   * for a longer pause (3 s), so the next keystroke's check does not share the machine with it.
   */
  private scheduleBackground(doc: LineDocument): void {
    clearTimeout(this.backgroundTimers.get(doc.uri));
    this.backgroundTimers.set(doc.uri, setTimeout(async () => {
      this.backgroundTimers.delete(doc.uri);
      const version = doc.version;
      const t0 = performance.now();
      try {
        // Stopped by an edit or a newer pass: that one's result is the one to wait for.
        if (!(await this.open.background(doc, path.join(this.options.workerDir, 'nearDuplicateWorker.js')))) return;
      } catch (e) {
        this.log(`near-duplicate pass failed for ${path.basename(doc.uri)}: ${(e as Error).message}`);
        return;
      }
      const current = this.documents.get(doc.uri);
      if (!current || current.version !== version) return;
      this.log(`near-duplicates of ${path.basename(doc.uri)} in the background in ${(performance.now() - t0).toFixed(0)} ms`);
      await this.analyzeNow(current, 'near-duplicates');
    }, Math.max(doc.lineCount > LONG_PAUSE_LINES ? 3000 : 1000, this.settings.editor.debounceMs * 4)));
  }

  /**
   * Once checks pause, a classification document's label model (possible-label-error) runs in a
   * worker thread, with cancellable progress; its findings are then merged with the rule pass's and
   * published again. The rule pass's diagnostics never wait for it: they are out before it starts.
   * A newer text, the document closing or the user cancels it, and a cancelled run publishes nothing.
   */
  private scheduleLabelModel(doc: LineDocument, held: Analyzed): void {
    const uri = doc.uri;
    const running = this.labelRuns.get(uri);
    // Checked again as it is (for leaks, settings kept): the model of this text is done or under way.
    if ((running?.version === doc.version && !running.cancelled) || this.open.labelPassVersion(uri) === doc.version) return;
    clearTimeout(this.labelTimers.get(uri));
    running?.cancel();
    const file = uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(uri.replace(/^[a-z]+:(\/\/)?/i, ''));
    const config = this.configs.of(file);
    if (held.analysis.format !== 'classification') return;
    const max = this.settings.editor.labelModelMaxRows;
    // Without the model (its rule off, over the editor's limit) the worker still reads annotator agreement: no model, one pass over the rows.
    const skip = config.rules['possible-label-error'] === 'off' ? 'possible-label-error is turned off'
      : held.analysis.rows <= max ? undefined
        : max === 0 ? 'turned off in the editor (tuneset.labelModelMaxRows is 0)' : `over the editor's ${max.toLocaleString('en-US')}-row limit (tuneset.labelModelMaxRows); run \`tuneset check\` or the report`;
    // Without the model, only a file with several annotators' labels has something for the worker to read:
    // any other gets its reason at once (a worker and a copy of a big text per edit would cost the
    // editor seconds for nothing).
    if (skip !== undefined && !held.analysis.annotators) {
      if (config.rules['possible-label-error'] !== 'off') this.open.setLabelPass(uri, { version: doc.version, findings: [], labelQuality: { model: { ok: false, reason: skip } } });
      return;
    }
    this.labelTimers.set(uri, setTimeout(async () => {
      this.labelTimers.delete(uri);
      const version = doc.version;
      const current = this.open.get(uri);
      if (!current || current.version !== version || this.documents.get(uri)?.version !== version) return;
      const check = new Check(uri, version);
      this.labelRuns.set(uri, check);
      showProgress(this.connection, this.runningChecks, check, this.tr.t(skip === undefined ? 'Tuneset: label model of {0}' : 'Tuneset: annotator agreement of {0}', path.basename(file)));
      const t0 = performance.now();
      try {
        const conflictLines = current.analysis.findings.filter((f) => f.rule === 'conflicting-labels').flatMap((f) => Array.from({ length: f.endLine - f.line + 1 }, (_, k) => f.line + k));
        const result = await labelModelInWorker(path.join(this.options.workerDir, 'labelModelWorker.js'), { path: file, bytes: toBytes(doc.getText()), config, conflictLines, ...(skip !== undefined ? { skip } : {}) }, {
          progress: (part) => check.report(part),
          onCancel: (stop) => check.onCancel(stop),
        });
        const latest = this.documents.get(uri);
        if (!result || check.cancelled || !latest || latest.version !== version) return this.log(`label model of ${path.basename(file)} v${version} cancelled`);
        this.open.setLabelPass(uri, { version, findings: result.findings, labelQuality: result.labelQuality });
        this.log(`label model of ${path.basename(file)} v${version}: ${result.notRun ? `not run (${result.notRun})` : `${result.findings.length} possible label errors`} in ${(performance.now() - t0).toFixed(0)} ms`);
        await this.analyzeNow(latest, 'label-model');
      } catch (e) {
        this.log(`label model of ${path.basename(file)} failed: ${(e as Error).message}`);
      } finally {
        if (this.labelRuns.get(uri) === check) this.labelRuns.delete(uri);
        check.end();
      }
    }, this.options.labelModelDelayMs ?? Math.max(1000, this.settings.editor.debounceMs * 4)));
  }

  private schedule(doc: LineDocument, delay: number): void {
    clearTimeout(this.timers.get(doc.uri));
    if (!this.settingsRead) return;
    this.timers.set(doc.uri, setTimeout(() => {
      const current = this.documents.get(doc.uri);
      if (current) void this.analyzeNow(current);
    }, delay));
  }

  /**
   * A file is about to open (the client says so before the didOpen, whose text takes about a second
   * to cross for a big file): its text on disk is analyzed meanwhile and published; the document, when
   * its text is the same, adopts the analysis instead of making it again.
   */
  async willOpen(uri: string): Promise<void> {
    if (!this.settingsRead || this.documents.get(uri) || !uri.startsWith('file:')) return;
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
      analysis = await this.open.prepare(uri, lines);
    } catch (e) {
      return this.log(`check of ${path.basename(file)} from disk failed: ${(e as Error).message}`);
    }
    if (!analysis) return;
    this.publish(this.withLeaks({ uri, analysis, version: -1 }));
    this.log(`checked ${path.basename(file)} from disk as it opens: ${analysis.rows} rows, ${analysis.findings.length} findings in ${(performance.now() - t0).toFixed(0)} ms (reading ${read.toFixed(0)} ms)`);
  }

  opened(doc: LineDocument): void {
    this.schedule(doc, 0);
  }

  /** TextDocuments fires onDidChangeContent on open too; only real changes (recorded by update()) wait for the debounce. */
  changed(doc: LineDocument): void {
    if (!this.pendingChanges.has(doc.uri)) return;
    // The label model of the text before is of no use any more (its findings point at rows as they were).
    clearTimeout(this.labelTimers.get(doc.uri));
    this.labelRuns.get(doc.uri)?.cancel();
    this.schedule(doc, this.settings.editor.debounceMs);
  }

  closed(doc: LineDocument): void {
    clearTimeout(this.timers.get(doc.uri));
    // A background pass not yet started would run over the closed text and be kept for its next opening.
    clearTimeout(this.backgroundTimers.get(doc.uri));
    this.backgroundTimers.delete(doc.uri);
    clearTimeout(this.labelTimers.get(doc.uri));
    this.labelRuns.get(doc.uri)?.cancel();
    this.pendingChanges.delete(doc.uri);
    this.open.close(doc.uri);
    // A closed file keeps its problems: the workspace check reads it from disk again. An untitled
    // document has no file: its problems go with it.
    if (doc.uri.startsWith('file:')) void this.analyzeOnDisk(fileURLToPath(doc.uri));
    else void this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
  }

  /**
   * Checks a file on disk and sends its result. The check is one of the running checks: shown with
   * its progress once it takes more than a moment, and cancellable ("Cancel check"); a cancelled
   * check leaves the file's problems as they were.
   */
  private async analyzeOnDisk(file: string): Promise<Analyzed | undefined> {
    const uri = pathToFileURL(file).href;
    const check = new Check(uri, -1);
    this.diskChecks.set(uri, (this.diskChecks.get(uri) ?? new Set()).add(check));
    showProgress(this.connection, this.runningChecks, check, this.tr.t('Tuneset: checking {0}', path.basename(file)));
    try {
      // Open files are read from disk too: the workspace's leak check compares saved files.
      const stat = fs.statSync(file);
      const mtimeMs = stat.mtimeMs;
      this.diskStamps.set(uri, diskStamp(stat));
      const analysis = await this.diskAnalysis(file, check);
      if (!analysis) {
        this.log(`check of ${path.basename(file)} from disk cancelled`);
        return undefined;
      }
      // Deleted while it was read: its problems went with it (filesChanged) and must not come back.
      if (!fs.existsSync(file)) return undefined;
      const result = { uri, analysis, version: -1, mtimeMs };
      this.onDisk.set(uri, result);
      if (this.documents.get(uri)) return this.open.get(uri);
      this.publish(this.withLeaks(result));
      return result;
    } catch (e) {
      this.log(`cannot read ${file}: ${(e as Error).message}`);
      return undefined;
    } finally {
      check.end();
      const checks = this.diskChecks.get(uri);
      checks?.delete(check);
      if (checks?.size === 0) this.diskChecks.delete(uri);
    }
  }

  /**
   * A file's analysis from disk: a big file read whole (CSV, TSV, JSON, and JSON Lines up to
   * WORKER_JSONL_BYTES) in a worker thread, as a big document is, so that the server's thread stays free
   * for the documents being edited (a file saved while typed into, as auto-save does every second, is
   * checked from disk each time); undefined once the check is cancelled. Bigger JSON Lines files are
   * read by analyzeFile on every core (this thread takes a part); small files here at once.
   */
  private async diskAnalysis(file: string, check: Check): Promise<DatasetAnalysis | undefined> {
    const config = this.configs.of(file);
    const stat = fs.statSync(file);
    const jsonl = (containerOfPath(file) ?? 'jsonl') === 'jsonl';
    // Files that are not regular, or too big to read whole, get analyzeFile's message.
    const inWorker = stat.isFile() && stat.size >= WORKER_MIN_CHARS && stat.size < (jsonl ? Math.max(PARALLEL_BYTES, WORKER_JSONL_BYTES) : MAX_WHOLE_FILE_BYTES + 1);
    if (!inWorker) return analyzeFile(file, file, config, { fixes: true, rowIndex: true });
    return this.workers.analyze(file, fs.readFileSync(file), config, check, { rowIndex: true });
  }

  /**
   * cross-file-leak across the workspace: validation/test files against training files, from the
   * files' disk analyses; the files whose leak findings changed are published again.
   */
  private checkLeaks(cancelled: () => boolean): void {
    const analyses = new Map<string, DatasetAnalysis>();
    for (const [uri, r] of this.onDisk) analyses.set(fileURLToPath(uri), r.analysis);
    const found = findWorkspaceLeaks(analyses, this.configs.workspace, { fixes: true, cancelled });
    const next = new Map<string, Finding[]>();
    for (const [file, findings] of found) if (findings.length) next.set(pathToFileURL(file).href, findings);
    const touched = new Set([...this.leaks.keys(), ...next.keys()]);
    this.leaks = next;
    for (const uri of touched) {
      const doc = this.documents.get(uri);
      if (doc) void this.analyzeNow(doc);
      else {
        const r = this.onDisk.get(uri);
        if (r) this.publish(this.withLeaks(r));
      }
    }
  }

  /** Checks every dataset file of the workspace from disk (files VS Code will not sync, over 50 MB, included). */
  async checkWorkspace(): Promise<CheckWorkspaceRequest.Result> {
    if (this.scan) this.scan.cancel = true;
    const mine: { cancel: boolean } = (this.scan = { cancel: false });
    const files = listDatasetFiles(this.workspaceFolders, this.settings.excludes);
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin(this.tr.t('Tuneset: checking datasets'), 0, this.tr.t('{0} files', files.length), true);
    // Listed among the running checks (the client's "Cancel check") once it has taken more than a moment.
    let forget = () => {};
    const listed = setTimeout(() => (forget = this.runningChecks.add(this.tr.t('checking datasets'), () => (mine.cancel = true))), PROGRESS_AFTER_MS);
    let findings = 0;
    let done = 0;
    try {
      for (const file of files) {
        if (mine.cancel || progress.token.isCancellationRequested) break;
        progress.report(Math.round((100 * done) / Math.max(1, files.length)), path.basename(file));
        const r = await this.analyzeOnDisk(file);
        findings += r?.analysis.findings.length ?? 0;
        done++;
      }
      if (done === files.length) this.checkLeaks(() => mine.cancel || progress.token.isCancellationRequested);
    } finally {
      progress.done();
      clearTimeout(listed);
      forget();
    }
    const cancelled = done < files.length;
    // Files that were excluded or deleted since the last check lose their diagnostics.
    const current = new Set(files.map((f) => pathToFileURL(f).href));
    for (const uri of [...this.onDisk.keys()]) {
      if (!current.has(uri) && !cancelled) {
        this.onDisk.delete(uri);
        void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
    if (this.scan === mine) this.scan = undefined;
    this.log(`workspace check: ${done} of ${files.length} files, ${findings} findings${cancelled ? ' (cancelled)' : ''}`);
    return { files: done, findings, cancelled };
  }

  /** Files changed on disk: their analyses are made again once they settle (see settle()); a workspace folder's tuneset.json changes its files' settings. */
  async filesChanged(changes: { uri: string; type: number }[]): Promise<void> {
    const settingsFiles = new Set(this.workspaceFolders.map((folder) => path.join(folder, SETTINGS_FILE)));
    if (changes.some((c) => c.uri.startsWith('file:') && settingsFiles.has(fileURLToPath(c.uri)))) {
      return this.settingsChanged();
    }
    for (const change of changes) {
      if (!change.uri.startsWith('file:')) continue;
      const file = fileURLToPath(change.uri);
      if (change.type === 3) {
        clearTimeout(this.settling.get(change.uri));
        this.settling.delete(change.uri);
        this.diskStamps.delete(change.uri);
        // A check of the file still reading it (its close, the workspace scan) is of no use any more
        // and would hold a worker and a core for nothing.
        for (const check of this.diskChecks.get(change.uri) ?? []) check.cancel();
        this.onDisk.delete(change.uri);
        if (!this.documents.get(change.uri)) void this.connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
      } else if (isWorkspaceDatasetFile(file, this.workspaceFolders, this.settings.excludes)) {
        // The files the workspace scan would check, and only those (the watcher reports every .json).
        this.settle(change.uri, file, change.type === 1 ? 'created' : 'changed');
      } else if (this.onDisk.delete(change.uri) && !this.documents.get(change.uri)) {
        // A file that was checked and no longer looks like a dataset (a .json rewritten as settings) loses its problems.
        void this.connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
      }
    }
    this.checkLeaks(() => false);
  }

  /**
   * Reads a changed file once it has stayed as it is for DISK_SETTLE_MS. A save of a big file comes as
   * several events while it is written (code-server reported a 15 MB file at 5, 10 and 12 MB), and
   * VS Code's auto save (on by default in VS Code for the Web) saves every second while one types:
   * each read took a worker and a core for a second while the next keystroke's check waited.
   */
  private settle(uri: string, file: string, what: 'created' | 'changed'): void {
    clearTimeout(this.settling.get(uri));
    this.settling.set(uri, setTimeout(() => {
      this.settling.delete(uri);
      void this.readChanged(uri, file, what);
    }, DISK_SETTLE_MS));
  }

  private async readChanged(uri: string, file: string, what: 'created' | 'changed'): Promise<void> {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    // Gone meanwhile (its deletion says so), or as the server last read it (same time and size: a
    // watcher that reports what did not change).
    if (!stat || this.diskStamps.get(uri) === diskStamp(stat)) return;
    // An open document's diagnostics come from its text; its saved file is read only for the
    // workspace's leak check, which compares files with a split role alone (train, val, test…). It
    // is read again when the document closes.
    if (this.documents.get(uri) && !fileSplitRole(file, this.configs.workspace)) return;
    this.log(`${path.basename(file)} ${what} on disk: checking it`);
    await this.analyzeOnDisk(file);
    this.checkLeaks(() => false);
  }

  /** The analysis the server holds for a URI: the open document's, or the file's on disk with its leaks. */
  async analyzed(uri: string): Promise<Analyzed | undefined> {
    const disk = this.onDisk.get(uri);
    return (await this.current(uri)) ?? (disk && this.withLeaks(disk));
  }

  /**
   * The last analysis of an open document, whatever version it was made for, without waiting: for
   * what may lag a keystroke behind (the CodeLens summary, refreshed once the next check is out).
   */
  latest(uri: string): Analyzed | undefined {
    return this.documents.get(uri) ? this.open.get(uri) : undefined;
  }

  /** True when an open document has changes its last analysis has not seen (a check is due or running). */
  behind(uri: string): boolean {
    const doc = this.documents.get(uri);
    return !!doc && this.open.get(uri)?.version !== doc.version;
  }

  /** Called after every check of an open document that was sent to the client (the server refreshes the CodeLens). */
  onChecked: (result: Analyzed) => void = () => {};

  /**
   * The analysis the server holds for a URI (see analyzed()), or, for a dataset file on disk that it
   * has not checked (outside the workspace, or not scanned yet), one made now (the dataset view's rows).
   */
  async analyzedOrChecked(uri: string): Promise<Analyzed | undefined> {
    const held = await this.analyzed(uri);
    if (held || !uri.startsWith('file:')) return held;
    const file = fileURLToPath(uri);
    return isDatasetPath(file) && fs.existsSync(file) ? this.analyzeOnDisk(file) : undefined;
  }

  /**
   * The analysis of an open document as it is now: a request that arrives before the debounced check
   * (a command right after an edit or an open) has it made at once, and one that arrives while the
   * check of this version runs waits for it, instead of getting an old one. Other requests are
   * answered meanwhile: checks let them in between their slices.
   */
  async current(uri: string): Promise<Analyzed | undefined> {
    const doc = this.documents.get(uri);
    if (!doc || this.open.get(uri)?.version === doc.version) return this.open.get(uri);
    const running = this.open.running(uri);
    if (running?.version === doc.version) {
      await running.ended;
    } else {
      clearTimeout(this.timers.get(uri));
      await this.analyzeNow(doc);
    }
    return this.open.get(uri);
  }

  /** The settings a dataset file is read with (loadConfig's merge: editor settings, its tuneset.json). */
  /**
   * The analyses the server holds for a file, for the split panel's near-duplicate groups: the open
   * document's (unless its near-duplicate search is left to a background pass, as a big JSONL
   * document's is) with the text it was made from, and the one made from the file on disk.
   */
  async heldAnalyses(uri: string): Promise<{ analysis: DatasetAnalysis; text?: string; mtimeMs?: number }[]> {
    const held = this.documents.get(uri) && (await this.current(uri));
    const doc = this.documents.get(uri);
    const disk = this.onDisk.get(uri);
    return [
      ...(held && doc && held.version === doc.version && !this.open.needsBackground(doc) ? [{ analysis: held.analysis, text: doc.getText() }] : []),
      ...(disk ? [{ analysis: disk.analysis, mtimeMs: disk.mtimeMs }] : []),
    ];
  }

  configOf(file: string): Config {
    return this.configs.of(file);
  }

  dispose(): void {
    for (const t of [...this.timers.values(), ...this.backgroundTimers.values(), ...this.labelTimers.values(), ...this.settling.values()]) clearTimeout(t);
    for (const run of this.labelRuns.values()) run.cancel();
    clearTimeout(this.tokenizerTimer);
    this.open.dispose();
    this.workers.dispose();
  }
}

/** Diagnostics as text without their data (which carries the document version they were made for). */
function findingsSignature(diagnostics: { data?: unknown }[]): string {
  return JSON.stringify(diagnostics, (key, value) => (key === 'data' ? undefined : value));
}
