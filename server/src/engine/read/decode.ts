/**
 * Byte-level reading: line splitting and UTF-8 decoding with a Windows-1252 fallback, so a file
 * that is not valid UTF-8 is still read (and reported) instead of crashing or silently mangling.
 */

export interface InvalidUtf8 {
  line: number;
  column: number;
  byte: number;
  /** How many lines needed the fallback decoding. */
  lines: number;
}

export interface LineSlice {
  /** 1-based line number. */
  line: number;
  /** The line's text without its terminator (\n or \r\n). */
  text: string;
  /** Byte offsets of the line's text, end exclusive. */
  start: number;
  end: number;
}

// ignoreBOM: a U+FEFF inside the file is a character of its line (the file's own BOM is skipped by offset).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const cp1252 = new TextDecoder('windows-1252');

/** Decodes a line as UTF-8, falling back to Windows-1252 and recording the first bad byte. */
export class LineDecoder {
  invalid: InvalidUtf8 | undefined;

  decode(bytes: Uint8Array, line: number): string {
    try {
      return utf8.decode(bytes);
    } catch {
      const bad = firstInvalidUtf8(bytes);
      if (this.invalid) this.invalid.lines++;
      else {
        const column = bad < 0 ? 1 : new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, bad)).length + 1;
        this.invalid = { line, column, byte: bad < 0 ? 0 : bytes[bad], lines: 1 };
      }
      return cp1252.decode(bytes);
    }
  }
}

/** Index of the first byte that breaks UTF-8 well-formedness, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
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

/** Length of a leading UTF-8 byte order mark, if any. */
export function bomLength(b: Uint8Array): number {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
}

/**
 * Bytes splitLines decodes at a time when they are all ASCII (then cut into lines): one decoder call
 * per line costs more than the decoding. Blocks are small so that a rare non-ASCII row sends only its
 * few neighbours down the line-by-line path.
 */
const BLOCK_BYTES = 8 * 1024;

/**
 * Yields every line of the bytes (blank ones included), handling \n, \r\n, a BOM and a last line
 * without newline. `base` is where the bytes sit in the file (for a piece of a file read in chunks):
 * it is added to the offsets yielded, and a BOM is only looked for at the file's start.
 */
export function* splitLines(
  bytes: Uint8Array, decoder: LineDecoder, range?: { start: number; end: number; firstLine: number }, blockBytes = BLOCK_BYTES, base = 0,
): Generator<LineSlice> {
  const bom = base === 0 ? bomLength(bytes) : 0;
  let pos = range ? Math.max(range.start, range.start === 0 ? bom : 0) : bom;
  let line = range ? range.firstLine - 1 : 0;
  const n = range ? range.end : bytes.length;
  while (pos < n) {
    // A block of whole lines (or one long line).
    let blockEnd = pos + blockBytes >= n ? n : bytes.indexOf(10, pos + blockBytes) + 1;
    if (blockEnd <= 0 || blockEnd > n) blockEnd = n;
    if (isAscii(bytes, pos, blockEnd)) {
      // One decoder call for the block; string offsets are byte offsets.
      const text = utf8.decode(bytes.subarray(pos, blockEnd));
      let from = 0;
      while (from < text.length) {
        let nl = text.indexOf('\n', from);
        if (nl < 0) nl = text.length;
        const to = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        line++;
        yield { line, text: text.slice(from, to), start: base + pos + from, end: base + pos + to };
        from = nl + 1;
      }
    } else {
      for (let at = pos; at < blockEnd; ) {
        let nl = bytes.indexOf(10, at);
        if (nl < 0 || nl > blockEnd) nl = blockEnd;
        const end = nl > at && bytes[nl - 1] === 13 ? nl - 1 : nl;
        line++;
        yield { line, text: decoder.decode(bytes.subarray(at, end), line), start: base + at, end: base + end };
        at = nl + 1;
      }
    }
    pos = blockEnd;
  }
}

/** Whether bytes[start, end) are all below 0x80, tested four at a time. */
function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && (bytes.byteOffset + i) % 4 !== 0) if (bytes[i++] >= 0x80) return false;
  if (i >= end) return true;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >> 2);
  let high = 0;
  for (let k = 0; k < words.length; k++) high |= words[k];
  if ((high & 0x80808080) !== 0) return false;
  for (let j = i + 4 * words.length; j < end; j++) if (bytes[j] >= 0x80) return false;
  return true;
}

/** Decodes a whole file (for CSV and JSON arrays), line by line only when it is not valid UTF-8. */
export function decodeText(bytes: Uint8Array): { text: string; invalid?: InvalidUtf8 } {
  const body = bytes.subarray(bomLength(bytes));
  try {
    return { text: utf8.decode(body) };
  } catch {
    const decoder = new LineDecoder();
    const parts: string[] = [];
    let pos = 0;
    let line = 0;
    while (pos <= body.length) {
      let nl = body.indexOf(10, pos);
      if (nl < 0) nl = body.length;
      line++;
      parts.push(decoder.decode(body.subarray(pos, nl), line));
      pos = nl + 1;
    }
    return { text: parts.join('\n'), invalid: decoder.invalid };
  }
}

/** The text as UTF-8 bytes; the engine's readers all start from bytes. */
export function toBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}
