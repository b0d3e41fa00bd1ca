/**
 * The engine issue's target: `tuneset check --format json` with every rule of that issue (that is,
 * without the file-wide near-duplicate search, `--no-near-duplicates`) on the 1M-row file, under
 * 6 s and 1 GB peak RSS on this 2-core machine. Run several times (`--repeat N`, default 3): the
 * machine's speed drifts by ±20% between runs, so the median is the figure and every run is shown.
 */
import type { BenchSection } from "../lib/context";
import { buildCommand, measureCommand } from "../lib/check";
import { round } from "../lib/table";
import { referenceMs } from "../lib/speed";

const TARGET_SECONDS = 6;
const TARGET_BYTES = 1e9;
const COMMAND = "node dist/cli.js check --format json --fail-on never --no-near-duplicates {file}";

export const engineTarget: BenchSection = {
  id: "engine-target",
  title: "engine target: check without near-duplicates on the 1M-row file (target under 6 s and 1 GB)",
  async run(ctx) {
    const ds = ctx.datasets.find((d) => d.id === "1m");
    if (!ds) {
      ctx.print("  (needs the 1M-row dataset: run without --only, or with --only 1m)");
      return { skipped: true };
    }
    const repeat = Math.max(1, Number(ctx.flags.repeat ?? 3));
    const runs: { seconds: number; peakRssMiB: number | null; referenceMs: number }[] = [];
    for (let k = 0; k < repeat; k++) {
      ctx.log(`engine target: run ${k + 1} of ${repeat} …`);
      const speed = referenceMs();
      const { m } = await measureCommand(buildCommand(COMMAND, ds.file), { cwd: ctx.root, noGnuTime: ctx.flags["no-gnu-time"] === true, discardStdout: true });
      if (m.exitCode !== 0) throw new Error(`checker exited with ${m.exitCode}: ${m.stderrTail}`);
      runs.push({ seconds: round(m.seconds), peakRssMiB: m.peakRssBytes === null ? null : round(m.peakRssBytes / 2 ** 20, 1), referenceMs: speed });
    }
    const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    const worstRss = Math.max(...runs.map((r) => r.peakRssMiB ?? 0));
    ctx.table(
      ["run", "seconds", "rows/s", "peak RSS MiB", "machine reference ms"],
      runs.map((r, k) => [k + 1, r.seconds, Math.round(ds.truth.rows / r.seconds), r.peakRssMiB, r.referenceMs]),
      { align: ["r", "r", "r", "r", "r"] },
    );
    const timeMet = median.seconds < TARGET_SECONDS;
    const rssMet = worstRss * 2 ** 20 < TARGET_BYTES;
    ctx.print(`  median ${median.seconds} s (best ${sorted[0].seconds} s), peak RSS at most ${worstRss} MiB: ` +
      `time ${timeMet ? "met" : "NOT met"}, memory ${rssMet ? "met" : "NOT met"} (targets ${TARGET_SECONDS} s, ${TARGET_BYTES / 1e9} GB)`);
    return { command: COMMAND, runs, medianSeconds: median.seconds, bestSeconds: sorted[0].seconds, peakRssMiB: worstRss, timeMet, rssMet };
  },
};
