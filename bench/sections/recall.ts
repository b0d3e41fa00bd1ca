/**
 * Recall per planted fault kind: a planted line counts as found when the
 * report has a finding with the kind's expected rule on that line.
 */
import type { BenchSection } from "../lib/context";
import { pct, round } from "../lib/table";

interface KindFigures {
  rule: string;
  planted: number;
  found: number;
  recall: number | null;
  /** First few planted lines that were not found, to look at. */
  missedSample: number[];
}

export const recall: BenchSection = {
  id: "recall",
  title: "recall per planted fault kind",
  async run(ctx) {
    const out: Record<string, { kinds: Record<string, KindFigures>; byRule: Record<string, Omit<KindFigures, "rule" | "missedSample">> }> = {};
    for (const ds of ctx.datasets) {
      const run = await ctx.check(ds);
      const kinds: Record<string, KindFigures> = {};
      const byRule: Record<string, { planted: number; found: number; recall: number | null }> = {};
      for (const [kind, f] of Object.entries(ds.truth.faults)) {
        let found = 0;
        const missed: number[] = [];
        for (const line of f.lines) {
          if (run.has(f.rule, line)) found++;
          else if (missed.length < 5) missed.push(line);
        }
        kinds[kind] = { rule: f.rule, planted: f.lines.length, found, recall: f.lines.length ? round(found / f.lines.length, 4) : null, missedSample: missed };
        const r = (byRule[f.rule] ??= { planted: 0, found: 0, recall: null });
        r.planted += f.lines.length;
        r.found += found;
      }
      for (const r of Object.values(byRule)) r.recall = r.planted ? round(r.found / r.planted, 4) : null;
      out[ds.id] = { kinds, byRule };
    }

    const first = ctx.datasets[0];
    const kindNames = Object.keys(first.truth.faults);
    const headers = ["kind", "rule"];
    for (const ds of ctx.datasets) headers.push(`planted ${ds.name}`, "found", "recall");
    headers.push("missed e.g. (lines)");
    const rows = kindNames.map((kind) => {
      const row: (string | number | null)[] = [kind, first.truth.faults[kind].rule];
      for (const ds of ctx.datasets) {
        const k = out[ds.id].kinds[kind];
        row.push(k?.planted ?? null, k?.found ?? null, k ? pct(k.recall) : null);
      }
      const withMisses = ctx.datasets.find((ds) => out[ds.id].kinds[kind]?.missedSample.length);
      row.push(withMisses ? `${withMisses.name}: ${out[withMisses.id].kinds[kind].missedSample.slice(0, 3).join(", ")}` : "");
      return row;
    });
    const align = headers.map((_, i) => (i < 2 || i === headers.length - 1 ? "l" : "r")) as ("l" | "r")[];
    ctx.table(headers, rows, { align });

    // overall, per expected rule
    ctx.print();
    const rules = Object.keys(out[first.id].byRule);
    const rh = ["rule"];
    for (const ds of ctx.datasets) rh.push(`planted ${ds.name}`, "found", "recall");
    ctx.table(
      rh,
      rules.map((rule) => {
        const row: (string | number | null)[] = [rule];
        for (const ds of ctx.datasets) {
          const r = out[ds.id].byRule[rule];
          row.push(r?.planted ?? null, r?.found ?? null, r ? pct(r.recall) : null);
        }
        return row;
      }),
      { align: rh.map((_, i) => (i === 0 ? "l" : "r")) as ("l" | "r")[] },
    );
    return out;
  },
};
