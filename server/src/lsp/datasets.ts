import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  analyzeDataset, IncrementalDataset, isDatasetPath, isJsonDataset, isJsonlPath, toBytes, withExtraFindings, type Config, type DatasetAnalysis, type Finding, type LineEdit,
} from '../engine';
import { Check, runInSlices } from './checks';
import type { CheckWorkers } from './checkWorkers';

/** A document's analysis and the version of the text it was made from. */
export interface Analyzed {
  uri: string;
  analysis: DatasetAnalysis;
  /** The document version analyzed; -1 for files read from disk. */
  version: number;
  /** For a file read from disk: its modification time just before it was read. */
  mtimeMs?: number;
}

/** A change as the LSP sends it: with a range (incremental) or the full text. */
export interface ContentChange {
  range?: { start: LineEdit['start']; end: LineEdit['end'] };
  text: string;
}

/** The part of a TextDocument the analysis needs. */
export interface DocumentText {
  uri: string;
  version: number;
  lineCount: number;
  getText(): string;
  /** Whether the text is these lines joined with '\n'. */
  sameLines(lines: string[]): boolean;
}

/** Up to this many lines, near-duplicates are searched on every check; beyond, in the background. */
const INLINE_NEAR_DUPLICATE_LINES = 20000;

/**
 * CSV and JSON documents of more characters than this are checked in a worker thread: a whole
 * analysis takes ~0.1 s a megabyte, and the server answers nothing while one runs on its thread.
 */
export const WORKER_MIN_CHARS = 256 * 1024;

/**
 * Slices (ms) of the check of a file about to open. Its didOpen follows at once, tens of megabytes
 * crossing the protocol while the check runs, and any message sent after it waits for all of it:
 * between short slices the server would mostly read and decode that text (~0.15 s for 32 MB) in
 * the middle of the check, and the file's first diagnostics would come that much later (measured:
 * 0.78 s unsliced, 0.78 s with 100 ms slices, 0.8-1.05 s with 30 ms ones, for 100,000 rows).
 */
const DISK_CHECK_SLICE_MS = 100;

/** What the label model's background pass found for a version of a document. */
export interface LabelPass {
  version: number;
  findings: Finding[];
  labelQuality: Record<string, unknown>;
}

interface NearDuplicatePass {
  findings: Finding[];
  clusters: number;
  rows: number;
  lineCount: number;
}

/** The file of a file: URI (as the host layer names it, for settings and extensions), else the URI's path. */
function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(uri.replace(/^[a-z]+:(\/\/)?/i, ''));
}

/** True for documents the server analyzes: dataset extensions, and .json only when it holds an array of objects. */
export function isDatasetDocument(uri: string, text: string): boolean {
  const p = pathOf(uri);
  if (!isDatasetPath(p)) return false;
  return !p.toLowerCase().endsWith('.json') || isJsonDataset(text.slice(0, 4096));
}

/** A model made from a file's text on disk for a document about to open, with its analysis once made. */
interface Prepared {
  lines: string[];
  model: IncrementalDataset;
  analysis?: DatasetAnalysis;
}

/** What the server adds to the open datasets' checks. */
export interface OpenDatasetsHooks {
  /** Hears of every check as it starts (the server shows the progress of long ones). */
  started(check: Check): void;
  /** Findings made elsewhere for a document's file (the workspace check's cross-file leaks), merged into its analyses. */
  extraFindings(uri: string): Finding[] | undefined;
}

/**
 * The open datasets: JSONL documents keep an incremental model that only re-analyzes changed
 * lines; CSV and JSON documents are analyzed whole, in a worker thread when they are big. A check
 * of a big document never holds the server's thread for long: the model's steps run a slice at a
 * time, and each document has at most one check running (a newer one cancels it).
 */
export class OpenDatasets {
  private readonly models = new Map<string, IncrementalDataset>();
  private readonly results = new Map<string, Analyzed>();
  /** Near-duplicate findings of big open documents, from the last background pass. */
  private readonly near = new Map<string, NearDuplicatePass>();
  /** The check running for each document, until it ends. */
  private readonly checks = new Map<string, Check>();
  /** possible-label-error findings and the label model's figures of open documents, by the version they were made from. */
  private readonly labels = new Map<string, LabelPass>();

  /** The background near-duplicate pass running for each document (see background()). */
  private readonly backgroundWorkers = new Map<string, Worker>();
  /** Every OpenDatasets' background passes still running (not stopped, not ended), for tests to count. */
  static liveWorkers = 0;

  /** Models made from a file's text on disk for a document about to open (see prepare()), until it does. */
  private readonly prepared = new Map<string, Prepared>();

