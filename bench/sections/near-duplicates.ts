/**
 * near-duplicate against the planted pairs (truth.nearPairs, truth.nearConflicts): recall per
 * Jaccard level — pairs at 0.95 and 0.85 must be found, pairs at 0.7 and 0.5 must not (the checker's
 * default threshold is 0.8) — precision against the planted pairs, and the true Jaccard similarity
 * of every reported pair recomputed from the file with the benchmark's own shingling
 * (bench/lib/shingles.ts): none may fall under the threshold. Also the full check's rows/s and peak
 * RSS (near-duplicates are on by default) and the 100k → 1M time ratio.
 */
import * as fs from "node:fs";
import type { BenchSection } from "../lib/context";
import type { Dataset } from "../lib/datasets";
import { textJaccard } from "../lib/shingles";
import { pct, round } from "../lib/table";

/** The checker's default nearDuplicateThreshold. */
const THRESHOLD = 0.8;
const LEVELS = [0.95, 0.85, 0.7, 0.5];
const MIB = 1024 * 1024;

/** The "text" field of the given lines of a JSONL file (1-based), read in one pass. */
function textsAt(file: string, wanted: Set<number>): Map<number, string> {
  const bytes = fs.readFileSync(file);
  const out = new Map<number, string>();
  let line = 1;
  let start = 0;
  while (start < bytes.length && out.size < wanted.size) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    if (wanted.has(line)) {
      try {
        const v = JSON.parse(bytes.toString("utf8", start, end)) as { text?: unknown };
        if (typeof v.text === "string") out.set(line, v.text);
      } catch {
        /* not a row with text */
      }
    }
    line++;
    start = end + 1;
  }
  return out;
}

interface LevelFigures {
  level: string;
  planted: number;
  /** Planted rows with a near-duplicate finding pointing at their original. */
  found: number;
  /** Planted rows with any near-duplicate finding. */
  flagged: number;
  recall: number | null;
}

