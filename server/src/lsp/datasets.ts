import { Worker } from 'node:worker_threads';
import { analyzeDataset, IncrementalDataset, isDatasetPath, isJsonDataset, isJsonlPath, toBytes, type DatasetAnalysis, type Finding, type LineEdit } from '../engine';
import type { Settings } from './settings';

/** A document's analysis and the version of the text it was made from. */
export interface Analyzed {
  uri: string;
  analysis: DatasetAnalysis;
  /** The document version analyzed; -1 for files read from disk. */
  version: number;
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

interface NearDuplicatePass {
  findings: Finding[];
  clusters: number;
  rows: number;
  lineCount: number;
}

/** The fast analysis with the background pass's near-duplicate findings and counts merged in. */
function withNearDuplicates(a: DatasetAnalysis, near: NearDuplicatePass): DatasetAnalysis {
  const findings = a.findings.concat(near.findings).sort((x, y) => x.line - y.line || x.column - y.column);
  const summary = { ...a.summary };
  for (const f of near.findings) summary[f.rule] = (summary[f.rule] ?? 0) + 1;
  return { ...a, findings, summary, stats: { ...a.stats, nearDuplicateClusters: near.clusters, nearDuplicateRows: near.rows } };
}

function pathOf(uri: string): string {
  return decodeURIComponent(uri.replace(/^file:\/\//, ''));
}

/** True for documents the server analyzes: dataset extensions, and .json only when it holds an array of objects. */
export function isDatasetDocument(uri: string, text: string): boolean {
  const p = pathOf(uri);
  if (!isDatasetPath(p)) return false;
  return !p.toLowerCase().endsWith('.json') || isJsonDataset(text.slice(0, 4096));
}

/**
 * The open datasets: JSONL documents keep an incremental model that only re-analyzes changed
 * lines; CSV and JSON documents are analyzed whole (they are rarely large enough to matter).
 */
export class OpenDatasets {
  private readonly models = new Map<string, IncrementalDataset>();
  private readonly results = new Map<string, Analyzed>();
  /** Near-duplicate findings of big open documents, from the last background pass. */
  private readonly near = new Map<string, NearDuplicatePass>();

  /** Models made from a file's text on disk for a document about to open (see prepare()), until it does. */
  private readonly prepared = new Map<string, { lines: string[]; model: IncrementalDataset; analysis: DatasetAnalysis }>();

  constructor(private settings: Settings) {}

  /**
   * Analyzes a JSONL file's lines read from disk (its text split at '\n') for a document about to be
   * opened, as analyze() would the document: the document's analysis adopts the model when its text
   * turns out to be the same. Undefined for other files.
   */
  prepare(uri: string, lines: string[]): DatasetAnalysis | undefined {
    const path = pathOf(uri);
    if (!isJsonlPath(path)) return undefined;
    const model = this.newModel(path, lines.length);
    model.setLines(lines);
    const analysis = model.analyze();
    this.prepared.set(uri, { lines, model, analysis });
    return analysis;
  }

  /**
   * The editor's model of a JSONL document. Big files leave the file-wide near-duplicate search to a
   * background pass (see background()); token statistics wait for the tokenizer (the server loads it
   * once the first diagnostics are out).
   */
  private newModel(path: string, lineCount: number): IncrementalDataset {
    return new IncrementalDataset(path, this.settings.config, { fixes: true, nearDuplicates: lineCount <= INLINE_NEAR_DUPLICATE_LINES }, true);
  }

  /** Feeds the document's changes to its model (JSONL); call for every didChange, in order. */
  change(uri: string, changes: ContentChange[]): void {
    const model = this.models.get(uri);
    if (!model) return;
    for (const c of changes) {
      if (c.range) model.applyEdit({ start: c.range.start, end: c.range.end, text: c.text });
      else model.setText(c.text);
    }
  }

  /** Analyzes the document's current text (the model's, for JSONL, which must agree with it). */
  analyze(doc: DocumentText): Analyzed {
    const { uri, version } = doc;
    const path = pathOf(uri);
    let analysis: DatasetAnalysis;
    if (isJsonlPath(path)) {
      let model = this.models.get(uri);
      const ready = this.prepared.get(uri);
      this.prepared.delete(uri);
      if (!model && ready && doc.sameLines(ready.lines)) {
        // Opened as it is on disk: the model made from the file meanwhile is this document's.
        this.models.set(uri, ready.model);
        analysis = ready.analysis;
      } else {
        if (!model || model.lineCount !== doc.lineCount) {
          // New, or out of step with the document (a missed change): start again from its text.
          model = this.newModel(path, doc.lineCount);
          model.setText(doc.getText());
          this.models.set(uri, model);
        }
        analysis = model.analyze();
      }
    } else {
      analysis = analyzeDataset(path, toBytes(doc.getText()), this.settings.config, { fixes: true });
    }
    const near = this.near.get(uri);
    // Background near-duplicate findings stay while the line count holds (their lines still point right).
    if (near && near.lineCount === doc.lineCount && doc.lineCount > INLINE_NEAR_DUPLICATE_LINES) analysis = withNearDuplicates(analysis, near);
    const result = { uri, analysis, version };
    this.results.set(uri, result);
    return result;
  }

  /** True when the document is big enough that near-duplicates come from the background pass. */
  needsBackground(doc: DocumentText): boolean {
    return isJsonlPath(pathOf(doc.uri)) && doc.lineCount > INLINE_NEAR_DUPLICATE_LINES;
  }

  /** Runs the near-duplicate search for a big open document in a worker thread; resolves when it is stored. */
  async background(doc: DocumentText, workerFile: string): Promise<boolean> {
    const text = doc.getText();
    const lineCount = doc.lineCount;
    const result = await new Promise<{ findings: Finding[]; clusters: number; rows: number }>((resolve, reject) => {
      const worker = new Worker(workerFile, { workerData: { path: pathOf(doc.uri), text, config: this.settings.config } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    this.near.set(doc.uri, { ...result, lineCount });
    return true;
  }

  /** Stores a result (e.g. with findings merged in from the workspace) as the one actions and hovers use. */
  keep(result: Analyzed): Analyzed {
    this.results.set(result.uri, result);
    return result;
  }

  get(uri: string): Analyzed | undefined {
    return this.results.get(uri);
  }

  close(uri: string): void {
    this.prepared.delete(uri);
    this.near.delete(uri);
    this.models.delete(uri);
    this.results.delete(uri);
  }
}
