/**
 * Split and augment throughput, measured in process on the engine functions the CLI uses: planSplit
 * + renderSplitPieces on each whole dataset read in pieces from disk, as the CLI reads it (target:
 * under 5 s for 1M rows), and augmentDataset + renderAugmented on a dataset's first rows (target:
 * 20k new rows/s or more). Files are rendered, not written: disk speed is not the engine's.
 * `--augment-rows N` (default 100k).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  augmentDataset, datasetSource, detectDatasetFormat, DEFAULT_CONFIG, openReader, planSplit, renderAugmented, renderSplitPieces,
  type SourceRow, type SplitOptions,
} from "../../server/src/engine";
import { fileSource } from "../../server/src/host/fileSource";
import { loadPolarWords, loadTagger, loadWordNet } from "../../server/src/host/wordnet";
import { measureCommand, shQuote } from "../lib/check";
import type { BenchSection } from "../lib/context";
import { round } from "../lib/table";

const SPLIT_TARGET_SECONDS = 5;
const AUGMENT_TARGET_ROWS_PER_SECOND = 20_000;

const now = () => performance.now() / 1000;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const SPLITS: { id: string; options: SplitOptions }[] = [
  { id: "80/10/10 stratified", options: { stratify: true } },
  { id: "+ duplicates grouped", options: { stratify: true, groupDuplicates: true } },
];

export const splitAugment: BenchSection = {
  id: "splitAugment",
  title: "split and augment throughput (engine, in process)",
  async run(ctx) {
    const out: Record<string, unknown> = {};
    const splitRows = [];
    const augmentRows = [];
    const augmentLimit = Number(typeof ctx.flags["augment-rows"] === "string" ? ctx.flags["augment-rows"] : 100_000);
    for (const ds of ctx.datasets) {
      const bytes = fs.readFileSync(ds.absFile);
      const figures: Record<string, unknown> = {};
      {
        // The CLI's default split groups verified near-duplicates too: it reads the file for its row
        // index (on every core, as check does) before planning, so it is timed as the command itself.
        ctx.log(`split ${ds.name} (CLI default: near-duplicates grouped) …`);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tuneset-bench-split-"));
        // Timed as a child process (GNU time gives its CPU, user + system, when installed): on a loaded
        // machine the CPU seconds say more than the wall-clock ones.
        const command = [process.execPath, path.join(ctx.root, "dist", "cli.js"), "split", ds.absFile, "--stratify", "--allow-missing-labels", "--out", dir].map(shQuote).join(" ");
        const { stdout, m } = await measureCommand(command, { cwd: ctx.root, noGnuTime: ctx.flags["no-gnu-time"] === true });
        fs.rmSync(dir, { recursive: true, force: true });
        if (m.exitCode !== 0) throw new Error(`tuneset split failed: ${m.stderrTail}`);
        const seconds = round(m.seconds, 2);
        const cpuSeconds = m.cpuSeconds === null ? null : round(m.cpuSeconds, 2);
        const moved = /([\d,]+) rows in ([\d,]+) groups? kept whole/.exec(stdout.toString("utf8"));
        figures["CLI default (near-duplicates grouped)"] = { seconds, cpuSeconds, peakRssMB: m.peakRssBytes === null ? null : round(m.peakRssBytes / 1e6, 0), groupedRows: moved?.[1], groups: moved?.[2] };
        const verdict = ds.truth.rows >= 1_000_000 ? (seconds < SPLIT_TARGET_SECONDS ? "ok" : "SLOW") : "";
        splitRows.push([ds.name, "CLI default: + near-duplicates grouped", ds.truth.rows, "", "", seconds, cpuSeconds ?? "", Math.round(ds.truth.rows / seconds), "", verdict]);
      }
      for (const variant of SPLITS) {
        ctx.log(`split ${ds.name} (${variant.id}) …`);
        const fd = fs.openSync(ds.absFile, "r");
        const [w0, c0] = [now(), cpu()];
        // The CLI's path: the file read in pieces, JSONL rows copied as bytes into pieces of a megabyte.
        const source = fileSource(fd);
        const reader = openReader(ds.absFile, source);
        const detection = detectDatasetFormat(reader.rows(), DEFAULT_CONFIG);
        const plan = planSplit(reader.rows(), { ...variant.options, seed: 42, detection });
        const w1 = now();
        let outputBytes = 0;
        for (const file of renderSplitPieces(plan, datasetSource(ds.file, reader, source))) for (const piece of file.pieces) outputBytes += piece.length;
        const [w2, c2] = [now(), cpu()];
        fs.closeSync(fd);
        const fig = {
          rows: plan.rows,
          excluded: plan.excluded.length,
          planSeconds: round(w1 - w0, 2),
          renderSeconds: round(w2 - w1, 2),
          seconds: round(w2 - w0, 2),
          cpuSeconds: round(c2 - c0, 2),
          rowsPerSecond: Math.round(plan.rows / (w2 - w0)),
          outputMB: round(outputBytes / 1e6, 1),
        };
        figures[variant.id] = fig;
        const verdict = ds.truth.rows >= 1_000_000 ? (fig.seconds < SPLIT_TARGET_SECONDS ? "ok" : "SLOW") : "";
        splitRows.push([ds.name, variant.id, fig.rows, fig.planSeconds, fig.renderSeconds, fig.seconds, fig.cpuSeconds, fig.rowsPerSecond, fig.outputMB, verdict]);
      }

      ctx.log(`augment ${ds.name} (first ${augmentLimit.toLocaleString("en-US")} rows) …`);
      const reader = openReader(ds.absFile, bytes);
      const rows: SourceRow[] = [];
      for (const row of reader.rows()) if (rows.push(row) >= augmentLimit) break;
      const detection = detectDatasetFormat(rows, DEFAULT_CONFIG);
      // WordNet loading and the first lookups of each word are part of a real run, so they are timed.
      const [w0, c0] = [now(), cpu()];
      const synonyms = loadWordNet();
      // As the CLI runs it: the tagger and the sentiment lexicon too, and the row checks (on by default).
      const result = augmentDataset(rows, { synonyms, tagger: loadTagger(), polarWords: loadPolarWords(), n: 1, seed: 7, detection });
      const w1 = now();
      const file = renderAugmented(result, { ...datasetSource(ds.file, reader, bytes), rowText: (i) => rows[i].text });
      const [w2, c2] = [now(), cpu()];
      const aug = {
        sourceRows: rows.length,
        newRows: result.rows.length,
        unchanged: result.unchanged.length,
        augmentSeconds: round(w1 - w0, 2),
        renderSeconds: round(w2 - w1, 2),
        cpuSeconds: round(c2 - c0, 2),
        rowsPerSecond: Math.round(result.rows.length / (w1 - w0)),
        withRenderRowsPerSecond: Math.round(result.rows.length / (w2 - w0)),
        outputMB: round(file.text.length / 1e6, 1),
      };
      figures.augment = aug;
      augmentRows.push([ds.name, aug.sourceRows, aug.newRows, aug.unchanged, aug.augmentSeconds, aug.renderSeconds, aug.cpuSeconds, aug.rowsPerSecond, aug.withRenderRowsPerSecond, aug.rowsPerSecond >= AUGMENT_TARGET_ROWS_PER_SECOND ? "ok" : "SLOW"]);
      out[ds.id] = figures;
    }
    ctx.print(`  split: planSplit + renderSplitPieces from disk, seed 42 (target under ${SPLIT_TARGET_SECONDS} s for 1M rows)`);
    ctx.table(["dataset", "options", "rows", "plan s", "render s", "total s", "CPU s", "rows/s", "output MB", "target"], splitRows, { align: ["l", "l", "r", "r", "r", "r", "r", "r", "r", "l"] });
    ctx.print();
    ctx.print(`  augment: all five operations, α 0.1, n 1, WordNet (target ${AUGMENT_TARGET_ROWS_PER_SECOND.toLocaleString("en-US")} new rows/s)`);
    ctx.table(["dataset", "source rows", "new rows", "unchanged", "augment s", "render s", "CPU s", "rows/s", "with render", "target"], augmentRows, { align: ["l", "r", "r", "r", "r", "r", "r", "r", "r", "l"] });
    return out;
  },
};
