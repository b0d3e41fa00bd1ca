import { Sketcher } from '../similarity/minhash';
import { appendWordHashes, charShingleHashes, HashList, wordShingleHashes } from '../similarity/shingles';

/**
 * Density weights for the rows to label next (information density): a row's uncertainty times how
 * many rows resemble it, so that an outlier (a one-off text the model is unsure of because nothing
 * like it exists) does not crowd out rows whose label would teach the model about many others.
 *
 * Resemblance comes from the near-duplicate machinery's MinHash sketches (similarity/minhash.ts),
 * with a loose banding: 16 bands of 2 bins over word-pair shingles (character 3-grams for texts of
 * fewer than 3 words, such as Chinese), so two rows share a band with probability 1 − (1 − J²)¹⁶:
 * 0.15 at Jaccard 0.1, 0.79 at 0.3, all but certain from 0.5. A row's density ρ is the mean, over the
 * bands, of the other rows holding its band key (an estimate of how many rows are like it, weighted
 * by how alike). The weight is (1 + ln(1 + ρ)) / (1 + ln(1 + max ρ)), in (0, 1]: logarithmic, so a
 * block of a thousand copies does not outweigh every other row either. Rows with no text weigh 0.
 * Deterministic: the sketches are fixed hashes of the texts.
 */

const BANDS = 16;
const BINS_PER_BAND = 2;
const SHINGLE_WORDS = 2;
const MIN_WORDS = 3;

/** The band keys of every text (row-major, 0 for a text with nothing to sketch). */
function bandKeys(texts: readonly string[]): Uint32Array {
  const sketcher = new Sketcher(BINS_PER_BAND);
  const words = new HashList();
  const shingles = new HashList();
  const keys = new Uint32Array(texts.length * BANDS);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (!text) continue;
    words.length = 0;
    shingles.length = 0;
    appendWordHashes(text, words);
    if (words.length >= MIN_WORDS) wordShingleHashes(words.values, words.length, SHINGLE_WORDS, shingles);
    else charShingleHashes(text, shingles);
    if (!sketcher.sign(shingles.values, shingles.length)) continue;
    sketcher.bandKeys(keys, i * BANDS);
  }
  return keys;
}

/** Each row's density ρ: the mean over bands of the other rows sharing its band key. */
export function rowDensity(texts: readonly string[]): Float64Array {
  const n = texts.length;
  const keys = bandKeys(texts);
  const density = new Float64Array(n);
  const column = new Uint32Array(n);
  for (let t = 0; t < BANDS; t++) {
    for (let i = 0; i < n; i++) column[i] = keys[i * BANDS + t];
    const sorted = column.slice().sort();
    const counts = new Map<number, number>();
    for (let a = 0; a < n; ) {
      let b = a + 1;
      while (b < n && sorted[b] === sorted[a]) b++;
      if (sorted[a] !== 0 && b - a > 1) counts.set(sorted[a], b - a);
      a = b;
    }
    for (let i = 0; i < n; i++) {
      const c = counts.get(column[i]);
      if (c !== undefined) density[i] += (c - 1) / BANDS;
    }
  }
  return density;
}

/** The density weight of every row, in (0, 1] (0 for a row with no text). */
export function densityWeights(texts: readonly string[]): Float32Array {
  const density = rowDensity(texts);
  let top = 0;
  for (const d of density) top = Math.max(top, d);
  const scale = 1 + Math.log1p(top);
  return Float32Array.from(density, (d, i) => (texts[i] ? (1 + Math.log1p(d)) / scale : 0));
}
