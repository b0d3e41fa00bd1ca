/**
 * Issue 22: small files start fast. `node dist/cli.js check` of a 100-row file, timed from spawn to exit
 * over several runs (min / median / max), beside a bare `node -e 0` (the two alternate, so both see the
 * same moments of a busy machine). Target: 0.25 s wall.
 *
 * Then where the start goes: the same check under `node --cpu-prof` (a few runs), each sample
 * attributed to the innermost module whose top-level code was running (esbuild names a bundled module's
 * wrapper after its source path), else to the tokenizer's load or its counting, to the check itself, to
 * compiling dist/cli.js, or to the rest (Node's bootstrap, GC). Medians over the runs, in ms of CPU
 * samples. The profile starts after Node's own bootstrap, so its total is below the wall time.
 *
 * Flags: `--startup-runs N` (default 10), `--profile-runs N` (default 5).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchSection } from "../lib/context";
import { buildCommand, measureCommand, type Measurement } from "../lib/check";
import { ensureShapes } from "../lib/shapes";
import { round } from "../lib/table";

const TARGET_SECONDS = 0.25;
/** As a user runs it: bin/tuneset.js, with its compile cache (bin/compileCache.js). */
const CHECK = "node bin/tuneset.js check --fail-on never {file}";
const BARE = "node -e 0";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A bundled module's wrapper: esbuild names it after the module's path. */
const MODULE_FRAME = /^(?:node_modules|server|client|package\.json)[\w@./+-]*$/;

/** The group a module's path belongs to: a package, or a folder of server/src. */
function moduleGroup(p: string): string {
  if (p.startsWith("node_modules/")) {
    const parts = p.split("/");
    return parts[1].startsWith("@") ? `${parts[1]}/${parts[2]}` : parts[1];
  }
  if (p === "package.json") return "package.json";
  const m = /^server\/src\/(engine\/[^/]+(?=\/)|cli\/|lsp\/)?/.exec(p);
  return m?.[1] ? `server/src/${m[1].replace(/\/$/, "")}` : p;
}

/** Milliseconds of CPU samples per category for one profile. */
export function attribute(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const category = new Map<number, string>();
  const categoryOf = (id: number): string => {
    const known = category.get(id);
    if (known) return known;
    const chain: { functionName: string; url: string }[] = [];
    for (let q: number | undefined = id; q !== undefined; q = parent.get(q)) chain.push(byId.get(q)!.callFrame);
    const leaf = chain[0].functionName;
    let cat: string;
    const mod = chain.find((f) => MODULE_FRAME.test(f.functionName) && f.functionName.includes("."));
    if (leaf === "(garbage collector)") cat = "garbage collection";
    else if (leaf === "(idle)" || leaf === "(program)") cat = "idle / native (program)";
    else if (mod) cat = `load ${moduleGroup(mod.functionName)}`;
    else if (chain.some((f) => f.url.endsWith("tokenizer.js")) || chain.some((f) => f.functionName === "encoding" && f.url.endsWith("cli.js"))) {
      cat = chain.some((f) => f.functionName === "encoding" && f.url.endsWith("cli.js")) ? "tokenizer: load (reads the rank table, dist/o200k.bin)" : "tokenizer: counting the token sample";
    } else if (chain.some((f) => f.functionName === "check" && f.url.endsWith("cli.js"))) cat = "the check itself (rules, report)";
    else if (chain.some((f) => f.functionName === "wrapSafe")) cat = "compile dist/cli.js";
    else cat = "other (Node's module loader, bootstrap)";
    category.set(id, cat);
    return cat;
  };
  const ms = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const cat = categoryOf(profile.samples[i]);
    const t = (profile.timeDeltas[i] ?? 0) / 1000;
    ms.set(cat, (ms.get(cat) ?? 0) + t);
    // Inside the check, by the engine function that ran (self time), for the second table.
    if (cat === "the check itself (rules, report)") {
      const f = byId.get(profile.samples[i])!.callFrame;
      const key = `  ${f.functionName || "(anonymous)"} (${path.basename(f.url) || "native"})`;
      ms.set(key, (ms.get(key) ?? 0) + t);
    }
  }
  ms.set("(profile total)", (profile.endTime - profile.startTime) / 1000);
  return ms;
}

