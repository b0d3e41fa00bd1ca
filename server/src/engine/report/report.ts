// Room: report. What is shown of an analysis: statistics (stats.ts, made by the analysis), the
// quality report as plain JSON (this file), rendered as HTML (reportHtml.ts) and Markdown
// (reportMarkdown.ts), with the wording's diversity (diversity.ts) and train/val/test compared (splitComparison.ts).
import type { ConversationStats } from './conversations';
import type { DatasetAnalysis } from '../analysis/analyze';
import { DEFAULT_CONFIG, type Config } from '../config';
import type { Diversity } from './diversity';
import { RULES, ruleDocsUrl, type RuleInfo } from '../rules/catalog';
import type { SplitComparison } from './splitComparison';
import type { LabelCheck, SplitLearningCurve } from '../rules/labelErrors';
import { labelQualitySection, type LabelQualitySection } from './labelQualitySection';
import type { Distribution, Histogram, QualityScore } from './stats';
import { SEVERITY_ORDER, type ContainerKind, type FormatName, type Severity } from '../types';

/**
 * The quality report of one dataset file as plain JSON data: everything the panel, the HTML export
 * and the Markdown data card show, built from the engine's statistics only (never from rows again).
 */

export interface QualityReport {
  /** Bumped when a field changes meaning, so a page can refuse data it does not understand. */
  version: 1;
  header: ReportHeader;
  /** Null for formats without labels. */
  labels: LabelSection | null;
  lengths: LengthSection;
  /** Rules with findings, worst severity first, then most findings. */
  findings: RuleFindings[];
  nearDuplicates: NearDuplicateSection;
  /** Null when the host did not feed the rows' texts to computeDiversity. */
  diversity: Diversity | null;
  /** Null when the file has no train/val/test siblings. */
  splits: SplitComparison | null;
  /** The label model's figures; absent when the host ran no label model (not a classification file). */
  labelQuality?: LabelQualitySection;
  /** A chat dataset's roles and turns (set by the host with withConversations; absent for other formats). */
  conversations?: ConversationStats;
}

export interface ReportHeader {
  path: string;
  format: FormatName;
  container: ContainerKind;
  /** The fields the format was detected on, e.g. { text: 'review', label: 'stars' }. */
  fields: Record<string, string>;
  rows: number;
  validRows: number;
  /** The score and the penalties that lower it, largest first. */
  quality: QualityScore;
  findingsBySeverity: Record<Severity, number>;
  rowsWithErrors: number;
  rowsWithWarnings: number;
  duplicateRows: number;
  duplicateGroups: number;
  /** Rows per language by script, most first (rows without letters left out). */
  languages: { name: string; rows: number; share: number }[];
  /** ISO time the host made the report, when it says so (left out, a report is reproducible byte for byte). */
  generatedAt?: string;
}

export interface LabelShare {
  name: string;
  count: number;
  /** count over labelled rows. */
  share: number;
  /** Flagged by the rare-label rule: fewer rows than the minimum, in a file with enough rows to judge. */
  rare: boolean;
}

export interface LabelSection {
  /** Most common first. */
  labels: LabelShare[];
  labelled: number;
  /** 1 − Σ(n_c/N − 1/C)²: 1 is perfectly balanced. */
  balanceIndex: number;
  rareLabelMin: number;
}

export interface LengthSection {
  unit: 'tokens';
  /** Token counts are estimated from UTF-8 bytes with a ratio calibrated on an exact sample. */
  estimated: true;
  bytesPerToken: number;
  distribution: Distribution;
  histogram: Histogram;
  /** The configured context length, drawn as a line on the histogram. */
  maxTokens: number;
  /** Rows over maxTokens (token-limit findings, counted exactly). */
  overLimit: number;
  /** Rows far from the typical length (length-outlier findings). */
  lengthOutliers: number;
  /** Single fields over the per-field limit (too-long findings). */
  tooLong: number;
  chars: Distribution;
}

export interface FindingExample {
  line: number;
  column: number;
  message: string;
  /** The row's text, cut to EXAMPLE_TEXT_CHARS (the host adds it when it has the rows: withExampleTexts). */
  text?: string;
}

/** How much of a row's text a report example shows. */
export const EXAMPLE_TEXT_CHARS = 240;

/** The report with each example's row text, from the texts of the rows by line (those the host read). */
export function withExampleTexts(report: QualityReport, textOf: (line: number) => string | undefined): QualityReport {
  return {
    ...report,
    findings: report.findings.map((f) => ({
      ...f,
      examples: f.examples.map((e) => {
        const text = textOf(e.line);
        return text === undefined ? e : { ...e, text: text.length > EXAMPLE_TEXT_CHARS ? `${text.slice(0, EXAMPLE_TEXT_CHARS)}…` : text };
      }),
    })),
  };
}

/** The lines a report's examples will name (the first EXAMPLES_PER_RULE findings of each rule), so a host reading the rows keeps only their texts. */
export function exampleLines(analysis: DatasetAnalysis, perRule = EXAMPLES_PER_RULE): Set<number> {
  const taken = new Map<string, number>();
  const lines = new Set<number>();
  for (const f of analysis.findings) {
    const n = taken.get(f.rule) ?? 0;
    if (n >= perRule) continue;
    taken.set(f.rule, n + 1);
    lines.add(f.line);
  }
  return lines;
}

export interface RuleFindings {
  rule: string;
  family: RuleInfo['family'] | 'other';
  severity: Severity;
  count: number;
  /** What the rule means, from the rule catalogue. */
  summary: string;
  docsUrl: string;
  /** The first findings in file order, so a click can list (and reveal) their rows; count may be larger. */
  examples: FindingExample[];
}

