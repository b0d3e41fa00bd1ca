/**
 * Mojibake: UTF-8 bytes decoded as Windows-1252 ("cafÃ©", "donâ€™t"). Detection looks for the
 * telltale pairs; repair re-encodes as Windows-1252 and decodes as UTF-8, kept only when valid.
 */

export const MOJIBAKE = /Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]|ï¿½|Ã‚|\ufffd/;

const CP1252_HIGH: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
  0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91,
  0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98,
  0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b, 0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** The text repaired from double encoding, or undefined when it does not repair cleanly. */
export function repairMojibake(text: string): string | undefined {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x100) bytes[i] = c;
    else if (CP1252_HIGH[c] !== undefined) bytes[i] = CP1252_HIGH[c];
    else return undefined;
  }
  try {
    const repaired = strictUtf8.decode(bytes);
    return repaired !== text && !MOJIBAKE.test(repaired) ? repaired : undefined;
  } catch {
    return undefined;
  }
}

// --- Chinese: UTF-8 read as GBK ------------------------------------------------------------------

/**
 * Characters that UTF-8 Chinese text read as GBK is full of and ordinary Chinese text almost never
 * has: 锛 and 銆 (the first two bytes of the full-width comma and of 、。), 鈥 (of “ ” …), 鍙, 鐨,
 * 鏄, 涓, 浣, 鎴, 璇, 寮 (of common characters' UTF-8), € between Han characters (a lone 0x80 byte), and 锟斤拷 / 烫烫烫 / 屯屯屯, what lost
 * characters and unset memory look like. A hint only: repairGbkMojibake decides.
 */
export const GBK_MOJIBAKE_HINT = /锟斤拷|烫烫烫|屯屯屯|[锛銆鈥鍙鐨鏄涓浣鎴璇寮杩鍦鐢缁绛瀛浜]|[\u3400-\u9fff]€|€[\u3400-\u9fff]/;

/** Lost characters (U+FFFD as UTF-8 read as GBK) and Visual C++'s fill of unset memory. */
const GBK_LOST = /(?:锟斤拷)+|烫{3,}|屯{3,}/;

let gbkEncoder: Map<number, number> | undefined;

/** Marks a table entry of one byte (GBK reads 0x80 alone as €). */
const SINGLE = 0x10000;

/** The GBK bytes of each non-ASCII character GBK encodes (built once, from the platform's decoder). */
function gbkTable(): Map<number, number> {
  if (gbkEncoder) return gbkEncoder;
  const decoder = new TextDecoder('gbk');
  const table = new Map<number, number>();
  for (let b = 0x80; b <= 0xff; b++) {
    const s = decoder.decode(new Uint8Array([b]));
    if (s.length === 1 && s !== '\ufffd') table.set(s.charCodeAt(0), SINGLE | b);
  }
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const s = decoder.decode(pair);
      if (s.length === 1 && s !== '\ufffd' && !table.has(s.charCodeAt(0))) table.set(s.charCodeAt(0), (lead << 8) | trail);
    }
  }
  return (gbkEncoder = table);
}

/** What a text is when it is UTF-8 read as GBK: the repaired text, or what was lost, or undefined when it is not. */
export interface GbkMojibake {
  /** The first span that gives it away. */
  start: number;
  end: number;
  /** The text as it was written, when its bytes survive whole. */
  repaired?: string;
  /** The text as far as it reads back (U+FFFD where bytes were lost). */
  readBack?: string;
  /** Whether characters were lost for good (锟斤拷 / 烫烫烫). */
  lost: boolean;
}

/**
 * Whether a text is UTF-8 Chinese read as GBK ("浣犲ソ锛屼笘鐣" for "你好，世界"): its GBK bytes
 * are valid UTF-8 that reads as more ordinary text. A text without a hint character is never asked.
 */
export function gbkMojibake(text: string): GbkMojibake | undefined {
  const hint = GBK_MOJIBAKE_HINT.exec(text);
  if (!hint) return undefined;
  const lost = GBK_LOST.exec(text);
  if (lost) return { start: lost.index, end: lost.index + lost[0].length, lost: true };
  const table = gbkTable();
  const bytes = new Uint8Array(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes[n++] = c;
    else if (c === 0xfffd) continue; // a byte GBK could not read (an odd one at the end): lost
    else {
      const code = table.get(c);
      if (code === undefined) return undefined;
      if (code & SINGLE) bytes[n++] = code & 0xff;
      else {
        bytes[n++] = code >> 8;
        bytes[n++] = code & 0xff;
      }
    }
  }
  // Reading as GBK loses the bytes of pairs GBK has no character for (a few in a sentence): the
  // rest still reads back; only a whole read-back is offered as the repair.
  const readBack = lenientUtf8.decode(bytes.subarray(0, n));
  let lostChars = 0;
  for (let i = 0; i < readBack.length; i++) if (readBack.charCodeAt(i) === 0xfffd) lostChars++;
  if (readBack === text || lostChars * 5 > readBack.length || countHints(readBack) * 2 >= countHints(text)) return undefined;
  return { start: hint.index, end: hint.index + hint[0].length, repaired: lostChars ? undefined : readBack, readBack, lost: false };
}

function countHints(text: string): number {
  let n = 0;
  for (const ch of text) if (GBK_MOJIBAKE_HINT.test(ch)) n++;
  return n;
}