/** What a 100-row check needs of each part, and where it could be loaded lazily. */
const NEEDED: Record<string, string> = {
  "tokenizer: load (reads the rank table, dist/o200k.bin)": "no for rows under the limits' byte counts: only the calibration of the token estimate loads it (engine/analyze.ts sampleTokens → text/tokens.ts encoding()); yes once a row's bytes pass a token limit",
  "tokenizer: counting the token sample": "calibration of the token statistics (TOKEN_SAMPLE_SIZE texts counted exactly)",
  "load libphonenumber-js": "only when a text holds a phone-like digit run (engine/rules/phones.ts requires it then)",
  "load zod": "row schemas (engine/schema/formats.ts) and the settings schema (engine/config.ts): yes, unless the schemas are built on first use",
  "load csv-parse": "only for CSV/TSV (engine/read/csvLayout.ts imports csv-parse/sync at the top)",
  "load natural": "no: stopword lists (augment/stopwords.ts, report/diversity.ts); the regexp tokenizer is required by the report, the tagger's lexicons (dist/naturalData.js) by augmentation",
  "load underscore": "no: pulled in by natural",
  "load package.json": "only for --version / the report's tool version (cli/datasetFile.ts)",
};

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: round(s[0]), median: round(s[Math.floor((s.length - 1) / 2)]), max: round(s[s.length - 1]) };
}