export interface NearDuplicateCluster {
  /** Rows in the cluster. */
  size: number;
  /** The lowest verified Jaccard similarity between two of its rows (0–1). */
  similarity: number;
  /** Lines of its rows in file order; the first is the one a fix keeps. */
  lines: number[];
  /** The least similar pair (lines): the cluster's first row and a member, at `similarity`. */
  pair?: [number, number];
}

export interface NearDuplicateSection {
  /** False until a host has run near-duplicate detection; the page then says so instead of "none found". */
  computed: boolean;
  /** Jaccard threshold the clusters were found with. */
  threshold?: number;
  /** Largest first. */
  clusters: NearDuplicateCluster[];
}

export interface ReportExtras {
  /** Settings the analysis ran with: the token limit and the rare-label minimum come from here. */
  config?: Pick<Config, 'maxTokens' | 'thresholds'>;
  diversity?: Diversity;
  splits?: SplitComparison;
  nearDuplicates?: { threshold: number; clusters: NearDuplicateCluster[] };
  /** Examples kept per rule (default 100). */
  examplesPerRule?: number;
  /** The label model's check of the file (labelCheckSteps), for the "Label quality" section. */
  labelCheck?: LabelCheck;
  /** With split files: the learning curve learned on the training file and scored on a held-out one (it replaces the k-fold curve). */
  splitCurve?: SplitLearningCurve;
  generatedAt?: string;
}

export const EXAMPLES_PER_RULE = 100;

/** Builds the quality report of an analyzed file. */
export function buildReport(analysis: DatasetAnalysis, extras: ReportExtras = {}): QualityReport {
  const s = analysis.stats;
  const config = extras.config ?? DEFAULT_CONFIG;
  const header: ReportHeader = {
    path: analysis.path,
    format: analysis.format,
    container: analysis.container,
    fields: { ...analysis.fields },
    rows: s.rows,
    validRows: s.validRows,
    quality: s.quality,
    findingsBySeverity: s.findingsBySeverity,
    rowsWithErrors: s.rowsWithErrors,
    rowsWithWarnings: s.rowsWithWarnings,
    duplicateRows: s.duplicateRows,
    duplicateGroups: s.duplicateGroups,
    languages: s.languages,
  };
  if (extras.generatedAt) header.generatedAt = extras.generatedAt;
  // The rare-label rule decides (it also waits for enough rows to judge and leaves label variants to
  // label-variant), so the chart marks exactly the labels the Problems panel warns about.
  const rare = new Set(analysis.findings.filter((f) => f.rule === 'rare-label').map((f) => String(f.data?.label)));
  const labels: LabelSection | null = s.labels.length
    ? {
        labels: s.labels.map((l) => ({ name: l.name, count: l.count, share: l.share, rare: rare.has(l.name) })),
        labelled: s.labels.reduce((n, l) => n + l.count, 0),
        balanceIndex: s.balanceIndex,
        rareLabelMin: config.thresholds.rareLabelMin,
      }
    : null;
  const { estimated: _estimated, bytesPerToken, sampledTexts: _sampled, exactRows: _exact, ...tokenDistribution } = s.tokens;
  const lengths: LengthSection = {
    unit: 'tokens',
    estimated: true,
    bytesPerToken,
    distribution: tokenDistribution,
    histogram: s.tokenHistogram,
    maxTokens: config.maxTokens,
    overLimit: s.findingsByRule['token-limit'] ?? 0,
    lengthOutliers: s.findingsByRule['length-outlier'] ?? 0,
    tooLong: s.findingsByRule['too-long'] ?? 0,
    chars: s.chars,
  };
  const near = extras.nearDuplicates;
  const labelQuality = extras.labelCheck && labelQualitySection(extras.labelCheck, extras.splitCurve);
  return {
    version: 1,
    header,
    labels,
    lengths,
    findings: findingsPerRule(analysis, extras.examplesPerRule ?? EXAMPLES_PER_RULE),
    nearDuplicates: near
      ? { computed: true, threshold: near.threshold, clusters: [...near.clusters].sort((a, b) => b.size - a.size || b.similarity - a.similarity) }
      : { computed: false, clusters: [] },
    diversity: extras.diversity ?? null,
    splits: extras.splits ?? null,
    ...(labelQuality ? { labelQuality } : {}),
  };
}

/** One entry per rule with findings: counts from the statistics, examples from the findings in file order. */
function findingsPerRule(analysis: DatasetAnalysis, perRule: number): RuleFindings[] {
  const byRule = new Map<string, RuleFindings>();
  for (const [rule, count] of Object.entries(analysis.stats.findingsByRule)) {
    const info = (RULES as Record<string, RuleInfo | undefined>)[rule];
    byRule.set(rule, {
      rule,
      family: info?.family ?? 'other',
      severity: info?.severity ?? 'info',
      count,
      summary: info?.summary ?? '',
      docsUrl: ruleDocsUrl(rule),
      examples: [],
    });
  }
  const seen = new Set<string>();
  for (const f of analysis.findings) {
    const entry = byRule.get(f.rule);
    if (!entry) continue;
    // The severity the findings carry is the configured one; the catalogue only has the default.
    if (!seen.has(f.rule) || SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[entry.severity]) entry.severity = f.severity;
    seen.add(f.rule);
    if (entry.examples.length < perRule) entry.examples.push({ line: f.line, column: f.column, message: f.message });
  }
  return [...byRule.values()].sort(
    (a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity] || b.count - a.count || (a.rule < b.rule ? -1 : 1),
  );
}
