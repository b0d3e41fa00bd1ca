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
    // The merge's heap packs a rank and a start into 31 bits (see START_BITS).
    if (count > 2 ** (31 - START_BITS)) throw new Error(`an o200k table of ${count} tokens: at most ${2 ** (31 - START_BITS)}`);
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
    if (end - start === 2) return this.pairRank2(bytes[start], bytes[start + 1]);
    if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf && (end === n || (bytes[end] & 0xc0) !== 0x80)) {
      return end - start === 3 ? Infinity : this.rank(bytes, start + 3, end);
    }
    return this.rank(bytes, start, end);
  }

  /**
   * Ranks of two-byte sequences, looked up on first use (UNKNOWN until then, NOT_A_TOKEN when none):
   * a merge starts with every pair of adjacent bytes, most of its lookups, and one typed-array read
   * is several times quicker than hashing the pair into the 2 MB table (#22).
   */
  private readonly twoBytes = new Int32Array(65_536).fill(UNKNOWN);

  private pairRank2(a: number, b: number): number {
    const key = (a << 8) | b;
    let r = this.twoBytes[key];
    if (r === UNKNOWN) {
      this.scratch2[0] = a;
      this.scratch2[1] = b;
      const found = this.rank(this.scratch2, 0, 2);
      r = this.twoBytes[key] = found === Infinity ? NOT_A_TOKEN : found;
    }
    return r === NOT_A_TOKEN ? Infinity : r;
  }

  private readonly scratch2 = new Uint8Array(2);

  /** The token count of `text` (special-token text counted as plain text): gpt-tokenizer's countTokens(text, { disallowedSpecial: new Set() }). */
  countTokens(text: string): number {
    let tokens = 0;
    const pieces = text.match(O200K_TOKEN_SPLIT_REGEX) ?? [];
    for (let k = 0; k < pieces.length; k++) tokens += this.countPreToken(pieces[k]);
    return tokens;
  }

  /** One pre-token's count: 1 when it is a token, else the parts bytePairMerge leaves of its UTF-8. */
  countPreToken(piece: string): number {
    if (piece.length === 1 && piece.charCodeAt(0) < 128) return 1;
    if (this.scratch.length < piece.length * 3) this.scratch = new Uint8Array(piece.length * 3);
    const bytes = this.scratch;
    const n = this.encoder.encodeInto(piece, bytes).written;
    if (this.rank(bytes, 0, n) !== Infinity && !LONE_SURROGATE.test(piece)) return 1;
    return this.mergedParts(bytes, n);
  }

  /** countPreToken of text[start, end), a pre-token of ASCII characters only (its bytes are its code units). */
  countAsciiPreToken(text: string, start: number, end: number): number {
    const n = end - start;
    if (this.scratch.length < n) this.scratch = new Uint8Array(n * 3);
    const bytes = this.scratch;
    for (let i = 0; i < n; i++) bytes[i] = text.charCodeAt(start + i);
    if (this.rank(bytes, 0, n) !== Infinity) return 1;
    return this.mergedParts(bytes, n);
  }

  /**
   * gpt-tokenizer's bytePairMerge over bytes[0, n), returning only how many parts it leaves: the pair
   * of adjacent parts with the lowest rank is merged first, the leftmost of equal ranks first. Its
   * merge finds that pair by scanning every pair, for each merge: quadratic in the pre-token, which
   * for a run of 384 letters without a break (base64, an unspaced run) made most of a check's time
   * (#22). A short pre-token is merged so; a longer one through a heap of pairs (mergedPartsHeap).
   */
  private mergedParts(piece: Uint8Array, n: number): number {
    if (n > LINEAR_MERGE_BYTES && n < HEAP_MERGE_BYTES) return this.mergedPartsHeap(piece, n);
    // gpt-tokenizer's arrays, in typed arrays made once (most pre-tokens merged are a few bytes).
    if (this.linearStarts.length < n + 1) {
      this.linearStarts = new Int32Array(n + 1);
      this.linearRanks = new Int32Array(n + 1);
    }
    const starts = this.linearStarts;
    const ranks = this.linearRanks;
    let length = n + 1;
    for (let i = 0; i <= n; i++) {
      starts[i] = i;
      ranks[i] = i < n - 1 ? this.linearRank(piece, i, i + 2, n) : LINEAR_NONE;
    }
    while (length > 1) {
      let lowest = LINEAR_NONE;
      let at = -1;
      for (let i = 0; i < length - 1; i++) {
        if (ranks[i] < lowest) {
          lowest = ranks[i];
          at = i;
        }
      }
      if (at === -1) break;
      // By hand: copyWithin is a call into the runtime, several times the cost of moving a few entries.
      for (let i = at + 1; i < length - 1; i++) starts[i] = starts[i + 1];
      for (let i = at; i < length - 1; i++) ranks[i] = ranks[i + 1];
      length--;
      ranks[at] = at + 2 < length ? this.linearRank(piece, starts[at], starts[at + 2], n) : LINEAR_NONE;
      if (at > 0) ranks[at - 1] = at + 1 < length ? this.linearRank(piece, starts[at - 1], starts[at + 1], n) : LINEAR_NONE;
    }
    return length - 1;
  }

  /** mergeRank in the linear merge's terms: LINEAR_NONE for no token. */
  private linearRank(piece: Uint8Array, start: number, end: number, n: number): number {
    const r = this.mergeRank(piece, start, end, n);
    return r === Infinity ? LINEAR_NONE : r;
  }

  private linearStarts = new Int32Array(LINEAR_MERGE_BYTES + 1);
  private linearRanks = new Int32Array(LINEAR_MERGE_BYTES + 1);

  /** Per byte of the pre-token being merged: the next and previous part's start, and the rank of the pair starting there. */
  private nextPart = new Int32Array(0);
  private prevPart = new Int32Array(0);
  private pairRank = new Int32Array(0);
  /** A binary min-heap of pairs, each rank << START_BITS | start: by rank, then start (the leftmost of equal ranks first). */
  private heap = new Int32Array(0);

  /**
   * mergedParts in O(n log n) for a pre-token of fewer than HEAP_MERGE_BYTES bytes: the parts are a
   * linked list over their start bytes, the pairs a heap. A pair whose parts have changed since it
   * was pushed is skipped when popped: its start is no longer a part's, or the pair starting there
   * now has another rank. A pair's bytes only grow, and a token's bytes are its own, so a rank seen
   * again at a start is the same pair.
   */
  private mergedPartsHeap(piece: Uint8Array, n: number): number {
    if (this.nextPart.length < n + 1) {
      const size = Math.max(n + 1, this.nextPart.length * 2);
      this.nextPart = new Int32Array(size);
      this.prevPart = new Int32Array(size);
      this.pairRank = new Int32Array(size);
      // At most n - 1 pairs at first and two more per merge.
      this.heap = new Int32Array(size * 3);
    }
    const next = this.nextPart;
    const prev = this.prevPart;
    const rank = this.pairRank;
    const heap = this.heap;
    let size = 0;
    for (let i = 0; i <= n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
      rank[i] = NO_RANK;
    }
    for (let i = 0; i < n - 1; i++) {
      const r = this.mergeRank(piece, i, i + 2, n);
      if (r === Infinity) continue;
      rank[i] = r;
      size = heapPush(heap, size, (r << START_BITS) | i);
    }
    let parts = n;
    while (size > 0) {
      const top = heap[0];
      size = heapPop(heap, size);
      const start = top & START_MASK;
      // A stale pair: its start was merged into the part before it, or the pair there changed.
      if (rank[start] !== top >>> START_BITS) continue;
      const gone = next[start];
      const after = next[gone];
      next[start] = after;
      prev[after] = start;
      rank[gone] = NO_RANK;
      parts--;
      const merged = after < n ? this.mergeRank(piece, start, next[after], n) : Infinity;
      rank[start] = merged === Infinity ? NO_RANK : merged;
      if (merged !== Infinity) size = heapPush(heap, size, (merged << START_BITS) | start);
      if (start > 0) {
        const before = prev[start];
        const joined = this.mergeRank(piece, before, after, n);
        rank[before] = joined === Infinity ? NO_RANK : joined;
        if (joined !== Infinity) size = heapPush(heap, size, (joined << START_BITS) | before);
      }
    }
    return parts;
  }
}

