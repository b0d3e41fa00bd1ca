import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';

/**
 * o200k token counts over a compact rank table, counted as gpt-tokenizer counts them (#22).
 *
 * gpt-tokenizer's table is 200,000 string literals (4 MB of JavaScript) turned into a Map when loaded:
 * on a 100-row check that was ~75 ms of a 0.3 s run (compiling or deserializing the literals, then the
 * Map), for a hundred texts counted. Here the same ranks are one byte array, made at build time
 * (buildO200kTable): each token's UTF-8 bytes, and an open-addressing hash table from bytes to rank.
 * Loading it is a read.
 *
 * The counting is gpt-tokenizer's (BytePairEncodingCore.countNative, bytePairMerge), keyed by bytes
 * where it keys by strings. It looks a whole pre-token up as a string; in its merge, a sequence of
 * bytes as a string when the bytes are valid UTF-8 (decoded with TextDecoder's default, which drops a
 * leading byte-order mark), else among its tokens that are not valid UTF-8. So here:
 * - buildO200kTable checks that every string token is well formed and that no two tokens have the same
 *   bytes, and leaves out the tokens stored as bytes that are valid UTF-8 (nine, such as EF BB BF
 *   followed by "using"): no lookup of gpt-tokenizer's reaches them;
 * - the sequences looked up are pieces of a well-formed text's UTF-8, so the byte lookup finds the
 *   token the string lookup finds, and no other; in the merge, a piece that starts with a byte-order
 *   mark and ends where a character does is looked up without the mark, as gpt-tokenizer's decoding
 *   does (mergeRank);
 * - a pre-token with a lone surrogate is never found whole (no token has one): it is merged from its
 *   bytes, the surrogate encoded as U+FFFD, as TextEncoder does there.
 * test/unit/o200k.test.ts compares the counts with gpt-tokenizer's.
 */

/** Bytes of the table's header: magic, token count, slot count. */
const HEADER = 12;
const MAGIC = 0x6b303032; // "200k"

/** A UTF-16 unit of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** FNV-1a over bytes[start, end). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/**
 * The table for gpt-tokenizer's o200k ranks (index: rank; a string, or the bytes of a token that is
 * not valid UTF-8), laid out as: header (magic, tokens, slots: u32 LE), each token's byte length
 * (u8), padding to 4, the slots (u32: rank + 1, 0 when empty), the tokens' bytes one after another.
 * Throws when the ranks break an assumption the byte lookup stands on (see the module's comment).
 */
export function buildO200kTable(ranks: readonly (string | readonly number[])[]): Uint8Array {
  const encoder = new TextEncoder();
  /** Tokens stored as bytes that are valid UTF-8: gpt-tokenizer looks valid UTF-8 up among its string tokens only. */
  const unreachable = new Set<number>();
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const tokens = ranks.map((value, rank) => {
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) throw new Error(`o200k token ${rank} is not well-formed text`);
      return encoder.encode(value);
    }
    const bytes = Uint8Array.from(value);
    try {
      strict.decode(bytes);
    } catch {
      return bytes;
    }
    unreachable.add(rank);
    return bytes;
  });
  let slots = 1;
  while (slots < tokens.length * 2) slots *= 2;
  const lengthsEnd = HEADER + tokens.length;
  const slotsStart = (lengthsEnd + 3) & ~3;
  const bytesStart = slotsStart + slots * 4;
  const table = new Uint8Array(bytesStart + tokens.reduce((n, t) => n + t.length, 0));
  const view = new DataView(table.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, tokens.length, true);
  view.setUint32(8, slots, true);
  let at = bytesStart;
  for (const [rank, t] of tokens.entries()) {
    if (t.length === 0 || t.length > 255) throw new Error(`o200k token ${rank} has ${t.length} bytes`);
    table[HEADER + rank] = t.length;
    table.set(t, at);
    at += t.length;
    if (unreachable.has(rank)) continue;
    let slot = hashBytes(t, 0, t.length) & (slots - 1);
    for (; ; slot = (slot + 1) & (slots - 1)) {
      const held = view.getUint32(slotsStart + slot * 4, true);
      if (held === 0) break;
      const other = tokens[held - 1];
      if (other.length === t.length && other.every((b, i) => b === t[i])) throw new Error(`o200k tokens ${held - 1} and ${rank} have the same bytes`);
    }
    view.setUint32(slotsStart + slot * 4, rank + 1, true);
  }
  return table;
}

