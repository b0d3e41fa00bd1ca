/**
 * The **shapes** dataset (issue 22): rows shaped like real data rather than the uniform file's short,
 * well-formed ones. Classification rows (`{"text": …, "label": …}`) of these shapes, drawn per row:
 *
 * | shape | share | what |
 * |---|---|---|
 * | prose | rest (~83%) | the uniform file's ordinary text (bench/lib/text.ts), 24–1,200 chars |
 * | long-prose | 1% | paragraphs of prose, 5–50 KB (log-uniform), joined by blank lines |
 * | unspaced | 0.3% | prose around a 1–8 KB run without spaces: a hex chain, a URL with a long query, glued words, a separator line |
 * | base64 | 0.3% | prose around a `data:image/png;base64,` blob of 2–30 KB |
 * | code | 1% | JavaScript or Python, 300–4,000 chars, several lines, indented |
 * | cjk | 2% | Chinese (with some Japanese kana and a few English words), 40–600 chars |
 * | broken-json | 1% | truncated, trailing comma, single quotes, raw tab, bare words, unescaped quote, no closing brace |
 * | exact-dup | 3% | a verbatim copy of an earlier row (text and label) |
 * | near-dup | 3% | an earlier row with one or two words replaced, near an end |
 * | pii | 2% | prose with one or two of: e-mail, phone, card number (Luhn-valid), IPv4, API key |
 * | markup | 1.5% | prose in HTML (`<p>`, `<b>`, `<br/>`, entities, links) |
 * | repetition | 1% | a stretched word (`sooooo`) and a word repeated 5–8 times |
 * | many-findings | 1% | one row with e-mail, phone, markup, a control character, mojibake, double spaces, a repeated word, a trailing space |
 *
 * The CSV beside it (`text,label` header) holds the same rows, quoted per RFC 4180 (long prose and code
 * hold line breaks, so such records span several lines). A broken-JSON row becomes a record of the wrong
 * width there (an extra field, or a missing label), since a CSV file has no JSON to break.
 *
 * Deterministic for (rows, seed, shape): the same arguments give byte-identical files. `only` makes a
 * file of one shape (for per-shape throughput); there, duplicate shapes copy earlier rows of the same
 * file, so a quarter of an `exact-dup` or `near-dup` file is the fresh prose rows they copy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Rng } from "./rng";
import { TextGen } from "./text";

export const SHAPES_VERSION = 1;

export const SHAPES = [
  { id: "long-prose", share: 0.01 },
  { id: "unspaced", share: 0.003 },
  { id: "base64", share: 0.003 },
  { id: "code", share: 0.01 },
  { id: "cjk", share: 0.02 },
  { id: "broken-json", share: 0.01 },
  { id: "exact-dup", share: 0.03 },
  { id: "near-dup", share: 0.03 },
  { id: "pii", share: 0.02 },
  { id: "markup", share: 0.015 },
  { id: "repetition", share: 0.01 },
  { id: "many-findings", share: 0.01 },
] as const;
export type ShapeId = (typeof SHAPES)[number]["id"] | "prose";
export const SHAPE_IDS: readonly ShapeId[] = ["prose", ...SHAPES.map((s) => s.id)];

const LABELS = ["neutral", "positive", "negative", "question", "spam"] as const;
const LABEL_CDF = [0.55, 0.8, 0.92, 0.98, 1];

export interface ShapesOptions {
  rows: number;
  /** The JSONL file; the CSV is written beside it (same name, `.csv`). */
  out: string;
  seed: number;
  /** Only rows of this shape (per-shape throughput files). */
  only?: ShapeId;
  /** Stop early once the JSONL file reaches this many bytes (per-shape files of long rows). */
  maxBytes?: number;
}

export interface ShapesTruth {
  version: number;
  generator: string;
  seed: number;
  only: ShapeId | null;
  /** Rows asked for, and rows written (fewer when maxBytes stopped it). */
  requestedRows: number;
  rows: number;
  bytes: number;
  csvBytes: number;
  maxBytes: number | null;
  /** Rows and JSONL bytes of each shape. */
  shapes: Record<string, { rows: number; bytes: number }>;
  /** Label counts over rows that are valid JSON objects. */
  labels: Record<string, number>;
}

