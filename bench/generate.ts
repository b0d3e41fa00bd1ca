/**
 * Generate a benchmark dataset with planted faults.
 *
 *   npx tsx bench/generate.ts --rows 100000 --out bench/data/bench-100k.jsonl --seed 1
 *
 * Writes <out> (classification JSONL) and <out>.truth.json (planted faults by
 * 1-based line). Same --rows and --seed always give byte-identical output.
 */
import { generate } from "./lib/gen";

function parseCount(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.replace(/_/g, ""));
  if (!m) throw new Error(`bad --rows value: ${s}`);
  const mult = m[2].toLowerCase() === "k" ? 1e3 : m[2].toLowerCase() === "m" ? 1e6 : 1;
  return Math.round(Number(m[1]) * mult);
}

async function main() {
  const args = process.argv.slice(2);
  let rows = 100_000;
  let out = "";
  let seed = 1;
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
    else if (a === "-h" || a === "--help") {
      console.log("usage: npx tsx bench/generate.ts --rows N[k|m] --out FILE.jsonl [--seed N]");
      return;
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!out) out = `bench/data/bench-${rows}.jsonl`;
  if (!Number.isInteger(seed)) throw new Error("--seed must be an integer");

  const r = await generate({ rows, out, seed });
  const planted = Object.values(r.truth.faults).reduce((n, f) => n + f.lines.length, 0);
  console.log(
    `wrote ${r.out}: ${r.rows.toLocaleString("en-US")} rows, ${(r.bytes / 1e6).toFixed(1)} MB ` +
      `(${(r.bytes / r.rows).toFixed(0)} B/row), ${planted.toLocaleString("en-US")} planted faults, ` +
      `${(r.ms / 1000).toFixed(2)} s`,
  );
  console.log(`wrote ${r.truthPath}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
