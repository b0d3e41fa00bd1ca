/**
 * Where findings land that were not planted: every finding is classed by the
 * line it is on —
 *   planted:  a line planted with a fault whose expected rule is this rule;
 *   related:  for duplicate rules, the original line of a planted pair, and
 *             (exact-duplicate only) a conflicting-labels row, whose text is
 *             an exact repeat too;
 *   other:    a line planted with some other fault (e.g. empty texts are
 *             duplicates of each other by nature);
 *   clean:    a row with no planted fault — a false positive.
 */
import type { BenchContext, BenchSection } from "../lib/context";
import type { Dataset } from "../lib/datasets";
import type { CheckRun } from "../lib/check";
import { round } from "../lib/table";

const DUP_RULES = ["exact-duplicate", "conflicting-labels"];

interface RuleFigures {
  findings: number;
  planted: number;
  related: number;
  otherFaults: number;
  clean: number;
  /** Findings on clean rows per 10,000 clean rows. */
  cleanPer10k: number;
  cleanSample: number[];
}

function classify(ds: Dataset, run: CheckRun): Record<string, RuleFigures> {
  const kindRule = ds.kinds.map((k) => ds.truth.faults[k].rule);
  const conflictKind = ds.kinds.indexOf("conflicting-labels") + 1;
  let cleanRows = 0;
  for (let l = 1; l <= ds.truth.rows; l++) if (ds.kindAt[l] === 0) cleanRows++;
  const out: Record<string, RuleFigures> = {};
  const rules = [...run.report.linesByRule.keys()].sort();
  for (const rule of rules) {
    const lines = run.report.linesByRule.get(rule)!;
    const isDup = DUP_RULES.includes(rule);
    const f: RuleFigures = { findings: lines.length, planted: 0, related: 0, otherFaults: 0, clean: 0, cleanPer10k: 0, cleanSample: [] };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const k = line <= ds.truth.rows ? ds.kindAt[line] : 0;
      if (k !== 0 && kindRule[k - 1] === rule) f.planted++;
      else if (isDup && (ds.isOriginal[line] === 1 || (rule === "exact-duplicate" && k === conflictKind))) f.related++;
      else if (k !== 0) f.otherFaults++;
      else {
        f.clean++;
        if (f.cleanSample.length < 5) f.cleanSample.push(line);
      }
    }
    f.cleanPer10k = round((f.clean / Math.max(1, cleanRows)) * 10_000, 2);
    out[rule] = f;
  }
  return out;
}

export const falsePositives: BenchSection = {
  id: "falsePositives",
  title: "findings on lines that were not planted",
  async run(ctx: BenchContext) {
    const out: Record<string, Record<string, RuleFigures>> = {};
    for (const ds of ctx.datasets) out[ds.id] = classify(ds, await ctx.check(ds));

    ctx.print("  Duplicate rules on lines not planted for them:");
    const zero = { findings: 0, planted: 0, related: 0, otherFaults: 0, clean: 0 } as RuleFigures;
    ctx.table(
      ["rule", "dataset", "findings", "on planted", "on originals etc.", "on other faults", "on clean rows"],
      DUP_RULES.flatMap((rule) =>
        ctx.datasets.map((ds) => {
          const f = out[ds.id][rule] ?? zero;
          return [rule, ds.name, f.findings, f.planted, f.related, f.otherFaults, f.clean];
        }),
      ),
      { align: ["l", "l", "r", "r", "r", "r", "r"] },
    );

    for (const ds of ctx.datasets) {
      ctx.print();
      ctx.print(`  All rules, ${ds.name} (clean = rows with no planted fault):`);
      const figs = out[ds.id];
      ctx.table(
        ["rule", "findings", "on planted", "related", "on other faults", "on clean rows", "per 10k clean", "clean e.g. (lines)"],
        Object.entries(figs)
          .sort((a, b) => b[1].clean - a[1].clean || a[0].localeCompare(b[0]))
          .map(([rule, f]) => [rule, f.findings, f.planted, f.related, f.otherFaults, f.clean, f.cleanPer10k, f.cleanSample.slice(0, 3).join(", ")]),
        { align: ["l", "r", "r", "r", "r", "r", "r", "l"] },
      );
      const unlocated = ctx.datasets.length ? Object.entries((await ctx.check(ds)).report.unlocated) : [];
      if (unlocated.length) ctx.print(`  findings without a line: ${unlocated.map(([r, n]) => `${r} ×${n}`).join(", ")}`);
    }
    return out;
  },
};