export interface ShapesResult {
  out: string;
  csv: string;
  truthPath: string;
  truth: ShapesTruth;
  ms: number;
}

const HEX = "0123456789abcdef";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Common Chinese characters, then kana (drawn less often). */
const HANZI = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持音河";
const KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテト";
const CJK_PUNCT = "，。！？、";
const DOMAINS = ["example.com", "mailbox.org", "corp-mail.net", "uni.edu", "shop.io"];
const MOJIBAKE = ["cafÃ©", "donâ€™t", "naÃ¯ve", "crÃ¨me", "itâ€™s", "rÃ©sumÃ©"];
const TAGS = [
  (t: string) => `<p>${t}</p>`,
  (t: string) => `<div class="msg"><b>${t.slice(0, 40)}</b>${t.slice(40)}</div>`,
  (t: string) => `${t.slice(0, 60)}<br/>${t.slice(60)}`,
  (t: string) => `${t} &lt;b&gt;ok&lt;/b&gt; &amp; more`,
  (t: string) => `<a href="https://www.example.com/item?id=42">${t}</a>`,
  (t: string) => `<ul><li>${t.slice(0, 80)}</li><li>${t.slice(80)}</li></ul>`,
];
const JS_LINES = [
  "function NAME(a, b) {",
  "  const result = a.map((x) => x * b + 1);",
  "  if (!result.length) return null;",
  "  for (let i = 0; i < result.length; i++) {",
  "    total += result[i] / (i + 1);",
  "  }",
  '  console.log(`NAME: ${total}`);',
  "  return result.filter(Boolean);",
  "}",
  "const NAME = require('./NAME');",
  "export default { NAME, version: '1.2.3' };",
];
const PY_LINES = [
  "def NAME(items, factor=2):",
  "    result = []",
  "    for i, x in enumerate(items):",
  "        if x is None:",
  "            continue",
  "        result.append(x * factor + i)",
  '    print(f"NAME: {len(result)}")',
  "    return result",
  "",
  "class NAME:",
  "    def __init__(self, path):",
  "        self.path = path",
  "import os, sys",
];