/**
 * A heap entry's start bits: a pre-token of HEAP_MERGE_BYTES bytes or more is merged linearly (the
 * engine gives the tokenizer runs of at most RUN_CHARS characters). With o200k's ranks under 2^18,
 * rank and start fit a positive 32-bit integer.
 */
const START_BITS = 13;
const START_MASK = (1 << START_BITS) - 1;
const HEAP_MERGE_BYTES = 1 << START_BITS;

/** No pair, or no token for its bytes (ranks are 0 and up). */
const NO_RANK = -1;

/** In the two-byte table: not looked up yet, and no such token. */
const UNKNOWN = -2;
const NOT_A_TOKEN = -1;

/** Adds `key` to a heap of `size` keys; returns its new size. */
function heapPush(heap: Int32Array, size: number, key: number): number {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] < key) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = key;
  return size + 1;
}

/** Removes a heap's first key; returns its new size. */
function heapPop(heap: Int32Array, size: number): number {
  const last = heap[--size];
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1] < heap[child]) child++;
    if (heap[child] > last) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = last;
  return size;
}

/** Pre-tokens of up to this many bytes are merged by scanning their pairs (quicker than a heap when short). */
const LINEAR_MERGE_BYTES = 24;

/** No pair or no token, in the linear merge's ranks (above every rank). */
const LINEAR_NONE = 0x7fffffff;
