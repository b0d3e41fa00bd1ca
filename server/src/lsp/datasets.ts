import { analyzeDataset, IncrementalDataset, isDatasetPath, isJsonDataset, toBytes, type DatasetAnalysis, type LineEdit } from '../engine';
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

  constructor(private settings: Settings) {}

  configure(settings: Settings): void {
    this.settings = settings;
    this.models.clear();
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
    if (/\.(jsonl|ndjson)$/i.test(path)) {
      let model = this.models.get(uri);
      if (!model || model.lineCount !== doc.lineCount) {
        // New, or out of step with the document (a missed change): start again from its text.
        model = new IncrementalDataset(path, this.settings.config, { fixes: true });
        model.setText(doc.getText());
        this.models.set(uri, model);
      }
      analysis = model.analyze();
    } else {
      analysis = analyzeDataset(path, toBytes(doc.getText()), this.settings.config, { fixes: true });
    }
    const result = { uri, analysis, version };
    this.results.set(uri, result);
    return result;
  }

  get(uri: string): Analyzed | undefined {
    return this.results.get(uri);
  }

  close(uri: string): void {
    this.models.delete(uri);
    this.results.delete(uri);
  }
}
