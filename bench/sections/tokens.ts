/**
 * Issue 22: token counting alone, in this process, on the long rows of the shapes (bench/lib/shapes.ts).
 *
 * The too-long and token-limit rules count a text only when its bytes pass their limits, and only as far
 * as their verdict needs (server/src/engine/text/tokens.ts). Token counting is a third of the 1M shapes
 * check's CPU, but a whole check's time on this VM drifts by 15% and more from one run to the next: an
 * improvement of a few percent to counting is lost in it. So here the rules' calls are made on the texts
 * of each per-shape file (the ones the shapes section writes), several rounds in one process, and the
 * best round is shown: nanoseconds per character the tokenizer was given, per shape.
 *
 * Flags: `--tokens-rounds N` (default 7).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchSection } from "../lib/context";
import { ensureShapes, type ShapeId } from "../lib/shapes";
import { round } from "../lib/table";
import { exceedsTokens, measureTokens, pieceStats, utf8Length } from "../../server/src/engine/text/tokens";
import { DEFAULT_CONFIG } from "../../server/src/engine/config";
import { PER_SHAPE_BYTES, PER_SHAPE_ROWS } from "./shapes";

/** The shapes whose rows pass the limits' bytes (the others are rarely counted at all). */
const COUNTED: ShapeId[] = ["long-prose", "unspaced", "base64", "code", "cjk"];

/** The texts of a JSONL file's rows that parse and have a string "text". */
function texts(file: string): string[] {
  const out: string[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    try {
      const v = JSON.parse(line) as { text?: unknown };
      if (typeof v.text === "string") out.push(v.text);
    } catch {
      // A broken row: the rules do not count it either.
    }
  }
  return out;
}

export const tokens: BenchSection = {
  id: "tokens",
  title: "tokens: the too-long and token-limit rules' counting alone, on each shape's texts, best of several rounds (issue 22)",
  async run(ctx) {
    const rounds = Math.max(1, Number(ctx.flags["tokens-rounds"] ?? 7));
    const seed = Number(ctx.flags.seed ?? 1);
    const field = DEFAULT_CONFIG.thresholds.maxFieldTokens;
    const row = DEFAULT_CONFIG.maxTokens;
    const rows: (string | number)[][] = [];
    const figures: Record<string, unknown> = {};
    for (const id of COUNTED) {
      const file = path.join(ctx.dataDir, "per-shape", `${id}.jsonl`);
      ensureShapes({ rows: PER_SHAPE_ROWS, out: file, seed, only: id, maxBytes: PER_SHAPE_BYTES, log: ctx.log });
      const all = texts(file);
      const bytes = all.map((t) => utf8Length(t));
      let best = Infinity;
      let characters = 0;
      let total = 0;
      for (let r = 0; r < rounds; r++) {
        const before = pieceStats.characters;
        let sum = 0;
        const t0 = process.hrtime.bigint();
        // As the rules call it: too-long per text, then token-limit for the row (one text here, 4 tokens of overhead).
        for (let k = 0; k < all.length; k++) {
          const t = all[k];
          const b = bytes[k];
          sum += exceedsTokens(t, b, field, b === t.length)?.tokens ?? 0;
          if (b + 4 > row) sum += measureTokens(t, b, row, b === t.length).tokens;
        }
        best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
        characters = pieceStats.characters - before;
        total = sum;
      }
      const counted = all.filter((_, k) => bytes[k] > field).length;
      rows.push([id, all.length, counted, round(characters / 1e6, 2), round(best), characters ? round((best * 1e6) / characters, 1) : 0]);
      // verdictTokens: the counts of the texts found over a limit, summed: a checksum, the same in every build.
      figures[id] = { texts: all.length, counted, charactersCounted: characters, bestMs: round(best), nsPerCharacter: characters ? round((best * 1e6) / characters, 1) : null, verdictTokens: total };
    }
    ctx.table(["shape", "texts", "over 2,048 bytes", "M characters counted", `best of ${rounds} rounds, ms`, "ns a character"], rows, { align: ["l", "r", "r", "r", "r", "r"] });
    ctx.print(`  (limits ${field} and ${row}, as by default; "characters counted": given to the tokenizer in a round, sampled windows included)`);
    return { rounds, shapes: figures };
  },
};
