import {
  decodeLegacy, encodingFromStart, firstInvalidUtf8, isUtf16, legacyEncodingOf, type EncodingName, type LegacyEncoding,
} from './encoding';

/**
 * Byte-level reading: line splitting and UTF-8 decoding with a fallback to the file's legacy
 * encoding (Windows-1252, GB18030, Shift-JIS…: see encoding.ts), so a file that is not valid UTF-8
 * is still read as its author wrote it (and reported) instead of crashing or silently mangling.
 */

export { firstInvalidUtf8 } from './encoding';

export interface InvalidUtf8 {
  line: number;
  column: number;
  byte: number;
  /** How many lines needed the fallback decoding. */
  lines: number;
  /** The legacy encoding those lines were read in. */
  encoding: LegacyEncoding;
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

/**
 * Decodes a line as UTF-8, falling back to the file's legacy encoding and recording the first bad
 * byte. UTF-8 comes first line by line: a file with a few bad rows among good ones keeps its good
 * ones as they are. The legacy encoding is given, or found (once) when the first line needs it: a
 * file that is all UTF-8 never pays for the detection.
 */
export class LineDecoder {
  invalid: InvalidUtf8 | undefined;
  private legacy: LegacyEncoding | undefined;

  /** `fallback` is the encoding, or finds it (given the first line that needs it). */
  constructor(private readonly fallback: LegacyEncoding | ((line: Uint8Array) => LegacyEncoding) = 'windows-1252') {}

  /** The encoding lines that are not UTF-8 are read in (`line`: one of them, when it is not known yet). */
  fallbackEncoding(line: Uint8Array = new Uint8Array(0)): LegacyEncoding {
    return (this.legacy ??= typeof this.fallback === 'function' ? this.fallback(line) : this.fallback);
  }

  decode(bytes: Uint8Array, line: number): string {
    try {
      return utf8.decode(bytes);
    } catch {
      const encoding = this.fallbackEncoding(bytes);
      if (this.invalid) this.invalid.lines++;
      else {
        const bad = firstInvalidUtf8(bytes);
        // The column counts characters as the line reads in its legacy encoding.
        const column = bad < 0 ? 1 : decodeLegacy(bytes.subarray(0, bad), encoding).length + 1;
        this.invalid = { line, column, byte: bad < 0 ? 0 : bytes[bad], lines: 1, encoding };
      }
      return decodeLegacy(bytes, encoding);
    }
  }
}

/** The encoding of a file that was read: its lines' legacy one when some were not UTF-8, else what its start shows. */
export function fileEncoding(head: Uint8Array, invalid: InvalidUtf8 | undefined): EncodingName {
  return invalid?.encoding ?? encodingFromStart(head) ?? 'utf-8';
}

/** Length of a leading UTF-8 byte order mark, if any. */
export function bomLength(b: Uint8Array): number {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
}

/**
 * Bytes splitLines decodes at a time (then cut into lines): one decoder call per line costs more
 * than the decoding. Blocks are small so that a rare line that is not UTF-8 sends only its few
 * neighbours down the line-by-line path.
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
    // One decoder call for the block when it is all UTF-8 (a line feed is one byte and one character
    // there, so the block's lines are the lines of its text); else line by line, each line that is
    // not UTF-8 in the legacy encoding.
    const text = utf8Block(bytes.subarray(pos, blockEnd));
    if (text !== undefined && text.length === blockEnd - pos) {
      // All ASCII: string offsets are byte offsets.
      let from = 0;
      while (from < text.length) {
        let nl = text.indexOf('\n', from);
        if (nl < 0) nl = text.length;
        const to = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        line++;
        yield { line, text: text.slice(from, to), start: base + pos + from, end: base + pos + to };
        from = nl + 1;
      }
    } else if (text !== undefined) {
      // The line feeds of the text and of the bytes, found side by side (#22: a block with one CJK row
      // among ASCII ones was decoded line by line, a decoder call each).
      let from = 0;
      for (let at = pos; at < blockEnd; ) {
        let nl = bytes.indexOf(10, at);
        if (nl < 0 || nl > blockEnd) nl = blockEnd;
        let textNl = text.indexOf('\n', from);
        if (textNl < 0) textNl = text.length;
        const end = nl > at && bytes[nl - 1] === 13 ? nl - 1 : nl;
        const to = end < nl ? textNl - 1 : textNl;
        line++;
        yield { line, text: text.slice(from, to), start: base + at, end: base + end };
        at = nl + 1;
        from = textNl + 1;
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

/** The bytes decoded as UTF-8, or undefined when they are not UTF-8. */
function utf8Block(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether bytes[start, end) are all below 0x80, tested four at a time. */
export function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
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

/**
 * Decodes a whole file (for CSV and JSON arrays): UTF-16 by its mark (or NULs), else UTF-8, line by
 * line only when it is not valid UTF-8 (those lines in the legacy encoding they show).
 */
export function decodeText(bytes: Uint8Array): { text: string; invalid?: InvalidUtf8; encoding: EncodingName } {
  const start = encodingFromStart(bytes);
  if (isUtf16(start)) return { text: new TextDecoder(start).decode(bytes), encoding: start };
  const body = bytes.subarray(bomLength(bytes));
  try {
    return { text: utf8.decode(body), encoding: start ?? 'utf-8' };
  } catch {
    const decoder = new LineDecoder((line) => legacyEncodingOf([body], line));
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
    return { text: parts.join('\n'), invalid: decoder.invalid, encoding: decoder.fallbackEncoding() };
  }
}

/** The text as UTF-8 bytes; the engine's readers all start from bytes. */
export function toBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}
