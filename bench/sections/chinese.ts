/**
 * Issue 19: a 100k-row generated Chinese file (bench/lib/chinese.ts) checked against an English file of
 * the same byte size (the first rows of the English generator's output), target: the Chinese check within
 * 1.3 times the English one. Both are checked as the CLI checks by default (label model included) and
 * with --no-label-model, `--chinese-repeat N` times each (default 3), Chinese and English runs
 * interleaved so the machine's drift falls on both; the figure is the median CPU user time (GNU time),
 * printed with wall time, peak RSS and the load average.
 *
 * Flags: `--chinese-rows N` (default 100000), `--chinese-repeat N`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchSection } from "../lib/context";
import { findGnuTime } from "../lib/check";
import { generateChinese, prefixOfSize } from "../lib/chinese";
import { generate } from "../lib/gen";
import { round } from "../lib/table";

const TARGET_RATIO = 1.3;
const MODES = [
  { id: "default", args: [] as string[] },
  { id: "no label model", args: ["--no-label-model"] },
];

interface Run {
  wall: number;
  user: number;
  sys: number;
  rssMiB: number;
}

function timeCheck(root: string, file: string, args: string[]): Run {
  const gnuTime = findGnuTime();
  if (!gnuTime) throw new Error("the chinese section needs GNU time (apt-get install -y time) for CPU user time");
  const out = path.join(os.tmpdir(), `tuneset-bench-zh-${process.pid}.txt`);
  const r = spawnSync(gnuTime, ["-o", out, "-f", "%e %U %S %M", process.execPath, "dist/cli.js", "check", "--format", "json", "--fail-on", "never", ...args, file], { cwd: root, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`check ${file} exited with ${r.status}: ${String(r.stderr).slice(-800)}`);
  const [wall, user, sys, kb] = fs.readFileSync(out, "utf8").trim().split(/\s+/).slice(-4).map(Number);
  fs.rmSync(out, { force: true });
  return { wall, user, sys, rssMiB: round(kb / 1024, 1) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export const chinese: BenchSection = {
  id: "chinese",
  title: "chinese: a 100k-row generated Chinese file against an English file of the same byte size (issue 19; target ≤ 1.3×)",
  async run(ctx) {
    const rows = Number(ctx.flags["chinese-rows"] ?? 100_000);
    const repeat = Math.max(1, Number(ctx.flags["chinese-repeat"] ?? 3));
    const seed = Number(ctx.flags.seed ?? 1);
    const rel = (abs: string) => path.relative(ctx.root, abs);
    fs.mkdirSync(ctx.dataDir, { recursive: true });
    const zh = path.join(ctx.dataDir, `chinese-${rows}.jsonl`);
    const en = path.join(ctx.dataDir, `chinese-${rows}.en.jsonl`);
    if (ctx.flags.regen === true || !fs.existsSync(zh) || !fs.existsSync(en)) {
      ctx.log(`generating ${rel(zh)} and its English counterpart`);
      const zhBytes = generateChinese(zh, rows, seed);
      // English rows average ~317 bytes: enough of them, then the prefix of the Chinese file's size.
      const source = path.join(ctx.dataDir, `chinese-${rows}.en-source.jsonl`);
      await generate({ rows: Math.ceil((zhBytes / 300) * 1.1) + 1000, out: source, seed });
      prefixOfSize(source, en, zhBytes);
      fs.rmSync(source, { force: true });
      fs.rmSync(`${source}.truth.json`, { force: true });
    }
    const zhSize = fs.statSync(zh).size;
    const enSize = fs.statSync(en).size;
    const lines = (f: string) => fs.readFileSync(f).reduce((n, b) => n + (b === 10 ? 1 : 0), 0);
    ctx.print(`  ${rel(zh)}: ${lines(zh).toLocaleString("en-US")} rows, ${round(zhSize / 1e6, 1)} MB; ${rel(en)}: ${lines(en).toLocaleString("en-US")} rows, ${round(enSize / 1e6, 1)} MB`);
    ctx.print(`  load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(", ")} (${os.cpus().length} cores)`);
    const results: Record<string, unknown> = {};
    const table: (string | number)[][] = [];
    for (const mode of MODES) {
      const runs: { zh: Run[]; en: Run[] } = { zh: [], en: [] };
      for (let k = 0; k < repeat; k++) {
        runs.zh.push(timeCheck(ctx.root, zh, mode.args));
        runs.en.push(timeCheck(ctx.root, en, mode.args));
      }
      const user = { zh: median(runs.zh.map((r) => r.user)), en: median(runs.en.map((r) => r.user)) };
      const wall = { zh: median(runs.zh.map((r) => r.wall)), en: median(runs.en.map((r) => r.wall)) };
      const rss = { zh: Math.max(...runs.zh.map((r) => r.rssMiB)), en: Math.max(...runs.en.map((r) => r.rssMiB)) };
      const ratio = round(user.zh / user.en, 2);
      table.push([mode.id, user.zh, user.en, ratio, ratio <= TARGET_RATIO ? "met" : "missed", wall.zh, wall.en, rss.zh, rss.en]);
      results[mode.id] = { userSeconds: user, wallSeconds: wall, peakRssMiB: rss, ratio, runs };
    }
    ctx.table(["check", "zh CPU user s", "en CPU user s", "zh/en", `≤ ${TARGET_RATIO}×`, "zh wall s", "en wall s", "zh MiB", "en MiB"], table);
    ctx.print(`  load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(", ")}; medians of ${repeat} interleaved runs each`);
    return { rows, bytes: { zh: zhSize, en: enSize }, target: TARGET_RATIO, ...results };
  },
};
