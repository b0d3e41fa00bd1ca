/**
 * Generate the shapes dataset (rows shaped like real data; bench/lib/shapes.ts) and its CSV.
 *
 *   npx tsx bench/generate-shapes.ts --rows 1m --out bench/data/shapes-1m.jsonl [--seed 1] [--only SHAPE] [--max-mb N]
 *
 * Writes <out>, <out without .jsonl>.csv and <out>.truth.json (rows and bytes per shape, label counts).
 * Same arguments always give byte-identical files.
 */
import { generateShapes, SHAPE_IDS, type ShapeId } from "./lib/shapes";

function parseCount(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.replace(/_/g, ""));
  if (!m) throw new Error(`bad --rows value: ${s}`);
  const mult = m[2].toLowerCase() === "k" ? 1e3 : m[2].toLowerCase() === "m" ? 1e6 : 1;
  return Math.round(Number(m[1]) * mult);
}

function main() {
  const args = process.argv.slice(2);
  let rows = 1_000_000;
  let out = "";
  let seed = 1;
  let only: ShapeId | undefined;
  let maxBytes: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = () => {
      const x = args[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === "--rows") rows = parseCount(v());
    else if (a === "--out") out = v();
    else if (a === "--seed") seed = Number(v());
    else if (a === "--max-mb") maxBytes = Number(v()) * 1e6;
    else if (a === "--only") {
      const s = v();
      if (!SHAPE_IDS.includes(s as ShapeId)) throw new Error(`--only: unknown shape ${s} (have: ${SHAPE_IDS.join(", ")})`);
      only = s as ShapeId;
    } else if (a === "-h" || a === "--help") {
      console.log("usage: npx tsx bench/generate-shapes.ts --rows N[k|m] --out FILE.jsonl [--seed N] [--only SHAPE] [--max-mb N]");
      return;
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!out) out = `bench/data/shapes-${rows}${only ? `-${only}` : ""}.jsonl`;
  if (!Number.isInteger(seed)) throw new Error("--seed must be an integer");
  const r = generateShapes({ rows, out, seed, only, maxBytes });
  const t = r.truth;
  console.log(`wrote ${r.out}: ${t.rows.toLocaleString("en-US")} rows, ${(t.bytes / 1e6).toFixed(1)} MB; ${r.csv}: ${(t.csvBytes / 1e6).toFixed(1)} MB; ${(r.ms / 1000).toFixed(1)} s`);
  for (const [id, s] of Object.entries(t.shapes)) if (s.rows) console.log(`  ${id.padEnd(14)} ${String(s.rows).padStart(8)} rows ${(s.bytes / 1e6).toFixed(1).padStart(7)} MB`);
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
