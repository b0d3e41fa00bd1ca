/**
 * Which encoding a file's bytes are in, decided as the user's editor would read them: a byte order
 * mark says so outright; UTF-16 without one shows in its NUL bytes; a file that is valid UTF-8 is
 * UTF-8; and the lines of any other file are decoded with each legacy encoding in turn and judged by
 * what they read as: Chinese, Japanese or Korean in the characters people use, or else Latin text
 * in Windows-1252 (which reads any byte).
 */

/** The legacy encodings a file that is not UTF-8 may be read in. */
export type LegacyEncoding = 'windows-1252' | 'gb18030' | 'shift_jis' | 'big5' | 'euc-kr';

/** What the engine calls a file's encoding: the WHATWG label, and "utf-8-bom" for UTF-8 after a byte order mark. */
export type EncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | LegacyEncoding;

/** The encoding's name as people write it, for messages. */
export const ENCODING_TITLES: Record<EncodingName, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 with BOM',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'windows-1252': 'Windows-1252',
  gb18030: 'GB18030',
  shift_jis: 'Shift-JIS',
  big5: 'Big5',
  'euc-kr': 'EUC-KR',
};

/** The encoding of a whole file's bytes. */
export function detectEncoding(bytes: Uint8Array): EncodingName {
  return encodingFromStart(bytes) ?? (firstInvalidUtf8(bytes) < 0 ? 'utf-8' : legacyEncodingOf([bytes]));
}

/** Bytes at the start of a file looked at for UTF-16 without a byte order mark. */
export const START_BYTES = 4096;

/**
 * The Unicode encoding a file's first bytes show, or undefined when they show none (then the file is
 * UTF-8 or a legacy encoding): a byte order mark, or the NUL bytes UTF-16 gives every ASCII character.
 */
export function encodingFromStart(head: Uint8Array): 'utf-8-bom' | 'utf-16le' | 'utf-16be' | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return utf16ByNuls(head.subarray(0, START_BYTES));
}

/**
 * UTF-16 without a byte order mark, when its ASCII shows: in UTF-16LE every ASCII character is
 * followed by a NUL byte, in UTF-16BE preceded by one. Text in UTF-8 or a legacy encoding has no NUL
 * bytes at all, so half of them on one side and (nearly) none on the other is UTF-16; mostly-CJK
 * UTF-16 without a mark has few NULs and is not recognised (editors need the mark for it too).
 */
function utf16ByNuls(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const units = head.length >> 1;
  if (units < 2) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenNuls++;
    if (head[i + 1] === 0) oddNuls++;
  }
  if (oddNuls >= units / 2 && evenNuls <= units / 50) return 'utf-16le';
  if (evenNuls >= units / 2 && oddNuls <= units / 50) return 'utf-16be';
  return undefined;
}

/** True for UTF-16, which cannot be split into lines at the byte 0x0A: readers convert it to UTF-8 first. */
export function isUtf16(encoding: EncodingName | undefined): encoding is 'utf-16le' | 'utf-16be' {
  return encoding === 'utf-16le' || encoding === 'utf-16be';
}

/**
 * A file's bytes as UTF-8: UTF-16 (by its mark or its NULs) is decoded and encoded again, without the
 * mark; any other file is returned as it is.
 */
export function utf8Bytes(bytes: Uint8Array): Uint8Array {
  const start = encodingFromStart(bytes);
  return isUtf16(start) ? new TextEncoder().encode(new TextDecoder(start).decode(bytes)) : bytes;
}

