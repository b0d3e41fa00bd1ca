/** `check` throughput: wall time, rows/s, MB/s and peak RSS per dataset, plus 100k→1M scaling. */
import type { BenchSection } from "../lib/context";
import { round } from "../lib/table";

const MB = 1e6; // decimal megabytes for sizes and rates
const MIB = 1024 * 1024; // RSS in MiB, as `ps`/`top` show it

export const throughput: BenchSection = {
  id: "throughput",
  title: "check throughput",
  async run(ctx) {
    const out: Record<string, unknown> = {};
    const rows = [];
    for (const ds of ctx.datasets) {
      const run = await ctx.check(ds);
      const m = run.measurement;
      const fig = {
        rows: ds.truth.rows,
        bytes: ds.bytes,
        seconds: round(m.seconds),
        cpuSeconds: m.cpuSeconds === null ? null : round(m.cpuSeconds),
        rowsPerSecond: Math.round(ds.truth.rows / m.seconds),
        mbPerSecond: round(ds.bytes / MB / m.seconds, 2),
        peakRssMiB: m.peakRssBytes === null ? null : round(m.peakRssBytes / MIB, 1),
        rssMethod: m.rssMethod,
        reportBytes: m.stdoutBytes,
        reportParseSeconds: round(run.parseSeconds),
        findings: run.report.findingCount,
        reportedRows: run.report.rows ?? null,
      };
      out[ds.id] = fig;
      rows.push([
        ds.name,
        fig.rows,
        round(ds.bytes / MB, 1),
        fig.seconds,
        fig.cpuSeconds,
        fig.rowsPerSecond,
        fig.mbPerSecond,
        fig.peakRssMiB,
        fig.findings,
        round(fig.reportBytes / MB, 1),
      ]);
      if (run.report.rows !== undefined && run.report.rows !== ds.truth.rows) {
        ctx.print(`  ! ${ds.name}: checker reports ${run.report.rows} rows, file has ${ds.truth.rows}`);
      }
    }
    ctx.table(["dataset", "rows", "MB", "seconds", "CPU s", "rows/s", "MB/s", "peak RSS MiB", "findings", "report MB"], rows, {
      align: ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
    });

    const small = ctx.datasets.find((d) => d.id === "100k");
    const big = ctx.datasets.find((d) => d.id === "1m");
    if (small && big) {
      const a = out[small.id] as { seconds: number; peakRssMiB: number | null };
      const b = out[big.id] as { seconds: number; peakRssMiB: number | null };
      const timeRatio = round(b.seconds / a.seconds, 2);
      const rssRatio = a.peakRssMiB && b.peakRssMiB ? round(b.peakRssMiB / a.peakRssMiB, 2) : null;
      const linear = round(big.truth.rows / small.truth.rows, 2);
      out.scaling = { timeRatio, rssRatio, linear };
      ctx.print();
      ctx.print(`  100k → 1M time ratio: ${timeRatio}× (linear would be ${linear}×)` + (rssRatio ? `; peak RSS ratio ${rssRatio}×` : ""));
    }
    const methods = new Set(ctx.datasets.map((d) => (out[d.id] as { rssMethod: string }).rssMethod));
    if (methods.has("proc-vmhwm")) ctx.print("  (peak RSS polled from /proc/<pid>/status VmHWM; install GNU time for exact figures: apt-get install -y time)");
    if (methods.has("none")) ctx.print("  (peak RSS not measured: no GNU time and no /proc)");
    return out;
  },
};