export const nearDuplicates: BenchSection = {
  id: "nearDuplicates",
  title: "near-duplicates: recall per planted Jaccard level, precision, verified similarity",
  async run(ctx) {
    const out: Record<string, unknown> = {};
    const levelRows: (string | number | null)[][] = [];
    const precisionRows: (string | number | null)[][] = [];
    for (const ds of ctx.datasets) {
      const run = await ctx.check(ds);
      const reported = new Map<number, { related: number; similarity: number }>();
      for (const p of run.report.nearDuplicates) reported.set(p.line, p);
      const truth = ds.truth;
      const levels: LevelFigures[] = [];
      const measure = (level: string, pairs: [number, number][]) => {
        let found = 0;
        let flagged = 0;
        for (const [line, orig] of pairs) {
          const r = reported.get(line);
          if (r) flagged++;
          if (r?.related === orig) found++;
        }
        const figures = { level, planted: pairs.length, found, flagged, recall: pairs.length ? round(found / pairs.length, 4) : null };
        levels.push(figures);
        return figures;
      };
      for (const level of LEVELS) measure(String(level), truth.nearPairs.filter((p) => p[3] === level).map(([l, o]) => [l, o]));
      measure("0.85–0.97, other label", truth.nearConflicts.map(([l, o]) => [l, o]));
      const high = [...truth.nearPairs.filter((p) => p[2] >= 0.85), ...truth.nearConflicts];
      const highFigures = measure("all with J ≥ 0.85", high.map(([l, o]) => [l, o]));
      let conflictsFound = 0;
      for (const [line] of truth.nearConflicts) if (run.has("conflicting-labels", line)) conflictsFound++;

      // Every reported pair, against the truth and against its similarity recomputed from the file.
      const planted = new Map<number, number>();
      for (const [line, orig] of [...truth.nearPairs, ...truth.nearConflicts]) planted.set(line, orig);
      const wanted = new Set<number>();
      for (const [line, r] of reported) {
        wanted.add(line);
        wanted.add(r.related);
      }
      const texts = textsAt(ds.absFile, wanted);
      let onPlanted = 0;
      let belowThreshold = 0;
      let unreadable = 0;
      let maxDifference = 0;
      const belowSample: number[] = [];
      const otherKinds: Record<string, number> = {};
      for (const [line, r] of reported) {
        if (planted.get(line) === r.related) onPlanted++;
        else {
          const kind = ds.kindAt[line] ? ds.kinds[ds.kindAt[line] - 1] : "clean";
          otherKinds[kind] = (otherKinds[kind] ?? 0) + 1;
        }
        const a = texts.get(line);
        const b = texts.get(r.related);
        if (a === undefined || b === undefined) {
          unreadable++;
          continue;
        }
        const j = textJaccard(a, b);
        maxDifference = Math.max(maxDifference, Math.abs(j - r.similarity));
        if (j < THRESHOLD) {
          belowThreshold++;
          if (belowSample.length < 5) belowSample.push(line);
        }
      }
      const m = run.measurement;
      const figures = {
        levels,
        nearConflicts: { planted: truth.nearConflicts.length, conflictingLabelsFound: conflictsFound },
        recallAtLeast085: highFigures.recall,
        reportedPairs: reported.size,
        onPlantedPairs: onPlanted,
        precisionVsPlanted: reported.size ? round(onPlanted / reported.size, 4) : null,
        notPlantedByKind: otherKinds,
        belowThreshold,
        belowThresholdSample: belowSample,
        unreadablePairs: unreadable,
        maxSimilarityDifference: round(maxDifference, 6),
        rowsPerSecond: Math.round(ds.truth.rows / m.seconds),
        seconds: round(m.seconds),
        peakRssMiB: m.peakRssBytes === null ? null : round(m.peakRssBytes / MIB, 1),
      };
      out[ds.id] = figures;
      for (const l of levels) levelRows.push([ds.name, l.level, l.planted, l.found, l.flagged, pct(l.recall)]);
      precisionRows.push([
        ds.name, reported.size, onPlanted, pct(figures.precisionVsPlanted),
        Object.entries(otherKinds).map(([k, n]) => `${k} ${n}`).join(", ") || "—",
        belowThreshold, maxDifference.toFixed(5), figures.rowsPerSecond, figures.peakRssMiB,
      ]);
      ctx.log(`  near-duplicates ${ds.name}: ${conflictsFound}/${truth.nearConflicts.length} near-identical label conflicts found`);
    }
    ctx.print(`  Planted pairs per Jaccard level (threshold ${THRESHOLD}: levels 0.95 and 0.85 should be found, 0.7 and 0.5 must not be):`);
    ctx.table(["dataset", "level", "planted", "found (pair)", "row flagged", "recall"], levelRows, { align: ["l", "l", "r", "r", "r", "r"] });
    ctx.print();
    ctx.print("  Reported pairs: precision against the planted pairs, and their true Jaccard recomputed from the file:");
    ctx.table(
      ["dataset", "reported", "planted", "precision", "not planted, by row kind", `J < ${THRESHOLD}`, "max |J − reported| (reported to 4 decimals)", "rows/s", "peak RSS MiB"],
      precisionRows,
      { align: ["l", "r", "r", "r", "l", "r", "r", "r", "r"] },
    );
    const small = ctx.datasets.find((d: Dataset) => d.id === "100k");
    const big = ctx.datasets.find((d: Dataset) => d.id === "1m");
    if (small && big) {
      const ratio = round((out[big.id] as { seconds: number }).seconds / (out[small.id] as { seconds: number }).seconds, 2);
      out.timeRatio = ratio;
      ctx.print();
      ctx.print(`  100k → 1M time ratio with near-duplicates on: ${ratio}× (linear would be ${round(big.truth.rows / small.truth.rows, 2)}×)`);
    }
    return out;
  },
};
