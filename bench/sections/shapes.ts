/**
 * Issue 22: the check on data shaped like real data (bench/lib/shapes.ts), against DuckDB.
 *
 * - The rules-only check (`--no-near-duplicates`) and the full check of the 1M-row shapes JSONL and of
 *   its CSV (the same rows): wall seconds, CPU seconds, peak RSS, against the targets (rules-only 4 s and
 *   1 GB, full 8 s and 1.5 GB; CSV within 1.2 times JSONL). The same two checks of the uniform 1M file.
 * - DuckDB (`bench/tools/duckdb-count.mjs`, 2 threads) computing label counts and exact-duplicate
 *   counts over each JSONL file: Tuneset's time is printed as a ratio to it, which says something even
 *   when the machine is busy (both are slowed alike).
 * - Per-shape throughput: a file of each shape alone (up to 30,000 rows or 10 MB), full check, rows/s and
 *   MB/s, raw and net of the start-up (a 100-row check's time, measured here).
 * - The per-shape files end to end, cheap rows first and long ones last ("clustered"): the rules-only
 *   check on every core against one thread, and when each thread ended its chunks.
 * - Every timed check runs with TUNESET_TIMING=1; the [timing] lines of the rules-only run say where its
 *   time goes.
 *
 * Flags: `--shapes-rows N` (default 1000000), `--shapes-repeat N` (runs of each 1M check, median; default 1),
 * `--no-per-shape` to skip the per-shape files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchContext, BenchSection } from "../lib/context";
import { buildCommand, measureCommand, type Measurement } from "../lib/check";
import { ensureShapes, SHAPE_IDS } from "../lib/shapes";
import { round } from "../lib/table";
import { referenceMs } from "../lib/speed";

const RULES_ONLY = "env TUNESET_TIMING=1 node dist/cli.js check --format json --fail-on never --no-near-duplicates {file}";
const FULL = "env TUNESET_TIMING=1 node dist/cli.js check --format json --fail-on never {file}";
const DUCKDB = "node bench/tools/duckdb-count.mjs --threads 2 {file}";
const TARGETS = { rulesOnly: { seconds: 4, bytes: 1e9 }, full: { seconds: 8, bytes: 1.5e9 }, csvRatio: 1.2 };
export const PER_SHAPE_ROWS = 30_000;
export const PER_SHAPE_BYTES = 10e6;

interface Run {
  seconds: number;
  cpuSeconds: number | null;
  peakRssMiB: number | null;
  timing: string[];
}

const mib = (b: number | null) => (b === null ? null : round(b / 2 ** 20, 1));

/** Runs a command `repeat` times; the run of median wall time, with every run's seconds. */
async function timed(ctx: BenchContext, template: string, file: string, repeat: number): Promise<Run & { all: number[] }> {
  const runs: Measurement[] = [];
  for (let k = 0; k < repeat; k++) {
    const { m } = await measureCommand(buildCommand(template, file), { cwd: ctx.root, noGnuTime: ctx.flags["no-gnu-time"] === true, discardStdout: true });
    if (m.exitCode !== 0) throw new Error(`${buildCommand(template, file)} exited with ${m.exitCode}: ${m.stderrTail.slice(-800)}`);
    runs.push(m);
  }
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const m = sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    seconds: round(m.seconds),
    cpuSeconds: m.cpuSeconds === null ? null : round(m.cpuSeconds),
    peakRssMiB: mib(m.peakRssBytes),
    timing: m.stderrTail.split("\n").filter((l) => l.startsWith("[timing]")),
    all: runs.map((r) => round(r.seconds)),
  };
}