/** Index of the first byte at or after `from` that breaks UTF-8 well-formedness, or -1. */
export function firstInvalidUtf8(b: Uint8Array, from = 0): number {
  let i = from;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= n) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * What Windows-1252 reads bytes 0x80–0x9F as (the WHATWG encoding standard's table); the five bytes
 * it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as the C1 code points of the same number.
 * Node's own TextDecoder('windows-1252') reads all 32 as C1 controls (Latin-1), which turned every
 * ’ and € of a Windows file into an invisible control character.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

/** Every byte's UTF-16 code unit in Windows-1252: itself, but for 0x80–0x9F. */
const WINDOWS_1252 = Uint16Array.from({ length: 256 }, (_, b) => (b >= 0x80 && b < 0xa0 ? WINDOWS_1252_HIGH[b - 0x80] : b));

/** The platform's UTF-16 decoder in its own byte order: it reads a Uint16Array of code units as they sit in memory. */
const nativeUtf16 = new TextDecoder(new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'utf-16le' : 'utf-16be');

/** Code units of the last lines decoded, reused: a line longer than SCRATCH_UNITS gets its own. */
let scratch = new Uint16Array(4096);
const SCRATCH_UNITS = 1 << 16;

/**
 * Decodes Windows-1252 bytes: each byte's code unit from the table, then one native decoder call
 * (measured: 0.4 µs for a 120-byte line, where String.fromCharCode over the units took 1.1 µs and
 * Node's wrong Latin-1 decoder 0.25 µs).
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n > scratch.length && n <= SCRATCH_UNITS) scratch = new Uint16Array(Math.max(n, Math.min(SCRATCH_UNITS, scratch.length * 2)));
  const units = n <= scratch.length ? scratch : new Uint16Array(n);
  for (let i = 0; i < n; i++) units[i] = WINDOWS_1252[bytes[i]];
  return nativeUtf16.decode(units.subarray(0, n));
}

/** The platform's decoders for the multi-byte legacy encodings, made on first use (they decode correctly: verified in the tests). */
const decoders = new Map<LegacyEncoding, { decode(bytes: Uint8Array): string }>();

/** Decodes bytes in a legacy encoding; bytes it cannot read become U+FFFD. */
export function decodeLegacy(bytes: Uint8Array, encoding: LegacyEncoding): string {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  let decoder = decoders.get(encoding);
  if (!decoder) decoders.set(encoding, (decoder = new TextDecoder(encoding)));
  return decoder.decode(bytes);
}

/** Bytes of lines that are not UTF-8 judged at most: enough text to tell, and a bounded cost. */
export const EVIDENCE_BYTES = 64 * 1024;

/** Bytes of a file looked through for those lines at most: a big file with few of them is not read to its end. */
export const SCAN_BYTES = 32 * 1024 * 1024;

/**
 * The legacy encoding the lines of a file that are not UTF-8 are in, from the first of those lines
 * (up to EVIDENCE_BYTES of them, within the first SCAN_BYTES). `chunks` are the file's bytes in
 * order, each ending at a line end (but the last); lines that are valid UTF-8 are read as UTF-8
 * anyway and say nothing. `line` is a line known not to be UTF-8, judged when the scan finds none
 * (a big file whose first bad line is far in).
 */
export function legacyEncodingOf(chunks: Iterable<Uint8Array>, line?: Uint8Array): LegacyEncoding {
  const evidence = notUtf8Lines(chunks, EVIDENCE_BYTES, SCAN_BYTES);
  if (evidence.length > 0) return judgeLegacy(evidence);
  return line?.length ? judgeLegacy(line.subarray(0, EVIDENCE_BYTES)) : 'windows-1252';
}

/** The first lines that are not valid UTF-8 (`budget` bytes at most, within the first `scanBytes`), one after another. */
export function notUtf8Lines(chunks: Iterable<Uint8Array>, budget: number, scanBytes = Infinity): Uint8Array {
  const lines: Uint8Array[] = [];
  let size = 0;
  let scanned = 0;
  for (const whole of chunks) {
    // A file in memory comes as one chunk: the scan stops within it all the same.
    const chunk = whole.subarray(0, Math.max(0, Math.min(whole.length, scanBytes - scanned)));
    let at = 0;
    while (size < budget) {
      const bad = firstInvalidUtf8(chunk, at);
      if (bad < 0) break;
      const start = Math.max(at, chunk.lastIndexOf(10, bad) + 1);
      let end = chunk.indexOf(10, bad);
      if (end < 0) end = chunk.length;
      // A copy: a chunk read from disk is a buffer the next chunk is read into.
      const line = chunk.slice(start, Math.min(end + 1, start + budget - size));
      lines.push(line);
      size += line.length;
      at = end + 1;
    }
    scanned += chunk.length;
    if (size >= budget || scanned >= scanBytes) break;
  }
  const out = new Uint8Array(size + lines.length);
  let k = 0;
  for (const line of lines) {
    out.set(line, k);
    k += line.length;
    // Each line on its own, so that a character cut at one's end does not swallow the next one's start.
    if (line[line.length - 1] !== 10) out[k++] = 10;
  }
  return out.subarray(0, k);
}

/**
 * How the lines read in one multi-byte encoding: characters outside ASCII, bytes it could not read
 * (or read as control or private-use characters), punctuation every CJK text shares, and characters
 * of the encoding's common tier (`fit`), of which how many stand next to another non-ASCII character
 * (CJK text comes in runs; a stray ’ read as one ideograph between Latin letters does not).
 */
interface Reading {
  chars: number;
  errors: number;
  neutral: number;
  fit: number;
  inRuns: number;
}

/** What a multi-byte candidate must show to be chosen. */
interface Candidate {
  encoding: Exclude<LegacyEncoding, 'windows-1252'>;
  /** The characters people write in it (its standard's first level), made on first use. */
  common: () => Set<number>;
  /** Share of the judged characters that must be common ones. */
  minShare: number;
  /** Common characters needed before the candidate counts at all. */
  minFit: number;
}

/**
 * Each multi-byte encoding reads the others' bytes as characters too, so each is judged by its own
 * common tier: GB2312's level-1 hanzi (3,755 characters, ~99% of simplified Chinese text), Big5's
 * level-1 (5,401, the traditional counterpart), kana and JIS level-1 kanji, KS X 1001's 2,350 Hangul
 * syllables. Chinese read as Big5 or the other way round lands in the other's common tier for only
 * about a quarter to a half of its characters, and Japanese in no other's. Korean reads as GB2312
 * level-1 hanzi too (Hangul's byte range is GB2312's common one), so EUC-KR is judged first and wins
 * a tie, but only on enough text: Chinese read as Korean is Hangul for ~60% of its characters, and
 * twenty in a row would be chance. The platform's EUC-KR decoder has no CP949 extension (rare
 * syllables): such bytes read as control characters and count against it.
 */
const CANDIDATES: Candidate[] = [
  { encoding: 'euc-kr', common: lazy(() => hangulOfKsX1001()), minShare: 0.95, minFit: 20 },
  { encoding: 'gb18030', common: lazy(() => charsOf('gb18030', range(0xb0, 0xd7), range(0xa1, 0xfe))), minShare: 0.8, minFit: 2 },
  { encoding: 'shift_jis', common: lazy(() => kanaAndJisLevel1()), minShare: 0.8, minFit: 2 },
  { encoding: 'big5', common: lazy(() => big5Level1()), minShare: 0.85, minFit: 8 },
];

/** Share of unreadable bytes a real file in the encoding may have (a few damaged rows). */
const MAX_ERROR_SHARE = 0.02;

/** Chooses the legacy encoding of lines that are not UTF-8. */
function judgeLegacy(evidence: Uint8Array): LegacyEncoding {
  let best: { encoding: LegacyEncoding; share: number } | undefined;
  for (const c of CANDIDATES) {
    const r = reading(evidence, c.encoding, c.common());
    const judged = r.chars - r.neutral;
    if (judged === 0 || r.errors > r.chars * MAX_ERROR_SHARE || r.fit < c.minFit || r.inRuns < Math.max(2, r.fit / 2)) continue;
    const share = r.fit / judged;
    if (share < c.minShare) continue;
    if (!best || share > best.share) best = { encoding: c.encoding, share };
  }
  return best?.encoding ?? 'windows-1252';
}

function reading(evidence: Uint8Array, encoding: string, common: Set<number>): Reading {
  // Streaming keeps a character cut at the end of the evidence back instead of counting it as an error.
  const text = new TextDecoder(encoding).decode(evidence, { stream: true });
  const r: Reading = { chars: 0, errors: 0, neutral: 0, fit: 0, inRuns: 0 };
  let previousWide = false;
  let pendingFit = false;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide = c >= 0x80;
    // A common character is in a run when the character before or after it is outside ASCII too.
    if (pendingFit && wide) r.inRuns++;
    pendingFit = false;
    if (wide) {
      r.chars++;
      if (c === 0xfffd || c < 0xa0 || (c >= 0xe000 && c <= 0xf8ff)) r.errors++;
      else if (isSharedPunctuation(c)) r.neutral++;
      else if (common.has(c)) {
        r.fit++;
        if (previousWide) r.inRuns++;
        else pendingFit = true;
      }
    }
    previousWide = wide;
  }
  return r;
}

