import { findingCounts, type FindingCounts } from '../report/stats';
import type { Finding, Severity } from '../types';

/**
 * A cap on the findings an analysis keeps per rule, so that memory is bounded by design: a
 * million-row templated file makes a duplicate, a conflict and a PII finding on every row, and
 * keeping them all as objects took 2.8 GB. Findings over the cap are counted, not made: the
 * counts per rule and severity, and which rows had errors or warnings, stay exact, so the summary
 * and the quality score are the same as without the cap.
 */

/** What was counted but not kept: plain data, so a worker thread can post it. */
export interface OmittedFindings {
  /** Findings not kept, per rule and severity. */
  byRule: Record<string, Partial<Record<Severity, number>>>;
  /** Per line (index = 1-based line): 2 when an omitted finding there is an error, 1 a warning. */
  lines: Uint8Array;
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0, hint: 0 };

/** Rules whose finding sits on line 1 for the whole file, not for a row (findingCounts leaves them out of row counts). */
const FILE_RULES = new Set(['label-imbalance']);

export class FindingBudget {
  private readonly kept = new Map<string, number>();
  private readonly byRule: OmittedFindings['byRule'] = {};
  private lines = new Uint8Array(1024);
  private any = false;

  constructor(readonly perRule: number) {}

  /** A budget that goes on from findings already kept (and counted, not kept) by an earlier step. */
  static resume(perRule: number, kept: readonly Finding[], omitted?: OmittedFindings): FindingBudget {
    const budget = new FindingBudget(perRule);
    for (const f of kept) budget.kept.set(f.rule, (budget.kept.get(f.rule) ?? 0) + 1);
    if (omitted) budget.absorb(omitted);
    return budget;
  }

  /** True when a finding of this rule may still be kept; otherwise it is counted as omitted. */
  take(rule: string, severity: Severity, line: number): boolean {
    const n = this.kept.get(rule) ?? 0;
    if (n < this.perRule) {
      this.kept.set(rule, n + 1);
      return true;
    }
    this.count(rule, severity, line, 1);
    return false;
  }

  /** Adds what another part of the file (a shard) counted but did not keep. */
  absorb(other: OmittedFindings): void {
    for (const [rule, bySeverity] of Object.entries(other.byRule)) {
      for (const [severity, n] of Object.entries(bySeverity)) this.count(rule, severity as Severity, 0, n);
    }
    this.reserve(other.lines.length);
    for (let l = 0; l < other.lines.length; l++) if (other.lines[l] > this.lines[l]) this.lines[l] = other.lines[l];
  }

  /** What was not kept, or undefined when everything was. */
  omitted(): OmittedFindings | undefined {
    if (!this.any) return undefined;
    // Up to the last line with a finding: the same findings give the same tally however it grew.
    let end = this.lines.length;
    while (end > 0 && this.lines[end - 1] === 0) end--;
    return { byRule: this.byRule, lines: this.lines.subarray(0, end) };
  }

  private count(rule: string, severity: Severity, line: number, n: number): void {
    this.any = true;
    const bySeverity = (this.byRule[rule] ??= {});
    bySeverity[severity] = (bySeverity[severity] ?? 0) + n;
    if (line > 0 && RANK[severity] > 0 && !FILE_RULES.has(rule)) {
      this.reserve(line + 1);
      if (RANK[severity] > this.lines[line]) this.lines[line] = RANK[severity];
    }
  }

  private reserve(size: number): void {
    if (size <= this.lines.length) return;
    const grown = new Uint8Array(Math.max(size, this.lines.length * 2));
    grown.set(this.lines);
    this.lines = grown;
  }
}

/**
 * Keeps the first `perRule` findings of each rule in file order (shards each kept their own first
 * ones; merged, the later shards' are over the cap) and counts the rest into the budget.
 */
export function keepWithinBudget(findings: Finding[], budget: FindingBudget): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) if (budget.take(f.rule, f.severity, f.line)) out.push(f);
  return out;
}

/** Findings not listed, per rule (for the summary: "exact-duplicate: 950,000 more not listed"). */
export function omittedPerRule(omitted: OmittedFindings): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [rule, bySeverity] of Object.entries(omitted.byRule)) out[rule] = Object.values(bySeverity).reduce((a, b) => a + (b ?? 0), 0);
  return out;
}

/** The worst severity per line of the kept findings and the omitted ones together, as findingCounts counts rows. */
export function rowsBySeverity(kept: readonly Finding[], omitted: OmittedFindings): { rowsWithErrors: number; rowsWithWarnings: number } {
  let size = omitted.lines.length;
  for (const f of kept) if (f.line + 1 > size) size = f.line + 1;
  const worst = new Uint8Array(size);
  worst.set(omitted.lines);
  for (const f of kept) {
    if (FILE_RULES.has(f.rule)) continue;
    const rank = RANK[f.severity];
    if (rank > worst[f.line]) worst[f.line] = rank;
  }
  let rowsWithErrors = 0;
  let rowsWithWarnings = 0;
  for (let l = 0; l < size; l++) {
    if (worst[l] === 2) rowsWithErrors++;
    else if (worst[l] === 1) rowsWithWarnings++;
  }
  return { rowsWithErrors, rowsWithWarnings };
}

/** findingCounts of every finding made, the omitted ones included: the same totals as without the cap. */
export function countsWithOmitted(kept: Finding[], omitted: OmittedFindings): FindingCounts {
  const counts = findingCounts(kept);
  const byRule = { ...counts.findingsByRule };
  const bySeverity = { ...counts.findingsBySeverity };
  for (const [rule, perSeverity] of Object.entries(omitted.byRule)) {
    for (const [severity, n] of Object.entries(perSeverity)) {
      byRule[rule] = (byRule[rule] ?? 0) + (n ?? 0);
      bySeverity[severity as Severity] += n ?? 0;
    }
  }
  return { findingsByRule: byRule, findingsBySeverity: bySeverity, ...rowsBySeverity(kept, omitted) };
}
