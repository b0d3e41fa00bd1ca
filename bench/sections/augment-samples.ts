/**
 * Augmentation read by a human (#20): for each operation, 30 source → augmented pairs drawn with a
 * fixed seed, written to bench/augment-samples.md (git-ignored: it is regenerated on every run), and
 * counts over every new row of how many change a number, a name or a word the answer also says
 * (target 0), and how many the label model read as another label (dropped as label flips; their share
 * of the new rows made). Sources: the dataset's first rows (classification) and a generated
 * instruction set whose prompts repeat words of their answers. Back-translation and paraphrase need a
 * model endpoint the bench does not have: they are not sampled here (tests run them against a local one).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { augmentDataset, detectDatasetFormat, DEFAULT_CONFIG, openReader, type AugmentOperation, type SourceRow } from "../../server/src/engine";
import { loadPolarWords, loadTagger, loadWordNet } from "../../server/src/host/wordnet";
import type { BenchSection } from "../lib/context";
import { mulberry32 as rng } from "../lib/rng";

const OPERATIONS: AugmentOperation[] = ["sr", "ri", "rs", "rd", "ss", "cn", "cp"];
const PAIRS = 30;
const ROWS = 3000;

/** Tokens with a digit, and capitalised words that do not open a sentence: a multiset as a sorted list. */
function facts(text: string): { numbers: string; names: string } {
  const numbers = (text.match(/[\p{L}\p{N}]*\p{N}[\p{L}\p{N}.,:/-]*/gu) ?? []).sort().join(" ");
  const names: string[] = [];
  for (const m of text.matchAll(/(^|[.!?:]\s+|\s)([\p{Lu}][\p{L}'-]*)/gu)) if (m[1] && !/[.!?:]\s+$/.test(m[1]) && m[2] !== "I") names.push(m[2]);
  return { numbers, names: names.sort().join(" ") };
}

const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Instruction rows whose prompts repeat words of their answers (repeat, translate, arithmetic, spelling). */
function instructionRows(n: number): string {
  const r = rng(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const phrases = ["the sky is blue", "my order arrived late", "the meeting starts at noon", "please close the window", "the train leaves early", "this soup tastes great"];
  const people = ["Alice", "Bob", "Maria", "Kenji", "Fatima"];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    const phrase = pick(phrases);
    if (kind === 0) out.push(JSON.stringify({ instruction: `Repeat after me: ${phrase}.`, output: `${phrase}.` }));
    else if (kind === 1) out.push(JSON.stringify({ instruction: `Translate to French: ${phrase}.`, output: `(French) ${phrase}` }));
    else if (kind === 2) {
      const a = 2 + Math.floor(r() * 90);
      const b = 2 + Math.floor(r() * 90);
      out.push(JSON.stringify({ instruction: `What is ${a} plus ${b}? Answer with the number only.`, output: String(a + b) }));
    } else {
      const who = pick(people);
      out.push(JSON.stringify({ instruction: `Write a short thank-you note to ${who} for the quick help with the report.`, output: `Dear ${who}, thank you for the quick help with the report.` }));
    }
  }
  return out.join("\n") + "\n";
}

export const augmentSamples: BenchSection = {
  id: "augmentSamples",
  title: "augmentation samples and what they change (read bench/augment-samples.md)",
  async run(ctx) {
    const synonyms = loadWordNet();
    const tagger = loadTagger();
    const polarWords = loadPolarWords();
    const sets: { name: string; rows: SourceRow[]; answer?: string }[] = [];
    const ds = ctx.datasets[0];
    const reader = openReader(ds.absFile, fs.readFileSync(ds.absFile));
    const first: SourceRow[] = [];
    for (const row of reader.rows()) if (first.push(row) >= ROWS) break;
    sets.push({ name: `${ds.name} (first ${ROWS.toLocaleString("en-US")} rows)`, rows: first });
    sets.push({ name: "generated instructions", rows: [...openReader("i.jsonl", new TextEncoder().encode(instructionRows(400))).rows()], answer: "output" });

    const md: string[] = ["# Augmentation samples", "", `Written by \`npm run bench\` (section augmentSamples): ${PAIRS} pairs per operation, seed 7.`, ""];
    const table: (string | number)[][] = [];
    for (const set of sets) {
      const detection = detectDatasetFormat(set.rows, DEFAULT_CONFIG);
      for (const op of OPERATIONS) {
        const result = augmentDataset(set.rows, { synonyms, tagger, polarWords, operations: [op], n: 1, seed: 7, detection });
        let numbers = 0;
        let names = 0;
        let answerWords = 0;
        for (const r of result.rows) {
          const p = r.parts[0];
          const before = facts(p.original);
          const after = facts(p.text);
          if (before.numbers !== after.numbers) numbers++;
          if (before.names !== after.names) names++;
          if (set.answer) {
            const answer = String((set.rows[r.sourceIndex].value as Record<string, unknown>)[set.answer]);
            const shared = words(answer).filter((w) => words(p.original).includes(w));
            const kept = (s: string) => { const ws = words(s); return shared.map((w) => ws.filter((x) => x === w).length).join(","); };
            // A shared word replaced, deleted or moved out of its run changes what the answer repeats.
            if (kept(p.original) !== kept(p.text) || !sameOrder(words(p.original), words(p.text), new Set(shared))) answerWords++;
          }
        }
        const flips = Object.entries(result.dropped).filter(([reason]) => reason.startsWith("label flip")).reduce((a, [, n]) => a + n, 0);
        const flipShare = set.answer ? "–" : `${flips} (${((100 * flips) / Math.max(1, flips + result.rows.length)).toFixed(1)}%)`;
        table.push([set.name, op, result.rows.length, numbers, names, set.answer ? answerWords : "–", flipShare]);
        const r = rng(7);
        const sample = result.rows.slice();
        for (let i = sample.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [sample[i], sample[j]] = [sample[j], sample[i]]; }
        md.push(`## ${set.name}: ${op}`, "");
        for (const row of sample.slice(0, PAIRS)) md.push(`- ${row.parts[0].original.replace(/\n/g, " ")}`, `  → ${row.parts[0].text.replace(/\n/g, " ")}`);
        md.push("");
      }
    }
    const file = path.join(ctx.root, "bench", "augment-samples.md");
    fs.writeFileSync(file, md.join("\n"));
    ctx.print("  new rows that change a number, a name (a capitalised word inside a sentence) or a word the answer also says (target 0);");
    ctx.print("  label flips: variants the label model read as another label, dropped (share of the variants made; rs, ss and cp keep every word and are not asked)");
    ctx.table(["source", "op", "new rows", "numbers", "names", "answer words", "label flips"], table, { align: ["l", "l", "r", "r", "r", "r", "r"] });
    ctx.print(`  pairs: ${path.relative(ctx.root, file)}`);
    return { rows: table };
  },
};

/** Whether the words of `keep` come in the same order in both texts. */
function sameOrder(a: string[], b: string[], keep: Set<string>): boolean {
  return a.filter((w) => keep.has(w)).join(" ") === b.filter((w) => keep.has(w)).join(" ");
}
