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
