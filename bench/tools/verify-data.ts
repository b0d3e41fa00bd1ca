/**
 * Checks a generated benchmark file against its truth file: the planted
 * faults look as intended and clean rows really are clean and unique.
 *
 *   npx tsx bench/tools/verify-data.ts bench/data/bench-100k.jsonl
 *
 * Exits non-zero on any violation. Streaming, so it also works on 1M rows.
 */
import * as fs from "node:fs";
import * as readline from "node:readline";
import { normaliseKey, type Truth } from "../lib/gen";
import { hash32 } from "../lib/rng";
import { textJaccard } from "../lib/shingles";

function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** What each noisy kind's text must contain (a loose check that the fault was really planted). */
const FEATURES: Record<string, (t: string) => boolean> = {
  "empty-field": (t) => t === "",
  "too-short": (t) => t.length > 0 && t.length <= 10 && !/\s/.test(t),
  "control-chars": (t) => /[\u0000-\u0008\u001b]/.test(t),
  mojibake: (t) => /Ã|â€/.test(t),
  "html-markup": (t) => /<\/?[a-z]+[^>]*>|&[a-z]+;/.test(t),
  "url-only": (t) => /^https?:\/\/\S+$/.test(t),
  repetition: (t) => /([a-z])\1{6,}|\b(\w+)( \2){4,}\b/i.test(t),
  whitespace: (t) => /^\s|\s$|\s{2}/.test(t),
  placeholder: (t) => /^(N\/A|n\/a|TODO|TBD|todo|\[placeholder\]|Lorem ipsum.*|lorem ipsum.*)$|^As an AI language model, /.test(t),
  "pii-email": (t) => /[\w.]+@\w+\.[\w.]+/.test(t),
  "pii-phone": (t) => /(\+1 )?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}|\+44 20 \d{4} \d{4}/.test(t),
  "pii-card": (t) => (t.match(/\d[\d -]{13,20}\d/g) ?? []).some((m) => luhnOk(m.replace(/\D/g, ""))),
  "pii-ip": (t) => /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/.test(t),
  secret: (t) => /sk-[A-Za-z0-9]{48}\b|AKIA[A-Z0-9]{16}\b|ghp_[A-Za-z0-9]{36}\b/.test(t),
  "low-alpha": (t) => (t.match(/[A-Za-z]/g) ?? []).length / t.replace(/\s/g, "").length < 0.3,
};

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error("usage: verify-data.ts FILE.jsonl");
  const truth: Truth = JSON.parse(fs.readFileSync(`${file}.truth.json`, "utf8"));
  const kindOf = new Map<number, string>();
  for (const [kind, f] of Object.entries(truth.faults)) for (const l of f.lines) {
    if (kindOf.has(l)) fail(`line ${l} planted twice (${kindOf.get(l)}, ${kind})`);
    kindOf.set(l, kind);
  }
  const pairs = new Map<number, number>();
  for (const [d, o] of [...truth.duplicates, ...truth.conflicts]) pairs.set(d, o);
  // Near pairs: line → [original, recorded jaccard, window lo, hi, same label?]
  const near = new Map<number, [number, number, number, number, boolean]>();
  const WINDOWS: Record<number, [number, number]> = { 0.95: [0.93, 0.97], 0.85: [0.85, 0.89], 0.7: [0.68, 0.72], 0.5: [0.48, 0.52] };
  for (const [d, o, j, level] of truth.nearPairs) near.set(d, [o, j, ...WINDOWS[level], true]);
  for (const [d, o, j] of truth.nearConflicts) near.set(d, [o, j, 0.85, 0.97, false]);
  const wantOrig = new Set([...pairs.values(), ...[...near.values()].map((v) => v[0])]);
  const origs = new Map<number, { text: string; label: unknown }>();

  const cleanKeys = new Map<string, number>(); // two 32-bit hashes of the normalised key → line
  const errors: string[] = [];
  let n = 0;
  let bytes = 0;
  const err = (m: string) => {
    if (errors.length < 50) errors.push(m);
    else if (errors.length === 50) errors.push("…");
  };
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    n++;
    bytes += Buffer.byteLength(line) + 1;
    const kind = kindOf.get(n) ?? "";
    let v: unknown;
    let parsed = true;
    try {
      v = JSON.parse(line);
    } catch {
      parsed = false;
    }
    if (kind.startsWith("invalid-json")) {
      if (parsed) err(`${n}: ${kind} line parses`);
      continue;
    }
    if (!parsed) {
      err(`${n}: ${kind || "clean"} line does not parse`);
      continue;
    }
    if (kind.startsWith("not-an-object")) {
      if (typeof v === "object" && v !== null && !Array.isArray(v)) err(`${n}: ${kind} is an object`);
      continue;
    }
    const o = v as Record<string, unknown>;
    if (kind === "missing-field") {
      if ("text" in o) err(`${n}: missing-field has text`);
      continue;
    }
    if (kind === "wrong-type-text") {
      if (typeof o.text === "string") err(`${n}: wrong-type-text has string text`);
      continue;
    }
    if (kind === "wrong-type-label" && (typeof o.label === "string" || typeof o.label !== "object")) err(`${n}: wrong-type-label label is ${typeof o.label}`);
    if (typeof o.text !== "string") {
      err(`${n}: ${kind || "clean"} text is not a string`);
      continue;
    }
    const text = o.text;
    if (wantOrig.has(n)) origs.set(n, { text, label: o.label });
    const nearPair = near.get(n);
    if (nearPair) {
      const [origLine, recorded, lo, hi, sameLabel] = nearPair;
      const orig = origs.get(origLine);
      const j = orig ? textJaccard(text, orig.text) : NaN;
      if (!orig) err(`${n}: near-duplicate original line ${origLine} not seen before it`);
      else if (Math.abs(j - recorded) > 1e-4) err(`${n}: near pair jaccard ${j} but truth says ${recorded}`);
      else if (j < lo || j > hi) err(`${n}: near pair jaccard ${j} outside [${lo}, ${hi}]`);
      else if ((o.label === orig.label) !== sameLabel) err(`${n}: near pair label ${sameLabel ? "differs from" : "equals"} the original's`);
    }
    if (pairs.has(n)) {
      const orig = origs.get(pairs.get(n)!);
      if (!orig) err(`${n}: original line ${pairs.get(n)} not seen before it`);
      else if (kind === "exact-duplicate" && (text !== orig.text || o.label !== orig.label)) err(`${n}: exact-duplicate differs from original`);
      else if (kind === "conflicting-labels" && (text !== orig.text || o.label === orig.label)) err(`${n}: conflicting-labels not same text / different label`);
      else if ((kind === "case-ws-duplicate" || kind === "nfkc-duplicate") && (text === orig.text || normaliseKey(text) !== normaliseKey(orig.text) || o.label !== orig.label))
        err(`${n}: ${kind} does not normalise to original`);
      continue;
    }
    if (kind === "empty-field" || (kind === "placeholder" && text.length < 30)) continue; // repeat by nature
    // everything else: unique under normalisation
    const key = normaliseKey(text);
    const hk = `${hash32(key)}:${hashB(key)}`;
    const prev = cleanKeys.get(hk);
    if (prev !== undefined) err(`${n}: ${kind || "clean"} text duplicates line ${prev}`);
    else cleanKeys.set(hk, n);
    const feature = FEATURES[kind];
    if (feature && !feature(text)) err(`${n}: ${kind} row lacks its fault: ${JSON.stringify(text.slice(0, 100))}`);
    if (!kind) {
      // clean rows: nothing any noise rule could reasonably flag
      if (!/^[A-Z0-9][A-Za-z0-9 ,]*[.?!]( [A-Z0-9][A-Za-z0-9 ,]*[.?!])*$/.test(text)) err(`${n}: clean text has unexpected shape: ${JSON.stringify(text.slice(0, 80))}`);
      if (/  |\d{3}|(.)\1\1|\b(\w+) \2\b|\b(\w+ \w+) \3\b/i.test(text)) err(`${n}: clean text has runs/repeats/long numbers: ${JSON.stringify(text.slice(0, 80))}`);
      const bare = text.toLowerCase().replace(/[.,?!]/g, "");
      if (/\b(\w+) \1\b|\b(\w+ \w+) \2\b/.test(bare)) err(`${n}: clean text repeats a word or pair (ignoring punctuation): ${JSON.stringify(text.slice(0, 80))}`);
      if (text.length < 24) err(`${n}: clean text very short: ${JSON.stringify(text)}`);
      if (typeof o.label !== "string") err(`${n}: clean label not a string`);
    }
  }
  if (n !== truth.rows) err(`rows: file ${n}, truth ${truth.rows}`);
  if (bytes !== truth.bytes) err(`bytes: file ${bytes}, truth ${truth.bytes}`);
  if (errors.length) fail(errors.join("\n"));
  console.log(`ok: ${n} rows, ${kindOf.size} planted faults, ${cleanKeys.size} unique texts checked`);
}

/** Independent second hash (djb2-style, different multiplier) so hk is a real 64-bit key. */
function hashB(s: string): number {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 33) + s.charCodeAt(i) * 0x9e3779b1) | 0;
  return h >>> 0;
}

function fail(m: string): never {
  console.error(m);
  process.exit(1);
}

main().catch((e) => fail(String(e?.stack ?? e)));
