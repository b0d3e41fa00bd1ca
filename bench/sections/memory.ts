/**
 * Memory bounded by design: a million-row templated file (every row a PII finding, nearly every row
 * an exact duplicate and a conflicting label: ~3M findings) and a folder of 20,000 small files, each
 * checked with `--format json` (the findings over the per-rule limit are counted, not kept; each file
 * of a folder is written as it is analyzed). Target: peak RSS at most 1 GB.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchSection } from "../lib/context";
import { measureCommand } from "../lib/check";
import { round } from "../lib/table";

const TARGET_BYTES = 1e9;
const PRODUCTS = ["phone", "laptop", "tablet", "watch", "camera"];
const CITIES = ["Paris", "Berlin", "Tokyo", "Lima", "Oslo"];

/** The templated file: 5,000 order numbers, 5 products, 5 cities, one e-mail address per row. */
function templatedFile(dataDir: string, rows: number): string {
  const file = path.join(dataDir, `templated-${rows}.jsonl`);
  if (fs.existsSync(file)) return file;
  const fd = fs.openSync(file + ".tmp", "w");
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const text = `Your order ${i % 5000} for a ${PRODUCTS[i % 5]} has shipped to ${CITIES[(i >> 3) % 5]}. Contact us at help@shop.com`;
    chunk += JSON.stringify({ text, label: i % 7 === 0 ? "complaint" : "shipping" }) + "\n";
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = "";
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  fs.renameSync(file + ".tmp", file);
  return file;
}

/** A folder of small files (5 rows each) in 100 subfolders. */
function manyFiles(dataDir: string, count: number): string {
  const dir = path.join(dataDir, `many-${count}`);
  if (fs.existsSync(path.join(dir, "done"))) return dir;
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `d${i % 100}`);
    if (i < 100) fs.mkdirSync(sub, { recursive: true });
    let text = "";
    for (let j = 0; j < 5; j++) text += JSON.stringify({ text: `sample text number ${j} in file ${i}, mail a@b.com`, label: j % 2 ? "x" : "y" }) + "\n";
    fs.writeFileSync(path.join(sub, `f${i}.jsonl`), text);
  }
  fs.writeFileSync(path.join(dir, "done"), "");
  return dir;
}

export const memory: BenchSection = {
  id: "memory",
  title: "memory: peak RSS of check --format json on a templated 1M-row file and on 20,000 small files (target at most 1 GB)",
  async run(ctx) {
    const cases = [
      { name: "templated 1M rows (~3M findings)", input: templatedFile(ctx.dataDir, 1_000_000) },
      { name: "20,000 files of 5 rows", input: manyFiles(ctx.dataDir, 20_000) },
    ];
    const rows: { name: string; seconds: number; peakRssMiB: number | null; outputMiB: number }[] = [];
    for (const c of cases) {
      ctx.log(`memory: ${c.name} …`);
      const command = `node dist/cli.js check --format json --fail-on never ${JSON.stringify(path.relative(ctx.root, c.input))}`;
      const { m } = await measureCommand(command, { cwd: ctx.root, noGnuTime: ctx.flags["no-gnu-time"] === true, discardStdout: true });
      if (m.exitCode !== 0) throw new Error(`checker exited with ${m.exitCode}: ${m.stderrTail}`);
      rows.push({ name: c.name, seconds: round(m.seconds), peakRssMiB: m.peakRssBytes === null ? null : round(m.peakRssBytes / 2 ** 20, 1), outputMiB: round(m.stdoutBytes / 2 ** 20, 1) });
    }
    ctx.table(["input", "seconds", "peak RSS MiB", "JSON MiB"], rows.map((r) => [r.name, r.seconds, r.peakRssMiB, r.outputMiB]), { align: ["l", "r", "r", "r"] });
    const met = rows.every((r) => r.peakRssMiB !== null && r.peakRssMiB * 2 ** 20 <= TARGET_BYTES);
    ctx.print(`  peak RSS at most ${Math.max(...rows.map((r) => r.peakRssMiB ?? 0))} MiB: ${met ? "met" : "NOT met"} (target ${TARGET_BYTES / 1e9} GB)`);
    return { rows, met };
  },
};