/** DuckDB's run on a JSONL file: the process's wall time and RSS, and its own figures. */
async function duckdb(ctx: BenchContext, file: string): Promise<Run & { result: Record<string, unknown> }> {
  const { stdout, m } = await measureCommand(buildCommand(DUCKDB, file), { cwd: ctx.root, noGnuTime: ctx.flags["no-gnu-time"] === true });
  if (m.exitCode !== 0) throw new Error(`DuckDB exited with ${m.exitCode}: ${m.stderrTail.slice(-800)}`);
  return { seconds: round(m.seconds), cpuSeconds: m.cpuSeconds === null ? null : round(m.cpuSeconds), peakRssMiB: mib(m.peakRssBytes), timing: [], result: JSON.parse(stdout.toString("utf8")) };
}

export const shapes: BenchSection = {
  id: "shapes",
  title: "shapes: rows shaped like real data (1M by default), JSONL and CSV, against targets and DuckDB (issue 22)",
  async run(ctx) {
    const rows = Number(ctx.flags["shapes-rows"] ?? 1_000_000);
    const repeat = Math.max(1, Number(ctx.flags["shapes-repeat"] ?? 1));
    const seed = Number(ctx.flags.seed ?? 1);
    const rel = (abs: string) => path.relative(ctx.root, abs);
    const out = path.join(ctx.dataDir, `shapes-${rows}.jsonl`);
    const { truth, csv } = ensureShapes({ rows, out, seed, regen: ctx.flags.regen === true, log: ctx.log });
    ctx.print(`  ${rel(out)}: ${truth.rows.toLocaleString("en-US")} rows, ${round(truth.bytes / 1e6, 1)} MB; ${rel(csv)}: ${round(truth.csvBytes / 1e6, 1)} MB (seed ${seed})`);
    ctx.print(`  machine speed before: ${referenceMs()} ms (reference loop)`);

    const files: { id: string; what: string; file: string; rows: number; bytes: number; jsonl: boolean }[] = [
      { id: "shapes-jsonl", what: "shapes JSONL", file: rel(out), rows: truth.rows, bytes: truth.bytes, jsonl: true },
      { id: "shapes-csv", what: "shapes CSV", file: rel(csv), rows: truth.rows, bytes: truth.csvBytes, jsonl: false },
    ];
    // The first rows of the same mix (the generator is sequential), JSONL and CSV (`--shapes-slice-rows`,
    // default 100,000): the ratio of a size quick to measure. (Until a CSV was read in parts, 2026-12-07,
    // the 1M CSV could not be read at all: one string of it passed V8's ~512 M characters.)
    const sliceRows = Math.min(Number(ctx.flags["shapes-slice-rows"] ?? 100_000), rows);
    if (sliceRows < rows) {
      const sliceOut = path.join(ctx.dataDir, `shapes-${sliceRows}.jsonl`);
      const slice = ensureShapes({ rows: sliceRows, out: sliceOut, seed, log: ctx.log });
      files.push({ id: "slice-jsonl", what: `shapes JSONL, first ${sliceRows / 1000}k rows`, file: rel(sliceOut), rows: slice.truth.rows, bytes: slice.truth.bytes, jsonl: true });
      files.push({ id: "slice-csv", what: `shapes CSV, first ${sliceRows / 1000}k rows`, file: rel(slice.csv), rows: slice.truth.rows, bytes: slice.truth.csvBytes, jsonl: false });
    }
    const uniform = ctx.datasets.find((d) => d.id === "1m");
    if (uniform) files.push({ id: "uniform-jsonl", what: "uniform JSONL (bench-1m)", file: uniform.file, rows: uniform.truth.rows, bytes: uniform.bytes, jsonl: true });

    const figures: Record<string, unknown> = {};
    const duck: Record<string, Awaited<ReturnType<typeof duckdb>>> = {};
    for (const f of files.filter((x) => x.jsonl && x.id !== "slice-jsonl")) {
      ctx.log(`shapes: DuckDB on ${f.file} …`);
      duck[f.id] = await duckdb(ctx, f.file);
      ctx.log(`  ${duck[f.id].seconds} s, ${duck[f.id].cpuSeconds ?? "–"} s CPU, ${duck[f.id].peakRssMiB ?? "–"} MiB`);
    }
    const table: (string | number | null)[][] = [];
    for (const f of files) {
      for (const [mode, template] of [["rules only", RULES_ONLY], ["full", FULL]] as const) {
        ctx.log(`shapes: ${f.what}, ${mode} …`);
        let r: Awaited<ReturnType<typeof timed>>;
        try {
          r = await timed(ctx, template, f.file, repeat);
        } catch (e) {
          // A check that fails is a figure too (the 1M CSV once: "Invalid string length"); the others still run.
          const text = e instanceof Error ? e.message : String(e);
          const msg = /tuneset: (.*)/.exec(text)?.[1] ?? text.slice(0, 200);
          ctx.log(`  FAILED: ${msg}`);
          table.push([f.what, mode, null, null, null, null, null, null, "", `FAILED: ${msg}`]);
          figures[`${f.id} ${mode}`] = { command: buildCommand(template, f.file), failed: msg };
          continue;
        }
        ctx.log(`  ${r.seconds} s, ${r.cpuSeconds ?? "–"} s CPU, ${r.peakRssMiB ?? "–"} MiB`);
        const target = mode === "full" ? TARGETS.full : TARGETS.rulesOnly;
        const d = f.id.startsWith("slice") ? undefined : (duck[f.id] ?? duck["shapes-jsonl"]);
        const met = f.id.startsWith("shapes") ? `${r.seconds <= target.seconds ? "met" : "NOT met"} / ${r.peakRssMiB !== null && r.peakRssMiB * 2 ** 20 <= target.bytes ? "met" : "NOT met"}` : "";
        table.push([f.what, mode, r.seconds, r.cpuSeconds, r.peakRssMiB, Math.round(f.rows / r.seconds), round(f.bytes / 1e6 / r.seconds, 1), d ? round(r.seconds / d.seconds, 2) : null, f.id.startsWith("shapes") ? `${target.seconds} s, ${target.bytes / 1e9} GB${rows === 1_000_000 ? "" : " (for 1M)"}` : "", met]);
        figures[`${f.id} ${mode}`] = { command: buildCommand(template, f.file), ...r, rowsPerSecond: Math.round(f.rows / r.seconds), ratioToDuckdb: d ? round(r.seconds / d.seconds, 2) : null };
      }
    }
    ctx.table(["file", "check", "seconds", "CPU s", "peak RSS MiB", "rows/s", "MB/s", "× DuckDB", "target", "time / memory"], table, { align: ["l", "l", "r", "r", "r", "r", "r", "r", "l", "l"] });
    ctx.print(`  (seconds: the median of ${repeat} run${repeat > 1 ? "s" : ""}; × DuckDB: Tuneset's seconds over DuckDB's on the same JSONL, the CSV's over the shapes JSONL's)`);
    for (const [id, d] of Object.entries(duck)) {
      const res = d.result as { rows: number; labels: Record<string, number>; duplicates: { texts: number; rows: number }; seconds: Record<string, number> };
      ctx.print(`  DuckDB on ${id}: ${d.seconds} s wall, ${d.cpuSeconds ?? "–"} s CPU, ${d.peakRssMiB ?? "–"} MiB peak (load ${res.seconds.load} s, labels ${res.seconds.labels} s, duplicates ${res.seconds.duplicates} s); ` +
        `${res.rows.toLocaleString("en-US")} rows, ${res.duplicates.rows.toLocaleString("en-US")} rows in ${res.duplicates.texts.toLocaleString("en-US")} duplicated texts`);
    }
    const fig = (k: string) => figures[k] as Partial<Run> | undefined;
    const ratio = (csv: string, jsonl: string, key: "seconds" | "cpuSeconds" = "seconds") => {
      const c = fig(csv)?.[key];
      const j = fig(jsonl)?.[key];
      return typeof c === "number" && typeof j === "number" ? round(c / j, 2) : null;
    };
    const csvRatio = {
      rulesOnly: ratio("shapes-csv rules only", "shapes-jsonl rules only"),
      full: ratio("shapes-csv full", "shapes-jsonl full"),
      rulesOnlyCpu: ratio("shapes-csv rules only", "shapes-jsonl rules only", "cpuSeconds"),
      fullCpu: ratio("shapes-csv full", "shapes-jsonl full", "cpuSeconds"),
      sliceRulesOnly: ratio("slice-csv rules only", "slice-jsonl rules only"),
      sliceFull: ratio("slice-csv full", "slice-jsonl full"),
      sliceRulesOnlyCpu: ratio("slice-csv rules only", "slice-jsonl rules only", "cpuSeconds"),
      sliceFullCpu: ratio("slice-csv full", "slice-jsonl full", "cpuSeconds"),
    };
    const x = (v: number | null) => (v === null ? "–" : `${v}×`);
    ctx.print(`  CSV / JSONL of the same rows, wall (CPU) (target ≤ ${TARGETS.csvRatio}×): ${rows.toLocaleString("en-US")} rows: rules only ${x(csvRatio.rulesOnly)} (${x(csvRatio.rulesOnlyCpu)}), full ${x(csvRatio.full)} (${x(csvRatio.fullCpu)})` +
      (sliceRows < rows ? `; first ${sliceRows.toLocaleString("en-US")} rows: rules only ${x(csvRatio.sliceRulesOnly)} (${x(csvRatio.sliceRulesOnlyCpu)}), full ${x(csvRatio.sliceFull)} (${x(csvRatio.sliceFullCpu)})` : ""));
    const sj = { timing: [], ...fig("shapes-jsonl rules only") };
    const fj = { timing: [], ...fig("shapes-jsonl full") };
    if (sj.timing.length) {
      ctx.print(`  where the shapes JSONL rules-only time goes (TUNESET_TIMING=1, ms since analyzeFile started):`);
      for (const l of sj.timing) ctx.print(`    ${l}`);
    }
    if (fj.timing.length) {
      ctx.print(`  the full check (TUNESET_TIMING=1):`);
      for (const l of fj.timing) ctx.print(`    ${l}`);
    }
    ctx.print(`  machine speed after: ${referenceMs()} ms`);

    // The threads' merged result equals one thread's, byte for byte (a 20,000-row slice of the mix, 12 MB:
    // over the 8 MB from which a JSONL file is split between threads).
    const eqFile = path.join(ctx.dataDir, "shapes-20000.jsonl");
    ensureShapes({ rows: 20_000, out: eqFile, seed, log: ctx.log });
    const outputs: Buffer[] = [];
    for (const env of ["", "env TUNESET_PARALLEL_BYTES=1000000000000 "]) {
      const { stdout, m } = await measureCommand(buildCommand(`${env}node dist/cli.js check --format json --fail-on never {file}`, rel(eqFile)), { cwd: ctx.root, noGnuTime: true });
      if (m.exitCode !== 0) throw new Error(`the equality check exited with ${m.exitCode}: ${m.stderrTail.slice(-500)}`);
      outputs.push(stdout);
    }
    const identical = outputs[0].equals(outputs[1]);
    ctx.print(`  ${rel(eqFile)} on every core and on one thread (TUNESET_PARALLEL_BYTES=10^12): the JSON reports are ${identical ? "byte-identical" : "DIFFERENT"} (${outputs[0].length.toLocaleString("en-US")} bytes)`);

    const perShape: Record<string, unknown> = {};
    if (ctx.flags["no-per-shape"] !== true) {
      // The start-up of a check (a 100-row file), to give the per-shape figures net of it.
      const small = path.join(ctx.dataDir, "shapes-100-prose.jsonl");
      ensureShapes({ rows: 100, out: small, seed, only: "prose", log: ctx.log });
      const start = await timed(ctx, FULL, rel(small), 3);
      const rowsOut: (string | number | null)[][] = [];
      for (const id of SHAPE_IDS) {
        const file = path.join(ctx.dataDir, "per-shape", `${id}.jsonl`);
        const t = ensureShapes({ rows: PER_SHAPE_ROWS, out: file, seed, only: id, maxBytes: PER_SHAPE_BYTES, log: ctx.log }).truth;
        ctx.log(`shapes: per-shape ${id} …`);
        const r = await timed(ctx, FULL, rel(file), 1);
        ctx.log(`  ${r.seconds} s, ${r.cpuSeconds ?? "–"} s CPU, ${r.peakRssMiB ?? "–"} MiB`);
        const net = Math.max(0.001, r.seconds - start.seconds);
        rowsOut.push([id, t.rows, round(t.bytes / 1e6, 1), r.seconds, r.cpuSeconds, r.peakRssMiB, Math.round(t.rows / r.seconds), round(t.bytes / 1e6 / r.seconds, 1), Math.round(t.rows / net), round(t.bytes / 1e6 / net, 1)]);
        perShape[id] = { rows: t.rows, bytes: t.bytes, seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakRssMiB: r.peakRssMiB, rowsPerSecond: Math.round(t.rows / r.seconds), netRowsPerSecond: Math.round(t.rows / net) };
      }
      ctx.print("");
      ctx.print(`  per shape: a file of one shape (up to ${PER_SHAPE_ROWS.toLocaleString("en-US")} rows or ${PER_SHAPE_BYTES / 1e6} MB), full check; net: minus a 100-row check's ${start.seconds} s`);
      ctx.table(["shape", "rows", "MB", "seconds", "CPU s", "peak RSS MiB", "rows/s", "MB/s", "net rows/s", "net MB/s"], rowsOut);
      perShape.startSeconds = start.seconds;

      // The same rows clustered: a file whose cheap rows come first and long ones last (the per-shape
      // files end to end), where a file cut in halves between threads leaves one thread most of the
      // work. The threads take chunks in turn (host/chunkQueue.ts): their [timing] lines say when each ended.
      const clustered = path.join(ctx.dataDir, "per-shape", "clustered.jsonl");
      const parts = ["prose", "prose", "prose", "near-dup", "long-prose", "base64", "unspaced", "code"].map((id) => path.join(ctx.dataDir, "per-shape", `${id}.jsonl`));
      fs.writeFileSync(clustered, Buffer.concat(parts.map((f) => fs.readFileSync(f))));
      ctx.log("shapes: clustered (cheap rows, then long ones) …");
      const c = await timed(ctx, RULES_ONLY, rel(clustered), 3);
      const one = await timed(ctx, `env TUNESET_PARALLEL_BYTES=1000000000000 ${RULES_ONLY.replace("env ", "")}`, rel(clustered), 1);
      const ended = c.timing.filter((l) => /own chunks|had ended/.test(l));
      ctx.print(`  clustered (${parts.map((f) => path.basename(f, ".jsonl")).join(" + ")}, ${round(fs.statSync(clustered).size / 1e6, 1)} MB), rules only: ` +
        `${c.seconds} s (runs ${c.all.join(", ")}), ${c.cpuSeconds ?? "–"} s CPU; one thread ${one.seconds} s; ${ended.map((l) => l.replace(/^\[timing\] /, "").replace(/, \d+ page faults/, "")).join("; ")}`);
      perShape.clustered = { seconds: c.seconds, all: c.all, cpuSeconds: c.cpuSeconds, oneThreadSeconds: one.seconds, ended };
    }
    return { rows: truth.rows, bytes: truth.bytes, csvBytes: truth.csvBytes, shapes: truth.shapes, repeat, checks: figures, duckdb: duck, csvRatio, parallelEqualsSingleThread: identical, perShape, command: { rulesOnly: RULES_ONLY, full: FULL, duckdb: DUCKDB } };
  },
};