  /** `configOf` gives the settings a dataset file is read with (DatasetConfigs'). */
  constructor(private readonly configOf: (path: string) => Config, private readonly workers: CheckWorkers, private readonly hooks: OpenDatasetsHooks) {}

  /**
   * Analyzes a JSONL file's lines read from disk (its text split at '\n') for a document about to be
   * opened, as analyze() would the document: the document's analysis adopts the model when its text
   * turns out to be the same (and goes on with it, if this check has not ended). Undefined for other
   * files, and when the check was cancelled.
   */
  async prepare(uri: string, lines: string[]): Promise<DatasetAnalysis | undefined> {
    const path = pathOf(uri);
    if (!isJsonlPath(path)) return undefined;
    const model = this.newModel(path, lines.length);
    model.setLines(lines);
    const ready: Prepared = { lines, model };
    this.prepared.set(uri, ready);
    const check = this.startCheck(uri, -1);
    try {
      ready.analysis = await runInSlices(model.steps(), check, DISK_CHECK_SLICE_MS);
      return check.cancelled ? undefined : ready.analysis;
    } finally {
      this.endCheck(check);
    }
  }

  /** The check running for a document, if one is. */
  running(uri: string): Check | undefined {
    return this.checks.get(uri);
  }

  /** True while any document is being checked. */
  get checking(): boolean {
    return this.checks.size > 0;
  }

  /** Starts a document's check; the one running for it, of an older text, is cancelled. */
  private startCheck(uri: string, version: number): Check {
    this.checks.get(uri)?.cancel();
    const check = new Check(uri, version);
    this.checks.set(uri, check);
    this.hooks.started(check);
    return check;
  }

  private endCheck(check: Check): void {
    if (this.checks.get(check.uri) === check) this.checks.delete(check.uri);
    check.end();
  }

  /** Cancels every check (the settings changed: they are checked again with the new ones). */
  cancelAll(): void {
    for (const check of this.checks.values()) check.cancel();
  }

  /**
   * The editor's model of a JSONL document. Big files leave the file-wide near-duplicate search to a
   * background pass (see background()); token statistics wait for the tokenizer (the server loads it
   * once the first diagnostics are out).
   */
  private newModel(path: string, lineCount: number): IncrementalDataset {
    return new IncrementalDataset(path, this.configOf(path), { fixes: true, nearDuplicates: lineCount <= INLINE_NEAR_DUPLICATE_LINES }, true);
  }

  /**
   * Feeds the document's changes to its model (JSONL); call for every didChange, in order. The check
   * running on the model is cancelled first: its lines must not move under it.
   */
  change(uri: string, changes: ContentChange[]): void {
    if (changes.length) this.stopBackground(uri);
    const model = this.models.get(uri);
    if (!model || changes.length === 0) return;
    this.checks.get(uri)?.cancel();
    for (const c of changes) {
      if (c.range) model.applyEdit({ start: c.range.start, end: c.range.end, text: c.text });
      else model.setText(c.text);
    }
  }

  /**
   * Checks the document's current text (the model's, for JSONL, which must agree with it); the
   * check running for it is cancelled. Resolves undefined when this one is cancelled in turn (a
   * newer text, the document closed, the user): its result would be out of date. The result is the
   * one get() gives by the time the check has ended.
   */
  async analyze(doc: DocumentText): Promise<Analyzed | undefined> {
    const { uri, version, lineCount } = doc;
    const check = this.startCheck(uri, version);
    try {
      const analysis = isJsonlPath(pathOf(uri)) ? await this.analyzeModel(doc, check) : await this.analyzeWhole(doc, check);
      if (!analysis || check.cancelled) return undefined;
      const result = { uri, analysis: this.withFindingsFromElsewhere(uri, lineCount, version, analysis), version };
      this.results.set(uri, result);
      return result;
    } finally {
      this.endCheck(check);
    }
  }

  /** An analysis with the background pass's near-duplicates and the workspace check's findings merged in. */
  private withFindingsFromElsewhere(uri: string, lineCount: number, version: number, analysis: DatasetAnalysis): DatasetAnalysis {
    const near = this.near.get(uri);
    // Background near-duplicate findings stay while the line count holds (their lines still point right).
    if (near && near.lineCount === lineCount && lineCount > INLINE_NEAR_DUPLICATE_LINES) analysis = withExtraFindings(analysis, near.findings, near);
    // The label model's findings hold for the text they were made from only: their quick fixes rewrite a row as it was.
    const labels = this.labels.get(uri);
    if (labels && labels.version === version) analysis = { ...withExtraFindings(analysis, labels.findings), labelQuality: labels.labelQuality };
    const extra = this.hooks.extraFindings(uri);
    return extra?.length ? withExtraFindings(analysis, extra) : analysis;
  }