/** Punctuation Chinese, Japanese and Korean text all use: says nothing about which it is. */
function isSharedPunctuation(c: number): boolean {
  return (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff60) || (c >= 0x2010 && c <= 0x2027) || c === 0xb7 || c === 0x30fb;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}

/** The characters an encoding reads the two-byte codes leads × trails as (letters only: no symbols or private use). */
function charsOf(encoding: string, leads: number[], trails: number[]): Set<number> {
  const bytes = new Uint8Array(leads.length * trails.length * 3);
  let k = 0;
  for (const lead of leads) {
    for (const trail of trails) {
      bytes[k++] = lead;
      bytes[k++] = trail;
      bytes[k++] = 10;
    }
  }
  const set = new Set<number>();
  for (const ch of new TextDecoder(encoding).decode(bytes)) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3)) set.add(c);
  }
  return set;
}

/** KS X 1001's 2,350 Hangul syllables (EUC-KR B0A1–C8FE), the ones Korean text is written in. */
function hangulOfKsX1001(): Set<number> {
  return charsOf('euc-kr', range(0xb0, 0xc8), range(0xa1, 0xfe));
}

/** Hiragana, katakana and JIS level-1 kanji (Shift-JIS 889F–9872). */
function kanaAndJisLevel1(): Set<number> {
  const trails = [...range(0x40, 0x7e), ...range(0x80, 0xfc)];
  const set = charsOf('shift_jis', range(0x88, 0x98), trails);
  // Lead 0x88 starts at 0x9F and lead 0x98 ends at 0x72; what the loop read beyond them is level 2.
  for (const c of charsOf('shift_jis', [0x88], range(0x40, 0x9e))) set.delete(c);
  for (const c of charsOf('shift_jis', [0x98], [...range(0x73, 0x7e), ...range(0x80, 0xfc)])) set.delete(c);
  for (let c = 0x3041; c <= 0x30ff; c++) set.add(c);
  return set;
}

/** Big5's level-1 hanzi (A440–C67E), the frequent ones. */
function big5Level1(): Set<number> {
  const set = charsOf('big5', range(0xa4, 0xc5), [...range(0x40, 0x7e), ...range(0xa1, 0xfe)]);
  for (const c of charsOf('big5', [0xc6], range(0x40, 0x7e))) set.add(c);
  return set;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
