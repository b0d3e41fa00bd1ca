/**
 * Tuneset benchmark (`npm run bench`).
 *
 *   npx tsx bench/run.ts [--only 100k|1m[,…]] [--check-cmd "CMD {file}"] [--regen]
 *                        [--seed N] [--sections id,…] [--results FILE] [--no-gnu-time]
 *                        [--repeat N]   (runs of the engine-target section, default 3)
 *                        [--shapes-rows N] [--shapes-repeat N] [--shapes-slice-rows N] [--no-per-shape]   (the shapes section)
 *                        [--startup-runs N] [--profile-runs N]   (the startup section)
 *
 * Generates (or reuses, from bench/data/) a 100k-row and a 1M-row dataset with
 * planted faults, runs the checker on each as a child process (default:
 * `node dist/cli.js check --format json --fail-on never {file}`), and prints
 * the report sections listed in bench/sections/index.ts. Figures are also
 * written to bench/results.json.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CHECK_CMD, findGnuTime, runCheck, type CheckRun } from "./lib/check";
import type { BenchContext } from "./lib/context";
import { DATASETS, ensureDataset, type Dataset } from "./lib/datasets";
import { formatTable } from "./lib/table";
import { SECTIONS } from "./sections";
import { referenceMs } from "./lib/speed";

const BOOLEAN_FLAGS = new Set(["regen", "no-gnu-time", "help", "no-per-shape"]);

function parseFlags(argv: string[]): Record<string, string | true> {
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h") {
      flags.help = true;
      continue;
    }
    if (!a.startsWith("--")) throw new Error(`unexpected argument: ${a}`);
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) flags[name] = a.slice(eq + 1);
    else if (BOOLEAN_FLAGS.has(name)) flags[name] = true;
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      flags[name] = v;
    }
  }
  return flags;
}

const str = (v: string | true | undefined): string | undefined => (typeof v === "string" ? v : undefined);

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(fs.readFileSync(process.argv[1], "utf8").split("*/")[0].replace(/^\/\*\*?|^ \* ?/gm, "").trim());
    return 0;
  }
  const benchDir = path.dirname(path.resolve(process.argv[1]));
  const root = path.resolve(benchDir, "..");
  const dataDir = path.join(benchDir, "data");
  const resultsPath = path.resolve(root, str(flags.results) ?? "bench/results.json");
  const seed = Number(str(flags.seed) ?? 1);
  const checkCmd = str(flags["check-cmd"]) ?? DEFAULT_CHECK_CMD;
  const log = (msg: string) => process.stderr.write(`${msg}\n`);

  const only = str(flags.only)
    ?.split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const specs = only ? DATASETS.filter((d) => only.includes(d.id)) : [...DATASETS];
  if (only && specs.length !== only.length) {
    throw new Error(`--only: unknown dataset in "${flags.only}" (have: ${DATASETS.map((d) => d.id).join(", ")})`);
  }
  const sectionIds = str(flags.sections)?.split(",").map((s) => s.trim());
  const sections = sectionIds ? SECTIONS.filter((s) => sectionIds.includes(s.id)) : SECTIONS;
  if (sectionIds && sections.length !== sectionIds.length) {
    throw new Error(`--sections: unknown id in "${flags.sections}" (have: ${SECTIONS.map((s) => s.id).join(", ")})`);
  }

  if (checkCmd === DEFAULT_CHECK_CMD && !fs.existsSync(path.join(root, "dist", "cli.js"))) {
    throw new Error("dist/cli.js not found: build the CLI first (or pass --check-cmd)");
  }

  const datasets: Dataset[] = [];
  for (const spec of specs) {
    datasets.push(await ensureDataset(spec, { root, dataDir, seed, regen: flags.regen === true, log }));
  }

  const runs = new Map<string, Promise<CheckRun>>();
  const ctx: BenchContext = {
    root,
    dataDir,
    datasets,
    checkCmd,
    flags,
    check(ds) {
      let p = runs.get(ds.id);
      if (!p) {
        log(`checking ${ds.file} …`);
        p = runCheck(checkCmd, ds.file, ds.absFile, { cwd: root, noGnuTime: flags["no-gnu-time"] === true }).then((r) => {
          log(`  ${r.measurement.seconds.toFixed(2)} s, ${r.report.findingCount.toLocaleString("en-US")} findings`);
          for (const w of r.report.warnings) log(`  warning: ${w}`);
          return r;
        });
        runs.set(ds.id, p);
      }
      return p;
    },
    print: (text = "") => console.log(text),
    table: (headers, rows, opts) => console.log(formatTable(headers, rows, opts)),
    log,
  };

  const gnuTime = flags["no-gnu-time"] ? null : findGnuTime();
  console.log(`Tuneset benchmark — ${new Date().toISOString()}`);
  console.log(`  node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  console.log(`  checker: ${checkCmd}`);
  console.log(`  peak RSS via: ${gnuTime ? `GNU time (${gnuTime})` : "/proc VmHWM polling"}`);
  const speed = referenceMs();
  console.log(`  machine speed: ${speed} ms for the reference loop (bench/lib/speed.ts; lower is faster, it drifts by ±30% on this VM)`);
  for (const ds of datasets) {
    const planted = Object.values(ds.truth.faults).reduce((n, f) => n + f.lines.length, 0);
    console.log(`  ${ds.name}: ${ds.file}, ${ds.truth.rows.toLocaleString("en-US")} rows, ${(ds.bytes / 1e6).toFixed(1)} MB, ${planted.toLocaleString("en-US")} planted faults, seed ${ds.truth.seed}`);
  }

  const results: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const s of sections) {
    console.log(`\n== ${s.title} ==\n`);
    try {
      results[s.id] = await s.run(ctx);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      errors[s.id] = msg;
      console.log(`  FAILED: ${msg}`);
    }
  }

  const checks: Record<string, unknown> = {};
  for (const ds of datasets) {
    const p = runs.get(ds.id);
    const r = p ? await p.catch(() => null) : null;
    if (r) checks[ds.id] = { command: r.command, ...r.measurement, stderrTail: r.measurement.stderrTail.slice(-2000), warnings: r.report.warnings };
  }
  const doc = {
    version: 1,
    createdAt: new Date().toISOString(),
    environment: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim(), totalMemBytes: os.totalmem(), referenceMs: speed },
    checkCmd,
    datasets: Object.fromEntries(
      datasets.map((d) => [d.id, { file: d.file, rows: d.truth.rows, bytes: d.bytes, seed: d.truth.seed, generatorVersion: d.truth.generatorVersion, generatedSeconds: d.generatedMs === undefined ? null : d.generatedMs / 1000 }]),
    ),
    checks,
    sections: results,
    errors,
  };
  fs.writeFileSync(resultsPath, JSON.stringify(doc, null, 2) + "\n");
  console.log(`\nresults written to ${path.relative(process.cwd(), resultsPath)}`);
  return Object.keys(errors).length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
