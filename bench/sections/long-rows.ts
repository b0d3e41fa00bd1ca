/**
 * Hostile rows (issue 16): `tuneset check` of a file holding one 1 MB row of a given shape among a few
 * ordinary rows, per shape, and of a row nested 5,000 and 100,000 levels deep. Target: each file
 * checks in under 1 s (exact BPE of such a row took 87 s for 256 KB of one letter: the tokenizer's
 * merge loop is quadratic in a run without spaces; the engine now gives it bounded pieces). Each
 * file is checked three times and the best time shown (the VM's speed drifts), beside the time of
 * the same file without its long row: the difference is what the row costs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchSection } from "../lib/context";
import { buildCommand, measureCommand, type Measurement } from "../lib/check";
import { round } from "../lib/table";

const TARGET_SECONDS = 1;
const MB = 1 << 20;
const RUNS = 3;

/** Deterministic text of `length` UTF-16 units, drawn from an alphabet by code point (astral characters stay whole). */
function drawn(alphabet: string, length: number, seed = 7): string {
  const chars = [...alphabet];
  const parts: string[] = [];
  let x = seed;
  let n = 0;
  while (n < length) {
    x = (x * 1103515245 + 12345) >>> 0;
    const c = chars[x % chars.length];
    parts.push(c);
    n += c.length;
  }
  return parts.join("");
}

/** A text of about `bytes` UTF-8 bytes: `unit` repeated. */
const repeated = (unit: string, bytes: number) => unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));

const WORDS = "the of and to in is was for on that with as by at from his her it an were which are this be also has had first one their its after new who they two she been other when there all during into school time may years more most only over city some world would where later up such used many can state about national".split(" ");

/** The shapes of a 1 MB text that break a tokenizer or a regex: each is one row's "text". */
const SHAPES: { id: string; what: string; text: () => string }[] = [
  { id: "one-letter", what: "one letter repeated", text: () => "a".repeat(MB) },
  { id: "base64", what: "base64 (an image in a row)", text: () => drawn("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", MB) },
  { id: "minified-js", what: "minified JavaScript", text: () => repeated('function(a,b){return a.map(function(c){return c*b+1})};var x=document.getElementById("q");if(x){x.onclick=null}', MB) },
  { id: "varied-words", what: "varied words", text: () => { const out: string[] = []; let x = 11; for (let n = 0; n < MB; ) { x = (x * 1103515245 + 12345) >>> 0; const w = WORDS[x % WORDS.length]; out.push(w); n += w.length + 1; } return out.join(" "); } },
  { id: "cjk", what: "CJK without punctuation", text: () => drawn("数据集质量检查工具我们今天去公园散步天气很好心情也不错", MB / 3) },
  { id: "emoji", what: "emoji", text: () => drawn("🙂👍🎉🔥", MB / 2) },
  { id: "digits", what: "digits", text: () => drawn("0123456789", MB) },
  { id: "spaces", what: "spaces", text: () => " ".repeat(MB) },
  { id: "emails", what: "e-mail addresses (one every 7 bytes)", text: () => repeated("a@b.co ", MB) },
];

/** Lines nested deeper than any recursive walk survives (the row is a too-deep finding). */
const DEEP: { id: string; what: string; line: () => string }[] = [
  { id: "nested-5000", what: "arrays nested 5,000 deep (10 KB)", line: () => `{"text":"hello there","label":"pos","extra":${"[".repeat(5000)}${"]".repeat(5000)}}` },
  { id: "nested-100k", what: "objects nested 100,000 deep (0.6 MB)", line: () => `{"text":"x","label":"pos","meta":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}` },
];

const NORMAL = [
  { text: "The weather was lovely today and we walked along the river for an hour.", label: "pos" },
  { text: "I did not enjoy the film at all; the plot dragged and the ending made no sense.", label: "neg" },
  { text: "Service was quick, the staff were friendly and the food arrived hot.", label: "pos" },
  { text: "The parcel came two weeks late and the box was crushed.", label: "neg" },
];

/** Writes a file of the ordinary rows around `line` (none when undefined); kept between runs. */
function caseFile(dir: string, id: string, line: (() => string) | undefined): string {
  const file = path.join(dir, `${id}.jsonl`);
  if (!fs.existsSync(file)) {
    const rows = NORMAL.map((r) => JSON.stringify(r));
    if (line) rows.splice(2, 0, line());
    fs.writeFileSync(file + ".tmp", rows.join("\n") + "\n");
    fs.renameSync(file + ".tmp", file);
  }
  return file;
}

/** The best of RUNS checks of a file (wall seconds, and CPU seconds when GNU time is there). */
async function bestCheck(ctx: Parameters<BenchSection["run"]>[0], file: string): Promise<Measurement> {
  let best: Measurement | undefined;
  for (let k = 0; k < RUNS; k++) {
    const { m } = await measureCommand(buildCommand(ctx.checkCmd, path.relative(ctx.root, file)), { cwd: ctx.root, noGnuTime: ctx.flags["no-gnu-time"] === true, discardStdout: true });
    if (m.exitCode !== 0 && m.exitCode !== 1) throw new Error(`${path.basename(file)}: the checker exited with ${m.exitCode}: ${m.stderrTail.slice(-500)}`);
    if (!best || m.seconds < best.seconds) best = m;
    // A file far over the target says so the first time; running it again only takes the bench longer.
    if (m.seconds > 5 * TARGET_SECONDS) break;
  }
  return best!;
}

export const longRows: BenchSection = {
  id: "long-rows",
  title: "hostile rows: one 1 MB row of each shape, and deep nesting, among ordinary rows (target: each file under 1 s)",
  async run(ctx) {
    const dir = path.join(ctx.dataDir, "long-rows");
    fs.mkdirSync(dir, { recursive: true });
    ctx.log("long rows: the file without its long row …");
    const base = await bestCheck(ctx, caseFile(dir, "ordinary-only", undefined));
    const figures: Record<string, unknown> = { ordinaryOnlySeconds: round(base.seconds) };
    const table: (string | number | null)[][] = [["ordinary rows only", "", round(base.seconds), "", base.cpuSeconds === null ? null : round(base.cpuSeconds), ""]];
    const cases = [...SHAPES.map((s) => ({ id: s.id, what: s.what, line: () => JSON.stringify({ text: s.text(), label: "pos" }) })), ...DEEP];
    let allMet = true;
    for (const c of cases) {
      ctx.log(`long rows: ${c.id} …`);
      const file = caseFile(dir, c.id, c.line);
      const m = await bestCheck(ctx, file);
      const met = m.seconds < TARGET_SECONDS;
      allMet &&= met;
      figures[c.id] = { bytes: fs.statSync(file).size, seconds: round(m.seconds), rowSeconds: round(m.seconds - base.seconds), cpuSeconds: m.cpuSeconds === null ? null : round(m.cpuSeconds), met };
      table.push([c.what, round(fs.statSync(file).size / 1e6, 2), round(m.seconds), round(m.seconds - base.seconds), m.cpuSeconds === null ? null : round(m.cpuSeconds), met ? "yes" : "NO"]);
    }
    ctx.table(["row", "file MB", "seconds (best of 3)", "the row's share", "CPU s", "under 1 s"], table, { align: ["l", "r", "r", "r", "r", "l"] });
    ctx.print(`  ${allMet ? "every file checks in under 1 s" : "NOT every file checks in under 1 s"} (the command: ${ctx.checkCmd})`);
    return { ...figures, allMet };
  },
};