export const startup: BenchSection = {
  id: "startup",
  title: "start-up: a 100-row check against bare node (target 0.25 s), and where its time goes (issue 22)",
  async run(ctx) {
    const runs = Math.max(1, Number(ctx.flags["startup-runs"] ?? 10));
    const profileRuns = Math.max(0, Number(ctx.flags["profile-runs"] ?? 5));
    const seed = Number(ctx.flags.seed ?? 1);
    // Ordinary rows (nothing in them needs an exact token count), and the shapes mix, whose 100 rows hold a 29 KB one.
    const files = [
      { what: "100 ordinary rows", abs: path.join(ctx.dataDir, "shapes-100-prose.jsonl"), only: "prose" as const },
      { what: "100 rows of the shapes mix", abs: path.join(ctx.dataDir, "shapes-100.jsonl"), only: undefined },
    ].map((f) => {
      const t = ensureShapes({ rows: 100, out: f.abs, seed, only: f.only, log: ctx.log }).truth;
      return { ...f, file: path.relative(ctx.root, f.abs), bytes: t.bytes };
    });
    const opts = { cwd: ctx.root, noGnuTime: ctx.flags["no-gnu-time"] === true, discardStdout: true };
    // The CLI's compile cache in a folder of the bench's own, emptied first: the first run writes it
    // (timed on its own, as a user's first run after installing), the timed runs use it.
    const cache = path.join(ctx.dataDir, "compile-cache");
    fs.rmSync(cache, { recursive: true, force: true });
    process.env.TUNESET_COMPILE_CACHE = cache;
    const first = (await measureCommand(buildCommand(CHECK, files[0].file), opts)).m;
    ctx.print(`  first run (no compile cache yet; it writes one to ${path.relative(ctx.root, cache)}): ${round(first.seconds, 3)} s wall`);
    const checks: Measurement[][] = files.map(() => []);
    const bare: Measurement[] = [];
    ctx.log(`startup: ${runs} runs of each …`);
    for (let k = 0; k < runs; k++) {
      bare.push((await measureCommand(BARE, opts)).m);
      for (const [i, f] of files.entries()) {
        const { m } = await measureCommand(buildCommand(CHECK, f.file), opts);
        if (m.exitCode !== 0) throw new Error(`the check of ${f.file} exited with ${m.exitCode}: ${m.stderrTail.slice(-500)}`);
        checks[i].push(m);
      }
    }
    const cpu = (ms: Measurement[]) => (ms[0].cpuSeconds === null ? null : stats(ms.map((m) => m.cpuSeconds!)));
    const line = (what: string, ms: Measurement[]) => {
      const w = stats(ms.map((m) => m.seconds));
      const c = cpu(ms);
      return [what, w.min, w.median, w.max, c?.min, c?.median, c?.max, round(Math.max(...ms.map((m) => m.peakRssBytes ?? 0)) / 2 ** 20, 1)];
    };
    ctx.table(
      ["command", "wall min", "median", "max", "CPU min", "CPU median", "CPU max", "peak RSS MiB"],
      [...files.map((f, i) => line(`${buildCommand(CHECK, f.file)} (${f.what}, ${round(f.bytes / 1e3, 1)} KB)`, checks[i])), line(BARE, bare)],
      { align: ["l", "r", "r", "r", "r", "r", "r", "r"] },
    );
    const bw = stats(bare.map((m) => m.seconds));
    const walls = checks.map((ms) => stats(ms.map((m) => m.seconds)));
    for (const [i, f] of files.entries()) {
      const cw = walls[i];
      ctx.print(`  ${f.what}: median ${cw.median} s, ${round(cw.median / bw.median, 2)}× node's (${round(cw.median - bw.median)} s over it); target ${TARGET_SECONDS} s: ${cw.median <= TARGET_SECONDS ? "met" : "NOT met"}`);
    }
    ctx.print(`  (${runs} runs each, interleaved; wall from spawn to exit, CPU = user + sys from GNU time)`);
    const file = files[0].file;
    const attributed: Record<string, number> = {};
    if (profileRuns > 0) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tuneset-startup-"));
      const per: Map<string, number>[] = [];
      try {
        for (let k = 0; k < profileRuns; k++) {
          const out = path.join(dir, String(k));
          const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", out, "--cpu-prof-interval", "250", "dist/cli.js", "check", "--fail-on", "never", file], { cwd: ctx.root, stdio: ["ignore", "ignore", "pipe"] });
          if (r.status !== 0) throw new Error(`profiled check exited with ${r.status}: ${r.stderr}`);
          const [name] = fs.readdirSync(out);
          per.push(attribute(JSON.parse(fs.readFileSync(path.join(out, name), "utf8")) as CpuProfile));
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const cats = new Set(per.flatMap((m) => [...m.keys()]));
      for (const c of cats) attributed[c] = stats(per.map((m) => m.get(c) ?? 0)).median;
      const rows = Object.entries(attributed)
        .filter(([c]) => c !== "(profile total)" && !c.startsWith("  "))
        .sort((a, b) => b[1] - a[1])
        .map(([c, ms]) => [c, round(ms, 1), NEEDED[c] ?? (c.startsWith("load server/src") ? "the engine and CLI's own modules: yes" : "")]);
      ctx.print("");
      ctx.print(`  where the check of ${files[0].what} goes: CPU profile (--cpu-prof), median ms over ${profileRuns} runs; profile total ${round(attributed["(profile total)"], 1)} ms`);
      ctx.table(["part", "ms", "needed by a 100-row check?"], rows, { align: ["l", "r", "l"] });
      const inCheck = Object.entries(attributed)
        .filter(([c]) => c.startsWith("  "))
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15);
      ctx.print("");
      ctx.print("  the check itself, by function (self time, median ms; the code runs cold: a first call is interpreted and its regular expressions compiled)");
      ctx.table(["function (file)", "ms"], inCheck.map(([c, v]) => [c.trim(), round(v, 1)]));
    }
    return {
      runs,
      bareWall: bw,
      bareCpu: cpu(bare),
      files: files.map((f, i) => ({ command: buildCommand(CHECK, f.file), what: f.what, wall: walls[i], cpu: cpu(checks[i]), ratio: round(walls[i].median / bw.median, 2), met: walls[i].median <= TARGET_SECONDS })),
      profileMs: attributed,
    };
  },
};
