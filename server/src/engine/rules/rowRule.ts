import type { JsonPath } from '../read/jsonScan';
import type { Thresholds } from '../config';
import type { RuleId } from './catalog';
import type { RelatedLocation } from '../types';
import type { TextPart } from '../schema/extract';
import type { TextProfile } from '../text/profile';

/** Where in a row a finding points: a field's value, optionally a slice of its decoded text. */
export interface Target {
  path?: JsonPath;
  /** Offsets into the decoded field value (end exclusive). */
  start?: number;
  end?: number;
}

/** A quick fix described on decoded values; the engine encodes it into text edits for the row's container. */
export type FixSpec =
  /** `json`: the value is JSON text written as it is (a number label stays a number); else a string. */
  | { title: string; kind: 'set-value'; path: JsonPath; value: string; json?: boolean }
  | { title: string; kind: 'delete-row' }
  | { title: string; kind: 'replace-row'; text: string }
  /** The value at `path` made again from what it is (a rule that decides on a file's facts, without the row's text). */
  | { title: string; kind: 'map-value'; path: JsonPath; map: (value: string) => string };

export interface RowReport {
  rule: RuleId;
  message: string;
  target?: Target;
  related?: RelatedLocation[];
  data?: Record<string, unknown>;
  fix?: FixSpec;
  /** Verified Jaccard similarity to the related row (near-duplicate, cross-file-leak, near-identical conflicting-labels). */
  similarity?: number;
  /** The near-duplicate cluster's number in the file (1-based, in the order of the clusters' first rows). */
  cluster?: number;
}

export type Report = (r: RowReport) => void;

/** Context every per-text rule receives. */
export interface PartContext {
  part: TextPart;
  profile: TextProfile;
  thresholds: Thresholds;
  report: Report;
}

/** Replaces [start, end) of a text; used by fixes that redact or repair part of a value. */
export function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
