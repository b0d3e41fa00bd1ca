/**
 * Exclude globs (issue 16): the language server matches `files.exclude` and `tuneset.exclude` against
 * every path of the workspace. A glob turned into a regular expression backtracks: `*a*a*a*a*a*a*a*a*a*a*.zz`
 * took 15 s against one path. The matcher now runs in time linear in the path times the glob; this
 * section times hostile globs against 10,000 long paths (target: under 1 s for each glob, 0.1 ms a path,
 * where one path took 15 s).
 */
import type { BenchSection } from "../lib/context";
import { round } from "../lib/table";
import { compileGlob } from "../../server/src/lsp/glob";
import { isExcluded } from "../../server/src/lsp/settings";

const PATHS = 10_000;
const TARGET_SECONDS = 1;

const GLOBS = [
  "*a*a*a*a*a*a*a*a*a*a*.zz",
  "**/*a*a*a*a*a*a*a*a*a*a*.zz",
  `${Array.from({ length: 20 }, () => "**/a").join("/")}/*.zz`,
  "{a,b}*{a,b}*{a,b}*{a,b}*{a,b}*{a,b}*.zz",
  "**/node_modules",
];

/**
 * Paths a glob of a's has to work at: folders of a's, and names of a's, half of them ending in .zz with
 * nine a's among b's (one a short of `*a*…*.zz`: the case that backtracked).
 */
function paths(): string[] {
  return Array.from({ length: PATHS }, (_, i) => {
    const name = i % 2 ? `${"b".repeat(30 + (i % 40))}${"ab".repeat(9)}${"b".repeat(30)}.zz` : `${"a".repeat(40 + (i % 60))}.jsonl`;
    return `${"a".repeat(20 + (i % 40))}/${"a/".repeat(i % 12)}${name}`;
  });
}

export const globs: BenchSection = {
  id: "globs",
  title: "Exclude globs against long paths (linear-time matcher)",
  async run(ctx) {
    const all = paths();
    const rows: (string | number)[][] = [];
    const figures: Record<string, number> = {};
    for (const glob of GLOBS) {
      const matcher = compileGlob(glob);
      const start = process.hrtime.bigint();
      let excluded = 0;
      for (const p of all) if (isExcluded(p, [matcher])) excluded++;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      figures[glob] = round(seconds, 4);
      rows.push([glob, excluded, round(seconds, 4), seconds < TARGET_SECONDS ? "yes" : "NO"]);
    }
    ctx.table(["glob", "paths excluded", `seconds for ${PATHS.toLocaleString("en-US")} paths`, `under ${TARGET_SECONDS} s`], rows, { align: ["l", "r", "r", "l"] });
    const allMet = Object.values(figures).every((s) => s < TARGET_SECONDS);
    ctx.print(`  ${allMet ? "every glob" : "NOT every glob"} matches ${PATHS.toLocaleString("en-US")} paths in under ${TARGET_SECONDS} s`);
    return { seconds: figures, allMet };
  },
};