/** Counts o200k tokens with a table made by buildO200kTable. */
export class O200kCounter {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private readonly starts: Uint32Array;
  private readonly lengths: Uint8Array;
  private readonly bytes: Uint8Array;
  private readonly encoder = new TextEncoder();
  /** The UTF-8 of the pre-token being counted. */
  private scratch = new Uint8Array(1024);

  constructor(table: Uint8Array) {
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    if (table.byteLength < HEADER || view.getUint32(0, true) !== MAGIC) throw new Error('not an o200k table');
    const count = view.getUint32(4, true);
    const slotCount = view.getUint32(8, true);
    const slotsStart = (HEADER + count + 3) & ~3;
    // The table's own copy when its slots are not 4-byte aligned in memory (a Buffer from a file may not be).
    const aligned = (table.byteOffset + slotsStart) % 4 === 0 ? table : new Uint8Array(table);
    this.slots = new Uint32Array(aligned.buffer, aligned.byteOffset + slotsStart, slotCount);
    this.mask = slotCount - 1;
    this.lengths = aligned.subarray(HEADER, HEADER + count);
    this.bytes = aligned.subarray(slotsStart + slotCount * 4);
    this.starts = new Uint32Array(count);
    for (let i = 0, at = 0; i < count; at += this.lengths[i], i++) this.starts[i] = at;
  }

  /** The rank of the token whose bytes are bytes[start, end), or Infinity (no such token), as gpt-tokenizer's merge ranks a pair. */
  private rank(bytes: Uint8Array, start: number, end: number): number {
    const n = end - start;
    for (let slot = hashBytes(bytes, start, end) & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = this.slots[slot];
      if (held === 0) return Infinity;
      const rank = held - 1;
      if (this.lengths[rank] !== n) continue;
      const at = this.starts[rank];
      let i = 0;
      while (i < n && this.bytes[at + i] === bytes[start + i]) i++;
      if (i === n) return rank;
    }
  }

  /**
   * The rank gpt-tokenizer's merge gives bytes[start, end) of a pre-token's n bytes: a piece that is
   * whole characters is decoded first, which drops a leading byte-order mark (EF BB BF).
   */
  private mergeRank(bytes: Uint8Array, start: number, end: number, n: number): number {
    if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf && (end === n || (bytes[end] & 0xc0) !== 0x80)) {
      return end - start === 3 ? Infinity : this.rank(bytes, start + 3, end);
    }
    return this.rank(bytes, start, end);
  }

  /** The token count of `text` (special-token text counted as plain text): gpt-tokenizer's countTokens(text, { disallowedSpecial: new Set() }). */
  countTokens(text: string): number {
    let tokens = 0;
    const pieces = text.match(O200K_TOKEN_SPLIT_REGEX) ?? [];
    for (let k = 0; k < pieces.length; k++) tokens += this.countPreToken(pieces[k]);
    return tokens;
  }

  /** One pre-token's count: 1 when it is a token, else the parts bytePairMerge leaves of its UTF-8. */
  private countPreToken(piece: string): number {
    if (piece.length === 1 && piece.charCodeAt(0) < 128) return 1;
    if (this.scratch.length < piece.length * 3) this.scratch = new Uint8Array(piece.length * 3);
    const bytes = this.scratch;
    const n = this.encoder.encodeInto(piece, bytes).written;
    if (this.rank(bytes, 0, n) !== Infinity && !LONE_SURROGATE.test(piece)) return 1;
    return this.mergedParts(bytes, n);
  }

  /** gpt-tokenizer's bytePairMerge over bytes[0, n), returning only how many parts it leaves. */
  private mergedParts(piece: Uint8Array, n: number): number {
    const starts: number[] = [];
    const ranks: number[] = [];
    const rankAt = (i: number) => (i + 2 < starts.length ? this.mergeRank(piece, starts[i], starts[i + 2], n) : Infinity);
    for (let i = 0; i <= n; i++) {
      starts.push(i);
      ranks.push(i < n - 1 ? this.mergeRank(piece, i, i + 2, n) : Infinity);
    }
    while (starts.length > 1) {
      let lowest = Infinity;
      let at = -1;
      for (let i = 0; i < ranks.length - 1; i++) {
        if (ranks[i] < lowest) {
          lowest = ranks[i];
          at = i;
        }
      }
      if (lowest === Infinity || at === -1) break;
      starts.splice(at + 1, 1);
      ranks.splice(at, 1);
      ranks[at] = rankAt(at);
      if (at > 0) ranks[at - 1] = rankAt(at - 1);
    }
    return starts.length - 1;
  }
}
