/**
 * Word-shingle Jaccard similarity as the checker defines it for near-duplicate, written
 * independently of the engine so the benchmark can check the engine: words are runs of letters,
 * digits and apostrophes (letters of other scripts included) of the NFKC, lower-cased text;
 * shingles are runs of 5 words; a text of fewer words is compared by its character 3-grams
 * (of the normalised text, punctuation included).
 */

const WORD = /[a-z0-9'\u00c0-\u1fff\u2070-\u2fff\u3040-\ufdff]+/g;
const NON_ASCII = /[^\x00-\x7f]/;

function fold(text: string): string {
  const s = NON_ASCII.test(text) ? text.normalize("NFKC").toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ") : text.toLowerCase();
  return s;
}

/** The shingle set of a text. */
export function shingleSet(text: string, k = 5): Set<string> {
  const folded = fold(text);
  const words = folded.match(WORD) ?? [];
  const out = new Set<string>();
  if (words.length >= k) {
    for (let i = 0; i + k <= words.length; i++) out.add(words.slice(i, i + k).join(" "));
    return out;
  }
  const norm = folded.replace(/\s+/g, " ").trim();
  if (norm.length > 0 && norm.length < 3) out.add(`#${norm}`);
  for (let i = 0; i + 3 <= norm.length; i++) out.add(`#${norm.slice(i, i + 3)}`);
  return out;
}

/** |A ∩ B| / |A ∪ B|. */
export function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Jaccard similarity of two texts. */
export function textJaccard(a: string, b: string, k = 5): number {
  return jaccard(shingleSet(a, k), shingleSet(b, k));
}
