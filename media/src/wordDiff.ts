/**
 * Which words of two texts differ, for showing near-duplicates side by side: a longest common
 * subsequence over words (whitespace kept as its own pieces), each text's pieces marked kept or
 * changed. Texts of more than MAX_WORDS words are compared on their first MAX_WORDS (the rest shown
 * unmarked): the table is words × words.
 */

export interface Piece {
  text: string;
  changed: boolean;
}

const MAX_WORDS = 600;

function pieces(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

/** The pieces of `a` and of `b`, each marked changed when it is not in their common subsequence. */
export function wordDiff(a: string, b: string): { a: Piece[]; b: Piece[] } {
  const pa = pieces(a);
  const pb = pieces(b);
  const n = Math.min(pa.length, MAX_WORDS);
  const m = Math.min(pb.length, MAX_WORDS);
  // lcs[i][j]: the common subsequence's length of pa[i..n) and pb[j..m), as one flat array.
  const lcs = new Uint16Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = pa[i] === pb[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const outA: Piece[] = [];
  const outB: Piece[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (pa[i] === pb[j]) {
      outA.push({ text: pa[i++], changed: false });
      outB.push({ text: pb[j++], changed: false });
    } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) outA.push({ text: pa[i], changed: !/^\s+$/.test(pa[i++]) });
    else outB.push({ text: pb[j], changed: !/^\s+$/.test(pb[j++]) });
  }
  for (; i < n; i++) outA.push({ text: pa[i], changed: !/^\s+$/.test(pa[i]) });
  for (; j < m; j++) outB.push({ text: pb[j], changed: !/^\s+$/.test(pb[j]) });
  if (pa.length > n) outA.push({ text: pa.slice(n).join(''), changed: false });
  if (pb.length > m) outB.push({ text: pb.slice(m).join(''), changed: false });
  return { a: merged(outA), b: merged(outB) };
}

/** Neighbouring pieces of the same kind as one (fewer nodes on the page). */
function merged(list: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of list) {
    const last = out[out.length - 1];
    if (last && last.changed === p.changed) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}
