/** Shared value types of the engine. Positions are 1-based; columns count UTF-16 code units, as editors do. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedLocation {
  /** Omitted when the location is in the same file. */
  path?: string;
  line: number;
  column?: number;
  message?: string;
}

/** One text replacement; the server turns a list of these into a WorkspaceEdit. */
export interface TextEdit extends Range {
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding extends Range {
  rule: string;
  severity: Severity;
  message: string;
  related?: RelatedLocation[];
  /** Set only when the analysis was asked for fixes (the editor does, the CLI does not). */
  fix?: Fix;
  /** The lines of the whole row (editor mode only), so "delete this row" removes all of a multi-line record. */
  row?: { line: number; endLine: number };
  /** Rule-specific payload for quick fixes and hovers (e.g. the canonical label of a variant). */
  data?: Record<string, unknown>;
  /** Verified Jaccard similarity (0–1) to the related row: near-duplicate, cross-file-leak, near-identical conflicting-labels. */
  similarity?: number;
  /** near-duplicate: the cluster's number in the file (1-based, in the order of the clusters' first rows). */
  cluster?: number;
}

export type ContainerKind = 'jsonl' | 'csv' | 'json';

export type FormatName =
  | 'classification'
  | 'instruction'
  | 'chat'
  | 'sharegpt'
  | 'prompt-completion'
  | 'preference'
  | 'text'
  | 'unknown';