/** Writes lines to a file through a 4 MB buffer (synchronous, so memory stays flat). */
class Out {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(4 << 20);
  private pos = 0;
  bytes = 0;
  constructor(file: string) {
    this.fd = fs.openSync(file, "w");
  }
  /** Writes `s` and a newline; returns its byte length (newline included). */
  line(s: string): number {
    const n = Buffer.byteLength(s) + 1;
    if (this.pos + n > this.buf.length) this.flush();
    if (n > this.buf.length) {
      fs.writeSync(this.fd, s + "\n");
    } else {
      this.pos += this.buf.write(s, this.pos);
      this.buf[this.pos++] = 10;
    }
    this.bytes += n;
    return n;
  }
  private flush(): void {
    let off = 0;
    while (off < this.pos) off += fs.writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The text generators of the shapes, over one seeded generator. */
class ShapeText {
  constructor(
    private readonly rng: Rng,
    private readonly tg: TextGen,
  ) {}

  label(): string {
    const u = this.rng.next();
    let i = 0;
    while (u >= LABEL_CDF[i]) i++;
    return LABELS[i];
  }

  prose(): string {
    return this.tg.rowText();
  }

  body(): string {
    return this.tg.bodyText();
  }

  /** Paragraphs until the text reaches a log-uniform 5–50 KB. */
  longProse(): string {
    const target = Math.round(5000 * 10 ** this.rng.next());
    const parts: string[] = [];
    let n = 0;
    while (n < target) {
      const p = this.tg.text(this.rng.range(300, 900));
      parts.push(p);
      n += p.length + 2;
    }
    return parts.join("\n\n");
  }

  unspaced(): string {
    const rng = this.rng;
    const len = rng.range(1000, 8000);
    const kind = rng.int(4);
    let run: string;
    if (kind === 0) run = rng.chars(HEX, len);
    else if (kind === 1) {
      const q: string[] = [];
      let n = 0;
      while (n < len) {
        const kv = `${this.tg.contentWord()}=${rng.chars(ALNUM, rng.range(4, 24))}`;
        q.push(kv);
        n += kv.length + 1;
      }
      run = `https://tracker.example.com/r/${rng.chars(ALNUM, 12)}?${q.join("&")}`;
    } else if (kind === 2) {
      const w: string[] = [];
      let n = 0;
      while (n < len) {
        const x = this.tg.contentWord();
        w.push(x);
        n += x.length;
      }
      run = w.join("");
    } else run = rng.pick(["=", "-", "*", "#", "_"]).repeat(len);
    return `${this.tg.text(rng.range(60, 200))} ${run} ${this.tg.text(rng.range(30, 120))}`;
  }

  base64(): string {
    const rng = this.rng;
    const blob = `data:image/png;base64,iVBORw0KGgo${rng.chars(B64, rng.range(2000, 30000))}==`;
    return rng.chance(0.3) ? blob : `${this.tg.text(rng.range(40, 200))} ${blob}`;
  }

  code(): string {
    const rng = this.rng;
    const lines = rng.chance(0.5) ? JS_LINES : PY_LINES;
    const target = rng.range(300, 4000);
    const out: string[] = [];
    let n = 0;
    while (n < target) {
      const name = `${this.tg.contentWord()}${rng.pick(["", "_list", "Handler", "2", "_v"])}`;
      const l = rng.pick(lines).replace(/NAME/g, name);
      out.push(l);
      n += l.length + 1;
    }
    return rng.chance(0.4) ? `How do I fix this?\n\n${out.join("\n")}` : out.join("\n");
  }

  cjk(): string {
    const rng = this.rng;
    const target = rng.range(40, 600);
    let s = "";
    while (s.length < target) {
      const n = rng.range(6, 28);
      for (let i = 0; i < n; i++) s += rng.chance(0.12) ? KANA[rng.int(KANA.length)] : HANZI[rng.int(HANZI.length)];
      if (rng.chance(0.1)) s += ` ${this.tg.contentWord()} `;
      s += CJK_PUNCT[rng.int(CJK_PUNCT.length)];
    }
    return s;
  }

  email(): string {
    return `${this.tg.contentWord()}.${this.tg.contentWord()}${this.rng.range(1, 99)}@${this.rng.pick(DOMAINS)}`;
  }

  phone(): string {
    const r = this.rng;
    const a = r.range(201, 989);
    const b = r.range(200, 999);
    const c = String(r.range(0, 9999)).padStart(4, "0");
    return r.pick([`+1 (${a}) ${b}-${c}`, `${a}-${b}-${c}`, `(${a}) ${b}-${c}`, `+44 20 7946 ${c}`]);
  }

  card(): string {
    const r = this.rng;
    const digits = [4, ...Array.from({ length: 14 }, () => r.int(10))];
    // Luhn check digit for the 16th position.
    let sum = 0;
    for (let i = 0; i < 15; i++) {
      let d = digits[14 - i];
      if (i % 2 === 0) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    digits.push((10 - (sum % 10)) % 10);
    const s = digits.join("");
    const sep = r.pick([" ", "-", ""]);
    return [s.slice(0, 4), s.slice(4, 8), s.slice(8, 12), s.slice(12)].join(sep);
  }

  pii(): string {
    const r = this.rng;
    const pieces = [
      () => this.email(),
      () => this.phone(),
      () => this.card(),
      () => `${r.range(11, 223)}.${r.range(0, 255)}.${r.range(0, 255)}.${r.range(1, 254)}`,
      () => r.pick([`sk-${r.chars(ALNUM, 48)}`, `AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`, `ghp_${r.chars(ALNUM, 36)}`]),
    ];
    const words = this.body().split(" ");
    const k = r.range(1, 2);
    for (let i = 0; i < k; i++) words.splice(r.int(words.length + 1), 0, r.pick(pieces)());
    return words.join(" ");
  }

  markup(): string {
    return this.rng.pick(TAGS)(this.body());
  }

  repetition(): string {
    const r = this.rng;
    const words = this.body().split(" ");
    const w = this.tg.contentWord();
    words.splice(r.int(words.length), 0, Array(r.range(5, 8)).fill(w).join(" "));
    words.splice(r.int(words.length), 0, `so${"o".repeat(r.range(6, 12))}`);
    return words.join(" ");
  }

  manyFindings(): string {
    const r = this.rng;
    const w = this.tg.contentWord();
    return (
      `<p>${this.tg.text(r.range(60, 160))}  Contact ${this.email()} or ${this.phone()}.\u0007 ` +
      `${r.pick(MOJIBAKE)} ${Array(6).fill(w).join(" ")} ${this.tg.text(r.range(60, 160))}</p> `
    );
  }

  /** One or two words replaced within the first or last three (fewer shingles change there). */
  nearCopy(text: string): string {
    const words = text.split(" ");
    if (words.length < 8) return `${text} ${this.tg.contentWord()}`;
    const k = this.rng.range(1, 2);
    for (let i = 0; i < k; i++) {
      const at = this.rng.chance(0.5) ? this.rng.int(3) : words.length - 1 - this.rng.int(3);
      words[at] = this.tg.contentWord();
    }
    return words.join(" ");
  }

  /** A JSONL line that is not valid JSON, and the CSV record standing for it. */
  broken(text: string, label: string): [string, string] {
    const good = JSON.stringify({ text, label });
    const csv = this.rng.chance(0.5) ? `${csvField(text)},${label},extra` : csvField(text);
    switch (this.rng.int(7)) {
      case 0:
        return [good.slice(0, Math.max(5, Math.floor(good.length * this.rng.next()))), csv];
      case 1:
        return [good.slice(0, -1) + ",}", csv];
      case 2:
        return [`{'text': '${text.replace(/'/g, "")}', 'label': '${label}'}`, csv];
      case 3:
        return [good.replace(" ", "\t"), csv];
      case 4:
        return [text, csv];
      case 5:
        return [`{"text": "He said "${text.slice(0, 40)}" and left", "label": "${label}"}`, csv];
      default:
        return [good.slice(0, -1), csv];
    }
  }
}

/** Earlier rows that duplicates copy: a reservoir sample of up to 20,000 (text, label) pairs. */
class Pool {
  private readonly texts: string[] = [];
  private readonly labels: string[] = [];
  private seen = 0;
  constructor(private readonly rng: Rng) {}
  add(text: string, label: string): void {
    this.seen++;
    if (this.texts.length < 20_000) {
      this.texts.push(text);
      this.labels.push(label);
    } else {
      const j = this.rng.int(this.seen);
      if (j < 20_000) {
        this.texts[j] = text;
        this.labels[j] = label;
      }
    }
  }
  get size(): number {
    return this.texts.length;
  }
  pick(): [string, string] {
    const j = this.rng.int(this.texts.length);
    return [this.texts[j], this.labels[j]];
  }
}

/** Generates the shapes JSONL, its CSV and `<out>.truth.json`; written under temporary names, then renamed. */
export function generateShapes(o: ShapesOptions): ShapesResult {
  const t0 = performance.now();
  const rng = new Rng(o.seed * 7919 + 22);
  const st = new ShapeText(rng, new TextGen(rng));
  const pool = new Pool(rng);
  const csvPath = o.out.replace(/\.jsonl$/, "") + ".csv";
  const truthPath = `${o.out}.truth.json`;
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  const jsonl = new Out(`${o.out}.tmp`);
  const csv = new Out(`${csvPath}.tmp`);
  csv.line("text,label");
  const shapes: Record<string, { rows: number; bytes: number }> = Object.fromEntries(SHAPE_IDS.map((id) => [id, { rows: 0, bytes: 0 }]));
  const labels: Record<string, number> = {};
  const cdf: number[] = [];
  let acc = 0;
  for (const s of SHAPES) cdf.push((acc += s.share));

  let rows = 0;
  for (; rows < o.rows; rows++) {
    if (o.maxBytes !== undefined && jsonl.bytes >= o.maxBytes) break;
    let shape: ShapeId;
    if (o.only) shape = o.only;
    else {
      const u = rng.next();
      const i = cdf.findIndex((c) => u < c);
      shape = i < 0 ? "prose" : SHAPES[i].id;
    }
    // A one-shape file of duplicates first needs rows to copy: a quarter of it is fresh prose.
    if ((shape === "exact-dup" || shape === "near-dup") && (pool.size === 0 || (o.only && rng.chance(0.25)))) shape = "prose";

    let text: string;
    let label = st.label();
    let line: string | undefined;
    let record: string | undefined;
    switch (shape) {
      case "prose":
        text = st.prose();
        pool.add(text, label);
        break;
      case "long-prose":
        text = st.longProse();
        break;
      case "unspaced":
        text = st.unspaced();
        break;
      case "base64":
        text = st.base64();
        break;
      case "code":
        text = st.code();
        break;
      case "cjk":
        text = st.cjk();
        break;
      case "exact-dup":
        [text, label] = pool.pick();
        break;
      case "near-dup":
        text = st.nearCopy(pool.pick()[0]);
        break;
      case "pii":
        text = st.pii();
        break;
      case "markup":
        text = st.markup();
        break;
      case "repetition":
        text = st.repetition();
        break;
      case "many-findings":
        text = st.manyFindings();
        break;
      case "broken-json":
        text = st.body();
        [line, record] = st.broken(text, label);
        break;
    }
    if (line === undefined) {
      line = JSON.stringify({ text, label });
      labels[label] = (labels[label] ?? 0) + 1;
    }
    const n = jsonl.line(line);
    csv.line(record ?? `${csvField(text)},${label}`);
    shapes[shape].rows++;
    shapes[shape].bytes += n;
  }
  jsonl.close();
  csv.close();
  const truth: ShapesTruth = {
    version: SHAPES_VERSION,
    generator: "bench/generate-shapes.ts",
    seed: o.seed,
    only: o.only ?? null,
    requestedRows: o.rows,
    rows,
    bytes: jsonl.bytes,
    csvBytes: csv.bytes,
    maxBytes: o.maxBytes ?? null,
    shapes,
    labels,
  };
  fs.renameSync(`${o.out}.tmp`, o.out);
  fs.renameSync(`${csvPath}.tmp`, csvPath);
  fs.writeFileSync(`${truthPath}.tmp`, JSON.stringify(truth, null, 2) + "\n");
  fs.renameSync(`${truthPath}.tmp`, truthPath);
  return { out: o.out, csv: csvPath, truthPath, truth, ms: performance.now() - t0 };
}

/** The cached file's truth when it was made by this generator version with these arguments, else null. */
export function cachedShapes(o: ShapesOptions): ShapesTruth | null {
  try {
    const t = JSON.parse(fs.readFileSync(`${o.out}.truth.json`, "utf8")) as ShapesTruth;
    const csvPath = o.out.replace(/\.jsonl$/, "") + ".csv";
    const ok =
      t.version === SHAPES_VERSION &&
      t.seed === o.seed &&
      t.requestedRows === o.rows &&
      t.only === (o.only ?? null) &&
      t.maxBytes === (o.maxBytes ?? null) &&
      fs.statSync(o.out).size === t.bytes &&
      fs.statSync(csvPath).size === t.csvBytes;
    return ok ? t : null;
  } catch {
    return null;
  }
}

/** The cached shapes file, or a freshly generated one. */
export function ensureShapes(o: ShapesOptions & { regen?: boolean; log?: (msg: string) => void }): { truth: ShapesTruth; csv: string; generatedMs?: number } {
  const csvPath = o.out.replace(/\.jsonl$/, "") + ".csv";
  const cached = o.regen ? null : cachedShapes(o);
  if (cached) return { truth: cached, csv: csvPath };
  o.log?.(`generating ${o.out} (${o.only ?? "all shapes"}, ${o.rows.toLocaleString("en-US")} rows, seed ${o.seed}) …`);
  const r = generateShapes(o);
  o.log?.(`  done in ${(r.ms / 1000).toFixed(1)} s, ${(r.truth.bytes / 1e6).toFixed(1)} MB JSONL, ${(r.truth.csvBytes / 1e6).toFixed(1)} MB CSV`);
  return { truth: r.truth, csv: csvPath, generatedMs: r.ms };
}