  /** A JSONL document's analysis, from its model (the one made from the file as it opened, when the text is the same). */
  private analyzeModel(doc: DocumentText, check: Check): Promise<DatasetAnalysis | undefined> | DatasetAnalysis {
    const { uri } = doc;
    let model = this.models.get(uri);
    const ready = this.prepared.get(uri);
    this.prepared.delete(uri);
    if (!model && ready && doc.sameLines(ready.lines)) {
      // Opened as it is on disk: the model made from the file meanwhile is this document's (its
      // check, if still running, was cancelled by this one, which goes on from where it stopped).
      this.models.set(uri, ready.model);
      if (ready.analysis) return ready.analysis;
      model = ready.model;
    } else if (!model || model.lineCount !== doc.lineCount) {
      // New, or out of step with the document (a missed change): start again from its text.
      model = this.newModel(pathOf(uri), doc.lineCount);
      model.setText(doc.getText());
      this.models.set(uri, model);
    }
    return runInSlices(model.steps(), check);
  }

  /** A CSV or JSON document's analysis, made whole: in a worker thread when the text is big. */
  private analyzeWhole(doc: DocumentText, check: Check): Promise<DatasetAnalysis | undefined> | DatasetAnalysis {
    const text = doc.getText();
    const path = pathOf(doc.uri);
    if (text.length < WORKER_MIN_CHARS) return analyzeDataset(path, toBytes(text), this.configOf(path), { fixes: true });
    return this.workers.analyze(path, text, this.configOf(path), check);
  }

  /** True when the document is big enough that near-duplicates come from the background pass. */
  needsBackground(doc: DocumentText): boolean {
    return isJsonlPath(pathOf(doc.uri)) && doc.lineCount > INLINE_NEAR_DUPLICATE_LINES;
  }

  /**
   * Runs the near-duplicate search for a big open document in a worker thread; resolves true when it is
   * stored, false when it was stopped. One pass runs per document: a newer pass or an edit stops the one
   * running (its result would be of an older text, and several passes over 100k rows at once took the
   * machine's two cores for tens of seconds, the editor's status bar waiting behind them).
   */
  async background(doc: DocumentText, workerFile: string): Promise<boolean> {
    this.stopBackground(doc.uri);
    const text = doc.getText();
    const lineCount = doc.lineCount;
    const worker = new Worker(workerFile, { workerData: { path: pathOf(doc.uri), text, config: this.configOf(pathOf(doc.uri)) } });
    this.backgroundWorkers.set(doc.uri, worker);
    this.counted.add(worker);
    OpenDatasets.liveWorkers++;
    try {
      const result = await new Promise<{ findings: Finding[]; clusters: number; rows: number } | undefined>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', () => resolve(undefined));
      }).finally(() => {
        // Ended (its answer posted, or it stopped): counted off once, whether or not it was stopped first.
        if (this.counted.delete(worker)) OpenDatasets.liveWorkers--;
      });
      if (!result) return false;
      this.near.set(doc.uri, { ...result, lineCount });
      return true;
    } finally {
      if (this.backgroundWorkers.get(doc.uri) === worker) this.backgroundWorkers.delete(doc.uri);
    }
  }

  /** Background workers not yet counted off OpenDatasets.liveWorkers. */
  private readonly counted = new Set<Worker>();

  /** Stops a document's background near-duplicate pass, if one runs. */
  private stopBackground(uri: string): void {
    const worker = this.backgroundWorkers.get(uri);
    if (!worker) return;
    if (this.counted.delete(worker)) OpenDatasets.liveWorkers--;
    void worker.terminate();
    this.backgroundWorkers.delete(uri);
  }

  /** Stops every check and background pass: these datasets are replaced (the settings changed) or the server stops. */
  dispose(): void {
    this.cancelAll();
    for (const uri of [...this.backgroundWorkers.keys()]) this.stopBackground(uri);
  }

  /** Keeps the label model's result for a version of a document (merged by its next check of that version). */
  setLabelPass(uri: string, pass: LabelPass): void {
    this.labels.set(uri, pass);
  }

  /** The version of a document the label model's last result is of, if any. */
  labelPassVersion(uri: string): number | undefined {
    return this.labels.get(uri)?.version;
  }

  get(uri: string): Analyzed | undefined {
    return this.results.get(uri);
  }

  close(uri: string): void {
    this.checks.get(uri)?.cancel();
    this.stopBackground(uri);
    this.prepared.delete(uri);
    this.near.delete(uri);
    this.labels.delete(uri);
    this.models.delete(uri);
    this.results.delete(uri);
  }
}
